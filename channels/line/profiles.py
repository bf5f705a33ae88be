"""The language a LINE user set in the app, from their profile: fetched once per user, then cached.

It is used only where the message itself does not tell (a sticker, a follow, an emoji, a number):
``indexing.language.resolve_language`` prefers the text's own language whenever the text is clear.
A failed lookup means "unknown": tried again later when the API was down, remembered when LINE
answered that there is no such friend (4xx).
"""
from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict

import aiohttp
from linebot.v3.messaging import ApiException, AsyncMessagingApi

from indexing.language import UNDETERMINED, normalize_language_tag

log = logging.getLogger(__name__)

CACHE_SIZE = 10_000
PROFILE_TIMEOUT_SECONDS = 3


class ProfileLanguages:
    """``await languages.of(user_id)`` → BCP-47 code (``und`` when unknown)."""

    def __init__(self, api: AsyncMessagingApi, size: int = CACHE_SIZE):
        self.api = api
        self.size = size
        self._cache: OrderedDict[str, str] = OrderedDict()

    async def of(self, user_id: str | None) -> str:
        if not user_id:
            return UNDETERMINED
        if user_id in self._cache:
            self._cache.move_to_end(user_id)
            return self._cache[user_id]
        try:
            profile = await self.api.get_profile(user_id, _request_timeout=PROFILE_TIMEOUT_SECONDS)
            language = normalize_language_tag(getattr(profile, "language", None))
        except ApiException as exc:
            log.info("LINE profile language unavailable (%s %s)", type(exc).__name__, exc.status)
            if exc.status is None or exc.status >= 500 or exc.status == 429:
                return UNDETERMINED  # try again next time
            language = UNDETERMINED  # 4xx (not a friend, blocked): the answer will not change soon
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as exc:
            log.info("LINE profile language unavailable (%s)", type(exc).__name__)
            return UNDETERMINED
        self._cache[user_id] = language
        while len(self._cache) > self.size:
            self._cache.popitem(last=False)
        return language
