"""Shared-folder rules: the file-name checker, the folder finder, chat extraction and the guide."""
from __future__ import annotations

import json
import random
import re
from datetime import date
from pathlib import Path

import pytest

from bot.staff.chat import extract_file_name, format_check_reply, format_folder_reply
from bot.staff.file_names import check_file_name
from bot.staff.folders import find_folder
from bot.staff.guide import render_guide_markdown
from bot.staff.naming_rules import main
from bot.staff.rules import DEFAULT_RULES_PATH, NamingRulesError, load_naming_rules, parse_naming_rules

ROOT = Path(__file__).resolve().parents[3]
RULES_PATH = ROOT / "knowledge" / "rules" / "shared-folder.toml"
GUIDE_PATH = ROOT / "knowledge" / "guides" / "staff" / "shared-folder-rules.md"
# "Today" for suggestions of names without a usable date; fixed so results are reproducible.
TODAY = date(2025, 6, 30)


@pytest.fixture(scope="module")
def rules():
    return load_naming_rules(RULES_PATH)


# (name, valid, rule ids violated, suggestion)
NAMES = [
    # Valid names.
    ("20240401_予算要求_財政課提出資料_v1.xlsx", True, set(), None),
    ("20240229_予算_資料_v1.xlsx", True, set(), None),  # leap day
    ("20240401_会議_第2回会議録_v1.docx", True, set(), None),
    ("20240401_DX推進_計画書_v10.docx", True, set(), None),
    ("20240401_予算_資料（案）_v1.xlsx", True, set(), None),
    ("20240401_予算_要求_資料_v1.xlsx", True, set(), None),  # 文書名 may contain "_"
    ("20240401_予算_資料_v1", True, set(), None),  # Explorer hides extensions
    ("20240401_最終処分場_計画_v1.pdf", True, set(), None),  # 最終 inside a word is not a status word
    ("20240401_予算_新規事業_資料_v1.xlsx", True, set(), None),
    ("20240520_〇〇地区整備事業_委託契約書（案）_v2.pdf", True, set(), None),
    # 業務名 and 文書名 may be one word (the example of DESIGN.md); a name needs at least one.
    ("20240401_予算要求資料_v2.xlsx", True, set(), None),
    ("20240401_v1.xlsx", False, {"parts"}, "20240401_業務名_文書名_v1.xlsx"),
    # Dates.
    ("令和6年4月1日 予算資料.xlsx", False, {"era_date", "spaces", "version"}, "20240401_予算資料_v1.xlsx"),
    ("令和６年４月１日_予算_資料_v1.xlsx", False, {"era_date", "fullwidth_alnum"}, "20240401_予算_資料_v1.xlsx"),
    ("R6.4.1_予算_資料_v1.xlsx", False, {"era_date"}, "20240401_予算_資料_v1.xlsx"),
    ("R060401_予算_資料_v1.xlsx", False, {"era_date"}, "20240401_予算_資料_v1.xlsx"),
    ("H31.4.30_予算_資料_v1.xlsx", False, {"era_date"}, "20190430_予算_資料_v1.xlsx"),
    ("令和元年5月1日_予算_資料_v1.xlsx", False, {"era_date"}, "20190501_予算_資料_v1.xlsx"),
    ("2024-04-01_予算_資料_v1.xlsx", False, {"date"}, "20240401_予算_資料_v1.xlsx"),
    ("2024.4.1_予算_資料_v1.xlsx", False, {"date"}, "20240401_予算_資料_v1.xlsx"),
    ("2024年4月1日_予算_資料_v1.xlsx", False, {"date"}, "20240401_予算_資料_v1.xlsx"),
    ("240401_予算_資料_v1.xlsx", False, {"date"}, "20240401_予算_資料_v1.xlsx"),
    ("20241301_予算_資料_v1.xlsx", False, {"date"}, "20250630_予算_資料_v1.xlsx"),  # impossible: today
    ("20230229_予算_資料_v1.xlsx", False, {"date"}, "20250630_予算_資料_v1.xlsx"),  # not a leap year
    ("予算_資料_v1.xlsx", False, {"date"}, "20250630_予算_資料_v1.xlsx"),  # missing: today
    ("予算資料_20240401_v1.xlsx", False, {"date"}, "20240401_予算資料_v1.xlsx"),  # moved to the front
    ("20240401予算_資料_v1.xlsx", False, {"separator"}, "20240401_予算_資料_v1.xlsx"),
    # Versions.
    ("20240401_予算_資料.xlsx", False, {"version"}, "20240401_予算_資料_v1.xlsx"),
    ("20240401_予算_資料_ver2.xlsx", False, {"version"}, "20240401_予算_資料_v2.xlsx"),
    ("20240401_予算_資料_V2.xlsx", False, {"version"}, "20240401_予算_資料_v2.xlsx"),
    ("20240401_予算_資料_第2版.xlsx", False, {"version"}, "20240401_予算_資料_v2.xlsx"),
    ("20240401_予算_資料_v1.2.xlsx", False, {"version"}, "20240401_予算_資料_v2.xlsx"),
    ("20240401_予算_資料_v02.xlsx", False, {"version"}, "20240401_予算_資料_v2.xlsx"),
    ("20240401_予算_資料_v0.xlsx", False, {"version"}, "20240401_予算_資料_v1.xlsx"),
    ("20240401_予算_資料v2.xlsx", False, {"version"}, "20240401_予算_資料_v2.xlsx"),
    ("20240401_v2_予算_資料.xlsx", False, {"version"}, "20240401_予算_資料_v2.xlsx"),
    ("20240401_予算_資料_v1_v2.xlsx", False, {"version"}, "20240401_予算_資料_v2.xlsx"),
    # Status words and copy marks.
    ("20240401_予算_資料_修正版.xlsx", False, {"status_words", "version"}, "20240401_予算_資料_v2.xlsx"),
    ("20240401_予算_資料_最新.xlsx", False, {"status_words", "version"}, "20240401_予算_資料_v1.xlsx"),
    ("20240401_予算_資料_final.xlsx", False, {"status_words", "version"}, "20240401_予算_資料_v1.xlsx"),
    ("20240401_予算_資料_v2_final.xlsx", False, {"status_words"}, "20240401_予算_資料_v2.xlsx"),
    ("20240401_予算_資料_(最終)_v2.xlsx", False, {"status_words"}, "20240401_予算_資料_v2.xlsx"),
    ("20240401_予算_旧_資料_v1.xlsx", False, {"status_words"}, "20240401_予算_資料_v1.xlsx"),
    ("予算_資料_最終版_v3.xlsx", False, {"date", "status_words"}, "20250630_予算_資料_v3.xlsx"),
    ("予算資料 - コピー.xlsx", False, {"date", "spaces", "status_words", "version"},
     "20250630_予算資料_v1.xlsx"),
    ("20240401_予算_資料_v1 (1).xlsx", False, {"spaces", "status_words"}, "20240401_予算_資料_v1.xlsx"),
    # Extensions.
    ("20240401_予算_資料_v1.XLSX", False, {"extension"}, "20240401_予算_資料_v1.xlsx"),
    ("20240401_予算_資料_v1.exe", False, {"extension"}, None),
    ("20240401_予算_資料_v1.abc", False, {"extension"}, None),
    ("20240401_予算_資料_v1.xlsx.pdf", False, {"extension"}, "20240401_予算_資料_v1.pdf"),
    ("20240401_予算_資料_v1．xlsx", False, {"extension"}, "20240401_予算_資料_v1.xlsx"),
    # Separators.
    ("20240401＿予算＿資料＿v1.xlsx", False, {"separator"}, "20240401_予算_資料_v1.xlsx"),
    ("20240401-予算-資料-v1.xlsx", False, {"separator"}, "20240401_予算_資料_v1.xlsx"),
    ("2024-04-15-一般質問-答弁書-ver3.docx", False, {"date", "separator", "version"},
     "20240415_一般質問_答弁書_v3.docx"),
    ("20240401__予算_資料_v1.xlsx", False, {"separator"}, "20240401_予算_資料_v1.xlsx"),
    ("_20240401_予算_資料_v1_.xlsx", False, {"separator"}, "20240401_予算_資料_v1.xlsx"),
    # Spaces of every kind.
    ("20240401_予算\u3000資料_v1.xlsx", False, {"spaces"}, "20240401_予算_資料_v1.xlsx"),  # full-width
    ("20240401_予算\u00a0資料_v1.xlsx", False, {"spaces"}, "20240401_予算_資料_v1.xlsx"),  # NBSP
    ("20240401_予算\t資料_v1.xlsx", False, {"spaces"}, "20240401_予算_資料_v1.xlsx"),
    # Width.
    ("20240401_予算_資料_ｖ２.xlsx", False, {"fullwidth_alnum"}, "20240401_予算_資料_v2.xlsx"),
    ("２０２４０４０１＿予算＿資料＿ｖ１．ｘｌｓｘ", False, {"extension", "fullwidth_alnum", "separator"},
     "20240401_予算_資料_v1.xlsx"),
    ("20240401_ﾖｻﾝ_ｼﾘｮｳ_v1.xlsx", False, {"halfwidth_katakana"}, "20240401_ヨサン_シリョウ_v1.xlsx"),
    ("20240401_予算_ｶﾞｲﾄﾞ_v1.pdf", False, {"halfwidth_katakana"}, "20240401_予算_ガイド_v1.pdf"),
    # 機種依存文字.
    ("20240401_①予算_資料_v1.xlsx", False, {"machine_dependent"}, "20240401_1予算_資料_v1.xlsx"),
    ("20240401_予算_㈱あおば_v1.xlsx", False, {"machine_dependent"}, "20240401_予算_(株)あおば_v1.xlsx"),
    ("20240401_予算_Ⅱ期計画_v1.pdf", False, {"machine_dependent"}, "20240401_予算_II期計画_v1.pdf"),
    ("20240401_予算_髙橋さん資料_v1.xlsx", False, {"machine_dependent"}, "20240401_予算_高橋さん資料_v1.xlsx"),
    ("20240401_予算_𠮷田さん_v1.pdf", False, {"machine_dependent"}, "20240401_予算_吉田さん_v1.pdf"),
    # Combining marks as macOS writes them (NFD): カ + U+3099.
    ("20240401_予算_カ\u3099イト\u3099_v1.pdf", False, {"combining_chars"}, "20240401_予算_ガイド_v1.pdf"),
    # Emoji, invisible characters, symbols.
    ("20240401_予算_資料📄_v1.xlsx", False, {"other_chars"}, "20240401_予算_資料_v1.xlsx"),
    ("20240401_予算_👨\u200d💻資料_v1.pdf", False, {"other_chars"}, "20240401_予算_資料_v1.pdf"),
    ("20240401_予算_資\u200b料_v1.xlsx", False, {"other_chars"}, "20240401_予算_資料_v1.xlsx"),
    ("20240401_予算_【重要】資料_v1.xlsx", False, {"other_chars"}, "20240401_予算_（重要）資料_v1.xlsx"),
    ("20240401_予算_予算&決算_v1.xlsx", False, {"other_chars"}, "20240401_予算_予算・決算_v1.xlsx"),
    ("20240401_予算_4月～6月分_v1.xlsx", False, {"other_chars"}, "20240401_予算_4月から6月分_v1.xlsx"),
    ("20240401_予算_資料?_v1.xlsx", False, {"forbidden_chars"}, "20240401_予算_資料_v1.xlsx"),
    ("20240401_予算/決算_資料_v1.xlsx", False, {"forbidden_chars"}, "20240401_予算・決算_資料_v1.xlsx"),
    # Length: 65 characters; the suggestion shortens the 文書名 to 64.
    ("20240401_予算要求_財政課提出資料の詳細な説明と各課からの要望をまとめた一覧表と補足説明資料および参考資料_v1.xlsx",
     False, {"length"}, "20240401_予算要求_財政課提出資料の詳細な説明と各課からの要望をまとめた一覧表と補足説明資料および参考資_v1.xlsx"),
]


