"""Reading inputs: files, folders and archive URLs become announcements (sources, crawl)."""
