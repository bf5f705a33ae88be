"""Inquiry and time-saved reports for managers: the figures (rendered by ``report_render``).

Stable API (the CLI ``madoguchi report`` and the admin UI's reports page call it)::

    build_report(source, date_from=None, date_to=None, config=None, tickets=None) -> Report
        source     a data dir (str or Path), an InquiryLog, or a sqlite_utils.Database
        date_from  first day (date or "YYYY-MM-DD"), inclusive; default: day of the first inquiry
        date_to    last day, inclusive; default: day of the last inquiry (today if the log is empty)
        config     a bot.ledger.LedgerConfig; default: load_ledger_config(data dir)
        tickets    reads the questions handed to staff: a callable (since, until) → ticket rows
                   (bot.handoff.store.TicketStore.rows), UTC ISO bounds; None: no ticket figures
        Days are calendar days in the ledger's report.timezone (Asia/Tokyo by default).
        Raises ReportError (a ValueError) for a bad date (or one outside 2000-01-01..2199-12-31), from > to,
        a period longer than MAX_REPORT_DAYS, or a missing data dir.
        An empty period gives a valid Report whose total_inquiries is 0 (``report.empty``).

    The renderers live in ``bot.insights.report_render``:
    render_html(report, standalone=True) -> str   a printable page, charts as inline SVG
    render_csv(report, bom=False) -> str          long format: section,key,metric,value
    render_json(report) -> str                    report.to_dict() as JSON

Definitions (printed in the HTML report too):

    answered    the bot answered: not abstained (answer kinds answer, name_check, folder)
    abstained   the bot said it could not answer (including empty and over-long questions, and
                greetings or thanks, which ask nothing; these are left out of the list of unanswered
                questions)
    resolved    the user pressed 解決した;  unresolved: the user pressed 解決しない
    answer_rate       = answered / total_inquiries
    abstain_rate      = abstained / total_inquiries
    question_answer_rate = answered / (total_inquiries - messages that ask nothing: empty, too long,
                           greetings and thanks, crisis lines shown, a request for a person)
    feedback_rate     = (resolved + unresolved) / total_inquiries
    resolution_rate   = resolved / (resolved + unresolved)       (among inquiries with feedback)
    unresolved_rate   = unresolved / (resolved + unresolved)
    escalation_rate   = escalated / total_inquiries
    A rate whose denominator is 0 is null (shown as "—").

Minutes saved follow bot.ledger (the formula is in ``report.formula`` and in every output).
The JSON's top-level keys include total_inquiries, by_channel, answered, abstained, resolved,
unresolved, minutes_saved and formula; other tools read them.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Iterable, Mapping

from bot.answering.answer import NO_GAP_KINDS, NOT_QUESTION_KINDS
from bot.insights.ledger import (CHANNEL_NAMES, LedgerConfig, channel_order, compute_ledger, compute_ticket_figures,
                                 load_ledger_config)
from bot.insights.masking import mask_personal_data

TOP_GROUPS = 20            # question groups kept in the report (HTML shows the first 10)
SIMILARITY_THRESHOLD = 0.6  # Jaccard of content words (or of reading bigrams) to join a group
WEEKDAYS = "月火水木金土日"
UNCATEGORIZED = "（未分類）"
NO_DEPARTMENT = "（所管課なし）"


class ReportError(ValueError):
    """Bad report input (dates, data dir); the message is one line."""


@dataclass(frozen=True)
class Report:
    period: dict
    generated_at: str
    total_inquiries: int
    by_channel: dict
    answered: int
    abstained: int
    resolved: int
    unresolved: int
    no_feedback: int
    escalated: int
    rates: dict
    channels: list
    daily: list
    weekly: list
    monthly: list
    categories: list
    departments: list
    unanswered_questions: list
    unresolved_questions: list
    minutes_saved: float
    hours_saved: float
    ledger: dict
    formula: str
    definitions: dict
    notes: list = field(default_factory=list)
    # Inquiries per question language (BCP-47 code → count), and their answer/resolution figures.
    by_language: dict = field(default_factory=dict)
    languages: list = field(default_factory=list)
    # Questions handed to staff (bot.insights.ledger.compute_ticket_figures); {} when not read.
    tickets: dict = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return self.total_inquiries == 0

    def to_dict(self) -> dict:
        return asdict(self)


DEFINITIONS = {
    "answered": "回答できた：ボットが回答した問い合わせ（「わかりません」と答えたものを除く）",
    "abstained": "回答できなかった：ボットが「わかりません」と答え、担当課を案内した問い合わせ（空欄・長すぎる質問と、あいさつ・お礼だけのメッセージを含む）",
    "resolved": "解決した：利用者が「解決した」を押した問い合わせ",
    "unresolved": "解決しない：利用者が「解決しない」を押した問い合わせ",
    "answer_rate": "回答率 ＝ 回答できた ÷ 問い合わせ件数",
    "abstain_rate": "回答できなかった割合 ＝ 回答できなかった ÷ 問い合わせ件数",
    "question_answer_rate": "質問への回答率 ＝ 回答できた ÷（問い合わせ件数 − 空欄・長すぎる質問、あいさつ・お礼、相談窓口の案内、職員への取り次ぎ希望）",
    "feedback_rate": "評価率 ＝（解決した＋解決しない）÷ 問い合わせ件数",
    "resolution_rate": "解決率 ＝ 解決した ÷（解決した＋解決しない）※評価のあった問い合わせのうち",
    "unresolved_rate": "未解決率 ＝ 解決しない ÷（解決した＋解決しない）",
    "escalation_rate": "引き継ぎ率 ＝ 職員へ引き継いだ ÷ 問い合わせ件数",
}


# --- dates ---------------------------------------------------------------------------------------

# The days a report may cover: an inquiry log's (0001-01-01 overflowed the time-zone arithmetic), and at most
# about ten years at once (a period of a thousand years was a 15 MB page).
FIRST_REPORT_DAY, LAST_REPORT_DAY = date(2000, 1, 1), date(2199, 12, 31)
MAX_REPORT_DAYS = 3660


# What the report lists as unanswered: the review queue's gaps, and a question too long to answer too (the
# DX office sees what residents wrote at length).
_NOT_GAPS = frozenset(NO_GAP_KINDS) - {"too_long"}


def parse_report_date(value: str | date | None, name: str = "date") -> date | None:
    """A YYYY-MM-DD string (or a date) as a date; ReportError naming ``name`` otherwise."""
    if value is None or isinstance(value, date) and not isinstance(value, datetime):
        parsed = value
    else:
        text = str(value).strip()
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ReportError(f"{name}: {text!r} is not a date in the form YYYY-MM-DD")
        try:
            parsed = date.fromisoformat(text)
        except ValueError:
            raise ReportError(f"{name}: {text!r} is not a valid date (YYYY-MM-DD)") from None
    if parsed is not None and not FIRST_REPORT_DAY <= parsed <= LAST_REPORT_DAY:
        raise ReportError(f"{name}: {parsed} is outside {FIRST_REPORT_DAY}..{LAST_REPORT_DAY}")
    return parsed


def _local_day(asked_at: str, tz) -> date:
    moment = datetime.fromisoformat(asked_at)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(tz).date()


def _day_start_utc(day: date, tz) -> datetime:
    return datetime.combine(day, time.min, tzinfo=tz).astimezone(timezone.utc)


# --- reading -------------------------------------------------------------------------------------

@contextmanager
def _opened(source):
    """(rows reader, bounds reader, data dir or None, pending spool count) for a report source."""
    from bot.insights.inquiry_log import InquiryLog, asked_at_bounds, read_inquiries
    from indexing.storage import database_exists

    owned = None
    if isinstance(source, InquiryLog):
        log = source
    elif hasattr(source, "query") and hasattr(source, "table_names"):  # a sqlite_utils.Database
        yield (lambda a, b: read_inquiries(source, a, b)), (lambda: asked_at_bounds(source)), None, 0
        return
    else:
        data_dir = Path(source)
        if not data_dir.is_dir():
            raise ReportError(f"data dir {data_dir} not found")
        if not database_exists(data_dir):  # nothing logged yet: an empty report, no database created
            yield (lambda a, b: []), (lambda: None), data_dir, 0
            return
        log = owned = InquiryLog(data_dir)
    try:
        try:  # rows spooled while the database was busy belong in the report
            log.replay_spool()
        except Exception:
            pass
        yield log.inquiries, log.asked_at_bounds, log.data_dir, log.pending()
    finally:
        if owned is not None:
            owned.close()


def build_report(source, date_from: date | str | None = None, date_to: date | str | None = None,
                 config: LedgerConfig | None = None, tickets=None, *, now: datetime | None = None) -> Report:
    """Figures for the days ``date_from``..``date_to`` (inclusive); see the module docstring."""
    date_from = parse_report_date(date_from, "--from")
    date_to = parse_report_date(date_to, "--to")
    if date_from and date_to and date_from > date_to:
        raise ReportError(f"--from {date_from} is after --to {date_to}")
    now = now or datetime.now(timezone.utc)
    with _opened(source) as (read_rows, read_bounds, data_dir, pending):
        if config is None:
            config = load_ledger_config(data_dir)
        tz = config.tz()
        if date_from is None or date_to is None:
            bounds = read_bounds()
            today = now.astimezone(tz).date()
            first, last = ((_local_day(bounds[0], tz), _local_day(bounds[1], tz)) if bounds else (today, today))
            # A bound taken from the log keeps the period within MAX_REPORT_DAYS (a row stamped 1970 by a
            # reset clock does not stretch the default report over 56 years).
            given_from = date_from
            date_to = date_to or min(max(last, date_from or last), LAST_REPORT_DAY,
                                     *([date_from + timedelta(days=MAX_REPORT_DAYS - 1)] if date_from else []))
            date_from = given_from or max(min(first, date_to), date_to - timedelta(days=MAX_REPORT_DAYS - 1),
                                          FIRST_REPORT_DAY)
        if (date_to - date_from).days >= MAX_REPORT_DAYS:
            raise ReportError(f"the period {date_from}..{date_to} is longer than {MAX_REPORT_DAYS} days: "
                              "report a shorter period")
        # Widen the query by a day each side and filter exactly on the local day, so that rows
        # stored with an unusual offset are still placed on the right day.
        since = _day_start_utc(date_from, tz) - timedelta(days=1)
        until = _day_start_utc(date_to + timedelta(days=1), tz) + timedelta(days=1)
        rows = []
        for row in read_rows(since, until):
            try:
                day = _local_day(row["asked_at"], tz)
            except (TypeError, ValueError):
                continue
            if date_from <= day <= date_to:
                rows.append({**row, "_day": day})
    ticket_rows = None
    if tickets is not None:
        ticket_rows = [t for t in tickets(since.isoformat(), until.isoformat())
                       if date_from <= _local_day(t["created_at"], tz) <= date_to]
    notes = []
    if pending:
        notes.append(f"データベースに書き込めず一時保存されている問い合わせが {pending} 件あり、この集計には含まれていません。")
    report = _assemble(rows, date_from, date_to, config, now, notes)
    if ticket_rows is None:
        return report
    from dataclasses import replace

    return replace(report, tickets=compute_ticket_figures(ticket_rows, config, report.minutes_saved,
                                                          report.ledger.get("baseline")))


def _rate(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def _counts(rows: Iterable[Mapping]) -> dict:
    total = answered = resolved = unresolved = escalated = no_feedback = not_questions = 0
    for row in rows:
        total += 1
        not_questions += row.get("answer_kind") in NOT_QUESTION_KINDS
        if not row.get("abstained"):
            answered += 1
            if not row.get("feedback"):
                no_feedback += 1
        resolved += row.get("feedback") == "resolved"
        unresolved += row.get("feedback") == "unresolved"
        escalated += bool(row.get("escalated"))
    rated = resolved + unresolved
    return {
        "total": total, "answered": answered, "abstained": total - answered, "resolved": resolved,
        "unresolved": unresolved, "no_feedback": no_feedback, "escalated": escalated,
        "answer_rate": _rate(answered, total), "abstain_rate": _rate(total - answered, total),
        "question_answer_rate": _rate(answered, total - not_questions),
        "feedback_rate": _rate(rated, total), "resolution_rate": _rate(resolved, rated),
        "unresolved_rate": _rate(unresolved, rated), "escalation_rate": _rate(escalated, total),
    }


def _assemble(rows: list[dict], date_from: date, date_to: date, config: LedgerConfig, now: datetime,
              notes: list[str]) -> Report:
    ledger = compute_ledger(rows, config, date_from, date_to)
    totals = _counts(rows)
    channel_names = sorted({r["channel"] or "" for r in rows}, key=channel_order)
    by_channel_rows = defaultdict(list)
    for row in rows:
        by_channel_rows[row["channel"] or ""].append(row)
    saved_by_channel = {c["channel"]: c["minutes_saved"] for c in ledger["by_channel"]}
    channels = [{"channel": name, "label": CHANNEL_NAMES.get(name, name), **_counts(by_channel_rows[name]),
                 "minutes_saved": saved_by_channel.get(name, 0.0),
                 "excluded_from_savings": name in config.excluded_channels}
                for name in channel_names]

    days = [date_from + timedelta(days=i) for i in range((date_to - date_from).days + 1)]
    per_day = defaultdict(list)
    for row in rows:
        per_day[row["_day"]].append(row)
    daily = []
    for day in days:
        day_rows = per_day.get(day, [])
        counts = Counter(r["channel"] or "" for r in day_rows)
        daily.append({"date": day.isoformat(), "weekday": WEEKDAYS[day.weekday()], "total": len(day_rows),
                      "by_channel": {c: counts.get(c, 0) for c in channel_names},
                      "answered": sum(1 for r in day_rows if not r.get("abstained")),
                      "abstained": sum(1 for r in day_rows if r.get("abstained"))})

    weekly = []
    week_start = date_from
    while week_start <= date_to:
        week_end = min(date_to, week_start + timedelta(days=6 - week_start.weekday()))  # weeks end on Sunday
        week_rows = [r for d in range((week_end - week_start).days + 1)
                     for r in per_day.get(week_start + timedelta(days=d), [])]
        counts = _counts(week_rows)
        by_ch = Counter(r["channel"] or "" for r in week_rows)
        weekly.append({"week_start": week_start.isoformat(), "week_end": week_end.isoformat(),
                       "days": (week_end - week_start).days + 1, **counts,
                       "by_channel": {c: by_ch.get(c, 0) for c in channel_names},
                       "minutes_saved": compute_ledger(week_rows, config, week_start, week_end)["minutes_saved"]})
        week_start = week_end + timedelta(days=1)

    monthly = []
    month_start = date_from
    while month_start <= date_to:
        month_end = min(date_to, _month_end(month_start))
        month_rows = [r for r in rows if month_start <= r["_day"] <= month_end]
        counts = _counts(month_rows)
        by_ch = Counter(r["channel"] or "" for r in month_rows)
        monthly.append({"month": month_start.strftime("%Y-%m"), "from": month_start.isoformat(),
                        "to": month_end.isoformat(), "days": (month_end - month_start).days + 1, **counts,
                        "by_channel": {c: by_ch.get(c, 0) for c in channel_names},
                        "minutes_saved": compute_ledger(month_rows, config, month_start, month_end)["minutes_saved"]})
        month_start = month_end + timedelta(days=1)

    languages = _by_language(rows)
    categories = _breakdown(rows, "category", UNCATEGORIZED, ledger["by_category"])
    departments = _breakdown(rows, "department", NO_DEPARTMENT, ledger["by_department"])
    # What the bot could not answer, to write new entries for (see _NOT_GAPS); the rest is counted above all
    # the same.
    unanswered = group_similar_questions([r for r in rows if r.get("abstained")
                                          and r.get("answer_kind") not in _NOT_GAPS])
    unresolved = group_similar_questions([r for r in rows if r.get("feedback") == "unresolved"], comments=True)

    excluded = [c for c in channels if c["excluded_from_savings"] and c["total"]]
    for c in excluded:
        notes.append(f"{c['label']} の {c['total']} 件は職員による動作確認のため、削減時間には数えていません。")

    return Report(
        period={"from": date_from.isoformat(), "to": date_to.isoformat(), "days": len(days),
                "timezone": config.timezone},
        generated_at=now.astimezone(config.tz()).isoformat(timespec="seconds"),
        total_inquiries=totals["total"],
        by_channel={c["channel"]: c["total"] for c in channels},
        answered=totals["answered"], abstained=totals["abstained"], resolved=totals["resolved"],
        unresolved=totals["unresolved"], no_feedback=totals["no_feedback"], escalated=totals["escalated"],
        rates={k: totals[k] for k in ("answer_rate", "abstain_rate", "question_answer_rate", "feedback_rate",
                                      "resolution_rate", "unresolved_rate", "escalation_rate")},
        channels=channels, daily=daily, weekly=weekly, monthly=monthly, categories=categories, departments=departments,
        unanswered_questions=unanswered[:TOP_GROUPS], unresolved_questions=unresolved[:TOP_GROUPS],
        minutes_saved=ledger["minutes_saved"], hours_saved=ledger["hours_saved"],
        ledger={k: v for k, v in ledger.items() if k not in ("by_category", "by_department")},
        formula=ledger["formula"], definitions=DEFINITIONS, notes=notes,
        by_language={item["language"]: item["total"] for item in languages}, languages=languages,
    )


# Japanese names of the question languages, for the HTML report.
LANGUAGE_NAMES = {"ja": "日本語", "en": "英語", "zh-Hans": "中国語（簡体字）", "zh-Hant": "中国語（繁体字）",
                  "ko": "韓国語", "vi": "ベトナム語", "pt": "ポルトガル語", "es": "スペイン語", "fr": "フランス語",
                  "tl": "タガログ語", "id": "インドネシア語", "th": "タイ語", "ne": "ネパール語", "und": "判定できず"}


def _by_language(rows: list[dict]) -> list[dict]:
    """Counts per question language, most asked first (rows logged before languages count as 'ja')."""
    grouped = defaultdict(list)
    for row in rows:
        grouped[row.get("language") or "ja"].append(row)
    ordered = sorted(grouped, key=lambda code: (-len(grouped[code]), code))
    return [{"language": code, "label": LANGUAGE_NAMES.get(code, code), **_counts(grouped[code])}
            for code in ordered]


def _month_end(day: date) -> date:
    following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


def _breakdown(rows: list[dict], key: str, blank: str, minutes: Mapping[str, float]) -> list[dict]:
    groups = defaultdict(list)
    for row in rows:
        groups[row.get(key) or ""].append(row)
    result = [{"name": name or blank, key: name, **_counts(members), "minutes_saved": minutes.get(name, 0.0)}
              for name, members in groups.items()]
    result.sort(key=lambda g: (-g["total"], g["name"]))
    return result


# --- similar questions ---------------------------------------------------------------------------

_TRAILING = re.compile(r"[\s。、．，,.!！?？…〜~ｗw]+$")
_analyzer = None


def _analysis(text: str):
    """(content words, reading bigrams) of a question; character bigrams if Sudachi is unavailable."""
    global _analyzer
    try:
        if _analyzer is None:
            from indexing.japanese import JapaneseAnalyzer
            _analyzer = JapaneseAnalyzer()
        analysis = _analyzer.analyze(text)
        return frozenset(analysis.terms), frozenset(analysis.reading_grams)
    except Exception:
        grams = frozenset(text[i:i + 2] for i in range(len(text) - 1)) or frozenset([text])
        return grams, grams


def _jaccard(a: frozenset, b: frozenset) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def question_similarity(a, b) -> float:
    """Similarity of two analysed questions: the better of word and reading-bigram Jaccard."""
    return max(_jaccard(a[0], b[0]), _jaccard(a[1], b[1]))


def group_similar_questions(rows: list[Mapping], comments: bool = False,
                            threshold: float = SIMILARITY_THRESHOLD) -> list[dict]:
    """Questions grouped by similarity, most frequent group first (text masked again for safety).

    Exact repeats (after NFKC, case and trailing punctuation) count together; other questions
    join the first group whose leading questions share at least ``threshold`` of their content
    words or reading bigrams.
    """
    from indexing.japanese import normalize_text

    by_key: dict[str, list[Mapping]] = defaultdict(list)
    for row in rows:
        text = mask_personal_data(row.get("question") or "").strip()
        key = _TRAILING.sub("", normalize_text(text))
        if key:
            by_key[key].append({**row, "question": text})
    ordered = sorted(by_key.items(), key=lambda kv: (-len(kv[1]), kv[1][0].get("asked_at") or "", kv[0]))
    analysed = [(key, members, _analysis(key)) for key, members in ordered]
    # Prefix filtering keeps this near-linear on a year of questions: two sets with Jaccard
    # >= t share at least one of the rarest floor((1 - t)|A|) + 1 tokens of A, so only
    # groups holding one of those tokens need comparing.
    frequency = Counter(token for _, _, (terms, grams) in analysed for token in terms | grams)
    postings: dict[tuple[int, str], set[int]] = defaultdict(set)
    groups: list[dict] = []

    def prefix(tokens: frozenset) -> list[str]:
        keep = int((1 - threshold) * len(tokens) + 1e-9) + 1
        return sorted(tokens, key=lambda t: (frequency[t], t))[:keep]

    for key, members, features in analysed:
        candidates = set()
        for side, tokens in enumerate(features):
            for token in prefix(tokens):
                candidates |= postings.get((side, token), set())
        home = None
        for index in sorted(candidates):  # the earliest (largest) group wins, as without the filter
            if any(question_similarity(features, f) >= threshold for f in groups[index]["_features"]):
                home = index
                break
        if home is None:
            home = len(groups)
            groups.append({"_features": [], "_members": [], "_texts": Counter()})
        group = groups[home]
        if len(group["_features"]) < 5:  # a group is compared through its five leading questions
            group["_features"].append(features)
            for side, tokens in enumerate(features):
                for token in tokens:
                    postings[(side, token)].add(home)
        group["_members"].extend(members)
        group["_texts"].update(m["question"] for m in members)
    result = []
    for group in groups:
        members = group["_members"]
        texts = []
        for text, _ in group["_texts"].most_common(50):
            # A variant that only adds to a shown one (…です。〔電話番号〕…) tells the reader nothing new.
            stem = _TRAILING.sub("", text)
            if not any(stem.startswith(_TRAILING.sub("", shown)) for shown in texts):
                texts.append(text)
        categories = Counter(m.get("category") or "" for m in members if m.get("category"))
        departments = Counter(m.get("department") or "" for m in members if m.get("department"))
        item = {
            "question": texts[0], "count": len(members), "variants": texts[1:4],
            "channels": dict(Counter(m.get("channel") or "" for m in members).most_common()),
            "category": categories.most_common(1)[0][0] if categories else "",
            "department": departments.most_common(1)[0][0] if departments else "",
            "last_asked": max(str(m.get("_day") or m.get("asked_at") or "")[:10] for m in members),
        }
        if comments:
            notes = [mask_personal_data(m.get("feedback_comment") or "").strip() for m in members]
            item["comments"] = [c for c, _ in Counter(n for n in notes if n).most_common(3)]
        result.append(item)
    result.sort(key=lambda g: -g["count"])
    return result