def test_the_table_is_large_and_covers_every_rule(rules):
    assert len(NAMES) >= 40
    covered = set().union(*(violated for _, _, violated, _ in NAMES))
    # Only the path rule needs a folder (tested below); the pattern rule is a safety net
    # that no well-formed input should reach.
    assert covered == {r.id for r in rules.rules} - {"path_length", "pattern"}


@pytest.mark.parametrize("name, valid, violated, suggestion", NAMES, ids=[repr(n[0])[:40] for n in NAMES])
def test_check_file_name(rules, name, valid, violated, suggestion):
    result = check_file_name(name, rules, today=TODAY)
    assert result.valid is valid
    assert result.rule_ids == violated
    assert result.suggestion == suggestion
    assert result.valid == (not result.violations)


@pytest.mark.parametrize("name", [n for n, valid, _, s in NAMES if s is not None], ids=str)
def test_a_suggestion_passes_the_check_itself(rules, name):
    suggestion = check_file_name(name, rules, today=TODAY).suggestion
    again = check_file_name(suggestion, rules, today=TODAY)
    assert again.valid, again.to_dict()
    assert again.suggestion is None


def test_suggestions_always_pass_on_random_names(rules):
    """Property: whatever the input, a suggestion is None or a name that passes."""
    fragments = ["20240401", "令和6年4月1日", "R6.4.1", "2024-04-01", "２０２４", "予算", "要求資料", "_", "__", "-",
                 " ", "\u3000", "v1", "V2", "ver3", "第2版", "v1.2", "最終版", "final", "コピー", " (1)", "①", "㈱",
                 "ﾖｻﾝ", "ｶﾞ", "📄", "\u200b", "\u3099", "?", "/", ".", "．", "＿", "【", "】", "（案）", "髙", "𠮷",
                 "新", "x" * 30, "e\u0301", "\t", "\u00a0", "12345678", "20241301", "～", "&"]
    extensions = ["", ".xlsx", ".XLSX", ".pdf", ".exe", ".xlsx.pdf", "．ｘｌｓｘ"]
    rng = random.Random(20240401)
    for _ in range(2000):
        name = "".join(rng.choice(fragments) for _ in range(rng.randint(0, 7))) + rng.choice(extensions)
        result = check_file_name(name, rules, today=TODAY)
        assert result.valid == (not result.violations), name
        if result.valid:
            assert result.suggestion is None
        elif result.suggestion is None:
            assert "extension" in result.rule_ids, name  # only an extension that may not be stored
        else:
            assert check_file_name(result.suggestion, rules, today=TODAY).valid, (name, result.suggestion)


