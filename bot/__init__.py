"""The bot: ``service.Bot`` over answering/ (retrieval, answers), staff/ (staff rules) and insights/ (log, reports)."""
