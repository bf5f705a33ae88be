"""The per-process objects every channel shares: settings, the Bot and the inquiry log.

Channel code never touches the index or the database directly; it goes through the
few coroutines here, which run the CPU-bound bot and the short SQLite writes on a
small thread pool so that webhooks are acknowledged while answers are computed::

    runtime = Runtime.build(Settings.from_env())
    answer = await runtime.ask("粗大ごみの出し方は？", "citizen", channel="web", user_id="web:abc")
"""
from __future__ import annotations

import asyncio
import logging
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from enum import Enum
from typing import Awaitable

from bot.answering.answer import Answer
from bot.handoff.desk import HandoffDesk, HandoffPolicy
from bot.handoff.store import TicketStore
from bot.insights.inquiry_log import FEEDBACK_VALUES, InquiryLog
from bot.service import Bot
from indexing.entries import QUESTION_AUDIENCES
from indexing.settings import Settings
from channels.answering_lanes import AnsweringLanes
from channels.inbox import Inbox, InboxWorker
from channels.rate_limit import ALLOWED, Decision, RateLimiter

log = logging.getLogger(__name__)

# Bot calls hold the GIL for most of their ~15-50 ms; more threads would only make the
# event loop wait longer for it. Two keep one answer computing while another logs.
BOT_THREADS = 2
SHUTDOWN_GRACE_SECONDS = 10.0
# With a shared PostgreSQL database: how often each process checks whether another host changed the knowledge.
KNOWLEDGE_POLL_SECONDS = 0.5
MAX_ROW_ID = 2 ** 63 - 1
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


class ConfigurationError(Exception):
    """A setting has a value the server cannot start with."""


class FeedbackResult(str, Enum):
    OK = "ok"
    NOT_FOUND = "not_found"      # no such inquiry
    NOT_YOURS = "not_yours"      # the inquiry was asked by someone else


@dataclass(frozen=True)
class FeedbackOutcome:
    result: FeedbackResult
    department: str = ""         # the inquiry's department, for "please call ..." after 解決しない