def test_to_dict_has_exactly_the_contract_keys(rules):
    result = check_file_name("令和6年4月1日 予算資料.xlsx", rules, today=TODAY)
    data = result.to_dict()
    assert set(data) == {"valid", "violations", "suggestion"}
    assert data["valid"] is False
    assert all(set(v) == {"rule", "message"} for v in data["violations"])
    assert data["suggestion"] == "20240401_予算資料_v1.xlsx"
    json.dumps(data, ensure_ascii=False)
    assert check_file_name("20240401_予算_資料_v1.xlsx", rules).to_dict() == \
        {"valid": True, "violations": [], "suggestion": None}


@pytest.mark.parametrize("name, rule, shown", [
    ("20240401_①予算_資料_v1.xlsx", "machine_dependent", "「①」→「1」"),
    ("20240401_予算_㈱あおば_v1.xlsx", "machine_dependent", "「㈱」"),
    ("20240401_予算\u3000資料_v1.xlsx", "spaces", "全角スペース"),
    ("20240401_予算\u00a0資料_v1.xlsx", "spaces", "ノーブレークスペース"),
    ("20240401_予算_資\u200b料_v1.xlsx", "other_chars", "U+200B"),
    ("20240401_予算_資料📄_v1.xlsx", "other_chars", "「📄」"),
    ("20240401_予算_資料?_v1.xlsx", "forbidden_chars", "「?」"),
    ("20240401_ﾖｻﾝ_ｼﾘｮｳ_v1.xlsx", "halfwidth_katakana", "「ﾖｻﾝ」→「ヨサン」"),
    ("令和６年４月１日_予算_資料_v1.xlsx", "era_date", "「令和６年４月１日」は西暦の「20240401」"),
    ("令和６年４月１日_予算_資料_v1.xlsx", "fullwidth_alnum", "「６」"),
    ("20241301_予算_資料_v1.xlsx", "date", "「20241301」は実在しない日付"),
    ("予算_資料_v1.xlsx", "date", "「20250630」"),
    ("20240401_予算_資料_ver2.xlsx", "version", "「ver2」は「v2」"),
    ("20240401_予算_資料_final.xlsx", "status_words", "「final」"),
    ("20240401-予算-資料-v1.xlsx", "separator", "「-」"),
    ("20240401_予算_資料_v1.XLSX", "extension", "「.xlsx」"),
    ("20240401_v1.xlsx", "parts", "業務名と文書名がありません"),
])
def test_messages_name_what_is_wrong(rules, name, rule, shown):
    messages = {v.rule: v.message for v in check_file_name(name, rules, today=TODAY).violations}
    assert shown in messages[rule]


