"""Answering a question: retrieval and fusion, calibrated abstention, answer composition, retrieval metrics."""
