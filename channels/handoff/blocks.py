"""A ticket as Slack Block Kit, the 回答する / 担当課を変更 modals, and the thread notes.

Staff-facing wording (Japanese), in one place for the DX office to review. Times are shown in
Japan time (UTC+9, no daylight saving). Action ids and modal callback ids are what
channels/slack/bolt_app.py listens to; each button's value is the ticket id.
"""
from __future__ import annotations

import re

from bot.handoff.ticket import Ticket, TicketState, parse_time
from channels.slack.text import SLACK_LINK, unescape
from indexing.dates import JAPAN_TIME

ANSWER_ACTION = "ticket_answer"
REROUTE_ACTION = "ticket_reroute"
DECLINE_ACTION = "ticket_decline"
ANSWER_MODAL = "ticket_answer_modal"
REROUTE_MODAL = "ticket_reroute_modal"
ANSWER_INPUT_BLOCK = "ticket_answer_block"
ANSWER_INPUT = "ticket_answer_text"
MINUTES_INPUT_BLOCK = "ticket_minutes_block"
MINUTES_INPUT = "ticket_minutes"
REROUTE_INPUT_BLOCK = "ticket_department_block"
REROUTE_INPUT = "ticket_department"
ACTIONS_BLOCK = "ticket_actions"
METADATA_EVENT_TYPE = "madoguchi_ticket"

JST = JAPAN_TIME
SECTION_LIMIT = 3000
OPTIONS_LIMIT = 100

STATE_LABELS = {
    TicketState.OPEN: "未回答", TicketState.ANSWERED: "回答済み", TicketState.CLOSED: "完了",
    TicketState.DECLINED: "対応不要", TicketState.EXPIRED: "期限切れ",
}
CHANNEL_LABELS = {"line": "LINE", "web": "Webチャット"}

TITLE = "市民からの質問 #{id}（{department}）"
QUESTION_HEADER = "*質問*（個人情報は伏せ字）"
BOT_DECLINED = "*ボットの対応*：回答できませんでした"
BOT_UNRESOLVED = "*ボットの回答*（市民は「解決しない」と評価）"
ANSWERED_NOTE = "回答済みです。追加の回答はこのスレッドに返信してください。"
THREAD_HINT = ("このスレッドに返信すると、その内容が市民に回答として届きます。"
               "メンション（@名前）を含む返信は職員間のやりとりとして扱い、市民には送りません。")
ANSWER_BUTTON = "回答する"
REROUTE_BUTTON = "担当課を変更"
DECLINE_BUTTON = "対応不要"
DECLINE_CONFIRM_TITLE = "対応不要にしますか？"
DECLINE_CONFIRM_TEXT = "市民には、窓口へ直接問い合わせるよう丁寧にお知らせします。"
DECLINE_CONFIRM_YES = "対応不要にする"
CANCEL = "キャンセル"
ANSWER_MODAL_TITLE = "回答する"
ANSWER_MODAL_SUBMIT = "送信"
ANSWER_MODAL_LABEL = "市民への回答"
MINUTES_LABEL = "対応にかかった時間（分・任意）"
MINUTES_HINT = "レポートの「職員の対応時間」に使います。空欄なら課ごとの標準時間で数えます。"
REROUTE_MODAL_TITLE = "担当課を変更"
REROUTE_MODAL_SUBMIT = "変更"
REROUTE_MODAL_LABEL = "新しい担当課"

NOTE_DELIVERED = "✅ 回答を市民に届けました（{channel}）。"
NOTE_WEB_STORED = "回答を保存しました。市民のWebチャット画面が開いていれば表示されます。"
NOTE_NOT_DELIVERED = "⚠️ 回答を市民に届けられませんでした（{reason}）。"
NOTE_EDIT_NOT_SENT = ("✏️ 編集・削除は市民に届きません（届いているのは最初に送った内容です）。"
                      "訂正はこのスレッドに新しく返信してください。")
