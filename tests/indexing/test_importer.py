import json
import shutil

from indexing.importer import import_paths
from indexing.loaders import KnowledgeFileError
from indexing.storage.knowledge import KnowledgeStore


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
    # Only the answer changed: FAQ answers are read by BM25, not embedded (search_index.embedding_texts).
    assert report.changed == ["101"] and report.retired == ["102"] and report.embedded == 0
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


FAQ_HEADER = "ID,問い合わせ文,応答文,カテゴリ\n"


def _faq(folder, name, rows):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(FAQ_HEADER + "".join(f"{i},{q},{a},{c}\n" for i, q, a, c in rows), encoding="utf-8")


def test_an_id_used_by_two_files_is_kept_by_the_first_and_reported_for_the_second(tmp_path):
    folder = tmp_path / "k"
    _faq(folder, "a.csv", [("1", "ごみの出し方を教えてください", "朝8時30分までに出してください", "ごみ")])
    _faq(folder, "b.csv", [("2", "児童手当はいつ振り込まれますか", "6月・10月・2月です", "子育て"),
                           ("1", "保育園の申し込み方法", "こども課で受け付けます", "子育て")])
    data = tmp_path / "data"
    report = import_paths([folder], data)
    assert [(p.path, p.line) for p in report.problems] == [(str(folder / "b.csv"), 3)]
    assert "a.csv:2" in report.problems[0].message
    store = KnowledgeStore(data)
    assert store.get("1").title == "ごみの出し方を教えてください"  # not silently overwritten
    assert store.get("2").status == "active"
    # Importing again changes nothing: the first file keeps the id.
    again = import_paths([folder], data)
    assert not again.changed and not again.retired and len(again.problems) == 1

    try:
        import_paths([folder], tmp_path / "strict", strict=True)
    except KnowledgeFileError as exc:
        assert exc.line == 3 and "b.csv" in exc.path
    else:
        raise AssertionError("--strict must refuse an ID used by two files")


def test_a_file_deleted_from_a_reimported_folder_has_its_entries_retired(tmp_path):
    folder = tmp_path / "k"
    _faq(folder, "a.csv", [("1", "ごみの出し方を教えてください", "朝8時30分までに出してください", "ごみ")])
    _faq(folder, "b.csv", [("2", "児童手当はいつ振り込まれますか", "6月・10月・2月です", "子育て")])
    other = tmp_path / "other.csv"
    other.write_text(FAQ_HEADER + "9,図書館の開館時間,9時から19時です,施設\n", encoding="utf-8")
    data = tmp_path / "data"
    import_paths([folder], data)
    import_paths([other], data)
    (folder / "b.csv").unlink()
    report = import_paths([folder], data)
    assert report.retired == ["2"]
    store = KnowledgeStore(data)
    assert store.get("2").status == "retired"
    # Entries from elsewhere (a file imported on its own) are not touched.
    assert store.get("1").status == "active" and store.get("9").status == "active"


def test_a_folder_with_no_knowledge_files_is_an_error_not_a_mass_retirement(tmp_path):
    folder = tmp_path / "k"
    _faq(folder, "a.csv", [("1", "ごみの出し方を教えてください", "朝8時30分までに出してください", "ごみ")])
    data = tmp_path / "data"
    import_paths([folder], data)
    (folder / "a.csv").unlink()
    (folder / "notes.docx").write_bytes(b"x")
    try:
        import_paths([folder], data)
    except KnowledgeFileError as exc:
        assert "ありません" in exc.message
    else:
        raise AssertionError("an empty folder must be refused")
    assert KnowledgeStore(data).get("1").status == "active"


def test_plan_writes_nothing_and_apply_changes_everything_in_one_version(tmp_path):
    from indexing.importer import apply_plan, embed_plan, plan_import

    folder = tmp_path / "k"
    _faq(folder, "a.csv", [("1", "ごみの出し方を教えてください", "朝8時30分までに出してください", "ごみ"),
                           ("2", "児童手当はいつ振り込まれますか", "6月・10月・2月です", "子育て")])
    data = tmp_path / "data"
    import_paths([folder], data)
    store = KnowledgeStore(data)
    version = store.knowledge_version()
    _faq(folder, "a.csv", [("1", "ごみの出し方を教えてください", "朝8時までに出してください", "ごみ"),
                           ("3", "保育園の申し込み方法", "こども課で受け付けます", "子育て")])
    (folder / "synonyms.txt").write_text("ごみ,ゴミ\n", encoding="utf-8")
    plan = plan_import(store, [folder])
    assert (plan.report.added, plan.report.changed, plan.report.retired) == (["3"], ["1"], ["2"])
    # Planning wrote nothing: same version, same entries, same synonyms.
    assert store.knowledge_version() == version and store.get("3") is None
    assert store.get("2").status == "active" and store.synonyms_text() == ""
    assert embed_plan(store, plan) == 1  # the new question (a changed FAQ answer is not embedded)
    assert store.knowledge_version() == version and store.get("3") is None
    assert apply_plan(store, plan) == version + 1
    assert store.get("3").status == "active" and store.get("2").status == "retired"
    assert "朝8時まで" in store.get("1").body and store.synonyms_text() == "ごみ,ゴミ\n"
    assert [h["action"] for h in store.history("2")][:1] == ["retired"]


