"""HTML inside FAQ cells turned into the plain text a resident reads.

Many cities publish their FAQ open data straight from their CMS, so an answer cell may hold
``<br>``, ``<p>``, ``<a href="…">詳しくはこちら</a>`` and entities such as ``&nbsp;`` or ``&amp;``.
Shown as typed, LINE and Slack would print the tags; indexed as typed, ``br`` and ``href``
would become search terms. Only a cell that holds a known tag or an entity is rewritten, so
plain text such as 「3歳<6歳」 stays as it is.

>>> plain_text_from_markup('30日以内に<br>登録を。<a href="https://example.jp/dog">詳しくはこちら</a>')
'30日以内に\\n登録を。詳しくはこちら（https://example.jp/dog）'
"""
from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urljoin

_TAG_NAMES = ("a|abbr|b|blockquote|br|caption|dd|div|dl|dt|em|font|h[1-6]|hr|i|img|li|ol|p|pre|"
              "script|small|span|strong|style|sub|sup|table|tbody|td|th|thead|tr|u|ul")
_MARKUP = re.compile(rf"</?(?:{_TAG_NAMES})(?:\s[^<>]*)?/?>|&(?:[a-zA-Z]{{2,8}}|#\d{{2,6}}|#x[0-9a-fA-F]{{2,5}});",
                     re.IGNORECASE)
# 「所得区分が<A>の方は…<B>の方は…」 is text: a bare one-letter tag other than <p> is a label unless the
# text closes it (<b>重要</b>).
_BARE_LETTER = re.compile(r"<([a-zA-Z])>")
# An address written in angle brackets (<kosodate@city.example.jp>, <https://…>) is text, not a tag.
_BRACKETED_ADDRESS = re.compile(r"<((?:https?://|mailto:)[^<>\s]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)>")
# Tags after which the text continues on a new line.
_LINE_BREAKS = {"br", "p", "div", "tr", "li", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
                "table", "ul", "ol", "dl", "blockquote", "pre", "caption"}
_SKIPPED = {"script", "style"}
# Line breaks asked for by tags, told apart from those typed in the cell: a <br>, a block's edge.
_BR, _BREAK = "\x01", "\x00"
_LINK = re.compile(r"^(?:https?://|mailto:|tel:)", re.IGNORECASE)


def _labels(text: str) -> set[str]:
    """The bare one-letter "tags" of ``text`` that are labels written in angle brackets."""
    closed = set(re.findall(r"</([a-zA-Z])>", text))  # as typed: a CMS writes </b>, a label reads <B>
    return {m.group() for m in _BARE_LETTER.finditer(text) if m.group(1) != "p" and m.group(1) not in closed}


def has_markup(text: str) -> bool:
    labels = _labels(text)
    return any(m.group() not in labels for m in _MARKUP.finditer(text))


def plain_text_from_markup(text: str, base_url: str = "") -> str:
    """``text`` without HTML tags and entities; links keep their address after their words. A
    relative link (/kurashi/gomi.html) is completed from ``base_url`` (the entry's page), when there is one."""
    if not has_markup(text):
        return text
    parser = _PlainText(base_url)
    text = _BRACKETED_ADDRESS.sub(lambda m: m.group(1).replace("&", "&amp;"), text)
    for label in _labels(text):
        text = text.replace(label, label.replace("<", "&lt;").replace(">", "&gt;"))
    parser.feed(text)
    parser.close()
    return parser.text()


class _PlainText(HTMLParser):
    def __init__(self, base_url: str = ""):
        super().__init__(convert_charrefs=True)
        self._base = base_url if _LINK.match(base_url or "") else ""
        self._parts: list[str] = []
        self._links: list[tuple[str, int]] = []  # (href, index in parts where its words start)
        self._skipping = 0
        self._lists: list[int | None] = []  # per open list: the last number of an <ol>, None for a <ul>
        self._cells = 0  # cells so far in the current table row

    def handle_starttag(self, tag, attrs):
        if tag in _SKIPPED:
            self._skipping += 1
        elif tag == "br":
            self._parts.append(_BR)
        elif tag in ("td", "th"):
            if self._cells:
                self._parts.append(" ")  # cells of a row side by side: 「大人 300円」, not 「大人300円」
            self._cells += 1
        elif tag in _LINE_BREAKS:
            self._parts.append(_BREAK)
            if tag in ("ol", "ul"):
                self._lists.append(0 if tag == "ol" else None)
            elif tag == "tr":
                self._cells = 0
            elif tag == "li":
                if self._lists and self._lists[-1] is not None:
                    self._lists[-1] += 1  # numbered steps keep their order
                    self._parts.append(f"{self._lists[-1]}. ")
                else:
                    self._parts.append("・")
        elif tag == "a":
            href = (dict(attrs).get("href") or "").strip()
            self._links.append((href, len(self._parts)))
        elif tag == "img":
            alt = (dict(attrs).get("alt") or "").strip()
            if alt:
                self._parts.append(alt)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag in _SKIPPED:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _LINE_BREAKS and tag != "br":
            self._parts.append(_BREAK)
            if tag in ("ol", "ul") and self._lists:
                self._lists.pop()
        elif tag == "a" and self._links:
            href, start = self._links.pop()
            if href and self._base and not _LINK.match(href) and not href.startswith(("#", "javascript:")):
                href = urljoin(self._base, href)
            words = "".join(self._parts[start:]).strip()
            if _LINK.match(href) and href.split(":", 1)[1].strip("/") not in words:
                self._parts.append(f"（{href.removeprefix('mailto:').removeprefix('tel:')}）")

    def handle_data(self, data):
        if not self._skipping:
            self._parts.append(data)

    def text(self) -> str:
        text = "".join(self._parts).replace("\xa0", " ").replace("\r\n", "\n")
        # A cell often has both a tag and a typed line end ("…<br>\n…"), and "</li><li>" or
        # "</p>\n<p>" separate two lines: each is one new line, not two; "<br><br>" stays a blank line.
        text = re.sub(rf"{_BR}[ \t]*\n", "\n", text).replace(_BR, "\n")
        text = re.sub(rf"\n?(?:{_BREAK}[ \t]*)+\n?", "\n", text)
        lines = [re.sub(r"[ \t]{2,}", " ", line).strip() for line in text.split("\n")]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
