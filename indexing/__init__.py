"""Loading knowledge files, Japanese analysis, embeddings and the indexes the bot searches."""
