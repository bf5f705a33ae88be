"""Interests (関心分野) a city offers for LINE deliveries, read from ``knowledge/interests.toml``.

The file is knowledge like ``departments.toml``: the DX office edits it and ``madoguchi
import`` validates and stores it (a bad file imports nothing, with the line at fault)::

    interests = parse_interests(Path("knowledge/interests.toml"))
    interests.topic("bousai").confirm_twice   # True: 防災 asks staff twice before sending

Citizens' subscriptions keep the topic *key*, so a label can be reworded freely; a key
must never be renamed once citizens have chosen it.
"""
from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from indexing.loaders import KnowledgeFileError

INTERESTS_FILE = "interests.toml"
SETTING_KEY = "interests"
LABEL_LIMIT = 20          # LINE quick reply labels are at most 20 characters
MAX_TOPICS = 11           # a quick reply holds 13 items; two are kept for the area choice and 配信停止
MAX_AREAS = 12
_KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,31}$")


@dataclass(frozen=True)
class Topic:
    key: str
    label: str
    description: str = ""
    confirm_twice: bool = False


@dataclass(frozen=True)
class Interests:
    topics: tuple[Topic, ...] = ()
    areas: tuple[str, ...] = ()

    def topic(self, key: str) -> Topic | None:
        return next((t for t in self.topics if t.key == key), None)

    def keys(self) -> list[str]:
        return [t.key for t in self.topics]

    def labels(self, keys) -> list[str]:
        """Labels of ``keys`` in the file's order (unknown keys are left out)."""
        wanted = set(keys)
        return [t.label for t in self.topics if t.key in wanted]

    def to_json(self) -> str:
        return json.dumps({"topics": [t.__dict__ for t in self.topics], "areas": list(self.areas)},
                          ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> "Interests":
        if not text:
            return cls()
        data = json.loads(text)
        return cls(tuple(Topic(**t) for t in data.get("topics", [])), tuple(data.get("areas", [])))


def _header_lines(text: str, header: str) -> list[int]:
    """Line numbers of each ``[[header]]`` table (tomllib reports none)."""
    return [n for n, line in enumerate(text.splitlines(), start=1) if line.strip() == f"[[{header}]]"]


def _key_line(text: str, key: str) -> int | None:
    return next((n for n, line in enumerate(text.splitlines(), start=1)
                 if re.match(rf"\s*{re.escape(key)}\s*=", line)), None)


def parse_interests(path: Path) -> Interests:
    """Read and validate an interests file; every problem names its line."""
    text = path.read_text(encoding="utf-8-sig")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # Python 3.11's TOMLDecodeError has no lineno attribute: read it from the message.
        found = re.search(r"at line (\d+)", str(exc))
        line = getattr(exc, "lineno", None) or (int(found.group(1)) if found else None)
        raise KnowledgeFileError(path, line, f"invalid TOML: {exc}") from exc
    unknown = set(data) - {"topic", "areas"}
    if unknown:
        name = sorted(unknown)[0]
        raise KnowledgeFileError(path, _key_line(text, name), f"unknown setting {name!r} (expected [[topic]] or areas)")
    raw_topics = data.get("topic", [])
    lines = _header_lines(text, "topic")
    if not isinstance(raw_topics, list) or not raw_topics:
        raise KnowledgeFileError(path, None, "no [[topic]] tables: list at least one topic")
    if len(raw_topics) > MAX_TOPICS:
        raise KnowledgeFileError(path, lines[MAX_TOPICS] if len(lines) > MAX_TOPICS else None,
                                 f"at most {MAX_TOPICS} topics fit in one LINE quick reply")
    problems: list[tuple[int | None, str]] = []
    topics, seen_keys, seen_labels = [], set(), set()
    for number, raw in enumerate(raw_topics):
        line = lines[number] if number < len(lines) else None
        key, label = raw.get("key"), raw.get("label")
        extra = set(raw) - {"key", "label", "description", "confirm_twice"}
        if extra:
            problems.append((line, f"topic #{number + 1}: unknown field {sorted(extra)[0]!r}"))
        if not isinstance(key, str) or not _KEY_PATTERN.match(key):
            problems.append((line, f"topic #{number + 1}: key must be lowercase ASCII letters, digits or _ "
                                   f"(got {key!r})"))
            continue
        if key in seen_keys:
            problems.append((line, f"topic key {key!r} is used twice"))
        if not isinstance(label, str) or not label.strip():
            problems.append((line, f"topic {key!r} has no label"))
            continue
        if len(label) > LABEL_LIMIT:
            problems.append((line, f"topic {key!r}: label {label!r} is longer than {LABEL_LIMIT} characters"))
        if label in seen_labels:
            problems.append((line, f"topic label {label!r} is used twice"))
        confirm = raw.get("confirm_twice", False)
        if not isinstance(confirm, bool):
            problems.append((line, f"topic {key!r}: confirm_twice must be true or false"))
        description = raw.get("description", "")
        if not isinstance(description, str):
            problems.append((line, f"topic {key!r}: description must be text"))
            description = ""
        seen_keys.add(key)
        seen_labels.add(label)
        topics.append(Topic(key, label.strip(), description.strip(), bool(confirm)))
    areas = data.get("areas", [])
    area_line = _key_line(text, "areas")
    if not isinstance(areas, list) or not all(isinstance(a, str) and a.strip() for a in areas):
        problems.append((area_line, "areas must be a list of names"))
        areas = []
    elif len(set(areas)) != len(areas):
        problems.append((area_line, "an area is listed twice"))
    elif len(areas) > MAX_AREAS:
        problems.append((area_line, f"at most {MAX_AREAS} areas fit in one LINE quick reply"))
    elif any(len(a) > LABEL_LIMIT for a in areas):
        problems.append((area_line, f"area names must be at most {LABEL_LIMIT} characters"))
    if problems:
        (first_line, first_message), *rest = problems
        raise KnowledgeFileError(path, first_line, first_message, problems=rest)
    return Interests(tuple(topics), tuple(a.strip() for a in areas))


def interest_files(paths) -> list[Path]:
    """``interests.toml`` files inside the imported folders (or named directly)."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found += sorted(path.rglob(INTERESTS_FILE))
        elif path.name == INTERESTS_FILE:
            found.append(path)
    return found


def load_interest_config(paths) -> Interests | None:
    """Validate the interests file of an import (None when the import has none).

    Called by the importer before it changes anything; one file per knowledge folder.
    """
    files = interest_files(paths)
    if not files:
        return None
    if len(files) > 1:
        raise KnowledgeFileError(files[1], None, f"only one {INTERESTS_FILE} per import (also {files[0]})")
    return parse_interests(files[0])


def store_interests(store, interests: Interests | None) -> None:
    """Keep the validated interests in the knowledge store's settings."""
    if interests is not None:
        store.set_setting(SETTING_KEY, interests.to_json())


def stored_interests(store) -> Interests:
    """The interests last imported into this data dir (empty when none were)."""
    return Interests.from_json(store.setting(SETTING_KEY, ""))
