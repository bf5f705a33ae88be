"""Offline stand-ins for the LINE and Slack APIs (real HTTP on 127.0.0.1, port 0) and helpers
to run the real server and send correctly signed webhooks. Shared by tests and benchmarks."""
