"""A realistic synthetic month of inquiries with known ground truth, written through the real log.

The report must show exactly the numbers returned here, so this is how the report is
checked (tests/bot/insights/test_report.py) and how a demo report is made::

    python -m benchmarks.synthetic_month var/demo --month 2026-10 --seed 7 --with-baseline
    madoguchi --data-dir var/demo report --from 2026-10-01 --to 2026-10-31 --out demo.html

What it models (deterministic for a given seed; nothing is random between runs):

* channels: LINE and the web chat for citizens (every day, fewer at weekends, growing over
  the month as the service becomes known), Slack for staff (weekdays, office hours), and a
  few CLI questions from the DX office testing answers (weekdays);
* times of day: citizens from 7:00 to 23:00 with a lunchtime and an evening peak, staff
  8:30-17:30; all in Asia/Tokyo, so early-morning questions fall on the previous UTC day;
* topics from the fictional あおば市 knowledge base (category and 所管課 of each), answerable
  or not, with several phrasings each; about 4% of citizen questions carry personal data
  (phone numbers, e-mail, a My Number) that the log must mask;
* feedback: about a third of users press a button (mostly 解決した after an answer, mostly
  解決しない after an abstention), some with a comment; a share of unanswered staff questions
  and of unresolved ones are escalated to a person;
* tickets: every escalated citizen question (LINE, web) becomes a ticket for its department
  (bot.handoff.store), answered by staff after a few office hours (most), declined (対応不要),
  expired, or still open at the end of the month. They are drawn from their own random
  stream, so the inquiry figures are the same with or without them.

Rows are written with ``InquiryLog.record(answer, channel, user_id, asked_at=...)`` and
``set_feedback`` / ``set_escalated``, exactly as the channels write them.
"""
from __future__ import annotations

import argparse
import calendar
import json
import math
import random
import sys
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

from bot.answering.answer import Answer, Source

JST = timezone(timedelta(hours=9), "JST")

# (category, 所管課, entry id, answerable, phrasings). Unanswerable topics have no entry id.
CITIZEN_TOPICS = [
    ("ごみ・リサイクル", "ごみ減量推進課", "large-garbage#申し込み", True,
     ["粗大ごみの出し方を教えてください", "粗大ごみはどうやって出せばいいですか？", "ソファを捨てたい",
      "粗大ごみの申し込み方法は？", "そだいごみの出し方"]),
    ("ごみ・リサイクル", "ごみ減量推進課", "garbage-sorting#資源ごみ", True,
     ["ペットボトルは何ごみですか", "燃えるごみの収集日はいつ？", "スプレー缶の捨て方", "古紙の出し方を知りたい"]),
    ("住民票・戸籍・印鑑証明", "市民課", "resident-certificate#取得", True,
     ["住民票の写しはどこで取れますか", "住民票をコンビニで取りたい", "戸籍謄本を郵送で請求したい",
      "印鑑証明の取り方"]),
    ("届出・証明", "市民課", "moving-in-out#転入", True,
     ["転入届に必要なものは？", "引っ越しの手続きを教えて", "転出届はいつまでに出せばいい？"]),
    ("マイナンバーカード", "市民課", "my-number-card#暗証番号", True,
     ["マイナンバーカードの暗証番号を忘れました", "マイナンバーカードの受け取りに必要なものは？",
      "マイナンバーカードの更新手続き"]),
    ("保育", "保育課", "KF0101", True,
     ["保育園の申し込みはいつからですか", "保育園の入園申し込み方法", "一時保育を利用したい"]),
    ("子どもの手当・助成", "こども家庭課", "KF0201", True,
     ["児童手当の申請方法を教えてください", "児童手当はいつ振り込まれますか", "子ども医療費助成の申請"]),
    ("妊娠・出産", "母子保健課", "KF0301", True,
     ["母子手帳はどこでもらえますか", "妊婦健診の補助券について知りたい"]),
    ("健診・予防接種", "母子保健課", "KF0401", True,
     ["乳幼児健診の日程は？", "予防接種の予約方法"]),
    ("税金", "税務課", "KF0501", True,
     ["住民税の納付書をなくしました", "固定資産税の支払い方法は？"]),
    ("保険・年金", "保険年金課", "KF0601", True,
     ["国民健康保険の加入手続き", "国民年金の免除申請をしたい"]),
    ("施設", "総合案内", "KF0701", True,
     ["市役所の開庁時間は？", "市役所の駐車場は無料ですか"]),
    # Not in the knowledge base: the bot abstains and names the likely department.
    ("暮らしに役立つ情報", "交通政策課", None, False,
     ["市営駐輪場の定期券はどこで買えますか", "駐輪場の定期券を買いたい", "コミュニティバスの時刻表がほしい"]),
    ("ごみ・リサイクル", "ごみ減量推進課", None, False,
     ["庭の木の枝を引き取ってもらえますか", "剪定した枝は何ごみ？", "家電リサイクルの料金はいくら？"]),
    ("施設", "公園緑地課", None, False,
     ["公園でバーベキューをしてもいいですか", "公園のバーベキューは可能？"]),
    ("", "総合案内", None, False,
     ["選挙の期日前投票の場所", "期日前投票はどこでできますか", "犬が迷子になりました", "空き家の相談窓口"]),
]

