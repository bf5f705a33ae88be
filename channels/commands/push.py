"""``madoguchi push send|run|list``: deliver messages to LINE users by the topics they chose.

    madoguchi push send --interest KEY [--interest KEY …] [--area AREA] --text TEXT [--url URL]
                        [--at TIME] [--yes]
    madoguchi push run      # deliver what is due (resumes an interrupted delivery)
    madoguchi push list     # deliveries and their state

``send`` prints the recipient count and a preview, then asks for confirmation on a
terminal. Without a terminal it refuses (exit 2) unless ``--yes`` is given. A topic with
``confirm_twice`` (防災) needs a second confirmation: on a terminal the operator types the
topic's label; without one ``--yes`` must be given twice (``--yes --yes``), so a script
written for ordinary topics cannot send a 防災 message by accident. Without ``--at`` the
message is sent at once (after the month's quota is checked); with ``--at`` it is stored
and sent by ``push run`` or the server. A time without an offset is Japan time (JST).
"""
from __future__ import annotations

import getpass
import sys
from datetime import datetime, timezone

from bot.outreach.compose import JST, DraftError, make_draft
from channels.commands.base import UsageError, require_knowledge, settings_from_args
from indexing.storage import database_exists

PREVIEW_CHARS = 40


def register(commands) -> None:
    p = commands.add_parser("push", help="deliver messages to LINE users by the topics they chose")
    actions = p.add_subparsers(dest="push_command", required=True, parser_class=type(p))

    s = actions.add_parser("send", help="compose a delivery: send now or at a time")
    s.add_argument("--interest", action="append", required=True, metavar="KEY",
                   help="topic key from interests.toml (repeat for several topics)")
    s.add_argument("--area", metavar="AREA", help="only citizens who chose this 地区")
    s.add_argument("--text", required=True, help="the message text")
    s.add_argument("--url", default="", help="a link added below the text")
    s.add_argument("--at", metavar="TIME", help="send at this time (ISO 8601; JST when no offset), default now")
    s.add_argument("--yes", action="count", default=0,
                   help="do not ask; give it twice for topics that need a second confirmation (防災)")
    s.set_defaults(handler=command_send)

    r = actions.add_parser("run", help="deliver what is due (and resume interrupted deliveries)")
    r.set_defaults(handler=command_run)

    ls = actions.add_parser("list", help="deliveries and their state")
    ls.add_argument("--limit", type=int, default=50)
    ls.set_defaults(handler=command_list)


def _stores(settings):
    from indexing.storage.outreach import OutreachBook
    from indexing.interests import stored_interests
    from indexing.storage.knowledge import KnowledgeStore

    require_knowledge(settings)
    interests = stored_interests(KnowledgeStore(settings.data_dir))
    if not interests.topics:
        raise UsageError("no topics: add knowledge/interests.toml and run 'madoguchi import' first")
    return OutreachBook(settings.data_dir), interests


def _sender(settings):
    from channels.line.multicast import LineMulticastSender

    try:
        return LineMulticastSender.from_settings(settings)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc


def _confirm(prompt: str, expected: str) -> bool:
    print(prompt, end="", file=sys.stderr, flush=True)
    answer = sys.stdin.readline().strip()
    return answer == expected or (expected == "y" and answer.lower() in ("y", "yes"))


