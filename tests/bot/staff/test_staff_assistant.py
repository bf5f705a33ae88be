"""Staff rule answers: exact name checks and folder answers, on the CLI and through the bot."""
import json

import pytest

from channels.cli import main


def test_check_name_cli_valid_invalid_and_usage(capsys, data_dir):
    assert main(["--data-dir", str(data_dir), "check-name", "20240401_予算要求資料_v2.xlsx", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"valid": True, "violations": [], "suggestion": None}
    assert main(["--data-dir", str(data_dir), "check-name", "令和6年4月1日 予算資料.xlsx", "--json"]) == 1
    result = json.loads(capsys.readouterr().out)
    assert result["valid"] is False and result["suggestion"] == "20240401_予算資料_v1.xlsx"
    assert {v["rule"] for v in result["violations"]} == {"era_date", "spaces", "version"}
    assert main(["--data-dir", str(data_dir), "check-name", "  "]) == 2
    with pytest.raises(SystemExit) as info:
        main(["check-name"])
    assert info.value.code == 2


def test_staff_question_with_a_file_name_gets_the_rule_check(bot):
    answer = bot.answer("このファイル名はルールに合ってる？ 20240401_予算_資料_final.xlsx", audience="staff")
    assert answer.kind == "name_check" and not answer.abstained
    assert "ルールに合っていない" in answer.text and "20240401_予算_資料_v1.xlsx" in answer.text
    assert answer.sources and answer.sources[0].id.startswith("shared-folder-rules#")


def test_where_to_save_answers_with_the_folder_path(bot):
    answer = bot.answer("議会答弁の資料はどこに保存する？", audience="staff")
    assert answer.kind == "folder" and "02_議会" in answer.text
    assert answer.sources[0].section


def test_citizens_never_get_staff_rule_answers(bot):
    answer = bot.answer("このファイル名はルールに合ってる？ 20240401_予算_資料_final.xlsx", audience="citizen")
    assert answer.kind != "name_check"
    assert all(not s.id.startswith(("shared-folder-rules#", "overtime#")) for s in answer.sources)
    folder = bot.answer("議会答弁の資料はどこに保存する？", audience="citizen")
    assert folder.kind != "folder"


def test_staff_rule_answers_are_logged_as_staff_inquiries(fresh_data_dir):
    from bot.insights.inquiry_log import InquiryLog
    from bot.service import Bot

    log = InquiryLog(fresh_data_dir)
    answer = Bot(fresh_data_dir, inquiry_log=log).ask("20240401_予算_資料_v1.xlsx", audience="staff", channel="slack")
    row = log.get(answer.inquiry_id)
    assert row["audience"] == "staff" and row["answer_kind"] == "name_check" and row["abstained"] == 0
