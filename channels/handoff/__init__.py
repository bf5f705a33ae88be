"""Tickets between the chat channels: posted to the department's Slack channel, answered back.

``blocks`` renders a ticket for Slack (Block Kit, modals, thread notes: the staff's wording);
``relay`` posts tickets, takes the staff's answers, declines and reroutes from the inbox,
delivers answers on LINE (or leaves them for the web chat to fetch) and runs the reminders.
"""
