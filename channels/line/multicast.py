"""The LINE side of deliveries: multicast and the month's quota, with line-bot-sdk v3 (sync client).

Implements ``bot.outreach.delivery.Sender``. Synchronous on purpose: ``madoguchi push run``
is a plain process and the server runs deliveries in a worker thread, off the event loop.
Only the token is needed (no channel secret: nothing is received)::

    sender = LineMulticastSender.from_settings(settings)
    sender.quota()                                   # Quota(limit=1000, used=120)
    sender.multicast(["U…"], "本文", "https://…", retry_key)   # SendOutcome(status=200)
"""
from __future__ import annotations

import logging

import urllib3
from linebot.v3.messaging import (
    ApiClient,
    ApiException,
    Configuration,
    MessagingApi,
    MulticastRequest,
    TextMessage,
)

from bot.outreach.delivery import Quota, SendOutcome
from indexing.settings import Settings

log = logging.getLogger(__name__)

API_TIMEOUT_SECONDS = 15
TEXT_LIMIT = 5000


def delivery_text(text: str, url: str = "") -> str:
    """The one text message a delivery becomes (LINE links the URL itself)."""
    body = f"{text.strip()}\n\n{url.strip()}" if url and url.strip() else text.strip()
    return body[:TEXT_LIMIT]


class LineMulticastSender:
    def __init__(self, access_token: str, api_base_url: str = "https://api.line.me"):
        configuration = Configuration(access_token=access_token, host=api_base_url.rstrip("/"))
        self.api_client = ApiClient(configuration)
        self.api = MessagingApi(self.api_client)

    @classmethod
    def from_settings(cls, settings: Settings) -> "LineMulticastSender":
        if not settings.line_channel_access_token:
            raise ValueError("LINE_CHANNEL_ACCESS_TOKEN is not set: deliveries need the channel access token")
        return cls(settings.line_channel_access_token, settings.line_api_base_url)

    def close(self):
        self.api_client.close()

    def quota(self) -> Quota:
        quota = self.api.get_message_quota(_request_timeout=API_TIMEOUT_SECONDS)
        used = self.api.get_message_quota_consumption(_request_timeout=API_TIMEOUT_SECONDS).total_usage
        return Quota(limit=quota.value if quota.type == "limited" else None, used=used)

    def multicast(self, user_ids: list[str], text: str, url: str, retry_key: str) -> SendOutcome:
        request = MulticastRequest(to=user_ids, messages=[TextMessage(text=delivery_text(text, url))])
        try:
            response = self.api.multicast_with_http_info(request, x_line_retry_key=retry_key,
                                                         _request_timeout=API_TIMEOUT_SECONDS)
            return SendOutcome(response.status_code)
        except ApiException as exc:
            # Status only: LINE's error bodies may echo user ids.
            return SendOutcome(exc.status or 0, _retry_after(exc))
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            log.info("LINE multicast not reached (%s)", type(exc).__name__)
            return SendOutcome(0)


def _retry_after(exc: ApiException) -> float | None:
    value = (exc.headers or {}).get("Retry-After") if hasattr(exc, "headers") else None
    try:
        return float(value) if value else None
    except ValueError:
        return None


# --- running deliveries (CLI `push run` and the server's background task) ---------------------
RUN_INTERVAL_SECONDS = 30


def build_engine(settings: Settings, should_stop=lambda: False):
    """The delivery engine for a data dir, sending through LINE (raises ValueError without a token)."""
    from indexing.storage.outreach import OutreachBook
    from bot.outreach.delivery import DeliveryEngine

    sender = LineMulticastSender.from_settings(settings)
    return DeliveryEngine(OutreachBook(settings.data_dir), sender, exclusive=True,
                          should_stop=should_stop)


async def run_deliveries_forever(settings: Settings, stopping, interval: float = RUN_INTERVAL_SECONDS):
    """Every ``interval`` seconds, deliver what is due, in a worker thread (server lifespan task).

    Several workers may run this: the engine's file lock lets one deliver at a time. On
    shutdown the current batch finishes and the rest waits for the next run.
    """
    import asyncio

    engine = None
    while not stopping.is_set():
        try:
            if engine is None:
                # Read from the worker thread between batches: a plain flag read, safe across threads.
                engine = await asyncio.to_thread(build_engine, settings, stopping.is_set)
            results = await asyncio.to_thread(engine.run_due)
            for result in results:
                log.info("push: delivery %d %s (%d batches sent)", result.delivery_id, result.state,
                         result.batches_sent)
        except Exception:  # keep the loop alive: the next round retries with the stored keys
            log.exception("push: delivery run failed")
        try:
            await asyncio.wait_for(stopping.wait(), interval)
        except asyncio.TimeoutError:
            pass
    if engine is not None:
        engine.sender.close()