NOTE_OUTSIDER_NOT_SENT = ("🔒 組織外の方（Slack コネクトで参加している方）の返信は市民に届けません。"
                          "回答は市の職員がこのスレッドに返信してください。")
NOTE_MENTION_NOT_SENT = ("🤖 ボットへのメンションを含む返信は市民に届けていません。市民への回答は、メンションを付けずに"
                         "このスレッドに返信してください（ボットへの質問はダイレクトメッセージでどうぞ）。")
NOTE_FILE_NOT_SENT = ("📎 ファイル付きの返信は市民に届けていません（LINE・Webチャットにはファイルを送れません）。"
                      "回答は文字だけでこのスレッドに返信してください。")
NOTE_FINAL = "このチケットは終了しています（{state}）。返信は市民に届きません。"
NOTE_DECLINED = "対応不要にしました。市民には窓口へ直接問い合わせるようお知らせしました。"
NOTE_REROUTED = "担当課を{department}に変更しました。"
NOTE_OVERDUE = "⏰ 回答期限（{due}）を過ぎています。回答するか、担当課を変更してください。"
NOTE_EXPIRED = "期限切れにしました。市民には窓口へ直接問い合わせるようお知らせしました。"
NOTE_RATED = "市民の評価：{rating}"
# To the one who pressed a button on an out-of-date ticket message (another member of staff acted first).
BUTTON_STALE = "このチケットはすでに「{state}」のため、この操作はできません。"
BUTTON_NO_TICKET = "このチケットは見つかりませんでした。"
RATINGS = {"resolved": "解決した", "unresolved": "解決しない"}


_MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>|<!subteam\^[A-Z0-9]+(?:\|[^>]*)?>")


def is_internal(slack_text: str) -> bool:
    """A thread reply that mentions someone is staff talking to staff, not an answer to the citizen."""
    return bool(_MENTION.search(slack_text or ""))


def plain_text(slack_text: str) -> str:
    """A staff reply as the citizen reads it: Slack's links and escapes turned into plain text."""
    def link(match: re.Match) -> str:
        target, label = match.group(1), match.group(2)
        if target.startswith("!"):
            return ""                                    # <!here>, <!channel>
        if target.startswith("#"):
            return "#" + (label or target[1:])           # a channel
        if target.startswith("mailto:"):
            return label or target[len("mailto:"):]
        return f"{label}（{target}）" if label and label != target else target
    text = SLACK_LINK.sub(link, slack_text or "")
    return unescape(text).strip()


def escape(text: str) -> str:
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def cut(text: str, limit: int) -> str:
    text = (text or "").strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def quote(text: str) -> str:
    return "\n".join("> " + line for line in escape(text).splitlines() or [""])


def japan_time(value: str) -> str:
    return parse_time(value).astimezone(JST).strftime("%Y-%m-%d %H:%M")


def title(ticket: Ticket) -> str:
    return TITLE.format(id=ticket.id, department=ticket.department)


