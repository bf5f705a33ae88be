"""Open-data FAQ export: columns, encoding, audience boundary, and export → import round trip."""
from __future__ import annotations

import csv
import io

from channels.cli import main
from indexing.curation import editing, open_data
from indexing.importer import import_paths
from indexing.storage.knowledge import KnowledgeStore

HEADER = ["全国地方公共団体コード", "ID", "地方公共団体名", "問い合わせ文", "応答文", "カテゴリ", "所管課", "URL", "更新日"]


def _rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel opens it as UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_cli_export_uses_city_settings_and_only_citizen_faq(fresh_data_dir, tmp_path, monkeypatch, capsysbinary):
    store = KnowledgeStore(fresh_data_dir)
    editing.create_entry(store, {"title": "職員向けの質問？", "body": "職員だけの回答。", "audience": "staff",
                                  "department": "職員課", "updated": "2026-04-01", "review_by": "2027-03-31"}, "t")
    editing.create_entry(store, {"title": "共通の質問？", "body": "みんなの回答。", "audience": "all",
                                  "department": "総合案内", "updated": "2026-04-01", "review_by": "2027-03-31"}, "t")
    editing.retire_entry(store, "110", "t")
    monkeypatch.setenv("MADOGUCHI_CITY_CODE", "999999")
    monkeypatch.setenv("MADOGUCHI_CITY_NAME", "テスト市")
    out = tmp_path / "faq.csv"
    assert main(["--data-dir", str(fresh_data_dir), "export-faq", "--out", str(out)]) == 0
    rows = _rows(out.read_bytes())
    assert rows[0] == HEADER
    ids = [r[1] for r in rows[1:]]
    assert ids == ["101", "102", "103", "104", "105", "106", "107", "108", "109", "112"]  # 110 retired, 111 staff
    first = rows[1]
    assert first[0] == "999999" and first[2] == "テスト市" and first[3].startswith("粗大ごみ") and first[5]
    assert first[6:] == ["総合案内", "https://www.city.test.example.lg.jp/faq/", "2026-04-01"]
    assert b"\r\n" in out.read_bytes() and "職員だけの回答" not in out.read_text(encoding="utf-8-sig")
    # Without configuration the city columns are blank; without --out the CSV goes to stdout.
    monkeypatch.delenv("MADOGUCHI_CITY_CODE")
    monkeypatch.delenv("MADOGUCHI_CITY_NAME")
    capsysbinary.readouterr()
    assert main(["--data-dir", str(fresh_data_dir), "export-faq"]) == 0
    assert _rows(capsysbinary.readouterr().out)[1][:3] == ["", "101", ""]


def test_export_then_import_round_trips_every_citizen_entry(data_dir, tmp_path):
    store = KnowledgeStore(data_dir)
    out = tmp_path / "export" / "faq.csv"
    out.parent.mkdir()
    count = open_data.export_faq(store, out, city_code="999999", city_name="テスト市")
    original = {e.id: e for e in open_data.citizen_faq_entries(store)}
    assert count == len(original) == 10

    target = tmp_path / "reimported"
    import_paths([out], target)
    again = {e.id: e for e in KnowledgeStore(target).entries()}
    assert again.keys() == original.keys()
    for entry_id, entry in original.items():
        copy = again[entry_id]
        assert (copy.title, copy.body, copy.category) == (entry.title, entry.body, entry.category), entry_id
        assert (copy.department, copy.url, copy.updated) == (entry.department, entry.url, entry.updated)
        assert copy.audience == "citizen" and copy.kind == "faq"


def test_export_download_from_the_admin_ui(fresh_data_dir, monkeypatch):
    from admin_support import add_users, logged_in_client, make_app, make_runtime

    from dataclasses import replace

    add_users(fresh_data_dir)
    runtime = make_runtime(fresh_data_dir, with_log=False)
    runtime.settings = replace(runtime.settings, city_code="999999")
    client, _ = logged_in_client(make_app(runtime))
    response = client.get("/admin/export/faq.csv")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = _rows(response.content)
    assert rows[0] == HEADER and rows[1][:2] == ["999999", "101"] and len(rows) == 11
