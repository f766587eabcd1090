"""Enrichment: the German NLP pipeline (places, streets, organisations, topics) and its cache."""
