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


def test_rule_checks_answer_only_questions_about_a_name_or_where_to_save():
    from bot.staff.naming_rules import load_naming_rules
    from bot.staff.staff_rules import answer_staff_rule_question

    rules = load_naming_rules()
    kinds = {q: (a.kind if (a := answer_staff_rule_question(q, rules)) else None) for q in (
        "20240401_予算要求資料_v2.xlsx って大丈夫？", "「議事録」って名前で大丈夫？", "check 予算.xlsx",
        "議会答弁の資料はどこに保存する?", "電子会議の録画データはどこに置けばいい？",
        "版数は「第2版」でいい？", "外部の方との会議はどこのアカウントでやればいい？", "会議室の予約はどこでする？")}
    assert kinds == {
        "20240401_予算要求資料_v2.xlsx って大丈夫？": "name_check", "「議事録」って名前で大丈夫？": "name_check",
        "check 予算.xlsx": "name_check", "議会答弁の資料はどこに保存する?": "folder",
        "電子会議の録画データはどこに置けばいい？": "folder", "版数は「第2版」でいい？": None,
        "外部の方との会議はどこのアカウントでやればいい？": None, "会議室の予約はどこでする？": None}


@pytest.mark.parametrize("question, kind", [
    # A story decides by its asking sentence whether saving is asked ...
    ("4月に異動してきて、係の共有フォルダに会議の資料を保存することになりました。前任者のファイル名がばらばらで"
     "参考になりません。ファイル名はどういう順番で付ければいいですか？", None),
    ("出張先の駅で、ノートパソコンを入れたかばんを置き忘れてしまいました。駅には問い合わせましたが、まだ見つかって"
     "いません。どうしたらいいですか。", None),
    # ... while the kind of document may be named before it.
    ("来週の議会で使う答弁の資料をやっと作り終えました。係のみんなが見られるようにしたいです。どこに保存すれば"
     "いいですか？", "folder"),
    # Symbols alone in quotes are characters asked about, not a file name to check.
    ("ファイル名に「/」を入れたら保存できませんでした。ファイル名に使ってはいけない文字は決まっていますか？", None),
    ("「_」はファイル名に使っていい？", None),
    ("「議事録_v1」ってファイル名で大丈夫？", "name_check"),
    # A word in quotes to put into a name is a part of a name, not a name.
    ("ファイル名に「最終版」って付けてもいい？", None),
    ("ファイル名に「_v2」を入れるのはルール通り？", None),
    ("ファイル名に「20240401」を入れてもいい？", None),
    # A short question of two sentences is one question.
    ("議事録を作りました。どこですか？", "folder"),
    # ... but a whole file name in those quotes is one to check.
    ("ファイル名に「20240401_予算案_v2.xlsx」でいいですか？", "name_check"),
    # A polite closing after the question does not hide it.
    ("4月に異動してきたばかりで、まだ係のやり方がわかりません。議会答弁の資料はどこに保存すればいいですか？"
     "お手数ですが教えてください。", "folder"),
])
def test_stories_and_quoted_symbols_do_not_trigger_rule_answers(question, kind):
    from bot.staff.naming_rules import load_naming_rules
    from bot.staff.staff_rules import answer_staff_rule_question

    answer = answer_staff_rule_question(question, load_naming_rules())
    assert (answer.kind if answer else None) == kind
