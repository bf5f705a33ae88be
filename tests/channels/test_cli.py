"""The CLI contract of DESIGN.md: import, ask, search (single and --batch), exit statuses."""
import json
import shutil
import subprocess
import sys

import pytest

from channels.cli import main


def run(capsys, *argv):
    status = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_search_json_single_query(capsys, data_dir):
    status, out, _ = run(capsys, "--data-dir", data_dir, "search", "粗大ごみの出し方", "--json", "--top", "3")
    result = json.loads(out)
    assert status == 0 and result["id"] is None and len(result["hits"]) == 3
    assert result["hits"][0] == {"id": "101", "score": result["hits"][0]["score"], "kind": "faq",
                                 "title": "粗大ごみはどうやって出せばいいですか？"}
    scores = [h["score"] for h in result["hits"]]
    assert scores == sorted(scores, reverse=True)
    assert result["language"] == "ja"


def test_search_and_ask_json_report_the_question_language(capsys, data_dir, tmp_path):
    _, out, _ = run(capsys, "--data-dir", data_dir, "search", "How do I put out large garbage?", "--json")
    assert json.loads(out)["language"] == "en"
    batch = tmp_path / "q.jsonl"
    batch.write_text('{"id": 1, "text": "大型垃圾怎么扔？"}\n{"id": 2, "text": "粗大ごみ"}\n', encoding="utf-8")
    _, out, _ = run(capsys, "--data-dir", data_dir, "search", "--batch", batch, "--top", "1")
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["language"] for line in lines] == ["zh-Hans", "ja"] and all(line["hits"] for line in lines)
    _, out, _ = run(capsys, "--data-dir", data_dir, "ask", "Onde posso jogar o lixo grande?", "--json", "--no-log")
    assert json.loads(out)["language"] == "pt"


def test_search_batch_keeps_ids_and_order(capsys, data_dir, tmp_path):
    batch = tmp_path / "q.jsonl"
    batch.write_text('{"id": "a", "text": "転入の手続きに必要なもの"}\n\n{"id": 7, "text": "犬の登録"}\n', encoding="utf-8")
    status, out, _ = run(capsys, "--data-dir", data_dir, "search", "--batch", batch, "--top", "2")
    lines = [json.loads(line) for line in out.splitlines()]
    assert status == 0 and [line["id"] for line in lines] == ["a", 7]
    assert lines[0]["hits"][0]["id"] == "103" and lines[1]["hits"][0]["id"] == "109"
    assert all(len(line["hits"]) == 2 for line in lines)


def test_search_batch_bad_line_is_reported_with_its_number(capsys, data_dir, tmp_path):
    batch = tmp_path / "q.jsonl"
    batch.write_text('{"id": 1, "text": "ごみ"}\n{"id": 2, "text": \n', encoding="utf-8")
    status, out, err = run(capsys, "--data-dir", data_dir, "search", "--batch", batch)
    assert status == 2 and out == "" and f"{batch}:2:" in err


def test_search_batch_not_in_utf8_is_a_one_line_error(capsys, data_dir, tmp_path):
    batch = tmp_path / "q.jsonl"
    batch.write_bytes('{"id": 1, "text": "ごみ"}\n{"id": 2, "text": "住民票"}\n'.encode("cp932"))
    status, out, err = run(capsys, "--data-dir", data_dir, "search", "--batch", batch)
    assert status == 2 and out == "" and f"{batch}:1:" in err and "UTF-8" in err and "Traceback" not in err


def test_staff_audience_search_and_citizen_boundary(capsys, data_dir):
    _, out, _ = run(capsys, "--data-dir", data_dir, "search", "残業の申請期限", "--audience", "staff", "--json")
    assert json.loads(out)["hits"][0]["id"].startswith("overtime#")
    _, out, _ = run(capsys, "--data-dir", data_dir, "search", "残業の申請期限", "--json", "--top", "50")
    assert not any(h["id"].startswith("overtime#") for h in json.loads(out)["hits"])


def test_ask_json_has_the_contract_fields(capsys, fresh_data_dir):
    status, out, _ = run(capsys, "--data-dir", fresh_data_dir, "ask", "転入届には何が必要？", "--json", "--no-log")
    answer = json.loads(out)
    assert status == 0 and {"answer", "abstained", "confidence", "sources", "latency_ms"} <= answer.keys()
    assert answer["abstained"] is False and answer["sources"][0]["id"] == "103"
    assert {"id", "title", "url", "section"} <= answer["sources"][0].keys()


def test_ask_text_shows_the_source(capsys, fresh_data_dir):
    status, out, _ = run(capsys, "--data-dir", fresh_data_dir, "ask", "粗大ごみの出し方", "--no-log")
    assert status == 0 and "処理券" in out and "出典" in out


@pytest.mark.parametrize("argv, fragment", [
    (["search", "ごみ", "--audience", "everyone"], "invalid choice"),
    (["search"], "QUERY or --batch"),
    (["search", "--batch", "/nonexistent.jsonl"], "file not found"),
    (["import", "/nonexistent/faq.csv"], "/nonexistent/faq.csv"),
])
def test_bad_input_exits_2_with_one_line(capsys, data_dir, argv, fragment):
    try:
        status = main(["--data-dir", str(data_dir), *argv])
    except SystemExit as exc:  # argparse errors
        status = exc.code
    err = capsys.readouterr().err
    assert status == 2 and fragment in err


