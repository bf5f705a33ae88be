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

# --- the answer's strings in the residents' languages ------------------------------------------
# Sent with each answer as "ui" (static/chat.js prefers them over SCRIPT for that answer), so a
# question in English gets English labels and buttons. "ja-x-easy" is やさしい日本語.
from indexing.language import EASY_JAPANESE, localized  # noqa: E402

ANSWER_KEYS = ("source", "opens_new_window", "contact", "related", "feedback_question", "resolved", "unresolved",
               "thanks_resolved", "thanks_unresolved", "comment_label", "comment_send", "comment_thanks",
               "feedback_error")
SCRIPT_TRANSLATIONS = {
    "en": {"source": "Source", "opens_new_window": "(opens in a new window)", "contact": "Contact",
           "related": "Related questions", "feedback_question": "Did this answer solve your problem?",
           "resolved": "Solved", "unresolved": "Not solved",
           "thanks_resolved": "Thank you for your feedback. We are glad we could help.",
           "thanks_unresolved": "We are sorry we could not help. We will use your feedback to improve our answers.",
           "comment_label": "If you like, tell us why it did not help or what you were looking for (optional)",
           "comment_send": "Send", "comment_thanks": "Thank you for your comment.",
           "feedback_error": "Your rating could not be sent. Please try again later."},
    "zh-Hans": {"source": "出处", "opens_new_window": "（在新窗口中打开）", "contact": "咨询窗口", "related": "相关问题",
                "feedback_question": "这个回答解决您的问题了吗？", "resolved": "已解决", "unresolved": "未解决",
                "thanks_resolved": "感谢您的反馈。很高兴能帮到您。",
                "thanks_unresolved": "很抱歉没能帮到您。您的意见将用于改进回答。",
                "comment_label": "如您愿意，请告诉我们没有解决的原因或您要找的内容（可选）",
                "comment_send": "发送意见", "comment_thanks": "感谢您的意见。",
                "feedback_error": "评价未能发送。请稍后再试。"},
    "zh-Hant": {"source": "出處", "opens_new_window": "（在新視窗中開啟）", "contact": "洽詢窗口", "related": "相關問題",
                "feedback_question": "這個回答解決您的問題了嗎？", "resolved": "已解決", "unresolved": "未解決",
                "thanks_resolved": "感謝您的回饋。很高興能幫上忙。",
                "thanks_unresolved": "很抱歉沒能幫上忙。您的意見將用於改善回答。",
                "comment_label": "如您願意，請告訴我們沒有解決的原因或您要找的內容（選填）",
                "comment_send": "傳送意見", "comment_thanks": "感謝您的意見。",
                "feedback_error": "評價未能傳送。請稍後再試。"},
    "ko": {"source": "출처", "opens_new_window": "(새 창에서 열림)", "contact": "문의처", "related": "관련 질문",
           "feedback_question": "이 답변으로 해결되었나요?", "resolved": "해결됨", "unresolved": "해결 안 됨",
           "thanks_resolved": "응답해 주셔서 감사합니다. 도움이 되어 기쁩니다.",
           "thanks_unresolved": "도움이 되지 못해 죄송합니다. 주신 의견은 답변 개선에 활용하겠습니다.",
           "comment_label": "괜찮으시면 해결되지 않은 이유나 찾으시는 내용을 알려 주세요(선택)",
           "comment_send": "의견 보내기", "comment_thanks": "의견 감사합니다.",
           "feedback_error": "평가를 보내지 못했습니다. 잠시 후 다시 시도해 주세요."},
    "vi": {"source": "Nguồn", "opens_new_window": "(mở trong cửa sổ mới)", "contact": "Liên hệ",
           "related": "Câu hỏi liên quan", "feedback_question": "Câu trả lời này có giải quyết được vấn đề của bạn không?",
           "resolved": "Đã giải quyết", "unresolved": "Chưa giải quyết",
           "thanks_resolved": "Cảm ơn phản hồi của bạn. Rất vui vì đã giúp được bạn.",
           "thanks_unresolved": "Rất tiếc chúng tôi chưa giúp được bạn. Ý kiến của bạn sẽ được dùng để cải thiện câu trả lời.",
           "comment_label": "Nếu được, hãy cho chúng tôi biết lý do hoặc điều bạn đang tìm (không bắt buộc)",
           "comment_send": "Gửi ý kiến", "comment_thanks": "Cảm ơn ý kiến của bạn.",
           "feedback_error": "Không gửi được đánh giá. Vui lòng thử lại sau."},
    "pt": {"source": "Fonte", "opens_new_window": "(abre em nova janela)", "contact": "Contato",
           "related": "Perguntas relacionadas", "feedback_question": "Esta resposta resolveu sua dúvida?",
           "resolved": "Resolveu", "unresolved": "Não resolveu",
           "thanks_resolved": "Obrigado pela resposta. Ficamos felizes em ajudar.",
           "thanks_unresolved": "Sentimos não ter ajudado. Usaremos sua opinião para melhorar as respostas.",
           "comment_label": "Se quiser, conte por que não ajudou ou o que você procurava (opcional)",
           "comment_send": "Enviar opinião", "comment_thanks": "Obrigado pela sua opinião.",
           "feedback_error": "Não foi possível enviar a avaliação. Tente novamente mais tarde."},
    EASY_JAPANESE: {"source": "出典(しゅってん)", "opens_new_window": "（新(あたら)しい 画面(がめん)で 開(ひら)きます）",
                    "contact": "問(と)い合(あ)わせ先(さき)", "related": "ほかの 質問(しつもん)",
                    "feedback_question": "この 答(こた)えで わかりましたか？", "resolved": "わかった",
                    "unresolved": "わからない", "thanks_resolved": "ありがとうございます。役(やく)に 立(た)って よかったです。",
                    "thanks_unresolved": "ごめんなさい。いただいた 意見(いけん)で 答(こた)えを よく します。",
                    "comment_label": "わからなかった ことを 書(か)いてください（書(か)かなくても いいです）",
                    "comment_send": "送(おく)る", "comment_thanks": "ありがとうございました。",
                    "feedback_error": "送(おく)れませんでした。少(すこ)し あとで もう一度(いちど) 送(おく)ってください。"},
}


def answer_strings(language: str, easy_japanese: bool = False) -> dict:
    """The SCRIPT strings an answer needs, in ``language`` (Japanese, or やさしい日本語, when there are none)."""
    return {key: localized({"ja": SCRIPT[key], **{code: texts[key] for code, texts in SCRIPT_TRANSLATIONS.items()}},
                           language, easy_japanese)
            for key in ANSWER_KEYS}


