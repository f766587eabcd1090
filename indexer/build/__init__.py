"""The build: inputs through enrichment into the index, its workers and the command line."""