STAFF_TOPICS = [
    ("勤務・服務", "総務課", "overtime-rules#時間外勤務５原則", True,
     ["時間外勤務の申請はいつまで？", "残業の事前申請のルールは？", "時間外勤務５原則とは"]),
    ("共有フォルダ", "情報政策課", "shared-folder#命名規則", True,
     ["共有フォルダのファイル名のルールは？", "この名前はルールに合ってる？ 20240401_予算要求資料_v2.xlsx",
      "予算の資料はどこに保存する？"]),
    ("電子会議", "情報政策課", "e-meeting-rules#開催", True,
     ["オンライン会議の予約方法", "Web会議のルールを教えて"]),
    ("テレワーク", "情報政策課", "telework#申請", True,
     ["テレワークの申請方法は？", "在宅勤務の申請はどこから？"]),
    ("人事・給与", "総務課", None, False,
     ["年末調整の書類はいつまでに出す？", "通勤手当の変更手続き", "扶養の変更手続きは？"]),
    ("ICT", "情報政策課", None, False,
     ["プリンターの設定がわからない", "VPNにつながらない"]),
]

# (how it is added to the question, the personal data itself)
PERSONAL_DATA = [
    ("。折り返しは{value}にお願いします", "090-{a:04d}-{b:04d}"),
    ("。連絡先は {value} です", "taro{n}@example.jp"),
    ("。マイナンバーは{value}です", "{a:04d}{b:04d}{c:04d}"),
    ("（電話 {value}）", "03-{a:04d}-{b:04d}"),
]
COMMENTS_UNRESOLVED = ["料金が知りたかった", "もっと詳しく知りたい", "窓口の場所が分からない", "",
                       "電話しました", "{email} に連絡がほしい"]
COMMENTS_RESOLVED = ["ありがとう", "", "助かりました"]

# Measured monthly communication minutes per department, as a DX office would write them in
# <data dir>/ledger.toml (invented; sized so that some departments reach the target).
DEMO_BASELINE = {
    "ごみ減量推進課": 3000, "市民課": 6000, "保育課": 900, "こども家庭課": 800, "総務課": 1500,
    "情報政策課": 1200,
}