def ticket_blocks(ticket: Ticket) -> list[dict]:
    """The ticket's Slack message: question, category, the bot's part, due time, and the buttons."""
    fields = [
        {"type": "mrkdwn", "text": f"*カテゴリ*\n{escape(ticket.category) or '（なし）'}"},
        {"type": "mrkdwn", "text": f"*受付*\n{CHANNEL_LABELS.get(ticket.channel, ticket.channel)}"
                                   f"・{japan_time(ticket.created_at)}"},
        {"type": "mrkdwn", "text": f"*回答期限*\n{japan_time(ticket.due_at)}"},
        {"type": "mrkdwn", "text": f"*状態*\n{STATE_LABELS[ticket.state]}"},
    ]
    bot_part = BOT_DECLINED if ticket.bot_declined else BOT_UNRESOLVED
    blocks: list[dict] = [
        {"type": "header", "text": {"type": "plain_text", "text": cut(title(ticket), 150)}},
        {"type": "section", "text": {"type": "mrkdwn",
                                     "text": cut(QUESTION_HEADER + "\n" + quote(ticket.question), SECTION_LIMIT)}},
        {"type": "section", "fields": fields},
        {"type": "section", "text": {"type": "mrkdwn",
                                     "text": cut(bot_part + "\n" + quote(ticket.bot_answer), SECTION_LIMIT)}},
    ]
    if ticket.state is TicketState.OPEN:
        value = str(ticket.id)
        blocks.append({"type": "actions", "block_id": ACTIONS_BLOCK, "elements": [
            {"type": "button", "action_id": ANSWER_ACTION, "style": "primary", "value": value,
             "text": {"type": "plain_text", "text": ANSWER_BUTTON}},
            {"type": "button", "action_id": REROUTE_ACTION, "value": value,
             "text": {"type": "plain_text", "text": REROUTE_BUTTON}},
            {"type": "button", "action_id": DECLINE_ACTION, "style": "danger", "value": value,
             "text": {"type": "plain_text", "text": DECLINE_BUTTON},
             "confirm": {"title": {"type": "plain_text", "text": DECLINE_CONFIRM_TITLE},
                         "text": {"type": "plain_text", "text": DECLINE_CONFIRM_TEXT},
                         "confirm": {"type": "plain_text", "text": DECLINE_CONFIRM_YES},
                         "deny": {"type": "plain_text", "text": CANCEL}}},
        ]})
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": THREAD_HINT}]})
    elif ticket.state is TicketState.ANSWERED:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": ANSWERED_NOTE}]})
    return blocks


def fallback_text(ticket: Ticket) -> str:
    """The notification text (no question text: notifications may show on lock screens)."""
    return f"{title(ticket)}：{STATE_LABELS[ticket.state]}・回答期限 {japan_time(ticket.due_at)}"


def metadata(ticket: Ticket) -> dict:
    return {"event_type": METADATA_EVENT_TYPE, "event_payload": {"ticket": ticket.id}}


def answer_modal(ticket: Ticket) -> dict:
    return {
        "type": "modal", "callback_id": ANSWER_MODAL, "private_metadata": str(ticket.id),
        "title": {"type": "plain_text", "text": ANSWER_MODAL_TITLE},
        "submit": {"type": "plain_text", "text": ANSWER_MODAL_SUBMIT},
        "close": {"type": "plain_text", "text": CANCEL},
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": cut(quote(ticket.question), SECTION_LIMIT)}},
            {"type": "input", "block_id": ANSWER_INPUT_BLOCK, "label": {"type": "plain_text", "text": ANSWER_MODAL_LABEL},
             "element": {"type": "plain_text_input", "action_id": ANSWER_INPUT, "multiline": True,
                         "max_length": 2000}},
            {"type": "input", "block_id": MINUTES_INPUT_BLOCK, "optional": True,
             "label": {"type": "plain_text", "text": MINUTES_LABEL},
             "hint": {"type": "plain_text", "text": MINUTES_HINT},
             "element": {"type": "number_input", "action_id": MINUTES_INPUT, "is_decimal_allowed": False,
                         "min_value": "0", "max_value": "600"}},
        ],
    }


def reroute_modal(ticket: Ticket, departments: list[str]) -> dict:
    options = [{"text": {"type": "plain_text", "text": cut(name, 75)}, "value": name}
               for name in departments if name != ticket.department][:OPTIONS_LIMIT]
    return {
        "type": "modal", "callback_id": REROUTE_MODAL, "private_metadata": str(ticket.id),
        "title": {"type": "plain_text", "text": REROUTE_MODAL_TITLE},
        "submit": {"type": "plain_text", "text": REROUTE_MODAL_SUBMIT},
        "close": {"type": "plain_text", "text": CANCEL},
        "blocks": [{"type": "input", "block_id": REROUTE_INPUT_BLOCK,
                    "label": {"type": "plain_text", "text": REROUTE_MODAL_LABEL},
                    "element": {"type": "static_select", "action_id": REROUTE_INPUT, "options": options}}],
    }