@dataclass
class Runtime:
    settings: Settings
    bot: Bot
    inquiry_log: InquiryLog
    executor: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(max_workers=BOT_THREADS, thread_name_prefix="madoguchi-bot"))
    lanes: AnsweringLanes = field(default_factory=AnsweringLanes)
    rate_limiter: RateLimiter | None = None
    _tasks: set = field(default_factory=set)
    _inbox: InboxWorker | None = None
    _handoff_desk: HandoffDesk | None = None
    # Set by the app when Slack is configured (channels/handoff/relay.py): tickets can be posted.
    handoff_relay: object | None = None

    @classmethod
    def build(cls, settings: Settings | None = None) -> "Runtime":
        settings = settings or Settings.from_env()
        if settings.web_audience not in QUESTION_AUDIENCES:
            raise ConfigurationError(
                f"MADOGUCHI_WEB_AUDIENCE must be citizen or staff, not {settings.web_audience!r}")
        check_trusted_proxies(settings.trusted_proxies)
        check_shared_secrets(settings)
        bot = Bot.from_settings(settings)
        return cls(settings=settings, bot=bot, inquiry_log=bot.inquiry_log)

    def __post_init__(self):
        if self.rate_limiter is None:
            self.rate_limiter = RateLimiter(self.settings.rate_limit_per_minute, self.settings.rate_limit_burst)

    # --- off-loop calls ---------------------------------------------------------------------
    async def _run(self, function, *args):
        return await asyncio.get_running_loop().run_in_executor(self.executor, function, *args)

    async def run_blocking(self, function, *args):
        """Run a short blocking call (a ticket statement) on the runtime's threads."""
        return await self._run(function, *args)

    # --- handing questions to staff (bot/handoff) ---------------------------------------------
    @property
    def handoff_desk(self) -> HandoffDesk:
        """The ticket desk (its tables are created on first use)."""
        if self._handoff_desk is None:
            self._handoff_desk = HandoffDesk(TicketStore(self.settings.data_dir), self.inquiry_log,
                                             lambda: self.bot.retriever.departments,
                                             HandoffPolicy.from_settings(self.settings))
        return self._handoff_desk

    def handoff_available(self, department: str) -> bool:
        """Whether a citizen's question about ``department`` can be handed to staff (Slack is
        configured and some channel takes it): only then is 「職員に質問を送る」 offered."""
        return self.handoff_relay is not None and self.handoff_desk.route(department or "") is not None

    async def ask(self, question: str, audience: str, channel: str, user_id: str | None,
                  event_key: str | None = None, timeout: float | None = None,
                  language_hint: str | None = None) -> Answer:
        """The one Bot.ask call of every channel (logged as an inquiry, once per ``event_key``).

        ``language_hint`` is the user's known language (LINE profile, browser), used only when the
        question itself does not tell (an emoji, a number, one short word).

        Runs in the question's lane (see channels/answering_lanes.py). With ``timeout`` the call
        raises ``LaneBusy`` when the lane is full and ``DeadlineExceeded`` when it takes longer.
        """
        question = without_lone_surrogates(question)
        return await self.lanes.run(self.lanes.lane_for(question),
                                    lambda: self.bot.ask(question, audience=audience, channel=channel,
                                                         user_id=user_id, event_key=event_key,
                                                         language_hint=language_hint),
                                    timeout)

    # --- rate limits ------------------------------------------------------------------------
    def admit(self, user_id: str) -> Decision:
        """May this LINE/Slack user (``line:U…``, ``slack:T…:U…``) ask now? Keyed by the user's hash.

        When refused, ``decision.notify`` is true only for the first refused message of a streak:
        tell the user politely once, then stay silent until they are allowed again. A refused
        message must not be answered, logged as an inquiry or counted in the ledger.
        """
        if not user_id:
            return ALLOWED
        return self.rate_limiter.take("user:" + self.inquiry_log.user_key(user_id))

    def admit_client(self, address: str) -> Decision:
        """May this web client (its address, after trusted-proxy resolution) ask now?"""
        return self.rate_limiter.take("address:" + address)

    async def set_feedback(self, inquiry_id, feedback: str, user_id: str | None,
                           comment: str = "") -> FeedbackOutcome:
        """Record 解決した/解決しない on an inquiry, only from the user who asked it."""
        if feedback not in FEEDBACK_VALUES:
            raise ValueError(f"feedback must be one of {FEEDBACK_VALUES}")
        return await self._run(self._set_feedback, int(inquiry_id), feedback, user_id,
                               without_lone_surrogates(comment or ""))

    def _set_feedback(self, inquiry_id: int, feedback: str, user_id: str | None, comment: str) -> FeedbackOutcome:
        if not 0 < inquiry_id <= MAX_ROW_ID:
            return FeedbackOutcome(FeedbackResult.NOT_FOUND)  # no row can have it (SQLite ids are int64)
        row = self.inquiry_log.get(inquiry_id)
        if row is None:
            return FeedbackOutcome(FeedbackResult.NOT_FOUND)
        if (row.get("user_key") or "") != self.inquiry_log.user_key(user_id):
            return FeedbackOutcome(FeedbackResult.NOT_YOURS)
        if not self.inquiry_log.set_feedback(inquiry_id, feedback, comment):
            return FeedbackOutcome(FeedbackResult.NOT_FOUND)
        return FeedbackOutcome(FeedbackResult.OK, row.get("department") or "")

    async def topics(self, audience: str, limit: int = 6) -> list[str]:
        """The most common categories the knowledge base can answer for an audience."""
        return await self._run(self.bot.topics, audience, limit)

    async def health(self) -> dict:
        return {"ok": True, **await self._run(self.bot.health)}

    # --- the inbox of LINE and Slack events ----------------------------------------------------
    @property
    def inbox(self) -> InboxWorker:
        """This process's inbox worker (created on first use, inside the event loop)."""
        if self._inbox is None:
            self._inbox = InboxWorker(Inbox(self.settings.data_dir))
        return self._inbox

    async def follow_knowledge(self, stopping: asyncio.Event, interval: float = KNOWLEDGE_POLL_SECONDS):
        """Poll the knowledge version and reload on a change, off the request path: with a shared
        PostgreSQL database another host's import or admin edit is answered here within a second
        or two, and the first question after it does not pay for the rebuild."""
        while not stopping.is_set():
            try:
                # The default executor, not the bot's two threads: a rebuild must not hold up answers.
                await asyncio.get_running_loop().run_in_executor(None, self.bot.refresh)
            except Exception as exc:  # the database may be away for a moment: the next poll retries
                log.warning("knowledge version poll failed (%s)", type(exc).__name__)
            try:
                await asyncio.wait_for(stopping.wait(), timeout=interval)
            except asyncio.TimeoutError:
                pass

    # --- background work ------------------------------------------------------------------
    def spawn(self, work: Awaitable, name: str = "") -> asyncio.Task:
        """Run channel work after the webhook has been answered; kept until it finishes."""
        task = asyncio.ensure_future(work)
        if name:
            task.set_name(name)
        self._tasks.add(task)
        task.add_done_callback(self._finished)
        return task

    def _finished(self, task: asyncio.Task):
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            exc = task.exception()
            log.error("background %s failed: %s", task.get_name(), type(exc).__name__,
                      exc_info=(type(exc), exc, exc.__traceback__))

    @property
    def pending(self) -> int:
        return len(self._tasks)

    async def drain(self, timeout: float = SHUTDOWN_GRACE_SECONDS):
        """Let answers still being computed reach their users before the process exits."""
        if self._inbox is not None:
            await self._inbox.stop(timeout)
            self._inbox = None
        if self._tasks:
            _, late = await asyncio.wait(set(self._tasks), timeout=timeout)
            for task in late:
                task.cancel()
            if late:
                log.warning("%d background answers cancelled at shutdown", len(late))

    def close(self):
        self.executor.shutdown(wait=True, cancel_futures=False)
        self.lanes.shutdown()
        self.inquiry_log.close()
        if self._handoff_desk is not None:
            self._handoff_desk.store.close()


def check_shared_secrets(settings: Settings) -> None:
    """With a shared database every host must key users and sign admin sessions alike: the
    secrets a single host generates in its data dir would differ from host to host (the same
    citizen under two keys, admin logins valid on one host only)."""
    missing = [name for name, value in (("MADOGUCHI_USER_KEY_SECRET", settings.user_key_secret),
                                        ("MADOGUCHI_SESSION_SECRET", settings.admin_session_secret)) if not value]
    if settings.database_url and missing:
        raise ConfigurationError(f"MADOGUCHI_DATABASE_URL is set: set {' and '.join(missing)} too, "
                                 "the same on every host")


def check_trusted_proxies(entries) -> None:
    """Every MADOGUCHI_TRUSTED_PROXIES entry must be an IP address or a network (CIDR)."""
    import ipaddress

    for entry in entries:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            raise ConfigurationError(
                f"MADOGUCHI_TRUSTED_PROXIES must list IP addresses or networks (CIDR), not {entry!r}") from None


def without_lone_surrogates(text: str) -> str:
    """JSON may carry a lone UTF-16 surrogate (``"\\ud800"``), which no UTF-8 store or tokenizer
    accepts: it becomes U+FFFD. (Valid pairs were already joined into one character by the parser.)"""
    return _LONE_SURROGATE.sub("\ufffd", text)
