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
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    # Report the line of the first undecodable byte under UTF-8.
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise KnowledgeFileError(path, line, "文字コードを判別できません (UTF-8 / Shift_JIS ではありません)") from exc
    raise KnowledgeFileError(path, None, "文字コードを判別できません")
