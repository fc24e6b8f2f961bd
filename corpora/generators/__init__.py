"""Generators of the labelled test documents in ``corpora/generated`` (run ``python -m corpora.generate``)."""