def test_messages_are_polite_japanese_sentences(rules):
    for name, valid, _, _ in NAMES:
        for violation in check_file_name(name, rules, today=TODAY).violations:
            assert violation.message.endswith("。"), violation
            assert re.search(r"[ぁ-ん]", violation.message)
            assert "{" not in violation.message  # every placeholder filled


def test_violations_follow_the_order_of_the_rules_file(rules):
    order = [r.id for r in rules.rules]
    for name, _, _, _ in NAMES:
        ids = [v.rule for v in check_file_name(name, rules, today=TODAY).violations]
        assert ids == sorted(ids, key=order.index)
        assert len(ids) == len(set(ids))  # one message per rule


def test_missing_date_uses_the_given_today(rules):
    assert check_file_name("予算_資料_v1.xlsx", rules, today=date(2030, 1, 2)).suggestion == "20300102_予算_資料_v1.xlsx"


def test_path_length_is_checked_with_a_folder(rules):
    name = "20240401_予算要求_財政課提出資料_v1.xlsx"
    assert check_file_name(name, rules, folder="共有フォルダ/財政課/予算係/2024年度/01_予算/").valid
    deep = "共有フォルダ/" + "/".join(["長いフォルダ名"] * 21)  # 174 characters; the name has 29
    result = check_file_name(name, rules, folder=deep, today=TODAY)
    assert result.rule_ids == {"path_length"}
    assert "204文字" in result.violations[0].message
    assert result.suggestion == "20240401_予算要求_財政課_v1.xlsx"  # 文書名 shortened to fit 200
    assert check_file_name(result.suggestion, rules, folder=deep).valid
    # No room left at all: nothing to suggest.
    hopeless = check_file_name(name, rules, folder="x" * 199)
    assert hopeless.suggestion is None and "path_length" in hopeless.rule_ids


