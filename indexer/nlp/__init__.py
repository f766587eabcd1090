"""German NLP: the spaCy pipeline (model or offline) and its components."""