@dataclass
class GroundTruth:
    """What the report for the month must show."""

    date_from: str
    date_to: str
    seed: int
    total: int = 0
    answered: int = 0
    abstained: int = 0
    resolved: int = 0
    unresolved: int = 0
    no_feedback: int = 0          # answered inquiries without feedback
    escalated: int = 0
    by_channel: dict = field(default_factory=dict)
    by_day: dict = field(default_factory=dict)              # "YYYY-MM-DD" -> {channel: n}
    by_category: dict = field(default_factory=dict)
    by_department: dict = field(default_factory=dict)
    personal_data: list = field(default_factory=list)       # raw personal data written (must be masked)
    # "channel|category|department|outcome" -> n, where outcome is one of
    # resolved | no_feedback | unresolved | escalated (answered) or abstained
    outcomes: dict = field(default_factory=dict)
    # Tickets (questions handed to staff): counts, minutes to answer, and per-department counts.
    tickets_opened: int = 0
    tickets_answered: int = 0
    tickets_declined: int = 0
    tickets_expired: int = 0
    tickets_open: int = 0
    ticket_minutes_to_answer: list = field(default_factory=list)
    tickets_by_department: dict = field(default_factory=dict)   # department -> [opened, answered+declined]

    def ticket_staff_minutes(self, minutes_for_ticket) -> float:
        """Σ over tickets staff answered or declined of minutes_for_ticket(department)."""
        return round(sum(handled * minutes_for_ticket(d) for d, (_, handled) in self.tickets_by_department.items()), 1)

    def outcome_counts(self, channel: str | None = None) -> dict:
        """Outcome -> n, for one channel or all."""
        counts = Counter()
        for key, n in self.outcomes.items():
            ch, _, _, outcome = key.split("|")
            if channel is None or ch == channel:
                counts[outcome] += n
        return dict(counts)

    def minutes_saved(self, minutes_for, no_feedback_weight: float, department: str | None = None) -> float:
        """Σ answered × minutes × weight, from the outcomes tally (independent of the report code)."""
        total = 0.0
        for key, n in self.outcomes.items():
            channel, category, owner, outcome = key.split("|")
            if department is not None and owner != department:
                continue
            weight = {"resolved": 1.0, "no_feedback": no_feedback_weight}.get(outcome, 0.0)
            total += n * minutes_for(channel, category) * weight
        return round(total, 1)

    def to_dict(self) -> dict:
        return asdict(self)


def _poisson(rng: random.Random, mean: float) -> int:
    if mean <= 0:
        return 0
    if mean > 30:  # normal approximation keeps it fast for busy days
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _citizen_time(rng: random.Random) -> time:
    hour = rng.choices(range(7, 24), weights=[3, 5, 7, 8, 8, 9, 10, 8, 7, 7, 6, 6, 7, 9, 9, 7, 4])[0]
    return time(hour, rng.randrange(60), rng.randrange(60))