# ---------------------------------------------------------------------------- folders

FOLDER_QUESTIONS = [
    ("予算要求の資料はどこに保存する?", "共有フォルダ/{課}/{係}/{年度}/01_予算/", "予算要求"),
    ("補正予算の説明資料はどこに置けばいい？", "共有フォルダ/{課}/{係}/{年度}/01_予算/", "補正予算"),
    ("議会答弁の資料はどこに保存すればいい？", "共有フォルダ/{課}/{係}/{年度}/02_議会/", "議会答弁"),
    ("一般質問の答弁書の保存先は?", "共有フォルダ/{課}/{係}/{年度}/02_議会/", "一般質問"),
    ("予算委員会の資料はどのフォルダ?", "共有フォルダ/{課}/{係}/{年度}/02_議会/", "予算委員会"),  # not 01_予算
    ("入札の見積書はどのフォルダ？", "共有フォルダ/{課}/{係}/{年度}/03_契約/", "見積書"),
    ("条例改正の資料はどこにしまう？", "共有フォルダ/{課}/{係}/{年度}/04_例規・通知/", "条例"),
    ("協議会の資料はどこに置く?", "共有フォルダ/{課}/{係}/{年度}/05_会議/", "協議会"),  # not 02_議会
    ("ＷＥＢ会議の録画はどこに保存？", "共有フォルダ/{課}/{係}/{年度}/05_会議/", "web会議"),  # NFKC + case
    ("補助金の実績報告はどこ", "共有フォルダ/{課}/{係}/{年度}/06_事業/", "実績報告"),
    ("時間外勤務の命令簿はどこに保存?", "共有フォルダ/{課}/{係}/{年度}/07_庶務/", "時間外勤務"),
    ("2023年度の契約書はどこ？", "共有フォルダ/{課}/{係}/2023年度/03_契約/", "契約書"),
    ("令和6年度の決算資料はどこ?", "共有フォルダ/{課}/{係}/2024年度/01_予算/", "決算"),
]


