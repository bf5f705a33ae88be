"""A durable inbox for LINE and Slack events: nothing accepted is lost, nothing answered twice.

``indexing.storage.inbox`` owns the table (stored before the webhook's 200, leased to workers,
closed when the platform accepted the answer); ``worker`` drains it in every server process.
"""
from indexing.storage.inbox import Inbox, InboxEvent
from channels.inbox.worker import InboxWorker, Outcome

__all__ = ["Inbox", "InboxEvent", "InboxWorker", "Outcome"]
