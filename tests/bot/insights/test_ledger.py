"""The communication-time ledger: configuration, validation and the minutes-saved formula."""
from datetime import date

import pytest

from bot.insights.ledger import (
    DEFAULTS_FILE, LedgerConfigError, compute_ledger, formula_text, ledger_config_for, load_ledger_config,
    months_in_period,
)
from indexing.settings import Settings


@pytest.fixture
def defaults():
    return load_ledger_config(environ={})


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def row(channel="line", category="ごみ・リサイクル", department="ごみ減量推進課", abstained=0, feedback=None,
        escalated=0):
    return {"channel": channel, "category": category, "department": department, "abstained": abstained,
            "feedback": feedback, "escalated": escalated}


# --- defaults and overrides -------------------------------------------------------------------

def test_shipped_defaults(defaults):
    assert defaults.target_reduction == 0.2
    assert defaults.no_feedback_weight == 0.5
    assert dict(defaults.channel_minutes) == {"line": 6.0, "web": 6.0, "slack": 4.0}
    assert defaults.default_minutes == 5.0
    assert defaults.excluded_channels == ("cli",)
    assert dict(defaults.department_baseline) == {}
    assert defaults.timezone == "Asia/Tokyo"
    assert defaults.sources == (str(DEFAULTS_FILE),)


def test_the_defaults_file_explains_the_no_feedback_weight():
    text = DEFAULTS_FILE.read_text(encoding="utf-8")
    assert "Why 0.5" in text and "MADOGUCHI_LEDGER_CONFIG" in text and "minutes saved =" in text


def test_minutes_precedence(tmp_path):
    write(tmp_path / "ledger.toml", """
[minutes]
default = 3
[minutes.category]
"住民票・戸籍・印鑑証明" = 8
[minutes.channel_category.slack]
"勤務・服務" = 5
""")
    config = load_ledger_config(tmp_path, environ={})
    assert config.minutes_for("slack", "勤務・服務") == 5        # channel × category
    assert config.minutes_for("line", "住民票・戸籍・印鑑証明") == 8  # category
    assert config.minutes_for("slack", "ICT") == 4               # channel (default file)
    assert config.minutes_for("teams", "ICT") == 3                # default (overridden)
    assert config.minutes_for("cli", "住民票・戸籍・印鑑証明") == 0   # excluded channel, whatever the category


def test_weights(defaults):
    assert defaults.weight(row(feedback="resolved")) == 1
    assert defaults.weight(row(feedback=None)) == 0.5
    assert defaults.weight(row(feedback="unresolved")) == 0
    assert defaults.weight(row(feedback="resolved", escalated=1)) == 0  # a person handled it anyway
    assert defaults.weight(row(abstained=1, feedback="resolved")) == 0


def test_override_file_in_the_data_dir_changes_only_its_keys(tmp_path):
    write(tmp_path / "ledger.toml", "target_reduction = 0.25\n[minutes.channel]\nline = 7\n")
    config = load_ledger_config(tmp_path, environ={})
    assert config.target_reduction == 0.25 and config.channel_minutes["line"] == 7
    assert config.channel_minutes["slack"] == 4 and config.no_feedback_weight == 0.5
    assert config.sources[-1] == str(tmp_path / "ledger.toml")


def test_environment_variable_wins_over_the_data_dir_file(tmp_path):
    write(tmp_path / "ledger.toml", "target_reduction = 0.25\n")
    named = write(tmp_path / "city.toml", "target_reduction = 0.3\n")
    assert load_ledger_config(tmp_path, environ={"MADOGUCHI_LEDGER_CONFIG": str(named)}).target_reduction == 0.3
    settings = Settings.from_env({"MADOGUCHI_LEDGER_CONFIG": str(named)}, data_dir=tmp_path)
    assert ledger_config_for(settings).target_reduction == 0.3
    assert ledger_config_for(Settings.from_env({}, data_dir=tmp_path)).target_reduction == 0.25


def test_a_named_file_that_does_not_exist_is_an_error(tmp_path):
    with pytest.raises(LedgerConfigError, match="nowhere.toml: ledger config file not found"):
        load_ledger_config(tmp_path, environ={"MADOGUCHI_LEDGER_CONFIG": str(tmp_path / "nowhere.toml")})


