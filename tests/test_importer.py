import json
import shutil

from indexing.importer import import_paths
from indexing.store import KnowledgeStore


def test_reimport_unchanged_embeds_nothing_and_changes_nothing(fresh_data_dir, knowledge_dir):
    report = import_paths([knowledge_dir], fresh_data_dir)
    assert report.embedded == 0 and not report.added and not report.changed and not report.retired
    assert report.unchanged == len(KnowledgeStore(fresh_data_dir).entries())


def test_changed_and_removed_entries_update_and_retire(fresh_data_dir, knowledge_dir, tmp_path):
    copy = tmp_path / "k"
    shutil.copytree(knowledge_dir, copy)
    csv = copy / "faq" / "city-faq.csv"
    lines = csv.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("朝8時まで", "朝8時30分まで")
    del lines[2]  # ID 102 disappears
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_paths([copy], fresh_data_dir)
    assert report.changed == ["101"] and report.retired == ["102"] and report.embedded >= 1
    store = KnowledgeStore(fresh_data_dir)
    assert store.get("102").status == "retired"  # never hard-deleted
    assert "朝8時30分まで" in store.get("101").body
    assert [h["action"] for h in store.history("101")][:1] == ["changed"]
    index_meta = json.loads(next((fresh_data_dir / "index").rglob("citizen.json")).read_text())
    assert "102" not in index_meta["ids"]


def test_import_loads_synonyms_and_departments(data_dir):
    store = KnowledgeStore(data_dir)
    assert any(g[0] == "粗大ごみ" for g in store.synonyms().groups)
    assert {d["name"] for d in store.departments()} >= {"総合案内", "職員課"}
