"""Every word the handoff says to citizens (LINE and the web chat), in one place for review.

Organised like bot/answering/messages.py: the Japanese constants are the product's voice
(polite です/ます); ``CATALOGUE`` holds the same texts in the other supported languages and in
やさしい日本語; :func:`say` picks one by the question's language, falling back to Japanese.

The two button labels 「職員に質問を送る」 and 「送信する」 are the chat-facing labels other systems
rely on (docs DESIGN.md): they stay Japanese in every language; the text around them says what
they do.
"""
from indexing.language import EASY_JAPANESE, localized

OFFER_LABEL = "職員に質問を送る"
CONFIRM_LABEL = "送信する"

ADDITION_LABEL = "補足（任意・1回だけ）"
WAITING = "職員からの回答を待っています。このページを開いたままにしてください。"
OFFER = "職員に直接質問することもできます。「職員に質問を送る」を押してください。"
CONFIRM = (
    "次の内容を{department}の職員に送ります（個人情報は伏せ字にしています）。\n"
    "――――\n{question}\n――――\n"
    "回答は{hours}時間以内を目安に、このチャットでお届けします。"
    "{hint}よろしければ「送信する」を押してください。"
)
CONFIRM_HINT = "補足があれば、送信の前に1回だけ送れます。"
SENT = "{department}に質問を送りました（受付番号 {ticket}）。回答は{hours}時間以内を目安にお届けします。"
ALREADY_SENT = "このご質問は、すでに職員に送っています（受付番号 {ticket}）。回答をお待ちください。"
UNAVAILABLE = "申し訳ありません。このご質問は職員に送ることができません。お手数ですが、市役所の担当窓口にお問い合わせください。"
ANSWER = "{department}の職員からの回答です（受付番号 {ticket}）。\n\n{answer}"
RATE_QUESTION = "この回答で解決しましたか？"
RATED = "ご評価ありがとうございました。"
RATED_UNRESOLVED = "ご評価ありがとうございました。お手数ですが、{department}に直接お問い合わせください。"
DECLINED = (
    "申し訳ありません。このご質問（受付番号 {ticket}）には、チャットでは職員からお答えできません。"
    "お手数ですが、市役所の担当窓口に直接お問い合わせください。"
)
EXPIRED = (
    "申し訳ありません。ご質問（受付番号 {ticket}）に期限までにお答えできませんでした。"
    "お手数ですが、{department}に直接お問い合わせください。"
)

