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
    "en": {"you": "You", "bot": "Madoguchi", "thinking": "Preparing an answer…", "answered": "The answer has arrived.",
           "empty": "Please type your question.",
           "error": "Sorry, we could not answer just now. Please try again in a little while.",
           "source": "Source", "opens_new_window": "(opens in a new window)", "contact": "Contact",
           "related": "Related questions", "feedback_question": "Did this answer solve your problem?",
           "resolved": "Solved", "unresolved": "Not solved",
           "thanks_resolved": "Thank you for your feedback. We are glad we could help.",
           "thanks_unresolved": "We are sorry we could not help. We will use your feedback to improve our answers.",
           "comment_label": "If you like, tell us why it did not help or what you were looking for (optional)",
           "comment_send": "Send", "comment_thanks": "Thank you for your comment.",
           "feedback_error": "Your rating could not be sent. Please try again later."},
    "zh-Hans": {"you": "您", "bot": "窗口（Madoguchi）", "thinking": "正在准备回答…", "answered": "回答已送达。",
                "empty": "请输入您的问题。", "error": "非常抱歉，暂时无法回答。请稍后再试。",
                "source": "出处", "opens_new_window": "（在新窗口中打开）", "contact": "咨询窗口", "related": "相关问题",
                "feedback_question": "这个回答解决您的问题了吗？", "resolved": "已解决", "unresolved": "未解决",
                "thanks_resolved": "感谢您的反馈。很高兴能帮到您。",
                "thanks_unresolved": "很抱歉没能帮到您。您的意见将用于改进回答。",
                "comment_label": "如您愿意，请告诉我们没有解决的原因或您要找的内容（可选）",
                "comment_send": "发送意见", "comment_thanks": "感谢您的意见。",
                "feedback_error": "评价未能发送。请稍后再试。"},
    "zh-Hant": {"you": "您", "bot": "窗口（Madoguchi）", "thinking": "正在準備回答…", "answered": "回答已送達。",
                "empty": "請輸入您的問題。", "error": "非常抱歉，暫時無法回答。請稍後再試。",
                "source": "出處", "opens_new_window": "（在新視窗中開啟）", "contact": "洽詢窗口", "related": "相關問題",
                "feedback_question": "這個回答解決您的問題了嗎？", "resolved": "已解決", "unresolved": "未解決",
                "thanks_resolved": "感謝您的回饋。很高興能幫上忙。",
                "thanks_unresolved": "很抱歉沒能幫上忙。您的意見將用於改善回答。",
                "comment_label": "如您願意，請告訴我們沒有解決的原因或您要找的內容（選填）",
                "comment_send": "傳送意見", "comment_thanks": "感謝您的意見。",
                "feedback_error": "評價未能傳送。請稍後再試。"},
    "ko": {"you": "나", "bot": "마도구치", "thinking": "답변을 준비하고 있습니다…", "answered": "답변이 도착했습니다.",
           "empty": "질문을 입력해 주세요.", "error": "죄송합니다. 지금은 답변할 수 없습니다. 잠시 후 다시 시도해 주세요.",
           "source": "출처", "opens_new_window": "(새 창에서 열림)", "contact": "문의처", "related": "관련 질문",
           "feedback_question": "이 답변으로 해결되었나요?", "resolved": "해결됨", "unresolved": "해결 안 됨",
           "thanks_resolved": "응답해 주셔서 감사합니다. 도움이 되어 기쁩니다.",
           "thanks_unresolved": "도움이 되지 못해 죄송합니다. 주신 의견은 답변 개선에 활용하겠습니다.",
           "comment_label": "괜찮으시면 해결되지 않은 이유나 찾으시는 내용을 알려 주세요(선택)",
           "comment_send": "의견 보내기", "comment_thanks": "의견 감사합니다.",
           "feedback_error": "평가를 보내지 못했습니다. 잠시 후 다시 시도해 주세요."},
    "vi": {"you": "Bạn", "bot": "Madoguchi", "thinking": "Đang chuẩn bị câu trả lời…", "answered": "Đã có câu trả lời.",
           "empty": "Vui lòng nhập câu hỏi của bạn.",
           "error": "Xin lỗi, hiện chúng tôi không thể trả lời. Vui lòng thử lại sau ít phút.",
           "source": "Nguồn", "opens_new_window": "(mở trong cửa sổ mới)", "contact": "Liên hệ",
           "related": "Câu hỏi liên quan", "feedback_question": "Câu trả lời này có giải quyết được vấn đề của bạn không?",
           "resolved": "Đã giải quyết", "unresolved": "Chưa giải quyết",
           "thanks_resolved": "Cảm ơn phản hồi của bạn. Rất vui vì đã giúp được bạn.",
           "thanks_unresolved": "Rất tiếc chúng tôi chưa giúp được bạn. Ý kiến của bạn sẽ được dùng để cải thiện câu trả lời.",
           "comment_label": "Nếu được, hãy cho chúng tôi biết lý do hoặc điều bạn đang tìm (không bắt buộc)",
           "comment_send": "Gửi ý kiến", "comment_thanks": "Cảm ơn ý kiến của bạn.",
           "feedback_error": "Không gửi được đánh giá. Vui lòng thử lại sau."},
    "pt": {"you": "Você", "bot": "Madoguchi", "thinking": "Preparando a resposta…", "answered": "A resposta chegou.",
           "empty": "Digite sua pergunta.", "error": "Desculpe, não foi possível responder agora. Tente novamente daqui a pouco.",
           "source": "Fonte", "opens_new_window": "(abre em nova janela)", "contact": "Contato",
           "related": "Perguntas relacionadas", "feedback_question": "Esta resposta resolveu sua dúvida?",
           "resolved": "Resolveu", "unresolved": "Não resolveu",
           "thanks_resolved": "Obrigado pela resposta. Ficamos felizes em ajudar.",
           "thanks_unresolved": "Sentimos não ter ajudado. Usaremos sua opinião para melhorar as respostas.",
           "comment_label": "Se quiser, conte por que não ajudou ou o que você procurava (opcional)",
           "comment_send": "Enviar opinião", "comment_thanks": "Obrigado pela sua opinião.",
           "feedback_error": "Não foi possível enviar a avaliação. Tente novamente mais tarde."},
    EASY_JAPANESE: {"you": "あなた", "bot": "まどぐち", "thinking": "答(こた)えを 準備(じゅんび)しています…",
                    "answered": "答(こた)えが 届(とど)きました。", "empty": "質問(しつもん)を 書(か)いてください。",
                    "error": "ごめんなさい。今(いま)は 答(こた)えられません。少(すこ)し あとで もう一度(いちど) 送(おく)ってください。",
                    "source": "出典(しゅってん)", "opens_new_window": "（新(あたら)しい 画面(がめん)で 開(ひら)きます）",
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
    strings = script_strings(language, easy_japanese)
    return {key: strings[key] for key in ANSWER_KEYS}




# --- the page and the API's errors in the residents' languages ----------------------------------
# The page speaks the browser's language (Accept-Language) where we have it; an answer's strings
# follow its question ("ui" above). Errors follow the question when it was read, else the browser.
PAGE_TRANSLATIONS = {
    "en": {"title": "Madoguchi – City Hall chat", "title_staff": "Madoguchi – staff chat",
           "intro": "We answer questions about city procedures and daily life, based on the city's website and FAQ.",
           "intro_staff": "Answers to questions about internal rules and procedures, based on regulations and guides.",
           "privacy": "Please do not enter personal information (your name, phone number, My Number, etc.).",
           "skip": "Skip to the question box", "log_heading": "Conversation", "question_label": "Your question",
           "question_hint": "Type what you want to know and send it with the Enter key or the \"Send\" button. "
                            "Shift+Enter starts a new line.",
           "send": "Send", "noscript": "Please turn on JavaScript to use this chat."},
    "zh-Hans": {"title": "窗口（Madoguchi）市政府聊天", "title_staff": "窗口（Madoguchi）职员聊天",
                "intro": "我们根据市政府网站和常见问题，回答有关市政手续和生活的问题。",
                "intro_staff": "根据规章和指南，回答有关内部规定和手续的问题。",
                "privacy": "请不要输入个人信息（姓名、电话号码、个人编号等）。",
                "skip": "跳到问题输入栏", "log_heading": "对话", "question_label": "您的问题",
                "question_hint": "请用文字输入您想了解的内容，按Enter键或“发送”按钮发送。按Shift+Enter换行。",
                "send": "发送", "noscript": "使用此聊天功能，请启用JavaScript。"},
    "zh-Hant": {"title": "窗口（Madoguchi）市政府聊天", "title_staff": "窗口（Madoguchi）職員聊天",
                "intro": "我們根據市政府網站和常見問題，回答有關市政手續和生活的問題。",
                "intro_staff": "根據規章和指南，回答有關內部規定和手續的問題。",
                "privacy": "請不要輸入個人資料（姓名、電話號碼、個人編號等）。",
                "skip": "跳到問題輸入欄", "log_heading": "對話", "question_label": "您的問題",
                "question_hint": "請用文字輸入您想了解的內容，按Enter鍵或「傳送」按鈕傳送。按Shift+Enter換行。",
                "send": "傳送", "noscript": "使用此聊天功能，請啟用JavaScript。"},
    "ko": {"title": "마도구치 시청 채팅", "title_staff": "마도구치 직원용 채팅",
           "intro": "시 홈페이지와 자주 묻는 질문을 바탕으로 시청 절차와 생활에 관한 질문에 답해 드립니다.",
           "intro_staff": "규정과 가이드를 바탕으로 내부 규칙과 절차에 관한 질문에 답합니다.",
           "privacy": "개인정보(이름, 전화번호, 마이넘버 등)는 입력하지 마십시오.",
           "skip": "질문 입력란으로 이동", "log_heading": "대화", "question_label": "질문",
           "question_hint": "알고 싶은 내용을 문장으로 입력하고 Enter 키나 '보내기' 버튼으로 보내 주세요. 줄바꿈은 Shift+Enter입니다.",
           "send": "보내기", "noscript": "이 채팅을 사용하려면 JavaScript를 켜 주세요."},
    "vi": {"title": "Madoguchi – Trò chuyện với tòa thị chính", "title_staff": "Madoguchi – Trò chuyện cho nhân viên",
           "intro": "Chúng tôi trả lời các câu hỏi về thủ tục hành chính và đời sống dựa trên trang web và mục hỏi đáp "
                    "của thành phố.",
           "intro_staff": "Trả lời câu hỏi về quy định và thủ tục nội bộ dựa trên quy chế và hướng dẫn.",
           "privacy": "Vui lòng không nhập thông tin cá nhân (họ tên, số điện thoại, mã số My Number, v.v.).",
           "skip": "Đến ô nhập câu hỏi", "log_heading": "Cuộc trò chuyện", "question_label": "Câu hỏi của bạn",
           "question_hint": "Nhập điều bạn muốn biết rồi gửi bằng phím Enter hoặc nút \"Gửi\". Xuống dòng bằng Shift+Enter.",
           "send": "Gửi", "noscript": "Vui lòng bật JavaScript để sử dụng trò chuyện này."},
    "pt": {"title": "Madoguchi – Chat da prefeitura", "title_staff": "Madoguchi – Chat para funcionários",
           "intro": "Respondemos perguntas sobre procedimentos da prefeitura e a vida na cidade, com base no site e nas "
                    "perguntas frequentes da cidade.",
           "intro_staff": "Respostas sobre regras e procedimentos internos, com base nos regulamentos e guias.",
           "privacy": "Não digite dados pessoais (nome, telefone, My Number etc.).",
           "skip": "Ir para o campo da pergunta", "log_heading": "Conversa", "question_label": "Sua pergunta",
           "question_hint": "Digite o que deseja saber e envie com a tecla Enter ou o botão \"Enviar\". "
                            "Shift+Enter muda de linha.",
           "send": "Enviar", "noscript": "Ative o JavaScript para usar este chat."},
    EASY_JAPANESE: {"title": "まどぐち 市役所(しやくしょ)チャット", "title_staff": "まどぐち 職員(しょくいん)チャット",
                    "intro": "市役所(しやくしょ)の 手続(てつづ)きや 生活(せいかつ)の 質問(しつもん)に 答(こた)えます。",
                    "intro_staff": "市役所(しやくしょ)の ルールの 質問(しつもん)に 答(こた)えます。",
                    "privacy": "名前(なまえ)や 電話番号(でんわばんごう)、マイナンバーは 書(か)かないでください。",
                    "skip": "質問(しつもん)を 書(か)く ところへ", "log_heading": "会話(かいわ)",
                    "question_label": "質問(しつもん)",
                    "question_hint": "知(し)りたいことを 書(か)いて、Enterキーか 「送信(そうしん)」ボタンを 押(お)してください。",
                    "send": "送信(そうしん)", "noscript": "JavaScriptを オンに してください。"},
}

API_ERROR_TRANSLATIONS = {
    "en": {"json_required": "Please send it as Content-Type: application/json.",
           "too_large": "The request is too large.", "bad_json": "The body could not be read as JSON.",
           "question_required": "Please give the question as a string in \"question\".",
           "feedback_invalid": "Please give \"inquiry_id\" (an integer) and \"feedback\" (resolved or unresolved).",
           "feedback_not_found": "We could not find that question.",
           "feedback_not_yours": "Only the person who asked the question can rate the answer.",
           "rate_limited": "You have sent many questions in a short time. Please wait a little and try again.",
           "busy": "We are very busy right now. Please wait a little and try again.",
           "timeout": "The answer is taking a long time. Sorry, please wait a little and try again."},
    "zh-Hans": {"json_required": "请以 Content-Type: application/json 发送。", "too_large": "请求过大。",
                "bad_json": "无法作为JSON读取。", "question_required": "请在 \"question\" 中以字符串指定问题。",
                "feedback_invalid": "请指定 \"inquiry_id\"（整数）和 \"feedback\"（resolved 或 unresolved）。",
                "feedback_not_found": "找不到对应的问题。", "feedback_not_yours": "只有提问者本人可以评价。",
                "rate_limited": "您在短时间内发送了很多问题。请稍等片刻后再试。",
                "busy": "目前访问人数较多。请稍等片刻后再试。",
                "timeout": "准备回答需要较长时间。非常抱歉，请稍等片刻后再试。"},
    "zh-Hant": {"json_required": "請以 Content-Type: application/json 傳送。", "too_large": "請求過大。",
                "bad_json": "無法作為JSON讀取。", "question_required": "請在 \"question\" 中以字串指定問題。",
                "feedback_invalid": "請指定 \"inquiry_id\"（整數）和 \"feedback\"（resolved 或 unresolved）。",
                "feedback_not_found": "找不到對應的問題。", "feedback_not_yours": "只有提問者本人可以評價。",
                "rate_limited": "您在短時間內傳送了很多問題。請稍候片刻再試。",
                "busy": "目前使用人數較多。請稍候片刻再試。",
                "timeout": "準備回答需要較長時間。非常抱歉，請稍候片刻再試。"},
    "ko": {"json_required": "Content-Type: application/json으로 보내 주세요.", "too_large": "요청이 너무 큽니다.",
           "bad_json": "JSON으로 읽을 수 없습니다.", "question_required": "\"question\"에 질문을 문자열로 지정해 주세요.",
           "feedback_invalid": "\"inquiry_id\"(정수)와 \"feedback\"(resolved 또는 unresolved)을 지정해 주세요.",
           "feedback_not_found": "해당 질문을 찾을 수 없습니다.", "feedback_not_yours": "평가는 질문하신 분만 보낼 수 있습니다.",
           "rate_limited": "짧은 시간에 많은 질문을 보내 주셨습니다. 잠시 후 다시 시도해 주세요.",
           "busy": "지금은 이용자가 많습니다. 잠시 후 다시 시도해 주세요.",
           "timeout": "답변 준비에 시간이 걸리고 있습니다. 죄송하지만 잠시 후 다시 시도해 주세요."},
    "vi": {"json_required": "Vui lòng gửi với Content-Type: application/json.", "too_large": "Yêu cầu quá lớn.",
           "bad_json": "Không thể đọc nội dung dưới dạng JSON.",
           "question_required": "Vui lòng ghi câu hỏi dạng chuỗi trong \"question\".",
           "feedback_invalid": "Vui lòng ghi \"inquiry_id\" (số nguyên) và \"feedback\" (resolved hoặc unresolved).",
           "feedback_not_found": "Không tìm thấy câu hỏi đó.", "feedback_not_yours": "Chỉ người đặt câu hỏi mới có thể đánh giá.",
           "rate_limited": "Bạn đã gửi nhiều câu hỏi trong thời gian ngắn. Vui lòng đợi một chút rồi thử lại.",
           "busy": "Hiện đang có nhiều người sử dụng. Vui lòng đợi một chút rồi thử lại.",
           "timeout": "Việc chuẩn bị câu trả lời đang mất nhiều thời gian. Xin lỗi, vui lòng đợi một chút rồi thử lại."},
    "pt": {"json_required": "Envie como Content-Type: application/json.", "too_large": "A requisição é grande demais.",
           "bad_json": "Não foi possível ler o conteúdo como JSON.",
           "question_required": "Informe a pergunta como texto em \"question\".",
           "feedback_invalid": "Informe \"inquiry_id\" (número inteiro) e \"feedback\" (resolved ou unresolved).",
           "feedback_not_found": "Não encontramos essa pergunta.",
           "feedback_not_yours": "Somente quem fez a pergunta pode avaliar a resposta.",
           "rate_limited": "Você enviou muitas perguntas em pouco tempo. Aguarde um pouco e tente novamente.",
           "busy": "Estamos com muitos acessos agora. Aguarde um pouco e tente novamente.",
           "timeout": "A resposta está demorando. Desculpe, aguarde um pouco e tente novamente."},
    EASY_JAPANESE: {"json_required": "Content-Type: application/json で 送(おく)ってください。",
                    "too_large": "大(おお)きすぎて 受(う)け取(と)れません。", "bad_json": "JSONとして 読(よ)めません。",
                    "question_required": "\"question\" に 質問(しつもん)を 書(か)いてください。",
                    "feedback_invalid": "\"inquiry_id\"と \"feedback\"を 書(か)いてください。",
                    "feedback_not_found": "その 質問(しつもん)が 見(み)つかりません。",
                    "feedback_not_yours": "質問(しつもん)した 人(ひと)だけが 答(こた)えを 評価(ひょうか)できます。",
                    "rate_limited": "短(みじか)い 時間(じかん)に 質問(しつもん)が 多(おお)すぎます。"
                                    "少(すこ)し 待(ま)ってから、もう一度(いちど) 送(おく)ってください。",
                    "busy": "今(いま)、とても 混(こ)んでいます。少(すこ)し 待(ま)ってから、もう一度(いちど) 送(おく)ってください。",
                    "timeout": "答(こた)えに 時間(じかん)が かかっています。少(すこ)し 待(ま)ってから、"
                               "もう一度(いちど) 送(おく)ってください。"},
}


def _in(japanese: dict, translations: dict, language: str, easy_japanese: bool) -> dict:
    return {key: localized({"ja": text, **{code: texts[key] for code, texts in translations.items()}},
                           language, easy_japanese)
            for key, text in japanese.items()}


def page_strings(language: str, easy_japanese: bool = False) -> dict:
    """The page's words in ``language`` (Japanese, or やさしい日本語, when there are none)."""
    return _in(PAGE, PAGE_TRANSLATIONS, language, easy_japanese)


def script_strings(language: str, easy_japanese: bool = False) -> dict:
    """Every SCRIPT string in ``language``: the page's own, before any answer arrives."""
    return _in(SCRIPT, SCRIPT_TRANSLATIONS, language, easy_japanese)


def api_error(code: str, language: str = "ja", easy_japanese: bool = False) -> str:
    """The API error ``code``'s message in ``language``."""
    return localized({"ja": API_ERRORS[code], **{lang: texts[code] for lang, texts in API_ERROR_TRANSLATIONS.items()}},
                     language, easy_japanese)