def _staff_time(rng: random.Random) -> time:
    minutes = rng.randint(8 * 60 + 30, 17 * 60 + 29)
    return time(minutes // 60, minutes % 60, rng.randrange(60))


def daily_volume(day: date, channel: str, month_progress: float) -> float:
    """Expected inquiries on a day: weekday pattern × adoption growth over the month."""
    weekend = day.weekday() >= 5
    growth = 0.85 + 0.3 * month_progress  # the service becomes better known during the month
    if channel == "line":
        return (16 if weekend else 30) * growth * (1.25 if day.weekday() == 0 else 1.0)
    if channel == "web":
        return (5 if weekend else 11) * growth
    if channel == "slack":
        return 0 if weekend else 14 * growth
    if channel == "cli":
        return 0 if weekend else 1.2
    return 0


def generate_month(data_dir: str | Path, year: int = 2026, month: int = 10, seed: int = 7,
                   user_key_secret: str = "synthetic-month", allow_existing: bool = False) -> GroundTruth:
    """Write one month of inquiries into ``data_dir`` and return what the report must show."""
    from bot.handoff.store import TicketStore
    from bot.handoff.ticket import TicketState, to_iso
    from bot.insights.inquiry_log import InquiryLog

    rng = random.Random(seed)
    ticket_rng = random.Random(seed * 7919 + 1)  # its own stream: inquiry figures do not depend on it
    log = InquiryLog(data_dir, user_key_secret=user_key_secret)
    tickets = TicketStore(data_dir)
    month_end = datetime.combine(date(year, month, calendar.monthrange(year, month)[1]), time(23, 59), tzinfo=JST)
    if log.count() and not allow_existing:
        raise ValueError(f"{data_dir} already has {log.count()} inquiries; the ground truth would be wrong")
    days_in_month = calendar.monthrange(year, month)[1]
    first, last = date(year, month, 1), date(year, month, days_in_month)
    truth = GroundTruth(first.isoformat(), last.isoformat(), seed)
    outcomes: Counter = Counter()
    by_channel, by_category, by_department = Counter(), Counter(), Counter()
    by_day: dict[str, Counter] = defaultdict(Counter)
    users = {ch: [f"{ch}-user-{i:04d}" for i in range(n)] for ch, n in
             (("line", 400), ("web", 150), ("slack", 60), ("cli", 2))}

    events = []
    for offset in range(days_in_month):
        day = first + timedelta(days=offset)
        progress = offset / max(1, days_in_month - 1)
        for channel in ("line", "web", "slack", "cli"):
            for _ in range(_poisson(rng, daily_volume(day, channel, progress))):
                clock = _staff_time(rng) if channel in ("slack", "cli") else _citizen_time(rng)
                events.append((datetime.combine(day, clock, tzinfo=JST), channel))
    events.sort()

    for asked_at, channel in events:
        staff = channel in ("slack", "cli")
        topics = STAFF_TOPICS if staff else CITIZEN_TOPICS
        # Answerable topics dominate; the share of unanswerable ones is what the DX office works down.
        weights = [(3.0 if answerable else 1.0) for *_, answerable, _ in topics]
        category, department, entry_id, answerable, phrasings = rng.choices(topics, weights=weights)[0]
        question = rng.choice(phrasings)
        user_id = rng.choice(users[channel])
        if not staff and rng.random() < 0.04:
            template, value = rng.choice(PERSONAL_DATA)
            value = value.format(a=rng.randrange(1000, 10000), b=rng.randrange(1000, 10000),
                                 c=rng.randrange(1000, 10000), n=rng.randrange(100))
            question += template.format(value=value)
            truth.personal_data.append(value)
        # Now and then a known topic is asked so oddly that the bot abstains anyway.
        abstained = (not answerable) or rng.random() < 0.06
        kind = "abstain" if abstained else ("name_check" if "ルールに合って" in question else
                                            "folder" if "どこに保存" in question else "answer")
        answer = Answer(
            question=question,
            text=("申し訳ありません。このご質問にお答えできる情報が見つかりませんでした。" if abstained
                  else f"{category}についてのご案内です。"),
            abstained=abstained,
            confidence=round(rng.uniform(0.1, 0.45) if abstained else rng.uniform(0.55, 0.98), 4),
            audience="staff" if staff else "citizen",
            sources=() if abstained else (Source(id=entry_id, title=question, kind="faq"),),
            category=category, department=department, kind=kind,
            latency_ms=round(rng.uniform(15, 80), 1))
        inquiry_id = log.record(answer, channel=channel, user_id=user_id, asked_at=asked_at)
        if inquiry_id is None:
            raise RuntimeError("the inquiry log spooled a synthetic row; ground truth needs a working database")

        feedback = None
        if not abstained and rng.random() < 0.34:
            feedback = "resolved" if rng.random() < 0.84 else "unresolved"
        elif abstained and rng.random() < 0.22:
            feedback = "unresolved" if rng.random() < 0.9 else "resolved"
        if feedback:
            pool = COMMENTS_RESOLVED if feedback == "resolved" else COMMENTS_UNRESOLVED
            email = f"hanako{rng.randrange(100)}@example.jp"
            comment = rng.choice(pool).format(email=email)
            if email in comment:
                truth.personal_data.append(email)
            log.set_feedback(inquiry_id, feedback, comment, at=asked_at + timedelta(minutes=rng.randint(1, 30)))
        escalated = ((abstained and rng.random() < (0.3 if channel == "slack" else 0.05))
                     or (feedback == "unresolved" and not abstained and rng.random() < 0.2))
        if escalated:
            log.set_escalated(inquiry_id)
            if not staff:
                _synthetic_ticket(ticket_rng, tickets, log.get(inquiry_id), asked_at, month_end, truth,
                                  TicketState, to_iso)

        truth.total += 1
        by_channel[channel] += 1
        by_day[asked_at.date().isoformat()][channel] += 1
        by_category[category] += 1
        by_department[department] += 1
        truth.escalated += escalated
        truth.resolved += feedback == "resolved"
        truth.unresolved += feedback == "unresolved"
        if abstained:
            truth.abstained += 1
            outcome = "abstained"
        else:
            truth.answered += 1
            outcome = ("escalated" if escalated else feedback if feedback == "unresolved" else
                       "resolved" if feedback == "resolved" else "no_feedback")
            truth.no_feedback += feedback is None
        outcomes[f"{channel}|{category}|{department}|{outcome}"] += 1

    truth.by_channel = dict(by_channel)
    truth.by_day = {day: dict(counts) for day, counts in sorted(by_day.items())}
    truth.by_category = dict(by_category)
    truth.by_department = dict(by_department)
    truth.outcomes = dict(sorted(outcomes.items()))
    log.close()
    tickets.close()
    return truth


def _synthetic_ticket(rng: random.Random, store, inquiry: dict, asked_at: datetime, month_end: datetime,
                      truth: GroundTruth, TicketState, to_iso):
    """One ticket for an escalated citizen question: answered (74%), declined (8%), expired (6%), else open."""
    created = asked_at + timedelta(minutes=rng.randint(1, 20))
    due = created + timedelta(hours=24)
    roll = rng.random()
    values = {"state": TicketState.OPEN, "channel": inquiry["channel"], "user_key": inquiry["user_key"],
              "reply_to": "", "question": inquiry["question"], "category": inquiry["category"],
              "department": inquiry["department"], "bot_answer": inquiry["answer"],
              "bot_declined": inquiry["abstained"], "language": inquiry["language"],
              "created_at": to_iso(created), "due_at": to_iso(due), "inquiry_id": inquiry["id"],
              "slack_channel": "C-SYNTHETIC", "slack_ts": f"{created.timestamp():.6f}"}
    department = inquiry["department"]
    opened, handled = truth.tickets_by_department.get(department, [0, 0])
    answered_at = created + timedelta(minutes=rng.randint(20, 30 * 60))
    if roll < 0.74 and answered_at <= month_end:
        rated = rng.random() < 0.5
        values.update(state=TicketState.CLOSED if rated else TicketState.ANSWERED,
                      answer="ご案内します。", answered_at=to_iso(answered_at), delivered_at=to_iso(answered_at),
                      rating=("resolved" if rng.random() < 0.8 else "unresolved") if rated else "",
                      closed_at=to_iso(answered_at + timedelta(hours=1)) if rated else "")
        truth.tickets_answered += 1
        truth.ticket_minutes_to_answer.append((to_iso_datetime(answered_at) - to_iso_datetime(created))
                                              .total_seconds() / 60)
        handled += 1
    elif roll < 0.82:
        values.update(state=TicketState.DECLINED, closed_at=to_iso(created + timedelta(hours=2)))
        truth.tickets_declined += 1
        handled += 1
    elif roll < 0.88:
        values.update(state=TicketState.EXPIRED, closed_at=to_iso(due + timedelta(days=14)))
        truth.tickets_expired += 1
    else:
        truth.tickets_open += 1
    store.create(values)
    truth.tickets_opened += 1
    truth.tickets_by_department[department] = [opened + 1, handled]


def to_iso_datetime(value: datetime) -> datetime:
    """``value`` to the second, as the ticket store keeps it."""
    return value.replace(microsecond=0)


def write_demo_ledger(data_dir: str | Path, baseline: dict[str, float] | None = None) -> Path:
    """A <data dir>/ledger.toml with a measured baseline, as the DX office would write it."""
    lines = ["# Demo ledger settings written by benchmarks/synthetic_month.py (invented figures).",
             "", "[baseline.department]"]
    lines += [f'"{name}" = {minutes}' for name, minutes in (baseline or DEMO_BASELINE).items()]
    path = Path(data_dir) / "ledger.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data_dir")
    parser.add_argument("--month", default="2026-10", help="YYYY-MM (default 2026-10)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--with-baseline", action="store_true",
                        help="also write <data dir>/ledger.toml with a demo measured baseline")
    args = parser.parse_args(argv)
    year, month = (int(part) for part in args.month.split("-"))
    truth = generate_month(args.data_dir, year, month, args.seed)
    if args.with_baseline:
        write_demo_ledger(args.data_dir)
    summary = {k: v for k, v in truth.to_dict().items()
               if k not in ("by_day", "outcomes", "personal_data", "ticket_minutes_to_answer", "tickets_by_department")}
    if truth.ticket_minutes_to_answer:
        import statistics
        summary["ticket_median_minutes_to_answer"] = round(statistics.median(truth.ticket_minutes_to_answer), 1)
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
