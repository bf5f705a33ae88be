"""``madoguchi tickets remind|purge|list``: housekeeping of the questions handed to staff.

``remind`` does what the server does every minute: posts tickets whose Slack post failed,
reminds each department's channel of overdue tickets (again every 24 hours), expires open
tickets past due by MADOGUCHI_TICKET_EXPIRE_DAYS (telling the citizen on LINE when LINE is
configured) and purges tickets older than MADOGUCHI_TICKET_RETENTION_DAYS. It needs
SLACK_BOT_TOKEN. ``purge`` only deletes old tickets (no Slack needed). ``list`` prints tickets
as JSON lines (id, state, department, created_at, due_at, overdue): no question text.
"""
from __future__ import annotations

import asyncio
import json

from channels.commands.base import UsageError, require_knowledge, settings_from_args


def register(commands) -> None:
    p = commands.add_parser("tickets", help="questions handed to staff: reminders, expiry, purge, list")
    p.add_argument("action", choices=("remind", "purge", "list"))
    p.add_argument("--state", default="", help="list: only tickets in this state")
    p.add_argument("--department", default="", help="list: only this department's tickets")
    p.add_argument("--overdue", action="store_true", help="list: only open tickets past their due time")
    p.set_defaults(handler=command_tickets)


def desk_from_settings(settings):
    """The ticket desk of a data dir, without loading the search indexes."""
    from bot.handoff.desk import HandoffDesk, HandoffPolicy
    from bot.handoff.store import TicketStore
    from bot.insights.inquiry_log import InquiryLog
    from indexing.storage.knowledge import KnowledgeStore

    knowledge = KnowledgeStore(settings.data_dir)
    return HandoffDesk(TicketStore(settings.data_dir), InquiryLog(settings.data_dir, user_key_secret=settings.user_key_secret),
                       knowledge.departments, HandoffPolicy.from_settings(settings))


def command_tickets(args) -> int:
    from bot.handoff.ticket import TICKET_STATES

    settings = settings_from_args(args)
    if args.state and args.state not in TICKET_STATES:
        raise UsageError(f"unknown ticket state {args.state!r} (one of {', '.join(TICKET_STATES)})")
    require_knowledge(settings)
    desk = desk_from_settings(settings)
    try:
        if args.action == "purge":
            print(json.dumps({"purged": desk.purge(), "retention_days": settings.ticket_retention_days}))
            return 0
        if args.action == "list":
            for ticket in desk.store.list(state=args.state, department=args.department, overdue=args.overdue):
                print(json.dumps({"id": ticket.id, "state": str(ticket.state), "department": ticket.department,
                                  "created_at": ticket.created_at, "due_at": ticket.due_at,
                                  "overdue": ticket.overdue()}, ensure_ascii=False))
            return 0
        if not settings.slack_bot_token:
            raise UsageError("tickets remind needs SLACK_BOT_TOKEN (reminders are posted in Slack)")
        print(json.dumps(asyncio.run(_remind(desk, settings))))
        return 0
    finally:
        desk.store.close()
        desk.inquiry_log.close()


async def _remind(desk, settings) -> dict:
    from slack_sdk.web.async_client import AsyncWebClient

    from channels.handoff.relay import HandoffRelay

    line_client = line_api = None
    if settings.line_channel_access_token:
        from linebot.v3.messaging import AsyncApiClient, AsyncMessagingApi, Configuration

        line_client = AsyncApiClient(Configuration(access_token=settings.line_channel_access_token,
                                                   host=settings.line_api_base_url.rstrip("/")))
        line_api = AsyncMessagingApi(line_client)
    slack = AsyncWebClient(token=settings.slack_bot_token, base_url=settings.slack_api_base_url)
    try:
        return await HandoffRelay(desk, slack, line_api).housekeeping()
    finally:
        if line_client is not None:
            await line_client.close()
        if slack.session is not None:
            await slack.session.close()