@pytest.mark.parametrize("question, path, keyword", FOLDER_QUESTIONS)
def test_find_folder(rules, question, path, keyword):
    answer = find_folder(question, rules)
    assert answer is not None
    assert answer.path == path
    assert answer.keyword == keyword
    assert answer.section == "業務分類ごとの保存先"
    assert answer.source == rules.title
    assert answer.citation_id == "shared-folder-rules#業務分類ごとの保存先"


@pytest.mark.parametrize("question", [
    "時間外勤務の申請はいつまで?",      # names a keyword but does not ask where
    "共有フォルダのファイル名のルールは?",  # asks about folders but names no kind of document
    "ランチはどこで食べる?",
    "",
])
def test_find_folder_returns_none_for_other_questions(rules, question):
    assert find_folder(question, rules) is None


def test_find_folder_fills_department_and_fiscal_year(rules):
    answer = find_folder("議会答弁の資料はどこに保存する?", rules, department="総務課", fiscal_year=2024)
    assert answer.path == "共有フォルダ/総務課/{係}/2024年度/02_議会/"
    assert answer.missing == ("係",)
    assert answer.retention == "10年"
    assert find_folder("今年度の会議録はどこ?", rules, today=date(2025, 6, 30)).path.endswith("/2025年度/05_会議/")
    assert find_folder("今年度の会議録はどこ?", rules, today=date(2026, 3, 31)).path.endswith("/2025年度/05_会議/")
    assert find_folder("来年度の予算要求はどこに保存?", rules, today=date(2026, 4, 1)).path.endswith("/2027年度/01_予算/")
    assert find_folder("会議録はどこ?", rules, fiscal_year="令和7年度").path.endswith("/2025年度/05_会議/")
    assert set(answer.to_dict()) >= {"path", "folder", "keyword", "retention", "section", "source", "citation_id"}


# ---------------------------------------------------------------------------- chat messages

EXTRACTIONS = [
    ("このファイル名はルールに合ってる？ 20240401_予算要求資料_v2.xlsx", "20240401_予算要求資料_v2.xlsx"),
    ("check 令和6年4月1日 予算資料.xlsx", "令和6年4月1日 予算資料.xlsx"),
    ("20240401_予算要求資料_v2.xlsx って大丈夫？", "20240401_予算要求資料_v2.xlsx"),
    ("20240401_予算要求資料_v2.xlsxって大丈夫？", "20240401_予算要求資料_v2.xlsx"),
    ("ファイル名は20240401_予算_資料_v1.xlsxで大丈夫？", "20240401_予算_資料_v1.xlsx"),
    ("「令和6年4月1日 予算資料（最終版）.xlsx」はルールに合ってる？", "令和6年4月1日 予算資料（最終版）.xlsx"),
    ("`20240401 予算 資料.xlsx` ok?", "20240401 予算 資料.xlsx"),
    ('"予算 資料 final.docx" でいい?', "予算 資料 final.docx"),
    ("「予算資料 最終版」というファイル名はだめ?", "予算資料 最終版"),
    ("令和6年4月1日 予算資料.xlsx はルール違反？", "令和6年4月1日 予算資料.xlsx"),
    ("20240401_予算_資料_v1 でいい？", "20240401_予算_資料_v1"),
    ("チェック 予算資料 最終版", "予算資料 最終版"),
    ("check: 20240401_予算_資料_v1.xlsx", "20240401_予算_資料_v1.xlsx"),
    ("20240401_予算_資料_v1.xlsx", "20240401_予算_資料_v1.xlsx"),
    ("この名前で大丈夫? ２０２４０４０１＿予算＿資料＿ｖ１．ｘｌｓｘ", "２０２４０４０１＿予算＿資料＿ｖ１．ｘｌｓｘ"),
    ("\\\\aoba-fs01\\共有\\財政課\\20240401_予算_資料_v1.xlsx は合ってる？", "20240401_予算_資料_v1.xlsx"),
    # Not requests to check a name.
    ("共有フォルダのファイル名のルールは?", None),
    ("時間外勤務の申請はいつまで?", None),
    ("予算要求の資料はどこに保存する?", None),
    ("予算資料.xlsx はどこに保存すればいい?", None),  # a folder question, not a check
    ("拡張子 .xlsx は使える?", None),
    ("Excel(.xlsx)で保存していい?", None),
    ("report.pdfを送って", None),
    ("「粗大ごみ」の出し方", None),
    ("www.city.aoba.example.lg.jp を見て", None),
    ("確認したいのですが、時間外勤務の申請は?", None),
    ("", None),
]


