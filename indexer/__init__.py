"""Amtsblick indexer: ingest German announcements, run NLP, build the Whoosh index."""