CATALOGUE = {
    "OFFER_LABEL": {},
    "CONFIRM_LABEL": {},
    "ADDITION_LABEL": {
        "en": "Additional details (optional, once)", "zh-Hans": "补充说明（可选，仅一次）",
        "zh-Hant": "補充說明（可選，僅一次）", "ko": "보충 설명(선택, 한 번만)",
        "vi": "Thông tin bổ sung (không bắt buộc, một lần)", "pt": "Detalhes adicionais (opcional, uma vez)",
        EASY_JAPANESE: "ほかに 伝(つた)えたいこと（1回(かい)だけ）",
    },
    "WAITING": {
        "en": "Waiting for the staff's answer. Please keep this page open.",
        "zh-Hans": "正在等待工作人员的答复。请保持此页面打开。", "zh-Hant": "正在等待工作人員的答覆。請保持此頁面開啟。",
        "ko": "직원의 답변을 기다리고 있습니다. 이 페이지를 열어 두세요.",
        "vi": "Đang chờ câu trả lời của nhân viên. Vui lòng giữ trang này mở.",
        "pt": "Aguardando a resposta da equipe. Mantenha esta página aberta.",
        EASY_JAPANESE: "答(こた)えを 待(ま)っています。この ページを 開(ひら)いた ままに してください。",
    },
    "OFFER": {
        "en": "You can also ask a staff member directly. Please press 「職員に質問を送る」 (send to staff).",
        "zh-Hans": "您也可以直接向工作人员提问。请点击「職員に質問を送る」（发送给工作人员）。",
        "zh-Hant": "您也可以直接向工作人員提問。請點選「職員に質問を送る」（傳送給工作人員）。",
        "ko": "직원에게 직접 질문할 수도 있습니다. 「職員に質問を送る」(직원에게 보내기)를 눌러 주세요.",
        "vi": "Bạn cũng có thể hỏi trực tiếp nhân viên. Vui lòng nhấn 「職員に質問を送る」 (gửi cho nhân viên).",
        "pt": "Você também pode perguntar diretamente a um funcionário. Toque em 「職員に質問を送る」 (enviar à equipe).",
        EASY_JAPANESE: "市役所(しやくしょ)の 人(ひと)に 質問(しつもん)できます。「職員に質問を送る」を 押(お)してください。",
    },
    "CONFIRM": {
        "en": "We will send the following to the staff of {department} (personal data hidden).\n"
              "――――\n{question}\n――――\n"
              "You will get the answer in this chat, usually within {hours} hours. {hint}"
              "If this is fine, press 「送信する」 (send).",
        "zh-Hans": "将把以下内容发送给{department}的工作人员（个人信息已隐藏）。\n――――\n{question}\n――――\n"
                   "通常会在{hours}小时内在此对话中回复。{hint}确认无误请点击「送信する」（发送）。",
        "zh-Hant": "將把以下內容傳送給{department}的工作人員（個人資料已隱藏）。\n――――\n{question}\n――――\n"
                   "通常會在{hours}小時內於此對話中回覆。{hint}確認無誤請點選「送信する」（傳送）。",
        "ko": "다음 내용을 {department} 직원에게 보냅니다(개인정보는 가려져 있습니다).\n――――\n{question}\n――――\n"
              "답변은 보통 {hours}시간 이내에 이 대화로 보내 드립니다. {hint}"
              "괜찮으시면 「送信する」(보내기)를 눌러 주세요.",
        "vi": "Chúng tôi sẽ gửi nội dung sau cho nhân viên {department} (thông tin cá nhân đã được che).\n"
              "――――\n{question}\n――――\n"
              "Câu trả lời thường đến trong cuộc trò chuyện này trong vòng {hours} giờ. {hint}"
              "Nếu đồng ý, vui lòng nhấn 「送信する」 (gửi).",
        "pt": "Enviaremos o texto abaixo à equipe de {department} (dados pessoais ocultos).\n"
              "――――\n{question}\n――――\n"
              "A resposta chega nesta conversa, normalmente em até {hours} horas. {hint}"
              "Se estiver certo, toque em 「送信する」 (enviar).",
        EASY_JAPANESE: "つぎの 文(ぶん)を {department}の 人(ひと)に 送(おく)ります。\n――――\n{question}\n――――\n"
                       "{hours}時間(じかん)ぐらいで ここに 答(こた)えが 来(き)ます。{hint}"
                       "よければ 「送信する」を 押(お)してください。",
    },
    "CONFIRM_HINT": {
        "en": "You may add details once before sending. ",
        "zh-Hans": "发送前可以补充一次说明。", "zh-Hant": "傳送前可以補充一次說明。",
        "ko": "보내기 전에 한 번 보충할 수 있습니다. ",
        "vi": "Bạn có thể bổ sung một lần trước khi gửi. ",
        "pt": "Você pode acrescentar detalhes uma vez antes de enviar. ",
        EASY_JAPANESE: "ほかに 伝(つた)えたいことが あれば、1回(かい)だけ 送(おく)れます。",
    },
    "SENT": {
        "en": "Your question was sent to {department} (reference no. {ticket}). You will usually get an answer "
              "within {hours} hours.",
        "zh-Hans": "您的问题已发送给{department}（受理编号 {ticket}）。通常会在{hours}小时内答复。",
        "zh-Hant": "您的問題已傳送給{department}（受理編號 {ticket}）。通常會在{hours}小時內答覆。",
        "ko": "질문을 {department}에 보냈습니다(접수 번호 {ticket}). 답변은 보통 {hours}시간 이내에 보내 드립니다.",
        "vi": "Câu hỏi của bạn đã được gửi đến {department} (số tiếp nhận {ticket}). Câu trả lời thường đến "
              "trong vòng {hours} giờ.",
        "pt": "Sua pergunta foi enviada a {department} (protocolo {ticket}). A resposta chega normalmente em "
              "até {hours} horas.",
        EASY_JAPANESE: "{department}に 質問(しつもん)を 送(おく)りました（番号(ばんごう) {ticket}）。"
                       "{hours}時間(じかん)ぐらいで 答(こた)えます。",
    },
    "ALREADY_SENT": {
        "en": "This question was already sent to the staff (reference no. {ticket}). Please wait for the answer.",
        "zh-Hans": "此问题已发送给工作人员（受理编号 {ticket}）。请等待答复。",
        "zh-Hant": "此問題已傳送給工作人員（受理編號 {ticket}）。請等待答覆。",
        "ko": "이 질문은 이미 직원에게 보냈습니다(접수 번호 {ticket}). 답변을 기다려 주세요.",
        "vi": "Câu hỏi này đã được gửi cho nhân viên (số tiếp nhận {ticket}). Vui lòng chờ câu trả lời.",
        "pt": "Esta pergunta já foi enviada à equipe (protocolo {ticket}). Aguarde a resposta.",
        EASY_JAPANESE: "この 質問(しつもん)は もう 送(おく)りました（番号(ばんごう) {ticket}）。答(こた)えを 待(ま)ってください。",
    },
    "UNAVAILABLE": {
        "en": "Sorry, this question cannot be sent to the staff. Please contact the office in charge at City Hall.",
        "zh-Hans": "非常抱歉，此问题无法发送给工作人员。请咨询市政府的相关窗口。",
        "zh-Hant": "非常抱歉，此問題無法傳送給工作人員。請洽詢市政府的相關窗口。",
        "ko": "죄송합니다. 이 질문은 직원에게 보낼 수 없습니다. 시청 담당 창구에 문의해 주십시오.",
        "vi": "Xin lỗi, không thể gửi câu hỏi này cho nhân viên. Vui lòng liên hệ quầy phụ trách tại tòa thị chính.",
        "pt": "Desculpe, esta pergunta não pode ser enviada à equipe. Procure o setor responsável na prefeitura.",
        EASY_JAPANESE: "ごめんなさい。この 質問(しつもん)は 送(おく)れません。市役所(しやくしょ)の 窓口(まどぐち)に 聞(き)いてください。",
    },
    "ANSWER": {
        "en": "An answer from the staff of {department} (reference no. {ticket}).\n\n{answer}",
        "zh-Hans": "{department}工作人员的答复（受理编号 {ticket}）。\n\n{answer}",
        "zh-Hant": "{department}工作人員的答覆（受理編號 {ticket}）。\n\n{answer}",
        "ko": "{department} 직원의 답변입니다(접수 번호 {ticket}).\n\n{answer}",
        "vi": "Câu trả lời từ nhân viên {department} (số tiếp nhận {ticket}).\n\n{answer}",
        "pt": "Resposta da equipe de {department} (protocolo {ticket}).\n\n{answer}",
        EASY_JAPANESE: "{department}の 人(ひと)からの 答(こた)えです（番号(ばんごう) {ticket}）。\n\n{answer}",
    },
    "RATE_QUESTION": {
        "en": "Did this answer solve your problem?", "zh-Hans": "这个答复解决您的问题了吗？",
        "zh-Hant": "這個答覆解決您的問題了嗎？", "ko": "이 답변으로 해결되었나요?",
        "vi": "Câu trả lời này có giải quyết được vấn đề của bạn không?", "pt": "Esta resposta resolveu sua dúvida?",
        EASY_JAPANESE: "この 答(こた)えで わかりましたか？",
    },
    "RATED": {
        "en": "Thank you for your rating.", "zh-Hans": "感谢您的评价。", "zh-Hant": "感謝您的評價。",
        "ko": "평가해 주셔서 감사합니다.", "vi": "Cảm ơn bạn đã đánh giá.", "pt": "Obrigado pela avaliação.",
        EASY_JAPANESE: "ありがとうございました。",
    },
    "RATED_UNRESOLVED": {
        "en": "Thank you for your rating. Please contact {department} directly.",
        "zh-Hans": "感谢您的评价。请直接联系{department}。", "zh-Hant": "感謝您的評價。請直接聯絡{department}。",
        "ko": "평가해 주셔서 감사합니다. {department}에 직접 문의해 주십시오.",
        "vi": "Cảm ơn bạn đã đánh giá. Vui lòng liên hệ trực tiếp {department}.",
        "pt": "Obrigado pela avaliação. Entre em contato diretamente com {department}.",
        EASY_JAPANESE: "ありがとうございました。{department}に 直接(ちょくせつ) 聞(き)いてください。",
    },
    "DECLINED": {
        "en": "Sorry, the staff cannot answer your question (reference no. {ticket}) in this chat. "
              "Please contact the office in charge at City Hall directly.",
        "zh-Hans": "非常抱歉，工作人员无法在聊天中回答您的问题（受理编号 {ticket}）。请直接咨询市政府的相关窗口。",
        "zh-Hant": "非常抱歉，工作人員無法在聊天中回答您的問題（受理編號 {ticket}）。請直接洽詢市政府的相關窗口。",
        "ko": "죄송합니다. 질문(접수 번호 {ticket})에는 채팅으로 직원이 답변해 드릴 수 없습니다. "
              "시청 담당 창구에 직접 문의해 주십시오.",
        "vi": "Xin lỗi, nhân viên không thể trả lời câu hỏi của bạn (số tiếp nhận {ticket}) qua trò chuyện. "
              "Vui lòng liên hệ trực tiếp quầy phụ trách tại tòa thị chính.",
        "pt": "Desculpe, a equipe não pode responder sua pergunta (protocolo {ticket}) por chat. "
              "Procure diretamente o setor responsável na prefeitura.",
        EASY_JAPANESE: "ごめんなさい。この 質問(しつもん)（番号(ばんごう) {ticket}）には チャットで 答(こた)えられません。"
                       "市役所(しやくしょ)の 窓口(まどぐち)に 聞(き)いてください。",
    },
    "EXPIRED": {
        "en": "Sorry, we could not answer your question (reference no. {ticket}) in time. "
              "Please contact {department} directly.",
        "zh-Hans": "非常抱歉，未能在期限内回答您的问题（受理编号 {ticket}）。请直接联系{department}。",
        "zh-Hant": "非常抱歉，未能在期限內回答您的問題（受理編號 {ticket}）。請直接聯絡{department}。",
        "ko": "죄송합니다. 질문(접수 번호 {ticket})에 기한 내에 답변하지 못했습니다. {department}에 직접 문의해 주십시오.",
        "vi": "Xin lỗi, chúng tôi không thể trả lời câu hỏi của bạn (số tiếp nhận {ticket}) đúng hạn. "
              "Vui lòng liên hệ trực tiếp {department}.",
        "pt": "Desculpe, não conseguimos responder sua pergunta (protocolo {ticket}) no prazo. "
              "Entre em contato diretamente com {department}.",
        EASY_JAPANESE: "ごめんなさい。質問(しつもん)（番号(ばんごう) {ticket}）に 答(こた)えられませんでした。"
                       "{department}に 直接(ちょくせつ) 聞(き)いてください。",
    },
}
for _name, _texts in CATALOGUE.items():
    _texts["ja"] = globals()[_name]  # the Japanese above, exactly as it is
for _label in ("OFFER_LABEL", "CONFIRM_LABEL"):
    CATALOGUE[_label].clear()
    CATALOGUE[_label]["ja"] = globals()[_label]  # the same label in every language (see above)


def say(name: str, language: str = "ja", easy_japanese: bool = False, **fields) -> str:
    """The text ``name`` in ``language`` (Japanese when there is none), with ``fields`` filled in."""
    text = localized(CATALOGUE[name], language, easy_japanese)
    return text.format(**fields) if fields else text


def confirmation(preview, easy_japanese: bool = False) -> str:
    """The 「送信する」 confirmation of a bot.handoff.desk.Preview (the addition hint until one was added)."""
    language = preview.language
    hint = "" if preview.addition else say("CONFIRM_HINT", language, easy_japanese)
    return say("CONFIRM", language, easy_japanese, department=preview.department, question=preview.text,
               hours=hours_text(preview.reply_hours), hint=hint)


def hours_text(hours: float) -> str:
    """24.0 → '24', 1.5 → '1.5' (for the {hours} field)."""
    return f"{hours:g}"