@pytest.mark.parametrize("text, expected", EXTRACTIONS)
def test_extract_file_name(rules, text, expected):
    assert extract_file_name(text, rules) == expected


def test_extract_file_name_loads_the_default_rules():
    assert extract_file_name("20240401_予算要求資料_v2.xlsx って大丈夫？") == "20240401_予算要求資料_v2.xlsx"


# ---------------------------------------------------------------------------- replies


def test_check_reply_cites_the_sections_of_the_broken_rules(rules):
    reply = format_check_reply(check_file_name("令和6年4月1日 予算資料.xlsx", rules, today=TODAY), rules)
    assert reply.startswith("「令和6年4月1日 予算資料.xlsx」はルールに合っていないところがあります。")
    assert "直した例：20240401_予算資料_v1.xlsx" in reply
    assert "出典：共有フォルダのファイル名・フォルダ構成ルール「日付の書き方」" in reply
    ok = format_check_reply(check_file_name("20240401_予算_資料_v1.xlsx", rules), rules)
    assert ok.startswith("「20240401_予算_資料_v1.xlsx」はルールに合っています。")
    unfixable = format_check_reply(check_file_name("20240401_予算_資料_v1.exe", rules), rules)
    assert "自動で直した名前は作れませんでした" in unfixable


def test_folder_reply(rules):
    reply = format_folder_reply(find_folder("議会答弁の資料はどこ?", rules, "総務課", 2024), rules)
    assert "共有フォルダ/総務課/{係}/2024年度/02_議会/" in reply
    assert "{係}の部分は" in reply
    assert "10年" in reply
    assert "「業務分類ごとの保存先」" in reply


# ---------------------------------------------------------------------------- the guide


def test_committed_guide_is_generated_from_the_rules(rules):
    """The guide the bot cites and the checker it runs cannot disagree.

    If this fails after editing the rules, regenerate the guide:
        python -m bot.staff.naming_rules render > knowledge/guides/staff/shared-folder-rules.md
    """
    assert GUIDE_PATH.read_text(encoding="utf-8") == render_guide_markdown(rules)


def test_guide_front_matter_and_sections(rules):
    guide = render_guide_markdown(rules)
    assert guide.startswith("---\ntitle: 共有フォルダのファイル名・フォルダ構成ルール\naudience: staff\n"
                            "department: 情報政策課\ncategory: 庁内ルール\nupdated: 2026-04-01\n"
                            "review_by: 2027-03-31\n---\n# 共有フォルダのファイル名・フォルダ構成ルール\n\n"
                            "> このルールはあおば市（架空の市）のサンプルです。knowledge/rules/shared-folder.toml から生成しています。\n")
    headings = re.findall(r"^## (.+)$", guide, flags=re.MULTILINE)
    assert headings == ["フォルダ構成", "ファイル名の付け方", "使えない文字", "長さの上限", "版の付け方", "日付の書き方",
                        "保存年限", "業務分類ごとの保存先", "例"]
    for rule in rules.rules:
        assert rule.description in guide
    for category in rules.categories:
        assert f"| {category.folder} |" in guide
    assert "| `令和6年4月1日 予算要求資料（最終版）.xlsx` |" in guide
    assert "`20240401_予算要求資料_v1.xlsx`" in guide


