"""The Audience type and the Entry field list that other modules derive from."""
from __future__ import annotations

import json
import sqlite3
from dataclasses import fields

import pytest

from indexing.entries import (CONTENT_FIELDS, EDITABLE_FIELDS, ENTRY_AUDIENCES, ENTRY_COLUMN_TYPES, ENTRY_FIELDS,
                              QUESTION_AUDIENCES, Audience, Entry, visible_audiences)
from indexing.storage.knowledge import ENTRY_COLUMNS


def test_audience_is_its_string_everywhere_it_travels():
    assert Audience.STAFF == "staff" and "staff" == Audience.STAFF
    assert Audience.CITIZEN in {"citizen"} and "citizen" in {Audience.CITIZEN}
    assert {Audience.ALL: 1}["all"] == 1
    assert f"{Audience.CITIZEN}" == str(Audience.CITIZEN) == "citizen"
    assert json.dumps({"audience": Audience.STAFF}) == '{"audience": "staff"}'
    db = sqlite3.connect(":memory:")
    db.execute("create table t (audience text)")
    db.execute("insert into t values (?)", (Audience.ALL,))
    assert db.execute("select audience, typeof(audience) from t").fetchone() == ("all", "text")


def test_who_may_ask_and_what_they_may_see():
    assert ENTRY_AUDIENCES == ("citizen", "staff", "all")
    assert QUESTION_AUDIENCES == ("citizen", "staff")
    assert visible_audiences("citizen") == ("citizen", "all")
    assert visible_audiences(Audience.STAFF) == ("staff", "all")
    assert Audience.for_question("staff") is Audience.STAFF
    for bad in ("all", "everyone", "", None):
        with pytest.raises(ValueError, match="unknown audience"):
            visible_audiences(bad)


def test_field_lists_derive_from_the_dataclass():
    assert ENTRY_FIELDS == tuple(f.name for f in fields(Entry))
    assert set(EDITABLE_FIELDS) == {"title", "body", "section", "url", "audience", "category", "department",
                                    "updated", "review_by", "alternates"}
    assert set(CONTENT_FIELDS) == set(ENTRY_FIELDS) - {"id", "source", "line"}
    assert ENTRY_COLUMN_TYPES["page"] is int and ENTRY_COLUMN_TYPES["line"] is int
    assert ENTRY_COLUMN_TYPES["alternates"] is str and ENTRY_COLUMN_TYPES["title"] is str
    assert list(ENTRY_COLUMNS)[:len(ENTRY_FIELDS)] == list(ENTRY_FIELDS)


def test_translations_survive_the_store(data_dir):
    from indexing.storage.knowledge import KnowledgeStore

    entry = Entry(id="x", kind="faq", title="ごみの日は？", body="月曜です。",
                  translations=(("en", "When is garbage day?", "On Mondays."),), easy_japanese=True)
    assert Entry.from_dict(entry.to_dict()) == entry
    stored = KnowledgeStore(data_dir).get("101")  # the fixture's city-faq.translations.csv
    assert stored.translation("en")[1].startswith("Apply in advance") and stored.translation("zh-Hans")
    assert stored.translation("ko") is None and not stored.easy_japanese
