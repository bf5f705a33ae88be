"""Every word the Slack channel says to staff, in one place for the DX office to review."""
from bot.answering import messages as answering_messages

COMMAND_USAGE = (
    "使い方：`/madoguchi 質問` のように、質問を続けて入力してください。"
    "（例：`/madoguchi 時間外勤務の申請はいつまで？`）"
    "ファイル名の確認は `/madoguchi check ファイル名` です。"
)
CHECK_USAGE = (
    "使い方：`/madoguchi check ファイル名` のように、確認したいファイル名を続けて入力してください。"
    "（例：`/madoguchi check 20261128_予算要求資料_v1.xlsx`）"
)
# To a person of another organisation (Slack Connect): staff knowledge is for the city's own workspace.
EXTERNAL_USER = ("この窓口は市役所の職員向けです。組織外の方（Slack コネクトで参加している方）のご質問には"
                 "お答えできません。市の担当者に直接お問い合わせください。")
# To the city's own staff in a channel shared with another organisation: its members could read the answer.
SHARED_CHANNEL = "このチャンネルは組織外の方と共有されているため、ここでは回答できません。DM で質問してください。"
# The first words in Slack's assistant pane (a staff member opened a new assistant thread).
ASSISTANT_GREETING = (answering_messages.SMALL_TALK_GREETING_STAFF
                      + "ファイル名がルールに合っているかも確かめられます（例：「このファイル名はルールに合ってる？ "
                        "20261128_予算要求資料_v1.xlsx」）。")
RATE_LIMITED = "短時間に質問が集中しているため、少しの間回答を控えています。しばらくしてから、もう一度質問してください。"
ERROR = "申し訳ありません。回答の作成中にエラーが発生しました。しばらくしてから、もう一度試してください。"
SOURCES_LABEL = "*出典*"
CONTACT_LABEL = "*問い合わせ先*"
RELATED_LABEL = "*関連する質問*"
FEEDBACK_LABEL = "この回答で解決しましたか？"
RESOLVED = "解決した"
UNRESOLVED = "解決しない"
FEEDBACK_THANKS = "フィードバックありがとうございます。"
FEEDBACK_SORRY = "フィードバックありがとうございます。回答の改善に活用します。急ぎの場合は{department}に確認してください。"
FEEDBACK_SORRY_DEFAULT_DEPARTMENT = "担当課"
FEEDBACK_NOT_FOUND = "対象の質問が見つかりませんでした。"
FEEDBACK_NOT_YOURS = "評価は、質問した本人のみ送ることができます。"
CONFIDENCE = "信頼度 {confidence:.2f}"

# --- the answer's labels in other languages (a staff member who asks in English gets English labels)
from indexing.language import EASY_JAPANESE, localized  # noqa: E402

CATALOGUE = {
    "SOURCES_LABEL": {"en": "*Source*", "zh-Hans": "*出处*", "zh-Hant": "*出處*", "ko": "*출처*", "vi": "*Nguồn*",
                      "pt": "*Fonte*", EASY_JAPANESE: "*出典(しゅってん)*"},
    "CONTACT_LABEL": {"en": "*Contact*", "zh-Hans": "*咨询窗口*", "zh-Hant": "*洽詢窗口*", "ko": "*문의처*",
                      "vi": "*Liên hệ*", "pt": "*Contato*", EASY_JAPANESE: "*問(と)い合(あ)わせ先(さき)*"},
    "RELATED_LABEL": {"en": "*Related questions*", "zh-Hans": "*相关问题*", "zh-Hant": "*相關問題*", "ko": "*관련 질문*",
                      "vi": "*Câu hỏi liên quan*", "pt": "*Perguntas relacionadas*",
                      EASY_JAPANESE: "*ほかの 質問(しつもん)*"},
    "FEEDBACK_LABEL": {"en": "Did this answer solve your problem?", "zh-Hans": "这个回答解决您的问题了吗？",
                       "zh-Hant": "這個回答解決您的問題了嗎？", "ko": "이 답변으로 해결되었나요?",
                       "vi": "Câu trả lời này có giải quyết được vấn đề của bạn không?",
                       "pt": "Esta resposta resolveu sua dúvida?", EASY_JAPANESE: "この 答(こた)えで わかりましたか？"},
    "RESOLVED": {"en": "Solved", "zh-Hans": "已解决", "zh-Hant": "已解決", "ko": "해결됨", "vi": "Đã giải quyết",
                 "pt": "Resolveu", EASY_JAPANESE: "わかった"},
    "UNRESOLVED": {"en": "Not solved", "zh-Hans": "未解决", "zh-Hant": "未解決", "ko": "해결 안 됨",
                   "vi": "Chưa giải quyết", "pt": "Não resolveu", EASY_JAPANESE: "わからない"},
    "CONFIDENCE": {"en": "Confidence {confidence:.2f}", "zh-Hans": "可信度 {confidence:.2f}",
                   "zh-Hant": "可信度 {confidence:.2f}", "ko": "신뢰도 {confidence:.2f}", "vi": "Độ tin cậy {confidence:.2f}",
                   "pt": "Confiança {confidence:.2f}", EASY_JAPANESE: "信頼度(しんらいど) {confidence:.2f}"},
}
for _name, _texts in CATALOGUE.items():
    _texts["ja"] = globals()[_name]  # the Japanese above, exactly as it is


def say(name: str, language: str = "ja", easy_japanese: bool = False, **fields) -> str:
    """The text ``name`` in ``language`` (Japanese when there is none), with ``fields`` filled in."""
    text = localized(CATALOGUE[name], language, easy_japanese)
    return text.format(**fields) if fields else text