def command_send(args) -> int:
    from bot.outreach.delivery import QuotaExceeded, check_quota
    from channels.line.multicast import delivery_text

    settings = settings_from_args(args)
    book, interests = _stores(settings)
    now = datetime.now(timezone.utc).replace(microsecond=0)
    try:
        draft = make_draft(interests, args.interest, args.area, args.text, args.url, args.at, now)
    except DraftError as exc:
        raise UsageError(str(exc)) from exc
    topics, text, url, when, send_now = draft.topics, draft.text, draft.url, draft.scheduled_at, draft.send_now
    keys = draft.keys
    recipients = book.count_recipients(keys, draft.area)

    labels = "、".join(t.label for t in topics)
    print(f"配信先: {labels}" + (f"（{args.area}）" if args.area else ""))
    print(f"送信対象: {recipients:,} 人")
    print("送信日時: " + ("今すぐ" if send_now else when.astimezone(JST).strftime("%Y-%m-%d %H:%M JST")))
    print("プレビュー:")
    for line in delivery_text(text, url).splitlines() or [""]:
        print(f"  │ {line}")
    if send_now and recipients == 0:
        raise UsageError("no subscribers for these topics: nothing to send")

    sender = _sender(settings) if (send_now or settings.line_channel_access_token) else None
    if sender is not None:
        try:
            quota = check_quota(sender, recipients)
        except QuotaExceeded as exc:
            if send_now:
                raise UsageError(str(exc)) from exc
            print(f"madoguchi: warning: {exc}（送信時にもう一度確認します）", file=sys.stderr)
        else:
            if quota.limit is not None:
                print(f"今月の残り送信数: {quota.remaining:,} 通")

    needed = 2 if draft.confirm_twice else 1
    if args.yes < needed:
        if not sys.stdin.isatty():
            if needed == 2:
                raise UsageError(f"{labels}: this topic needs a second confirmation; not a terminal, so give "
                                 "--yes twice (--yes --yes) to send")
            raise UsageError("not a terminal: add --yes to send without asking")
        if args.yes < 1 and not _confirm("送信しますか？ [y/N] ", "y"):
            print("取り消しました。")
            return 0
        if needed == 2:
            urgent = draft.confirm_twice[0]
            if not _confirm(f"{urgent.label}のお知らせです。送信する場合は「{urgent.label}」と入力してください: ",
                            urgent.label):
                print("取り消しました。")
                return 0

    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no login name in some containers
        user = "unknown"
    delivery = book.create_delivery(keys, draft.area, text, url, when, created_by=f"cli:{user}")
    if not send_now:
        print(f"配信 #{delivery.id} を予約しました（{when.astimezone(JST):%Y-%m-%d %H:%M} JST）。"
              "'madoguchi push run' またはサーバーが送信します。")
        return 0
    from channels.line.multicast import build_engine

    engine = build_engine(settings)
    try:
        result = engine.run_one(delivery.id)
    finally:
        engine.sender.close()
    print(f"配信 #{delivery.id}: {result.state}（{result.batches_sent} バッチ送信）" +
          (f" {result.message}" if result.message else ""))
    if result.state in ("scheduled", "sending"):
        print("残りは 'madoguchi push run' またはサーバーが、同じ再送キーで送信します。")
    return 1 if result.state == "failed" else 0


def command_run(args) -> int:
    from channels.line.multicast import build_engine

    settings = settings_from_args(args)
    if not database_exists(settings.data_dir):
        raise UsageError(f"nothing to deliver: {settings.data_dir} has no database")
    try:
        engine = build_engine(settings)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    try:
        results = engine.run_due()
    finally:
        engine.sender.close()
    if not results:
        print("nothing due")
    for result in results:
        print(f"delivery #{result.delivery_id}: {result.state}, {result.batches_sent} batches sent, "
              f"{result.calls} calls" + (f" ({result.message})" if result.message else ""))
    return 1 if any(r.state == "failed" for r in results) else 0


def command_list(args) -> int:
    settings = settings_from_args(args)
    book, interests = _stores(settings)
    deliveries = book.deliveries(limit=args.limit)
    if not deliveries:
        print("no deliveries")
        return 0
    for delivery in deliveries:
        batches = book.batches(delivery.id)
        sent = sum(1 for b in batches if b.state == "sent")
        labels = "、".join(interests.labels(delivery.topics) or delivery.topics)
        preview = delivery.text.replace("\n", " ")
        preview = preview if len(preview) <= PREVIEW_CHARS else preview[:PREVIEW_CHARS - 1] + "…"
        recipients = "-" if delivery.recipients is None else f"{delivery.recipients:,}"
        print(f"#{delivery.id:<4} {delivery.state:<9} {delivery.scheduled_at.astimezone(JST):%Y-%m-%d %H:%M} JST  "
              f"{labels}{'（' + delivery.area + '）' if delivery.area else ''}  recipients {recipients}  "
              f"batches {sent}/{len(batches)}  {preview}" + (f"  [{delivery.note}]" if delivery.note else ""))
    return 0