def test_guide_loads_as_a_staff_guide_with_citable_sections(rules):
    from indexing.loaders.markdown_guides import load_markdown_guide
    from indexing.loaders.source_metadata import SourceMetadata

    entries = load_markdown_guide(GUIDE_PATH, SourceMetadata())
    ids = {e.id for e in entries}
    assert all(e.audience == "staff" and e.department == "情報政策課" for e in entries)
    for rule in rules.rules:
        assert rules.citation_id(rules.section_title(rule.id)) in ids
    assert find_folder("予算要求の資料はどこ?", rules).citation_id in ids


# ---------------------------------------------------------------------------- the rules file


def test_default_path_is_the_committed_rules_file():
    assert DEFAULT_RULES_PATH == RULES_PATH
    rules = parse_naming_rules(RULES_PATH.read_text(encoding="utf-8"))
    assert [r.id for r in rules.rules] == [r.id for r in load_naming_rules().rules]


def test_every_rule_has_a_title_description_and_a_known_section(rules):
    section_ids = {s.id for s in rules.sections}
    for rule in rules.rules:
        assert rule.title and rule.description and rule.section in section_ids


@pytest.mark.parametrize("edit, problem", [
    (lambda t: t.replace('too_long = "ファイル名が', 'too_short = "ファイル名が'), "too_long"),
    (lambda t: t.replace('section = "date"\ntitle = "日付"', 'section = "dates"\ntitle = "日付"'), "dates"),
    (lambda t: t.replace('retention = "3y"', 'retention = "4y"'), "4y"),
    (lambda t: t.replace("[meta]", "[meta"), "invalid TOML"),
    (lambda t: t.replace("updated = 2026-04-01", 'updated = "2026-04-01"'), "meta.updated"),
])
def test_broken_rules_files_are_reported(edit, problem):
    with pytest.raises(NamingRulesError, match=re.escape(problem)):
        parse_naming_rules(edit(RULES_PATH.read_text(encoding="utf-8")))


def test_missing_rules_file_is_reported(tmp_path):
    with pytest.raises(NamingRulesError):
        load_naming_rules(tmp_path / "nothing.toml")


# ---------------------------------------------------------------------------- command line


def test_cli_render_prints_the_guide(capsys, rules):
    assert main(["render", str(RULES_PATH)]) == 0
    assert capsys.readouterr().out == render_guide_markdown(rules)


def test_cli_render_writes_a_file(tmp_path, rules):
    out = tmp_path / "guide.md"
    assert main(["render", "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == render_guide_markdown(rules)


def test_cli_check_json(capsys, rules):
    assert main(["check", "令和6年4月1日 予算資料.xlsx", "--today", "2025-06-30", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == check_file_name("令和6年4月1日 予算資料.xlsx", rules, today=TODAY).to_dict()


def test_cli_where(capsys):
    assert main(["where", "議会答弁の資料はどこ?", "--department", "総務課", "--fiscal-year", "2024", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["path"] == "共有フォルダ/総務課/{係}/2024年度/02_議会/"


def test_cli_bad_input_exits_2(capsys, tmp_path):
    assert main(["check", "x.xlsx", "--rules", str(tmp_path / "missing.toml")]) == 2
    assert "error" in capsys.readouterr().err
    assert main(["check", "x.xlsx", "--today", "2025-13-01"]) == 2


def test_a_missing_date_is_todays_date_in_japan_whatever_the_servers_time_zone(rules, monkeypatch):
    from datetime import datetime, timezone

    import indexing.dates

    class LateEveningUtc(datetime):
        @classmethod
        def now(cls, tz=None):  # 2031-03-31 22:30 UTC is 2031-04-01 07:30 in Japan (far from any real today)
            return datetime(2031, 3, 31, 22, 30, tzinfo=timezone.utc).astimezone(tz)

    monkeypatch.setattr(indexing.dates, "datetime", LateEveningUtc)
    assert check_file_name("予算資料.xlsx", rules).suggestion.startswith("20310401_")
