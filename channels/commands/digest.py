"""``madoguchi digest [--today YYYY-MM-DD] [--slack-channel C]``: weekly freshness digest.

Lists active entries past their review-by date, per 所管課. Prints the digest, or posts
it to a Slack channel with the bot token (SLACK_BOT_TOKEN, SLACK_API_BASE_URL). Meant
to run from cron or a scheduler once a week.
"""
from __future__ import annotations

from datetime import date

from channels.commands.base import UsageError, require_knowledge, settings_from_args
from indexing.dates import city_today

SLACK_SECTION_CHARS = 2900   # Block Kit section text is limited to 3000 characters
SLACK_MAX_SECTIONS = 45      # and a message to 50 blocks


def register(commands) -> None:
    p = commands.add_parser("digest", help="entries past their review-by date, per department")
    p.add_argument("--today", metavar="YYYY-MM-DD", help="date to compare review-by dates with (default: today)")
    p.add_argument("--slack-channel", metavar="C", help="post to this Slack channel instead of printing")
    p.set_defaults(handler=command_digest)


def slack_blocks(digest, admin_url: str = "") -> list[dict]:
    header = f"ナレッジ見直しのお知らせ（{digest.today.isoformat()}）"
    blocks = [{"type": "header", "text": {"type": "plain_text", "text": header}},
              {"type": "section", "text": {"type": "mrkdwn",
                                           "text": f"見直し期限を過ぎたエントリ: *{digest.total}件*"}}]
    for department, entries in list(digest.by_department.items())[:SLACK_MAX_SECTIONS]:
        lines = [f"*{_escape(department)}*（{len(entries)}件）"]
        for entry in entries:
            line = f"• {_escape(entry.id)} {_escape(entry.title)}（見直し期限 {entry.review_by}）"
            if sum(len(x) + 1 for x in lines) + len(line) > SLACK_SECTION_CHARS - 20:
                lines.append(f"ほか {len(entries) - len(lines) + 1}件")
                break
            lines.append(line)
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(lines)}})
    footer = []
    if digest.incomplete:
        footer.append(f"所管課・更新日・見直し期限のいずれかが未設定: {digest.incomplete}件")
    if admin_url:
        footer.append(f"<{admin_url}|管理画面で確認する>")
    if footer:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": " / ".join(footer)}]})
    return blocks


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def command_digest(args) -> int:
    from indexing.curation.review_digest import format_digest, freshness_digest
    from indexing.storage.knowledge import KnowledgeStore

    settings = settings_from_args(args)
    if args.today:
        try:
            today = date.fromisoformat(args.today)
        except ValueError as exc:
            raise UsageError(f"--today must be YYYY-MM-DD, not {args.today!r}") from exc
    else:
        today = city_today()
    require_knowledge(settings)
    digest = freshness_digest(KnowledgeStore(settings.data_dir), today)
    admin_url = f"{settings.public_base_url.rstrip('/')}/admin/stale" if settings.public_base_url else ""
    text = format_digest(digest, admin_url=admin_url)
    if not args.slack_channel:
        print(text)
        return 0
    if not settings.slack_bot_token:
        raise UsageError("--slack-channel needs SLACK_BOT_TOKEN")
    from slack_sdk import WebClient
    from slack_sdk.errors import SlackApiError

    client = WebClient(token=settings.slack_bot_token, base_url=settings.slack_api_base_url)
    try:
        client.chat_postMessage(channel=args.slack_channel, text=text, blocks=slack_blocks(digest, admin_url))
    except SlackApiError as exc:
        raise UsageError(f"Slack did not accept the digest: {exc.response.get('error', 'error')}") from exc
    except OSError as exc:
        raise UsageError(f"could not reach Slack at {settings.slack_api_base_url}: {exc}") from exc
    print(f"posted digest ({digest.total} entries past review-by) to {args.slack_channel}")
    return 0
