"""Greedy packing of consecutive pieces of text (blocks, sentences) into passages of a size limit.

    >>> pack_pieces(["一文目。", "二文目。", "三文目。"], limit=8)
    (['一文目。二文目。'], '三文目。')
"""
from __future__ import annotations

from typing import Iterable


def pack_pieces(pieces: Iterable[str], limit: int, separator: str = "") -> tuple[list[str], str]:
    """Full passages (stripped) and the unstripped rest; a passage grows until the next piece
    would pass ``limit`` characters (a single longer piece stays whole). Each piece is followed
    by ``separator``."""
    passages, current = [], ""
    for piece in pieces:
        if current and len(current) + len(piece) > limit:
            passages.append(current.strip())
            current = ""
        current += piece + separator
    return passages, current
