"""Crawling a news archive politely: robots.txt, rate limit, cache, resume."""

from indexer.ingest.crawl.archive import crawl_archive
from indexer.ingest.crawl.options import CrawlOptions

__all__ = ["CrawlOptions", "crawl_archive"]