def test_a_failing_apply_rolls_everything_back(tmp_path, monkeypatch):
    import pytest

    from indexing.importer import embed_plan, plan_import
    from indexing.storage.knowledge import KnowledgeChanges

    folder = tmp_path / "k"
    _faq(folder, "a.csv", [("1", "ごみの出し方を教えてください", "朝8時30分までに出してください", "ごみ")])
    data = tmp_path / "data"
    import_paths([folder], data)
    store = KnowledgeStore(data)
    version = store.knowledge_version()
    _faq(folder, "a.csv", [("2", "児童手当はいつ振り込まれますか", "6月・10月・2月です", "子育て")])
    plan = plan_import(store, [folder])
    embed_plan(store, plan)
    # A departments list without a name breaks the last statements of the transaction.
    broken = KnowledgeChanges(**{**plan.changes.__dict__, "departments": [{"phone": "0"}]})
    with pytest.raises(KeyError):
        store.apply_changes(broken)
    assert store.knowledge_version() == version
    assert store.get("1").status == "active" and store.get("2") is None
    assert [h["action"] for h in store.history("1")] == ["added"]


def test_imports_of_one_data_dir_are_serialized_across_processes(tmp_path):
    import subprocess
    import sys

    from indexing.storage.knowledge import knowledge_write_lock

    data = tmp_path / "data"
    probe = ("import sys; from indexing.storage.knowledge import knowledge_write_lock\n"
             "with knowledge_write_lock(sys.argv[1]): print('acquired', flush=True)\n")
    with knowledge_write_lock(data):
        child = subprocess.Popen([sys.executable, "-c", probe, str(data)], stdout=subprocess.PIPE, text=True)
        try:
            child.wait(timeout=1.5)
            raise AssertionError("a second process took the knowledge lock while it was held")
        except subprocess.TimeoutExpired:
            pass
    out, _ = child.communicate(timeout=60)
    assert out.strip() == "acquired"


def test_a_synonym_list_named_directly_is_the_synonym_list_not_a_plan_text(tmp_path):
    folder = tmp_path / "k"
    _faq(folder, "a.csv", [("1", "ごみの出し方を教えてください", "朝8時30分までに出してください", "ごみ")])
    data = tmp_path / "data"
    import_paths([folder / "a.csv"], data)
    (tmp_path / "synonyms.txt").write_text("ごみ,ゴミ\n", encoding="utf-8")
    report = import_paths([tmp_path / "synonyms.txt"], data)
    store = KnowledgeStore(data)
    assert store.synonyms_text() == "ごみ,ゴミ\n" and report.synonyms == 1
    assert report.added == [] and [e.id for e in store.entries()] == ["1"]


def test_office_lock_files_and_readme_txt_are_passed_over_and_a_cp932_synonym_list_is_read(tmp_path):
    folder = tmp_path / "k"
    _faq(folder, "a.csv", [("1", "ごみの出し方を教えてください", "朝8時30分までに出してください", "ごみ")])
    (folder / "~$a.csv").write_bytes(b"\x00locked")
    (folder / "readme.txt").write_text("このフォルダについて", encoding="utf-8")
    (folder / "synonyms.txt").write_bytes("ごみ,ゴミ\n".encode("cp932"))
    data = tmp_path / "data"
    report = import_paths([folder], data)
    assert report.files == 1 and report.synonyms == 1
    assert KnowledgeStore(data).synonyms_text() == "ごみ,ゴミ\n"


