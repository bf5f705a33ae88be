"""Questions handed to staff (tickets): a filtered list, a CSV export, and 「FAQにする」.

``GET /tickets?state=&department=&overdue=1`` lists tickets (newest first, texts masked);
``GET /tickets.csv`` exports the same selection (UTF-8 with BOM, for Excel; never whom to reply
to); 「FAQにする」 on an answered ticket opens the new-FAQ form pre-filled with its question,
answer, category and department (``/entries/new?ticket=ID``), to be reviewed before it is saved.
"""
from __future__ import annotations

import csv
import io

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.handoff.ticket import TICKET_STATES, TicketState
from channels.admin.web import AdminSite

MAX_SHOWN = 500
STATE_LABELS = {"open": "未回答", "answered": "回答済み", "closed": "完了", "declined": "対応不要", "expired": "期限切れ"}
CHANNEL_LABELS = {"line": "LINE", "web": "Webチャット"}
CSV_COLUMNS = ("id", "state", "channel", "department", "category", "created_at", "due_at", "overdue",
               "answered_at", "closed_at", "rating", "question", "bot_answer", "answer")


def faq_draft_values(ticket) -> dict:
    """The new FAQ entry a ticket suggests (the editor reviews it before saving)."""
    return {"title": ticket.question, "body": ticket.answer, "category": ticket.category,
            "department": ticket.department, "audience": "citizen"}


def can_become_faq(ticket) -> bool:
    return bool(ticket.answer) and ticket.state in (TicketState.ANSWERED, TicketState.CLOSED)


def routes(site: AdminSite) -> list[Route]:
    def _select(request: Request):
        state = request.query_params.get("state", "")
        state = state if state in TICKET_STATES else ""
        department = request.query_params.get("department", "").strip()
        overdue = request.query_params.get("overdue") == "1"
        store = site.tickets
        return dict(state=state, department=department, overdue=overdue), \
            store.list(state=state, department=department, overdue=overdue), store.departments()

    # Tickets hold residents' questions and staff replies: editors only, like the knowledge (viewers
    # see reports).
    @site.page(role="editor")
    async def tickets(request: Request, session):
        criteria, found, departments = await run_in_threadpool(_select, request)
        return site.render(request, "tickets.html", criteria=criteria, tickets=found[:MAX_SHOWN], total=len(found),
                           departments=departments, states=STATE_LABELS, channels=CHANNEL_LABELS,
                           can_become_faq=can_become_faq, params=request.url.query)

    @site.page(role="editor")
    async def tickets_csv(request: Request, session):
        _, found, _ = await run_in_threadpool(_select, request)
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(CSV_COLUMNS)
        for t in found:
            writer.writerow([t.id, str(t.state), t.channel, t.department, t.category, t.created_at, t.due_at,
                             int(t.overdue()), t.answered_at, t.closed_at, t.rating, t.question, t.bot_answer,
                             t.answer])
        return Response("\ufeff" + out.getvalue(), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="tickets.csv"'})

    return [
        Route("/tickets", tickets, name="admin_tickets"),
        Route("/tickets.csv", tickets_csv, name="admin_tickets_csv"),
    ]
