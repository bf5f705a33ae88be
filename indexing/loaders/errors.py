from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


class KnowledgeFileError(ValueError):
    """A knowledge file that cannot be imported, with the line (or row) at fault."""

    def __init__(self, path: Path | str, line: int | None, message: str, problems=()):
        self.path = str(path)
        self.line = line
        self.message = message
        # Further (line, message) pairs when a file has several bad rows.
        self.problems = list(problems)
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {message}")

    def all_problems(self) -> list[tuple[int | None, str]]:
        return [(self.line, self.message), *self.problems]


@dataclass(frozen=True)
class RowProblem:
    """A row that was skipped, with where and why; or, when ``kept``, a row imported with a note (a
    date cell that could not be read is left empty, the question and answer are kept)."""

    path: str
    line: int | None
    message: str
    kept: bool = False

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}" if self.line else f"{self.path}: {self.message}"


@dataclass
class LoadedFile:
    entries: list
    problems: list[RowProblem] = field(default_factory=list)
    # Entry fields the file has no column for (an FAQ table without 別の聞き方 or 見直し期限): an entry that
    # already exists keeps what the store has for them (indexing.importer.keep_stored_fields), so what
    # editors set in the admin UI survives the next import of the city's master file.
    absent: frozenset = frozenset()