def test_fields_a_table_has_no_column_for_keep_what_editors_set_on_the_next_import(tmp_path):
    from indexing.curation import admin_import, editing

    faq = tmp_path / "faq.csv"
    faq.write_text("ID,問い合わせ文,応答文,カテゴリ\n1,ごみの日は？,月曜です。,ごみ\n", encoding="utf-8")
    data = tmp_path / "data"
    import_paths([faq], data)
    store = KnowledgeStore(data)
    editing.add_alternate(store, "1", "燃えるごみはいつ出す？", changed_by="sato")
    editing.update_entry(store, "1", {"department": "環境課", "review_by": "2030-03-31", "audience": "staff"},
                         changed_by="sato")
    # The master file again, its answer corrected: the answer changes, what the editor set stays.
    faq.write_text("ID,問い合わせ文,応答文,カテゴリ\n1,ごみの日は？,月曜と木曜です。,ごみ\n", encoding="utf-8")
    preview = admin_import.preview_import(store, [faq])
    assert [c.fields for c in preview.changed] == [["body"]]
    report = import_paths([faq], data)
    entry = KnowledgeStore(data).get("1")
    assert report.changed == ["1"] and entry.body == "月曜と木曜です。"
    assert (entry.alternates, entry.department, entry.review_by, entry.audience) == (
        ("燃えるごみはいつ出す？",), "環境課", "2030-03-31", "staff")
    # A file that has the column decides.
    faq.write_text("ID,問い合わせ文,応答文,カテゴリ,別の聞き方,対象\n1,ごみの日は？,月曜と木曜です。,ごみ,,市民\n",
                   encoding="utf-8")
    import_paths([faq], data)
    entry = KnowledgeStore(data).get("1")
    assert (entry.alternates, entry.audience) == ((), "citizen")


def test_a_value_an_earlier_import_gave_follows_the_files_metadata(tmp_path):
    # Not an editor's choice: sources.toml moving a table to staff makes its entries staff-only.
    folder = tmp_path / "k"
    _faq(folder, "internal.csv", [("1", "残業の申請は？", "前日までです。", "人事")])
    data = tmp_path / "data"
    import_paths([folder], data)
    assert KnowledgeStore(data).get("1").audience == "citizen"
    (folder / "sources.toml").write_text('["internal.csv"]\naudience = "staff"\ndepartment = "人事課"\n',
                                         encoding="utf-8")
    import_paths([folder], data)
    entry = KnowledgeStore(data).get("1")
    assert (entry.audience, entry.department) == ("staff", "人事課")


def test_staff_only_metadata_wins_over_an_editors_wider_audience_and_admin_created_fields_stay(tmp_path):
    from indexing.curation import editing

    folder = tmp_path / "k"
    _faq(folder, "internal.csv", [("1", "残業の申請は？", "前日までです。", "人事")])
    data = tmp_path / "data"
    import_paths([folder], data)
    store = KnowledgeStore(data)
    editing.update_entry(store, "1", {"audience": "all", "url": ""}, changed_by="sato")
    (folder / "sources.toml").write_text('["internal.csv"]\naudience = "staff"\n', encoding="utf-8")
    import_paths([folder], data)
    assert KnowledgeStore(data).get("1").audience == "staff"
    # An entry first written in the admin UI, whose id a new row of the master file then takes.
    editing.create_entry(store, {"title": "犬の登録は？", "body": "環境課です。", "department": "環境課",
                                 "review_by": "2031-03-31", "alternates": "犬を飼ったら"}, changed_by="sato",
                         entry_id="2")
    _faq(folder, "internal.csv", [("1", "残業の申請は？", "前日までです。", "人事"),
                                  ("2", "犬の登録は？", "環境課で受け付けます。", "くらし")])
    import_paths([folder], data)
    entry = KnowledgeStore(data).get("2")
    assert entry.body == "環境課で受け付けます。"
    assert (entry.department, entry.review_by, entry.alternates) == ("環境課", "2031-03-31", ("犬を飼ったら",))


def test_a_department_the_departments_file_does_not_list_is_noted_once_per_file(tmp_path):
    folder = tmp_path / "k"
    folder.mkdir()
    (folder / "departments.toml").write_text('[[department]]\nname = "環境課"\nphone = "000-1"\n\n'
                                             '[[department]]\nname = "総合案内"\ndefault = true\n', encoding="utf-8")
    (folder / "faq.csv").write_text("ID,問い合わせ文,応答文,所管課\n1,犬の登録は？,環境課へ。,環境課\n"
                                    "2,猫の相談は？,環境衛生課へ。,環境衛生課\n3,狂犬病は？,環境衛生課へ。,環境衛生課\n",
                                    encoding="utf-8")
    report = import_paths([folder], tmp_path / "data")
    assert [(p.line, p.kept) for p in report.problems] == [(3, True)]
    assert "所管課「環境衛生課」は departments.toml にないため、問い合わせ先は総合案内になります（ほか 1 件）" in \
        report.problems[0].message
    assert sorted(report.added) == ["1", "2", "3"]
    # A city that lists no departments gets no such note.
    (folder / "departments.toml").unlink()
    assert not import_paths([folder / "faq.csv"], tmp_path / "plain").problems
