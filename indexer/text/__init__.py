"""How text becomes terms: folding, lemmas, stop words, compound parts. No Whoosh, no spaCy."""
