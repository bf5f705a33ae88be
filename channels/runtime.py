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
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from enum import Enum
from typing import Awaitable

from bot.answering.answer import Answer
from bot.insights.inquiry_log import FEEDBACK_VALUES, InquiryLog
from bot.service import Bot
from indexing.entries import QUESTION_AUDIENCES
from indexing.settings import Settings

log = logging.getLogger(__name__)

# Bot calls hold the GIL for most of their ~15-50 ms; more threads would only make the
# event loop wait longer for it. Two keep one answer computing while another logs.
BOT_THREADS = 2
SHUTDOWN_GRACE_SECONDS = 10.0


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
    _tasks: set = field(default_factory=set)

    @classmethod
    def build(cls, settings: Settings | None = None) -> "Runtime":
        settings = settings or Settings.from_env()
        if settings.web_audience not in QUESTION_AUDIENCES:
            raise ConfigurationError(
                f"MADOGUCHI_WEB_AUDIENCE must be citizen or staff, not {settings.web_audience!r}")
        bot = Bot.from_settings(settings)
        return cls(settings=settings, bot=bot, inquiry_log=bot.inquiry_log)

    # --- off-loop calls ---------------------------------------------------------------------
    async def _run(self, function, *args):
        return await asyncio.get_running_loop().run_in_executor(self.executor, function, *args)

    async def ask(self, question: str, audience: str, channel: str, user_id: str | None,
                  language_hint: str | None = None) -> Answer:
        """The one Bot.ask call of every channel (logged as an inquiry).

        ``language_hint`` is the user's known language (LINE profile, browser), used only when the
        question itself does not tell (an emoji, a number, one short word)."""
        return await self._run(lambda: self.bot.ask(question, audience=audience, channel=channel,
                                                    user_id=user_id, language_hint=language_hint))

    async def claim_event(self, event_key: str) -> bool:
        """True the first time a platform event is seen by any worker sharing the database."""
        return await self._run(self.inquiry_log.claim_event, event_key)

    async def set_feedback(self, inquiry_id, feedback: str, user_id: str | None,
                           comment: str = "") -> FeedbackOutcome:
        """Record 解決した/解決しない on an inquiry, only from the user who asked it."""
        if feedback not in FEEDBACK_VALUES:
            raise ValueError(f"feedback must be one of {FEEDBACK_VALUES}")
        return await self._run(self._set_feedback, int(inquiry_id), feedback, user_id, comment or "")

    def _set_feedback(self, inquiry_id: int, feedback: str, user_id: str | None, comment: str) -> FeedbackOutcome:
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
        if self._tasks:
            _, late = await asyncio.wait(set(self._tasks), timeout=timeout)
            for task in late:
                task.cancel()
            if late:
                log.warning("%d background answers cancelled at shutdown", len(late))

    def close(self):
        self.executor.shutdown(wait=True, cancel_futures=False)
        self.inquiry_log.close()
