"""Every word the Slack channel says to staff, in one place for the DX office to review."""

COMMAND_USAGE = (
    "使い方：`/madoguchi 質問` のように、質問を続けて入力してください。"
    "（例：`/madoguchi 時間外勤務の申請はいつまで？`）"
)
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
