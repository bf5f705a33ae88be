"""The web chat at ``/``: try the bot with no LINE or Slack account."""
