"""The handoff in the web chat: the same offer and confirmation as on LINE, then the page polls.

``POST /api/handoff/offer {"inquiry_id"}`` → the confirmation (the masked question as it will be
sent, what happens next, the expected reply time, the 「送信する」 label);
``POST /api/handoff/confirm {"inquiry_id", "addition"}`` → the ticket (``addition``: the one
optional message appended to the question);
``GET /api/handoff/tickets/{id}`` → its state, and the staff answer once there is one (the page
polls this; the answer shown is the stored one, masked);
``POST /api/handoff/rate {"ticket", "rating": resolved|unresolved}``;
``GET /api/handoff/tickets`` → ``{"tickets": [id, ...]}``: this browser's tickets still awaited (the page
polls them again after a reload).

The browser is known by the web chat's cookie; a ticket is only ever shown to and rated by the
browser that confirmed it (anything else is 404, not 403: ticket ids are not to be probed).
"""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.answering.answer import HANDOFF_KINDS, Answer
from bot.handoff import messages as texts
from bot.handoff.ticket import TicketState

CHANNEL = "web"
RATINGS = ("resolved", "unresolved")


def offer(answer: Answer, runtime) -> dict | None:
    """The ``handoff`` field of an answer: offered after a decline when tickets can be posted."""
    if (answer.audience != "citizen" or not answer.abstained or answer.kind not in HANDOFF_KINDS
            or answer.inquiry_id is None):
        return None
    return offer_after_unresolved(answer.language, runtime, answer.department, with_text=False)


def offer_after_unresolved(language: str, runtime, department: str, with_text: bool = True) -> dict | None:
    if not runtime.handoff_available(department):
        return None
    easy = runtime.settings.easy_japanese
    data = {"label": texts.OFFER_LABEL}
    if with_text:
        data["text"] = texts.say("OFFER", language, easy)
    return data


