"""Answering: retrieval, ranking, answer composition, inquiry log and reports."""