@pytest.mark.parametrize("text,key", [
    ('[minutes.channel]\nline = "six"\n', "minutes.channel.line"),
    ("target_reduction = 20\n", "target_reduction"),
    ("target_reduction = 0\n", "target_reduction"),
    ("[feedback]\nno_feedback_weight = 1.5\n", "feedback.no_feedback_weight"),
    ("[feedback]\nweight = 0.5\n", "feedback.weight"),
    ("target = 0.2\n", "unknown key target"),
    ('[minutes.category]\n"住民票" = -1\n', 'minutes.category."住民票"'),
    ("[minutes]\ndefault = true\n", "minutes.default"),
    ('[minutes]\nexcluded_channels = "cli"\n', "minutes.excluded_channels"),
    ("[minutes.channel_category]\nslack = 4\n", "minutes.channel_category.slack"),
    ("[minutes.chanel]\nline = 6\n", "unknown key minutes.chanel"),
    ('[baseline.department]\n"市民課" = 0\n', 'baseline.department."市民課"'),
    ("[baseline]\nmonthly = 100\n", "baseline.monthly"),
    ('[report]\ntimezone = "Mars/Olympus"\n', "report.timezone"),
    ("schema_version = 2\n", "schema_version"),
])
def test_validation_errors_name_the_file_and_the_key(tmp_path, text, key):
    path = write(tmp_path / "ledger.toml", text)
    with pytest.raises(LedgerConfigError) as error:
        load_ledger_config(tmp_path, environ={})
    message = str(error.value)
    assert message.startswith(f"{path}: ") and key in message and "\n" not in message


def test_invalid_toml_names_the_file(tmp_path):
    path = write(tmp_path / "ledger.toml", "[minutes\nline = 6\n")
    with pytest.raises(LedgerConfigError, match="invalid TOML"):
        load_ledger_config(tmp_path, environ={})
    with pytest.raises(LedgerConfigError, match=str(path)):
        load_ledger_config(tmp_path, environ={})


# --- the computation --------------------------------------------------------------------------

def test_minutes_saved_follow_the_formula(defaults):
    rows = ([row("line", feedback="resolved")] * 3           # 3 × 6 × 1   = 18
            + [row("line")] * 4                               # 4 × 6 × 0.5 = 12
            + [row("line", feedback="unresolved")] * 2        # 0
            + [row("line", escalated=1)]                      # 0
            + [row("line", abstained=1)] * 5                  # 0
            + [row("slack", "勤務・服務", "総務課", feedback="resolved")] * 2  # 2 × 4 = 8
            + [row("slack", "勤務・服務", "総務課")]           # 1 × 4 × 0.5 = 2
            + [row("web")]                                    # 6 × 0.5 = 3
            + [row("cli", feedback="resolved")] * 7           # excluded: 0
            + [row("teams", feedback="resolved")])            # default 5
    ledger = compute_ledger(rows, defaults, date(2026, 10, 1), date(2026, 10, 31))
    assert ledger["minutes_saved"] == 18 + 12 + 8 + 2 + 3 + 5 == 48
    assert ledger["hours_saved"] == 0.8
    assert ledger["minutes_saved_lower"] == 18 + 8 + 5       # unrated counted as 0
    assert ledger["minutes_saved_upper"] == 18 + 24 + 8 + 4 + 6 + 5  # unrated counted as 1
    line = next(c for c in ledger["by_channel"] if c["channel"] == "line")
    assert (line["answered"], line["resolved"], line["no_feedback"], line["zero_weight"]) == (10, 3, 4, 3)
    assert (line["minutes_per_inquiry"], line["weighted_inquiries"], line["minutes_saved"]) == (6, 5.0, 30)
    cli = next(c for c in ledger["by_channel"] if c["channel"] == "cli")
    assert cli["excluded"] and cli["minutes_saved"] == 0
    assert [c["channel"] for c in ledger["by_channel"]] == ["line", "web", "slack", "cli", "teams"]
    assert ledger["baseline"] is None
    assert "解決した＝1" in ledger["formula"] and "評価なし＝0.5" in ledger["formula"]