class WebHandoff:
    def __init__(self, runtime, uid_of, json_body, admit):
        self.runtime = runtime
        self._uid_of = uid_of          # request → the cookie's id or None
        self._json_body = json_body    # request → dict (raises the web chat's ApiError)
        self._admit = admit            # request → None (raises ApiError when rate-limited)

    def routes(self) -> list:
        return [
            Route("/api/handoff/offer", self.api_offer, methods=["POST"]),
            Route("/api/handoff/confirm", self.api_confirm, methods=["POST"]),
            Route("/api/handoff/tickets", self.api_awaited, methods=["GET"]),
            Route("/api/handoff/tickets/{ticket_id:int}", self.api_ticket, methods=["GET"]),
            Route("/api/handoff/rate", self.api_rate, methods=["POST"]),
        ]

    @property
    def desk(self):
        return self.runtime.handoff_desk

    def _say(self, name: str, language: str = "ja", **fields) -> str:
        return texts.say(name, language, self.runtime.settings.easy_japanese, **fields)

    def _refuse(self, status: int, code: str, language: str = "ja") -> JSONResponse:
        return JSONResponse({"error": code, "message": self._say("UNAVAILABLE", language)}, status_code=status)

    async def _user(self, request: Request) -> tuple[str | None, dict]:
        data = {}
        if request.method == "POST":  # the page's poll (a GET every 10 s) does not use up the question rate
            self._admit(request)
            data = await self._json_body(request)
        uid = self._uid_of(request)
        return (f"{CHANNEL}:{uid}" if uid else None), data

    async def _guarded(self, request: Request, handler) -> Response:
        from channels.web.routes import ApiError, browser_language

        if self.runtime.handoff_relay is None:
            return self._refuse(503, "handoff_unavailable")
        try:
            user_id, data = await self._user(request)
        except ApiError as error:
            return error.response(browser_language(request), self.runtime.settings.easy_japanese)
        if user_id is None:
            return self._refuse(404, "not_found")
        return await handler(request, user_id, data)

    # --- the routes ----------------------------------------------------------------------------
    async def api_offer(self, request: Request) -> Response:
        return await self._guarded(request, self._offer)

    async def _offer(self, request, user_id, data) -> Response:
        inquiry_id = _integer(data.get("inquiry_id"))
        preview = None if inquiry_id is None else await self.runtime.run_blocking(self.desk.offer, inquiry_id, user_id)
        if preview is None:
            return self._refuse(404, "not_found")
        if preview.existing is not None:
            return JSONResponse({"inquiry_id": inquiry_id, "ticket": preview.existing.id,
                                 "text": self._say("ALREADY_SENT", preview.language, ticket=preview.existing.id)})
        return JSONResponse({
            "inquiry_id": inquiry_id, "department": preview.department, "question": preview.text,
            "reply_hours": preview.reply_hours,
            "text": texts.confirmation(preview, self.runtime.settings.easy_japanese),
            "confirm_label": texts.CONFIRM_LABEL, "addition_label": self._say("ADDITION_LABEL", preview.language),
        })

    async def api_confirm(self, request: Request) -> Response:
        return await self._guarded(request, self._confirm)

    async def _confirm(self, request, user_id, data) -> Response:
        inquiry_id = _integer(data.get("inquiry_id"))
        addition = data.get("addition") or ""
        if inquiry_id is None or not isinstance(addition, str):
            return self._refuse(400, "handoff_invalid")
        if addition.strip():
            # The page sends the addition with the confirmation; an offer left open too long is made again.
            if await self.runtime.run_blocking(self.desk.add_to_draft, user_id, addition, None, inquiry_id) is None:
                await self.runtime.run_blocking(self.desk.offer, inquiry_id, user_id)
                await self.runtime.run_blocking(self.desk.add_to_draft, user_id, addition, None, inquiry_id)
        ticket, created = await self.runtime.run_blocking(self.desk.confirm, inquiry_id, user_id, CHANNEL,
                                                          user_id.split(":", 1)[1])
        if ticket is None:
            return self._refuse(404, "not_found")
        if created:
            self.runtime.spawn(self.runtime.handoff_relay.post(ticket), name="ticket post")
        route = await self.runtime.run_blocking(self.desk.route, ticket.department)
        hours = route.reply_hours if route else self.desk.policy.reply_hours
        name = "SENT" if created else "ALREADY_SENT"
        return JSONResponse({"ticket": ticket.id, "created": created,
                             "text": self._say(name, ticket.language, department=ticket.department, ticket=ticket.id,
                                               hours=texts.hours_text(hours)),
                             "waiting": self._say("WAITING", ticket.language)})

    async def api_awaited(self, request: Request) -> Response:
        # Asked by every page load: nothing awaited (not an error) without Slack or a cookie.
        if self.runtime.handoff_relay is None or self._uid_of(request) is None:
            return JSONResponse({"tickets": []})
        return await self._guarded(request, self._awaited)

    async def _awaited(self, request, user_id, data) -> Response:
        ids = await self.runtime.run_blocking(self.desk.store.awaited_by, self.runtime.inquiry_log.user_key(user_id),
                                              CHANNEL)
        return JSONResponse({"tickets": ids})

    async def api_ticket(self, request: Request) -> Response:
        return await self._guarded(request, self._ticket)

    async def _ticket(self, request, user_id, data) -> Response:
        # Fetching an answer hands the staff's words over once: another site must not make the resident's browser
        # use it up (a link, a frame or an image carries the cookie). Browsers say where a request comes from: only
        # the chat page's own fetch (same origin, even framed on an embedding site) is served.
        if request.headers.get("sec-fetch-site", "same-origin") != "same-origin" or \
                request.headers.get("sec-fetch-mode") in ("navigate", "no-cors"):
            return self._refuse(404, "not_found")
        ticket = await self.runtime.run_blocking(self.desk.store.get, request.path_params["ticket_id"])
        if ticket is None or ticket.user_key != self.runtime.inquiry_log.user_key(user_id):
            return self._refuse(404, "not_found")
        body = {"ticket": ticket.id, "state": str(ticket.state)}
        if ticket.answer and ticket.state in (TicketState.ANSWERED, TicketState.CLOSED):
            # The staff's own words the first time (held until now: a follow-up holds only its own words), the
            # stored masked text after that. An answer recorded but not yet held (the relay holds it right after
            # recording it, or a follow-up) is waited for: shown masked now, the staff's words would never be. A closed
            # ticket's held words are dropped (Desk.finish): its masked text is shown instead of nothing.
            held = await self.runtime.run_blocking(self.desk.store.take_answer, ticket.id)
            if held is None and not ticket.delivered_at and ticket.state is TicketState.ANSWERED:
                return JSONResponse(body)
            # ``new``: words this page has not been given yet (an open page keeps polling for follow-ups).
            body["new"] = held is not None
            body["text"] = self._say("ANSWER", ticket.language, department=ticket.department, ticket=ticket.id,
                                     answer=held or ticket.answer)
            if ticket.state is TicketState.ANSWERED:
                from channels.web import messages as web_messages

                strings = web_messages.answer_strings(ticket.language, self.runtime.settings.easy_japanese)
                body["rate"] = {"question": self._say("RATE_QUESTION", ticket.language),
                                "resolved": strings["resolved"], "unresolved": strings["unresolved"]}
            if held is not None:  # the poll that shows it: delivered, and the thread says so
                await self.runtime.run_blocking(self.desk.store.mark_delivered, ticket.id)
                from channels.handoff.blocks import NOTE_DELIVERED

                self.runtime.spawn(self.runtime.handoff_relay.note(ticket, NOTE_DELIVERED.format(channel="Webチャット")),
                                   name="ticket delivered")
        elif ticket.state in (TicketState.DECLINED, TicketState.EXPIRED):
            body["text"] = self._say("DECLINED" if ticket.state is TicketState.DECLINED else "EXPIRED",
                                     ticket.language, ticket=ticket.id, department=ticket.department)
        return JSONResponse(body)

    async def api_rate(self, request: Request) -> Response:
        return await self._guarded(request, self._rate)

    async def _rate(self, request, user_id, data) -> Response:
        ticket_id, rating = _integer(data.get("ticket")), data.get("rating")
        if ticket_id is None or rating not in RATINGS:
            return self._refuse(400, "handoff_invalid")
        ticket = await self.runtime.run_blocking(self.desk.rate, ticket_id, rating, user_id)
        if ticket is None:
            return self._refuse(404, "not_found")
        self.runtime.spawn(self.runtime.handoff_relay.rated(ticket), name="ticket rated")
        name = "RATED" if rating == "resolved" else "RATED_UNRESOLVED"
        return JSONResponse({"ticket": ticket.id, "state": str(ticket.state),
                             "text": self._say(name, ticket.language, department=ticket.department)})


def _integer(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 18:
        return int(value)
    return value if isinstance(value, int) and 0 < value < 2 ** 63 else None

