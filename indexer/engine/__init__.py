"""The search engine: everything that knows Whoosh."""
