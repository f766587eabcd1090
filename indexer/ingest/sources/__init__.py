"""Readers of one kind of file each: JSON Lines, HTML pages, text dumps (see indexer.ingest.inputs)."""
