"""Bytes of a knowledge file as text: the encodings Japanese offices save in."""
from __future__ import annotations

from pathlib import Path

from indexing.loaders.errors import KnowledgeFileError

_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def decode_text_bytes(raw: bytes, path: Path) -> str:
    """UTF-8 (with or without BOM) first, then CP932 (a superset of Shift_JIS); UTF-16 when it starts
    with its byte-order mark (Excel's 「Unicode テキスト」 export)."""
    if raw.startswith(_UTF16_BOMS):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise KnowledgeFileError(path, None, "UTF-16 として読めません（CSV UTF-8 で保存し直してください）") from exc
    failures = {}
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError as exc:
            failures[encoding] = exc
    # Neither reads the whole file: the one that reads further is the encoding it was saved in (a Shift_JIS
    # file with one broken character fails under UTF-8 at its first Japanese character, on line 1), and the
    # line of its first undecodable byte is the one to fix.
    encoding, exc = max(failures.items(), key=lambda item: item[1].start)
    line = raw[: exc.start].count(b"\n") + 1
    name = "UTF-8" if encoding == "utf-8-sig" else "Shift_JIS"
    raise KnowledgeFileError(path, line, f"文字コードを判別できません（{name} として読めない文字があります。"
                                         "その行の文字を確認するか、CSV UTF-8 で保存し直してください）") from exc
