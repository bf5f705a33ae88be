"""The edges where users meet the bot: CLI, LINE, Slack, web chat, admin UI."""