def test_no_feedback_weight_is_configurable(tmp_path):
    write(tmp_path / "ledger.toml", "[feedback]\nno_feedback_weight = 0.25\n")
    config = load_ledger_config(tmp_path, environ={})
    ledger = compute_ledger([row(), row(feedback="resolved")], config, date(2026, 10, 1), date(2026, 10, 1))
    assert ledger["minutes_saved"] == 6 * 0.25 + 6
    assert "評価なし＝0.25" in formula_text(config)


def test_months_in_period():
    assert months_in_period(date(2026, 10, 1), date(2026, 10, 31)) == pytest.approx(1.0)
    assert months_in_period(date(2026, 10, 1), date(2026, 10, 15)) == pytest.approx(15 / 31)
    assert months_in_period(date(2026, 1, 31), date(2026, 2, 1)) == pytest.approx(1 / 31 + 1 / 28)
    assert months_in_period(date(2026, 1, 1), date(2026, 12, 31)) == pytest.approx(12.0)


def test_reduction_against_the_target(tmp_path):
    write(tmp_path / "ledger.toml", """
[baseline.department]
"ごみ減量推進課" = 100
"市民課" = 300
""")
    config = load_ledger_config(tmp_path, environ={})
    rows = ([row(feedback="resolved")] * 5                                        # 30 min for ごみ
            + [row(category="届出・証明", department="市民生活部 市民課", feedback="resolved")] * 5  # 30 min
            + [row(category="保育", department="保育課", feedback="resolved")] * 10)  # no baseline
    ledger = compute_ledger(rows, config, date(2026, 10, 1), date(2026, 10, 31))
    baseline = ledger["baseline"]
    assert baseline["months"] == 1.0 and baseline["baseline_minutes"] == 400
    assert baseline["minutes_saved"] == 60 and baseline["reduction"] == 0.15 and baseline["achieved"] is False
    by_department = {d["department"]: d for d in baseline["departments"]}
    assert by_department["ごみ減量推進課"]["reduction"] == 0.3 and by_department["ごみ減量推進課"]["achieved"]
    assert by_department["市民課"]["reduction"] == 0.1 and not by_department["市民課"]["achieved"]
    assert ledger["minutes_saved"] == 120  # the department without a baseline still saves time
    assert "削減率" in ledger["formula"] and "目標 20%" in ledger["formula"]
    half = compute_ledger(rows, config, date(2026, 10, 1), date(2026, 10, 15))["baseline"]
    assert half["baseline_minutes"] == round(400 * 15 / 31, 1)


def test_ticket_figures_count_staff_minutes_per_department_and_per_ticket():
    from bot.insights.ledger import compute_ticket_figures, parse_ledger_config
    from bot.insights.ledger import _merge, _read_toml

    config = parse_ledger_config(_merge(_read_toml(DEFAULTS_FILE), {"tickets": {"minutes": 10.0,
                                                                                "department": {"市民課": 20.0}}}))
    created = "2026-10-01T00:00:00+00:00"
    tickets = [
        {"state": "closed", "department": "市民課", "created_at": created, "answered_at": "2026-10-01T01:00:00+00:00",
         "rating": "resolved", "staff_minutes": None},
        {"state": "answered", "department": "税務課", "created_at": created, "answered_at": "2026-10-01T03:00:00+00:00",
         "staff_minutes": 25.0},
        {"state": "declined", "department": "税務課", "created_at": created, "answered_at": ""},
        {"state": "expired", "department": "市民課", "created_at": created, "answered_at": ""},
        {"state": "open", "department": "市民課", "created_at": created, "answered_at": ""},
    ]
    figures = compute_ticket_figures(tickets, config, minutes_saved=100.0)
    assert (figures["opened"], figures["answered"], figures["declined"], figures["expired"], figures["open"]) == \
        (5, 2, 1, 1, 1)
    assert figures["median_minutes_to_answer"] == 120.0       # 60 and 180 minutes
    assert figures["staff_minutes"] == 20.0 + 25.0 + 10.0      # department, own record, default (declined)
    assert figures["net_minutes_saved"] == 45.0 and figures["rated_resolved"] == 1
    with pytest.raises(LedgerConfigError):
        parse_ledger_config(_merge(_read_toml(DEFAULTS_FILE), {"tickets": {"minute": 3}}))