def test_import_of_an_unreadable_csv_names_the_line(capsys, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes("ID,問い合わせ文,応答文,カテゴリ\n1,\"閉じていない,回答,分類\n".encode("utf-8"))
    status, _, err = run(capsys, "--data-dir", tmp_path / "d", "import", bad)
    assert status == 2 and "bad.csv:" in err and len(err.strip().splitlines()) == 1
    assert "nothing was imported from any file" in err  # a folder's good files wait too


def test_questions_before_any_import_are_a_clear_error(capsys, tmp_path):
    status, _, err = run(capsys, "--data-dir", tmp_path / "empty", "ask", "ごみ")
    assert status == 2 and "import" in err


def test_console_script_runs(data_dir):
    executable = shutil.which("madoguchi") or str(__import__("pathlib").Path(sys.executable).with_name("madoguchi"))
    result = subprocess.run([executable, "--data-dir", str(data_dir), "search", "犬の登録", "--json", "--top", "1"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["hits"][0]["id"] == "109"


def test_import_warns_of_skipped_rows_and_of_rows_kept_with_a_note(capsys, tmp_path):
    faq = tmp_path / "faq.csv"
    faq.write_text("ID,問い合わせ文,応答文,更新日\n1,ごみの日は？,月曜です。,2026-13-40\n2,,回答だけ,2026-04-01\n",
                   encoding="utf-8")
    status, out, err = run(capsys, "--data-dir", tmp_path / "d", "import", "--quiet", faq)
    warnings = [line for line in err.splitlines() if line.startswith("madoguchi: warning:")]
    assert status == 0 and len(warnings) == 2
    assert warnings[0].startswith("madoguchi: warning: /") and "faq.csv:2: 更新日「2026-13-40」" in warnings[0]
    assert warnings[1].startswith("madoguchi: warning: skipped") and "faq.csv:3:" in warnings[1]
    assert "1 added" in out and "1 rows skipped, 1 rows with notes" in out


def test_strict_import_refuses_skipped_rows_not_notes(capsys, tmp_path):
    faq = tmp_path / "faq.csv"
    faq.write_text("ID,問い合わせ文,応答文,更新日\n1,ごみの日は？,月曜です。,随時\n", encoding="utf-8")
    status, out, err = run(capsys, "--data-dir", tmp_path / "d", "import", "--quiet", "--strict", faq)
    assert status == 0 and "1 added" in out and "見直し" not in err and "更新日「随時」" in err
    faq.write_text("ID,問い合わせ文,応答文\n1,,回答だけ\n2,ごみの日は？,月曜です。\n", encoding="utf-8")
    status, _, err = run(capsys, "--data-dir", tmp_path / "d", "import", "--quiet", "--strict", faq)
    assert status == 2 and "faq.csv:2" in err


def test_asking_a_data_dir_with_nothing_imported_says_why_every_answer_is_a_decline(capsys, tmp_path):
    assert run(capsys, "--data-dir", tmp_path, "migrate")[0] == 0  # the database exists, with no entries
    status, out, err = run(capsys, "--data-dir", tmp_path, "ask", "粗大ごみの出し方", "--no-log")
    assert status == 0 and "no knowledge in" in err and "madoguchi import PATH" in err
    status, _, err = run(capsys, "--data-dir", tmp_path, "search", "粗大ごみ", "--json")
    assert status == 0 and "no knowledge in" in err


def test_asking_an_imported_data_dir_warns_of_nothing(capsys, data_dir):
    status, _, err = run(capsys, "--data-dir", data_dir, "ask", "粗大ごみの出し方", "--no-log")
    assert status == 0 and "warning" not in err


def test_a_citizen_faq_alone_warns_only_when_asked_as_staff(capsys, tmp_path):
    """A town that imports its citizen FAQ only: citizen questions warn of nothing, staff ones say why."""
    faq = tmp_path / "faq.csv"
    faq.write_text("ID,問い合わせ文,応答文\n1,ごみの日は？,燃やすごみは月曜と木曜です。\n", encoding="utf-8")
    assert run(capsys, "--data-dir", tmp_path / "d", "import", "--quiet", faq)[0] == 0
    status, _, err = run(capsys, "--data-dir", tmp_path / "d", "ask", "ごみの日は？", "--no-log")
    assert status == 0 and "warning" not in err
    status, _, err = run(capsys, "--data-dir", tmp_path / "d", "ask", "ごみの日は？", "--no-log", "--audience", "staff")
    assert status == 0 and "for citizen questions only" in err and "--audience all" in err


def test_import_takes_a_folders_shipped_vectors_unless_told_not_to(capsys, tmp_path):
    from indexing.vector_seeds import write_seed

    folder = tmp_path / "k"
    folder.mkdir()
    (folder / "faq.csv").write_text("ID,問い合わせ文,応答文,カテゴリ\n1,ごみの日は？,月曜です。,ごみ\n", encoding="utf-8")
    write_seed(folder, say=lambda m: None)
    status, out, _ = run(capsys, "--data-dir", tmp_path / "a", "import", "--quiet", folder)
    assert status == 0 and "0 texts embedded, 1 vectors from the folder's .vectors" in out
    status, out, _ = run(capsys, "--data-dir", tmp_path / "b", "import", "--quiet", "--no-shipped-vectors", folder)
    assert status == 0 and "1 texts embedded" in out and ".vectors" not in out
