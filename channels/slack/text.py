"""Slack's message markup turned back into the text a person typed.

Slack sends ``&``, ``<`` and ``>`` escaped, and wraps links, mentions and channels in angle
brackets: a file name such as ``20240401_予算.md`` arrives auto-linked as
``<http://20240401_予算.md|20240401_予算.md>``, and ``予算&決算`` as ``予算&amp;決算``. Read as typed,
the name checker complained about ``&amp;`` and ``|``, and retrieval and the inquiry log saw markup.

>>> typed_text("<@U123> <http://20240401_a_v1.md|20240401_a_v1.md> と 予算&amp;決算 は？ <#C1|総務>")
'20240401_a_v1.md と 予算&決算 は？ #総務'
"""
from __future__ import annotations

import re

SLACK_LINK = re.compile(r"<([^<>|]+)(?:\|([^<>]*))?>")


def unescape(slack_text: str) -> str:
    """The three characters Slack escapes, back as typed (``&amp;`` last, so ``&amp;lt;`` stays ``&lt;``)."""
    return slack_text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def typed_text(slack_text: str) -> str:
    """``slack_text`` as its author saw it: links by their visible text, mentions of people and
    broadcasts (<!here>) dropped, channels as #name, escapes undone."""
    def visible(match: re.Match) -> str:
        target, label = match.group(1), match.group(2)
        if target.startswith(("@", "!")):
            return " "
        if target.startswith("#"):
            return "#" + (label or target[1:])
        if label:
            return label
        return target.removeprefix("mailto:")
    text = SLACK_LINK.sub(visible, slack_text or "")
    return re.sub(r"[ \t]{2,}", " ", unescape(text)).strip()
