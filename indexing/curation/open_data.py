"""The citizen FAQ as municipal open data (the FAQ open-data columns, with 所管課, URL, 更新日).

    >>> export_faq(store, "faq.csv", city_code="472018", city_name="那覇市")
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

from indexing.entries import Entry, visible_audiences
from indexing.storage.knowledge import KnowledgeStore

OPEN_DATA_COLUMNS = ("全国地方公共団体コード", "ID", "地方公共団体名", "問い合わせ文", "応答文", "カテゴリ")
OPEN_DATA_EXTRA_COLUMNS = ("所管課", "URL", "更新日")


# --- open-data export -----------------------------------------------------------------------------
def citizen_faq_entries(store: KnowledgeStore) -> list[Entry]:
    """Active FAQ entries a citizen may see (audience citizen or all; never staff)."""
    allowed = set(visible_audiences("citizen"))
    return [e for e in store.entries(status="active") if e.kind == "faq" and e.audience in allowed]


def open_data_rows(store: KnowledgeStore, city_code: str = "", city_name: str = "") -> list[list[str]]:
    """Header and rows in the municipal FAQ open-data columns, with 所管課, URL, 更新日 appended."""
    rows = [[*OPEN_DATA_COLUMNS, *OPEN_DATA_EXTRA_COLUMNS]]
    for entry in citizen_faq_entries(store):
        rows.append([city_code, entry.id, city_name, entry.title, entry.body, entry.category,
                     entry.department, entry.url, entry.updated])
    return rows


def open_data_csv(store: KnowledgeStore, city_code: str = "", city_name: str = "") -> bytes:
    """The citizen FAQ as CSV bytes: UTF-8 with BOM (so Excel opens it correctly), CRLF rows."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(open_data_rows(store, city_code, city_name))
    return buffer.getvalue().encode("utf-8-sig")


def export_faq(store: KnowledgeStore, out: str | Path, city_code: str = "", city_name: str = "") -> int:
    """Write the open-data FAQ CSV to ``out``; returns the number of entries written."""
    data = open_data_csv(store, city_code, city_name)
    Path(out).write_bytes(data)
    return len(citizen_faq_entries(store))
