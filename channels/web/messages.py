"""Every word of the web chat (page and script), in one place for the DX office to review.

The page template and ``static/chat.js`` read these; the script gets them as a JSON block.
"""

PAGE = {
    "title": "まどぐち 市役所チャット",
    "title_staff": "まどぐち 職員向けチャット",
    "intro": "市役所の手続きや暮らしについてのご質問に、市のホームページやよくある質問をもとにお答えします。",
    "intro_staff": "庁内ルールや手続きについての質問に、規程やガイドをもとに回答します。",
    "privacy": "個人情報（お名前、電話番号、マイナンバーなど）は入力しないでください。",
    "skip": "質問の入力欄へ移動",
    "log_heading": "会話",
    "question_label": "ご質問",
    "question_hint": "知りたいことを文章で入力し、Enterキーまたは「送信」ボタンで送ってください。改行はShift+Enterです。",
    "send": "送信",
    "noscript": "このチャットを使うには、JavaScriptを有効にしてください。",
}

# Strings used by static/chat.js.
SCRIPT = {
    "you": "あなた",
    "bot": "まどぐち",
    "thinking": "回答を準備しています…",
    "answered": "回答が届きました。",
    "empty": "ご質問を入力してください。",
    "error": "申し訳ありません。ただいま回答できませんでした。時間をおいて、もう一度お試しください。",
    "source": "出典",
    "opens_new_window": "（新しいウィンドウで開きます）",
    "contact": "お問い合わせ先",
    "related": "関連する質問",
    "feedback_question": "この回答で解決しましたか？",
    "resolved": "解決した",
    "unresolved": "解決しない",
    "thanks_resolved": "ご回答ありがとうございます。お役に立てて良かったです。",
    "thanks_unresolved": "お役に立てず申し訳ありません。いただいたご意見は回答の改善に活用します。",
    "comment_label": "よろしければ、解決しなかった理由やお探しの内容をお聞かせください（任意）",
    "comment_send": "意見を送る",
    "comment_thanks": "ご意見ありがとうございました。",
    "feedback_error": "評価を送れませんでした。時間をおいて、もう一度お試しください。",
}

# JSON API errors (shown by the script or read by integrators).
API_ERRORS = {
    "json_required": "Content-Type: application/json で送ってください。",
    "too_large": "リクエストが大きすぎます。",
    "bad_json": "JSONとして読めませんでした。",
    "question_required": "\"question\" に質問の文字列を指定してください。",
    "feedback_invalid": "\"inquiry_id\"（整数）と \"feedback\"（resolved または unresolved）を指定してください。",
    "feedback_not_found": "対象の質問が見つかりませんでした。",
    "feedback_not_yours": "評価は、ご質問をされた方のみ送ることができます。",
    "rate_limited": "短い時間にたくさんのご質問をいただいたため、少し時間をおいてからお試しください。",
    "busy": "ただいま混み合っています。少し時間をおいてから、もう一度お試しください。",
    "timeout": "回答の準備に時間がかかっています。申し訳ありませんが、少し時間をおいてから、もう一度お試しください。",
}
