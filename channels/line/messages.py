"""Every word the LINE channel says to citizens, in one place for the DX office to review.

Polite です/ます throughout. Quick-reply and button labels are at most 20 characters
(LINE's limit); longer text is cut by the renderer.
"""

WELCOME = (
    "友だち追加ありがとうございます。市役所の「まどぐち」です。\n"
    "市役所の手続きや暮らしについてのご質問に、市のホームページやよくある質問をもとにお答えします。\n"
    "{topics}"
    "知りたいことを文章で送ってください。（例：「粗大ごみの出し方は？」）\n"
    "※個人情報（電話番号やマイナンバーなど）は入力しないでください。"
)
WELCOME_TOPICS = "たとえば、{topics}などについてお答えできます。\n"
JOIN_GROUP = (
    "市役所の「まどぐち」です。グループでは、私あてにメンションしてご質問ください。"
    "（例：「@まどぐち 粗大ごみの出し方は？」）"
)

ERROR = "申し訳ありません。ただいま回答できませんでした。しばらくしてから、もう一度お試しください。"
RATE_LIMITED = "短い時間にたくさんのご質問をいただいたため、少しの間お答えできません。しばらくしてから、もう一度お送りください。"

STICKER = "スタンプをありがとうございます。ご質問は文章で送ってください。（例：「住民票はコンビニで取れますか？」）"
MEDIA = "申し訳ありません。画像・動画・音声・ファイルの内容にはお答えできません。ご質問を文章で送ってください。"
LOCATION = "位置情報をありがとうございます。申し訳ありませんが、位置情報からのご案内には対応していません。知りたいことを文章で送ってください。"
UNSUPPORTED = "申し訳ありません。このメッセージの種類には対応していません。ご質問を文章で送ってください。"

SOURCE_HEADER = "出典"
CONTACT_HEADER = "お問い合わせ先"
OPEN_SOURCE = "出典のページを開く"
OPEN_CONTACT = "担当課のページを開く"
CALL = "電話をかける"
FEEDBACK_QUESTION = "この回答で解決しましたか？"
RESOLVED = "解決した"
UNRESOLVED = "解決しない"
ALT_TEXT = "出典：{source}"
ALT_TEXT_CONTACT = "お問い合わせ先：{contact}"
ALT_TEXT_FEEDBACK = FEEDBACK_QUESTION

FEEDBACK_THANKS = "ご回答ありがとうございます。お役に立てて良かったです。"
FEEDBACK_SORRY = (
    "お役に立てず申し訳ありません。いただいたご意見は回答の改善に活用します。\n"
    "お急ぎの場合は、{department}へお問い合わせください。"
)
FEEDBACK_SORRY_DEFAULT_DEPARTMENT = "市役所の担当窓口"
FEEDBACK_NOT_FOUND = "申し訳ありません。対象のご質問が見つかりませんでした。"
FEEDBACK_NOT_YOURS = "評価は、ご質問をされた方のみ送ることができます。"

# --- deliveries by interest (配信設定 / 配信停止; channels/line/preferences.py) ---------------
PUSH_SETTINGS_WORD = "配信設定"       # DESIGN.md: the chat-facing labels other systems rely on
PUSH_STOP_WORD = "配信停止"
# Words residents send (a rich menu may send them too): recognised as typed, so never translated;
# the texts in other languages quote them as they are.
KEYWORDS = ("PUSH_SETTINGS_WORD", "PUSH_STOP_WORD")
PUSH_STOP_BUTTON = PUSH_STOP_WORD     # the quick-reply label that sends PUSH_STOP_WORD
PUSH_WELCOME = (
    "市からのお知らせを、関心のある分野だけLINEでお届けします。下のボタンから分野を選んでください。\n"
    "あとから「配信設定」と送れば、いつでも変更できます。「配信停止」と送ると、すべての配信を止めます。"
)
PUSH_MENU = "受け取りたいお知らせの分野を選んでください。選んだ分野をもう一度押すと、その分野の配信を止めます。\n{status}"
PUSH_STATUS = "配信中: {topics}"
PUSH_STATUS_AREA = "地区: {area}"
PUSH_STATUS_NONE = "配信中の分野はありません。"
PUSH_SUBSCRIBED = "「{topic}」のお知らせを配信します。\n{status}"
PUSH_UNSUBSCRIBED = "「{topic}」のお知らせの配信を止めました。\n{status}"
PUSH_STOPPED = "すべてのお知らせの配信を停止しました。再開するときは「配信設定」と送ってください。"
PUSH_NOTHING_TO_STOP = "配信中のお知らせはありません。受け取るときは「配信設定」と送ってください。"
PUSH_AREA_BUTTON = "地区を選ぶ"
PUSH_AREA_NONE = "指定しない"
PUSH_AREA_MENU = "お住まいの地区を選んでください。地区を選ぶと、その地区向けのお知らせも届きます。"
PUSH_AREA_SET = "地区を「{area}」に設定しました。\n{status}"
PUSH_AREA_CLEARED = "地区の指定を外しました。\n{status}"
PUSH_UNAVAILABLE = "申し訳ありません。お知らせの配信は現在準備中です。"
PUSH_UNKNOWN_TOPIC = "この分野のお知らせは終了しました。「配信設定」と送って選び直してください。"
# --- the same texts in the residents' languages -------------------------------------------------
# Keys are the names above; "ja-x-easy" is やさしい日本語 (MADOGUCHI_EASY_JAPANESE). Category names in
# {topics} and department names stay as the city wrote them.
from indexing.language import EASY_JAPANESE, localized  # noqa: E402

CATALOGUE = {
    "WELCOME": {
        "en": "Thank you for adding us as a friend. This is \"Madoguchi\", the city hall's chat assistant.\n"
              "We answer questions about city procedures and daily life, based on the city's website and FAQ.\n"
              "{topics}Please send your question as a sentence. (Example: \"How do I put out large garbage?\")\n"
              "* Please do not enter personal information (phone numbers, My Number, etc.).",
        "zh-Hans": "感谢您添加好友。这里是市政府的“窗口（Madoguchi）”。\n"
                   "我们根据市政府网站和常见问题，回答有关市政手续和生活的问题。\n"
                   "{topics}请用文字发送您想了解的内容。（例：“大型垃圾怎么扔？”）\n"
                   "※请不要输入个人信息（电话号码、个人编号等）。",
        "zh-Hant": "感謝您加入好友。這裡是市政府的「窗口（Madoguchi）」。\n"
                   "我們根據市政府網站和常見問題，回答有關市政手續和生活的問題。\n"
                   "{topics}請用文字傳送您想了解的內容。（例：「大型垃圾怎麼丟？」）\n"
                   "※請不要輸入個人資料（電話號碼、個人編號等）。",
        "ko": "친구 추가해 주셔서 감사합니다. 시청의 '마도구치'입니다.\n"
              "시 홈페이지와 자주 묻는 질문을 바탕으로 시청 절차와 생활에 관한 질문에 답해 드립니다.\n"
              "{topics}알고 싶은 내용을 문장으로 보내 주세요. (예: \"대형 쓰레기는 어떻게 버리나요?\")\n"
              "※개인정보(전화번호, 마이넘버 등)는 입력하지 마십시오.",
        "vi": "Cảm ơn bạn đã kết bạn. Đây là \"Madoguchi\" của tòa thị chính.\n"
              "Chúng tôi trả lời các câu hỏi về thủ tục hành chính và đời sống dựa trên trang web và mục hỏi đáp của thành phố.\n"
              "{topics}Vui lòng gửi câu hỏi bằng một câu. (Ví dụ: \"Rác cỡ lớn thì vứt như thế nào?\")\n"
              "※Vui lòng không nhập thông tin cá nhân (số điện thoại, mã số My Number, v.v.).",
        "pt": "Obrigado por nos adicionar como amigo. Este é o \"Madoguchi\", o atendimento da prefeitura.\n"
              "Respondemos perguntas sobre procedimentos da prefeitura e a vida na cidade, com base no site e nas "
              "perguntas frequentes da cidade.\n"
              "{topics}Envie sua pergunta em forma de frase. (Exemplo: \"Como jogo fora lixo grande?\")\n"
              "※Não digite dados pessoais (telefone, My Number etc.).",
        EASY_JAPANESE: "友(とも)だちに なって くれて ありがとうございます。市役所(しやくしょ)の 「まどぐち」です。\n"
                       "市役所(しやくしょ)の 手続(てつづ)きや 生活(せいかつ)の 質問(しつもん)に 答(こた)えます。\n"
                       "{topics}知(し)りたいことを 文(ぶん)で 送(おく)ってください。（例(れい)：「粗大(そだい)ごみの 出(だ)し方(かた)は？」）\n"
                       "※電話番号(でんわばんごう)や マイナンバーは 書(か)かないでください。",
    },
    "WELCOME_TOPICS": {
        "en": "For example, we can answer questions about {topics}.\n",
        "zh-Hans": "例如，我们可以回答关于{topics}等的问题。\n",
        "zh-Hant": "例如，我們可以回答關於{topics}等的問題。\n",
        "ko": "예를 들어 {topics} 등에 대해 답해 드릴 수 있습니다.\n",
        "vi": "Ví dụ, chúng tôi có thể trả lời về {topics}.\n",
        "pt": "Por exemplo, podemos responder sobre {topics}.\n",
        EASY_JAPANESE: "たとえば、{topics}などに 答(こた)えます。\n",
    },
    "JOIN_GROUP": {
        "en": "This is \"Madoguchi\" of the city hall. In a group, please mention me when you ask. "
              "(Example: \"@Madoguchi How do I put out large garbage?\")",
        "zh-Hans": "这里是市政府的“窗口”。在群组中提问时，请@我。（例：“@まどぐち 大型垃圾怎么扔？”）",
        "zh-Hant": "這裡是市政府的「窗口」。在群組中提問時，請@我。（例：「@まどぐち 大型垃圾怎麼丟？」）",
        "ko": "시청의 '마도구치'입니다. 그룹에서는 저를 멘션해서 질문해 주세요. (예: \"@まどぐち 대형 쓰레기는 어떻게 버리나요?\")",
        "vi": "Đây là \"Madoguchi\" của tòa thị chính. Trong nhóm, vui lòng nhắc đến tôi khi hỏi. "
              "(Ví dụ: \"@まどぐち Rác cỡ lớn thì vứt như thế nào?\")",
        "pt": "Este é o \"Madoguchi\" da prefeitura. Em grupos, mencione-me ao perguntar. "
              "(Exemplo: \"@まどぐち Como jogo fora lixo grande?\")",
        EASY_JAPANESE: "市役所(しやくしょ)の 「まどぐち」です。グループでは、「@まどぐち」と 書(か)いて 質問(しつもん)してください。",
    },
    "ERROR": {
        "en": "Sorry, we could not answer just now. Please try again in a little while.",
        "zh-Hans": "非常抱歉，暂时无法回答。请稍后再试。",
        "zh-Hant": "非常抱歉，暫時無法回答。請稍後再試。",
        "ko": "죄송합니다. 지금은 답변할 수 없습니다. 잠시 후 다시 시도해 주세요.",
        "vi": "Xin lỗi, hiện chúng tôi không thể trả lời. Vui lòng thử lại sau ít phút.",
        "pt": "Desculpe, não foi possível responder agora. Tente novamente daqui a pouco.",
        EASY_JAPANESE: "ごめんなさい。今(いま)は 答(こた)えられません。少(すこ)し あとで もう一度(いちど) 送(おく)ってください。",
    },
    "STICKER": {
        "en": "Thank you for the sticker. Please send your question as text. (Example: \"Can I get a resident "
              "certificate at a convenience store?\")",
        "zh-Hans": "谢谢您的贴图。请用文字发送您的问题。（例：“住民票可以在便利店开吗？”）",
        "zh-Hant": "謝謝您的貼圖。請用文字傳送您的問題。（例：「住民票可以在便利商店申請嗎？」）",
        "ko": "스티커 감사합니다. 질문은 문장으로 보내 주세요. (예: \"주민표를 편의점에서 뗄 수 있나요?\")",
        "vi": "Cảm ơn bạn đã gửi nhãn dán. Vui lòng gửi câu hỏi bằng chữ. (Ví dụ: \"Có thể lấy phiếu cư trú ở cửa hàng tiện lợi không?\")",
        "pt": "Obrigado pela figurinha. Envie sua pergunta por texto. (Exemplo: \"Posso tirar o atestado de "
              "residência na loja de conveniência?\")",
        EASY_JAPANESE: "スタンプを ありがとうございます。質問(しつもん)は 文(ぶん)で 送(おく)ってください。",
    },
    "MEDIA": {
        "en": "Sorry, we cannot answer about the content of images, videos, audio or files. Please send your question as text.",
        "zh-Hans": "非常抱歉，我们无法回答图片、视频、语音或文件的内容。请用文字发送您的问题。",
        "zh-Hant": "非常抱歉，我們無法回答圖片、影片、語音或檔案的內容。請用文字傳送您的問題。",
        "ko": "죄송합니다. 이미지, 동영상, 음성, 파일의 내용에는 답변할 수 없습니다. 질문을 문장으로 보내 주세요.",
        "vi": "Xin lỗi, chúng tôi không thể trả lời về nội dung hình ảnh, video, âm thanh hay tệp. Vui lòng gửi câu hỏi bằng chữ.",
        "pt": "Desculpe, não podemos responder sobre o conteúdo de imagens, vídeos, áudios ou arquivos. Envie sua pergunta por texto.",
        EASY_JAPANESE: "ごめんなさい。写真(しゃしん)や 動画(どうが)には 答(こた)えられません。質問(しつもん)を 文(ぶん)で 送(おく)ってください。",
    },
    "LOCATION": {
        "en": "Thank you for your location. Sorry, we cannot give guidance based on a location. Please send what you want to know as text.",
        "zh-Hans": "谢谢您发送位置信息。非常抱歉，我们无法根据位置信息提供指引。请用文字发送您想了解的内容。",
        "zh-Hant": "謝謝您傳送位置資訊。非常抱歉，我們無法根據位置資訊提供指引。請用文字傳送您想了解的內容。",
        "ko": "위치 정보 감사합니다. 죄송하지만 위치 정보로는 안내해 드릴 수 없습니다. 알고 싶은 내용을 문장으로 보내 주세요.",
        "vi": "Cảm ơn bạn đã gửi vị trí. Xin lỗi, chúng tôi không thể hướng dẫn dựa trên vị trí. Vui lòng gửi điều bạn muốn biết bằng chữ.",
        "pt": "Obrigado pela localização. Desculpe, não damos orientações a partir de uma localização. Envie por texto o que deseja saber.",
        EASY_JAPANESE: "位置(いち)の 情報(じょうほう)では 案内(あんない)できません。知(し)りたいことを 文(ぶん)で 送(おく)ってください。",
    },
    "UNSUPPORTED": {
        "en": "Sorry, we cannot handle this kind of message. Please send your question as text.",
        "zh-Hans": "非常抱歉，不支持此类消息。请用文字发送您的问题。",
        "zh-Hant": "非常抱歉，不支援此類訊息。請用文字傳送您的問題。",
        "ko": "죄송합니다. 이 종류의 메시지에는 대응하지 않습니다. 질문을 문장으로 보내 주세요.",
        "vi": "Xin lỗi, chúng tôi không hỗ trợ loại tin nhắn này. Vui lòng gửi câu hỏi bằng chữ.",
        "pt": "Desculpe, não atendemos este tipo de mensagem. Envie sua pergunta por texto.",
        EASY_JAPANESE: "ごめんなさい。この メッセージには 答(こた)えられません。質問(しつもん)を 文(ぶん)で 送(おく)ってください。",
    },
    "SOURCE_HEADER": {"en": "Source", "zh-Hans": "出处", "zh-Hant": "出處", "ko": "출처", "vi": "Nguồn",
                      "pt": "Fonte", EASY_JAPANESE: "出典(しゅってん)"},
    "CONTACT_HEADER": {"en": "Contact", "zh-Hans": "咨询窗口", "zh-Hant": "洽詢窗口", "ko": "문의처", "vi": "Liên hệ",
                       "pt": "Contato", EASY_JAPANESE: "問(と)い合(あ)わせ先(さき)"},
    "OPEN_SOURCE": {"en": "Open the source page", "zh-Hans": "打开出处页面", "zh-Hant": "開啟出處頁面",
                    "ko": "출처 페이지 열기", "vi": "Mở trang nguồn", "pt": "Abrir a fonte",
                    EASY_JAPANESE: "ページを 見(み)る"},
    "OPEN_CONTACT": {"en": "Office page", "zh-Hans": "打开负责部门页面", "zh-Hant": "開啟負責單位頁面",
                     "ko": "담당 부서 페이지 열기", "vi": "Mở trang của bộ phận", "pt": "Página do setor",
                     EASY_JAPANESE: "担当(たんとう)の ページ"},
    "CALL": {"en": "Call", "zh-Hans": "拨打电话", "zh-Hant": "撥打電話", "ko": "전화 걸기", "vi": "Gọi điện",
             "pt": "Ligar", EASY_JAPANESE: "電話(でんわ)する"},
    "FEEDBACK_QUESTION": {
        "en": "Did this answer solve your problem?", "zh-Hans": "这个回答解决您的问题了吗？",
        "zh-Hant": "這個回答解決您的問題了嗎？", "ko": "이 답변으로 해결되었나요?",
        "vi": "Câu trả lời này có giải quyết được vấn đề của bạn không?", "pt": "Esta resposta resolveu sua dúvida?",
        EASY_JAPANESE: "この 答(こた)えで わかりましたか？"},
    "RESOLVED": {"en": "Solved", "zh-Hans": "已解决", "zh-Hant": "已解決", "ko": "해결됨", "vi": "Đã giải quyết",
                 "pt": "Resolveu", EASY_JAPANESE: "わかった"},
    "UNRESOLVED": {"en": "Not solved", "zh-Hans": "未解决", "zh-Hant": "未解決", "ko": "해결 안 됨",
                   "vi": "Chưa giải quyết", "pt": "Não resolveu", EASY_JAPANESE: "わからない"},
    "ALT_TEXT": {"en": "Source: {source}", "zh-Hans": "出处：{source}", "zh-Hant": "出處：{source}",
                 "ko": "출처: {source}", "vi": "Nguồn: {source}", "pt": "Fonte: {source}",
                 EASY_JAPANESE: "出典(しゅってん)：{source}"},
    "ALT_TEXT_CONTACT": {"en": "Contact: {contact}", "zh-Hans": "咨询窗口：{contact}", "zh-Hant": "洽詢窗口：{contact}",
                         "ko": "문의처: {contact}", "vi": "Liên hệ: {contact}", "pt": "Contato: {contact}",
                         EASY_JAPANESE: "問(と)い合(あ)わせ先(さき)：{contact}"},
    "FEEDBACK_THANKS": {
        "en": "Thank you for your feedback. We are glad we could help.",
        "zh-Hans": "感谢您的反馈。很高兴能帮到您。", "zh-Hant": "感謝您的回饋。很高興能幫上忙。",
        "ko": "응답해 주셔서 감사합니다. 도움이 되어 기쁩니다.",
        "vi": "Cảm ơn phản hồi của bạn. Rất vui vì đã giúp được bạn.",
        "pt": "Obrigado pela resposta. Ficamos felizes em ajudar.",
        EASY_JAPANESE: "ありがとうございます。役(やく)に 立(た)って よかったです。"},
    "FEEDBACK_SORRY": {
        "en": "We are sorry we could not help. We will use your feedback to improve our answers.\n"
              "If it is urgent, please contact {department}.",
        "zh-Hans": "很抱歉没能帮到您。您的意见将用于改进回答。\n如有急事，请联系{department}。",
        "zh-Hant": "很抱歉沒能幫上忙。您的意見將用於改善回答。\n如有急事，請聯絡{department}。",
        "ko": "도움이 되지 못해 죄송합니다. 주신 의견은 답변 개선에 활용하겠습니다.\n급하신 경우 {department}에 문의해 주십시오.",
        "vi": "Rất tiếc chúng tôi chưa giúp được bạn. Ý kiến của bạn sẽ được dùng để cải thiện câu trả lời.\n"
              "Nếu cần gấp, vui lòng liên hệ {department}.",
        "pt": "Sentimos não ter ajudado. Usaremos sua opinião para melhorar as respostas.\n"
              "Se for urgente, entre em contato com {department}.",
        EASY_JAPANESE: "ごめんなさい。いただいた 意見(いけん)で 答(こた)えを よく します。\n"
                       "急(いそ)ぐときは、{department}に 聞(き)いてください。"},
    "FEEDBACK_SORRY_DEFAULT_DEPARTMENT": {
        "en": "the office in charge at City Hall", "zh-Hans": "市政府的相关窗口", "zh-Hant": "市政府的相關窗口",
        "ko": "시청 담당 창구", "vi": "quầy phụ trách tại tòa thị chính", "pt": "o setor responsável na prefeitura",
        EASY_JAPANESE: "市役所(しやくしょ)の 窓口(まどぐち)"},
    "FEEDBACK_NOT_FOUND": {
        "en": "Sorry, we could not find that question.", "zh-Hans": "非常抱歉，找不到对应的问题。",
        "zh-Hant": "非常抱歉，找不到對應的問題。", "ko": "죄송합니다. 해당 질문을 찾을 수 없습니다.",
        "vi": "Xin lỗi, không tìm thấy câu hỏi đó.", "pt": "Desculpe, não encontramos essa pergunta.",
        EASY_JAPANESE: "ごめんなさい。その 質問(しつもん)が 見(み)つかりません。"},
    "FEEDBACK_NOT_YOURS": {
        "en": "Only the person who asked the question can rate the answer.",
        "zh-Hans": "只有提问者本人可以评价。", "zh-Hant": "只有提問者本人可以評價。",
        "ko": "평가는 질문하신 분만 보낼 수 있습니다.", "vi": "Chỉ người đặt câu hỏi mới có thể đánh giá.",
        "pt": "Somente quem fez a pergunta pode avaliar a resposta.",
        EASY_JAPANESE: "質問(しつもん)した 人(ひと)だけが 答(こた)えを 評価(ひょうか)できます。"},
    "RATE_LIMITED": {
        "en": "You have sent many questions in a short time, so we cannot answer for a little while. "
              "Please send your question again later.",
        "zh-Hans": "您在短时间内发送了很多问题，暂时无法回答。请稍后再发送。",
        "zh-Hant": "您在短時間內傳送了很多問題，暫時無法回答。請稍後再傳送。",
        "ko": "짧은 시간에 많은 질문을 보내 주셔서 잠시 답변할 수 없습니다. 잠시 후 다시 보내 주세요.",
        "vi": "Bạn đã gửi nhiều câu hỏi trong thời gian ngắn nên chúng tôi tạm thời không thể trả lời. "
              "Vui lòng gửi lại sau ít phút.",
        "pt": "Você enviou muitas perguntas em pouco tempo, por isso não podemos responder por alguns instantes. "
              "Envie novamente daqui a pouco.",
        EASY_JAPANESE: "短(みじか)い 時間(じかん)に 質問(しつもん)が 多(おお)すぎます。"
                       "少(すこ)し 待(ま)ってから、もう一度(いちど) 送(おく)ってください。"},
    # --- deliveries by interest: {topics}, {topic} and {area} stay as the city named them -------------
    "PUSH_WELCOME": {
        "en": "We can send you city news on LINE, only on the topics you choose. Please choose topics with the "
              "buttons below.\nTo change them later, send \"配信設定\". To stop all deliveries, send \"配信停止\".",
        "zh-Hans": "我们可以通过LINE只向您发送您关心的领域的市政通知。请用下方按钮选择领域。\n"
                   "之后发送“配信設定”即可随时更改；发送“配信停止”将停止所有推送。",
        "zh-Hant": "我們可以透過LINE只向您傳送您關心的領域的市政通知。請用下方按鈕選擇領域。\n"
                   "之後傳送「配信設定」即可隨時變更；傳送「配信停止」將停止所有推播。",
        "ko": "관심 있는 분야의 시 소식만 LINE으로 보내 드립니다. 아래 버튼에서 분야를 선택해 주세요.\n"
              "나중에 \"配信設定\"이라고 보내시면 언제든지 바꿀 수 있습니다. \"配信停止\"라고 보내시면 모든 발송을 중지합니다.",
        "vi": "Chúng tôi gửi thông báo của thành phố qua LINE, chỉ về những lĩnh vực bạn chọn. Vui lòng chọn lĩnh vực "
              "bằng các nút bên dưới.\nĐể thay đổi sau này, hãy gửi \"配信設定\". Để dừng tất cả, hãy gửi \"配信停止\".",
        "pt": "Enviamos avisos da prefeitura pelo LINE, apenas dos temas que você escolher. Escolha os temas nos "
              "botões abaixo.\nPara mudar depois, envie \"配信設定\". Para parar todos os envios, envie \"配信停止\".",
        EASY_JAPANESE: "市(し)からの お知(し)らせを LINEで 送(おく)ります。下(した)の ボタンで 選(えら)んでください。\n"
                       "あとで 変(か)える ときは 「配信設定」(はいしんせってい)と 送(おく)ってください。"
                       "「配信停止」(はいしんていし)と 送(おく)ると、全部(ぜんぶ) 止(と)まります。"},
    "PUSH_MENU": {
        "en": "Please choose the topics you want news about. Tap a chosen topic again to stop it.\n{status}",
        "zh-Hans": "请选择您想接收的通知领域。再次点击已选的领域，即可停止该领域的推送。\n{status}",
        "zh-Hant": "請選擇您想接收的通知領域。再次點選已選的領域，即可停止該領域的推播。\n{status}",
        "ko": "받고 싶은 소식의 분야를 선택해 주세요. 선택한 분야를 다시 누르면 그 분야의 발송을 중지합니다.\n{status}",
        "vi": "Vui lòng chọn lĩnh vực thông báo bạn muốn nhận. Bấm lại vào lĩnh vực đã chọn để dừng nhận.\n{status}",
        "pt": "Escolha os temas dos avisos que deseja receber. Toque de novo em um tema escolhido para pará-lo.\n{status}",
        EASY_JAPANESE: "ほしい お知(し)らせを 選(えら)んでください。もう一度(いちど) 押(お)すと 止(と)まります。\n{status}"},
    "PUSH_STATUS": {"en": "Receiving: {topics}", "zh-Hans": "正在接收：{topics}", "zh-Hant": "正在接收：{topics}",
                    "ko": "수신 중: {topics}", "vi": "Đang nhận: {topics}", "pt": "Recebendo: {topics}",
                    EASY_JAPANESE: "届(とど)く お知(し)らせ: {topics}"},
    "PUSH_STATUS_AREA": {"en": "Area: {area}", "zh-Hans": "地区：{area}", "zh-Hant": "地區：{area}", "ko": "지역: {area}",
                         "vi": "Khu vực: {area}", "pt": "Área: {area}", EASY_JAPANESE: "地区(ちく): {area}"},
    "PUSH_STATUS_NONE": {"en": "You are not receiving news on any topic.", "zh-Hans": "目前没有接收任何领域的通知。",
                         "zh-Hant": "目前沒有接收任何領域的通知。", "ko": "수신 중인 분야가 없습니다.",
                         "vi": "Bạn chưa nhận thông báo của lĩnh vực nào.", "pt": "Você não recebe avisos de nenhum tema.",
                         EASY_JAPANESE: "今(いま)は お知(し)らせが 届(とど)きません。"},
    "PUSH_SUBSCRIBED": {"en": "You will receive news on \"{topic}\".\n{status}",
                        "zh-Hans": "将为您推送“{topic}”的通知。\n{status}", "zh-Hant": "將為您推播「{topic}」的通知。\n{status}",
                        "ko": "'{topic}' 소식을 보내 드립니다.\n{status}",
                        "vi": "Chúng tôi sẽ gửi thông báo về \"{topic}\".\n{status}",
                        "pt": "Você receberá avisos sobre \"{topic}\".\n{status}",
                        EASY_JAPANESE: "「{topic}」の お知(し)らせを 送(おく)ります。\n{status}"},
    "PUSH_UNSUBSCRIBED": {"en": "You will no longer receive news on \"{topic}\".\n{status}",
                          "zh-Hans": "已停止推送“{topic}”的通知。\n{status}", "zh-Hant": "已停止推播「{topic}」的通知。\n{status}",
                          "ko": "'{topic}' 소식 발송을 중지했습니다.\n{status}",
                          "vi": "Đã dừng gửi thông báo về \"{topic}\".\n{status}",
                          "pt": "Você não receberá mais avisos sobre \"{topic}\".\n{status}",
                          EASY_JAPANESE: "「{topic}」の お知(し)らせを 止(と)めました。\n{status}"},
    "PUSH_STOPPED": {"en": "All news deliveries have been stopped. To start again, send \"配信設定\".",
                     "zh-Hans": "已停止所有通知的推送。如需恢复，请发送“配信設定”。",
                     "zh-Hant": "已停止所有通知的推播。如需恢復，請傳送「配信設定」。",
                     "ko": "모든 소식 발송을 중지했습니다. 다시 받으시려면 \"配信設定\"이라고 보내 주세요.",
                     "vi": "Đã dừng gửi tất cả thông báo. Để nhận lại, vui lòng gửi \"配信設定\".",
                     "pt": "Todos os envios de avisos foram interrompidos. Para voltar a receber, envie \"配信設定\".",
                     EASY_JAPANESE: "お知(し)らせを 全部(ぜんぶ) 止(と)めました。また ほしい ときは "
                                    "「配信設定」(はいしんせってい)と 送(おく)ってください。"},
    "PUSH_NOTHING_TO_STOP": {"en": "You are not receiving any news. To receive some, send \"配信設定\".",
                             "zh-Hans": "目前没有正在推送的通知。如需接收，请发送“配信設定”。",
                             "zh-Hant": "目前沒有正在推播的通知。如需接收，請傳送「配信設定」。",
                             "ko": "수신 중인 소식이 없습니다. 받으시려면 \"配信設定\"이라고 보내 주세요.",
                             "vi": "Bạn chưa nhận thông báo nào. Để nhận, vui lòng gửi \"配信設定\".",
                             "pt": "Você não recebe nenhum aviso. Para receber, envie \"配信設定\".",
                             EASY_JAPANESE: "今(いま)は お知(し)らせが 届(とど)きません。ほしい ときは "
                                            "「配信設定」(はいしんせってい)と 送(おく)ってください。"},
    "PUSH_STOP_BUTTON": {"en": "Stop all", "zh-Hans": "全部停止", "zh-Hant": "全部停止", "ko": "모두 중지",
                         "vi": "Dừng tất cả", "pt": "Parar tudo", EASY_JAPANESE: "全部(ぜんぶ) 止(と)める"},
    "PUSH_AREA_BUTTON": {"en": "Choose area", "zh-Hans": "选择地区", "zh-Hant": "選擇地區", "ko": "지역 선택",
                         "vi": "Chọn khu vực", "pt": "Escolher área", EASY_JAPANESE: "地区(ちく)を 選(えら)ぶ"},
    "PUSH_AREA_NONE": {"en": "No area", "zh-Hans": "不指定", "zh-Hant": "不指定", "ko": "지정 안 함",
                       "vi": "Không chọn", "pt": "Nenhuma", EASY_JAPANESE: "選(えら)ばない"},
    "PUSH_AREA_MENU": {
        "en": "Please choose the area you live in. You will then also receive news for that area.",
        "zh-Hans": "请选择您居住的地区。选择后，您也会收到该地区的通知。",
        "zh-Hant": "請選擇您居住的地區。選擇後，您也會收到該地區的通知。",
        "ko": "거주하시는 지역을 선택해 주세요. 지역을 선택하면 그 지역 소식도 받으실 수 있습니다.",
        "vi": "Vui lòng chọn khu vực bạn sống. Bạn sẽ nhận thêm thông báo dành cho khu vực đó.",
        "pt": "Escolha a área onde você mora. Assim, você também receberá os avisos dessa área.",
        EASY_JAPANESE: "住(す)んでいる 地区(ちく)を 選(えら)んでください。その 地区(ちく)の お知(し)らせも 届(とど)きます。"},
    "PUSH_AREA_SET": {"en": "Your area is set to \"{area}\".\n{status}", "zh-Hans": "已将地区设为“{area}”。\n{status}",
                      "zh-Hant": "已將地區設為「{area}」。\n{status}", "ko": "지역을 '{area}'(으)로 설정했습니다.\n{status}",
                      "vi": "Đã đặt khu vực là \"{area}\".\n{status}", "pt": "Sua área agora é \"{area}\".\n{status}",
                      EASY_JAPANESE: "地区(ちく)を 「{area}」に しました。\n{status}"},
    "PUSH_AREA_CLEARED": {"en": "Your area has been cleared.\n{status}", "zh-Hans": "已取消地区设置。\n{status}",
                          "zh-Hant": "已取消地區設定。\n{status}", "ko": "지역 지정을 해제했습니다.\n{status}",
                          "vi": "Đã bỏ chọn khu vực.\n{status}", "pt": "A área foi removida.\n{status}",
                          EASY_JAPANESE: "地区(ちく)を 選(えら)ばない ように しました。\n{status}"},
    "PUSH_UNAVAILABLE": {"en": "Sorry, news delivery is not available yet.",
                         "zh-Hans": "非常抱歉，通知推送功能正在准备中。", "zh-Hant": "非常抱歉，通知推播功能正在準備中。",
                         "ko": "죄송합니다. 소식 발송은 현재 준비 중입니다.",
                         "vi": "Xin lỗi, dịch vụ gửi thông báo đang được chuẩn bị.",
                         "pt": "Desculpe, o envio de avisos ainda está em preparação.",
                         EASY_JAPANESE: "ごめんなさい。お知(し)らせは まだ 送(おく)れません。"},
    "PUSH_UNKNOWN_TOPIC": {"en": "News on this topic has ended. Please send \"配信設定\" and choose again.",
                           "zh-Hans": "该领域的通知已结束。请发送“配信設定”重新选择。",
                           "zh-Hant": "該領域的通知已結束。請傳送「配信設定」重新選擇。",
                           "ko": "이 분야의 소식은 종료되었습니다. \"配信設定\"이라고 보내서 다시 선택해 주세요.",
                           "vi": "Thông báo về lĩnh vực này đã kết thúc. Vui lòng gửi \"配信設定\" để chọn lại.",
                           "pt": "Os avisos deste tema foram encerrados. Envie \"配信設定\" e escolha novamente.",
                           EASY_JAPANESE: "この お知(し)らせは 終(お)わりました。「配信設定」(はいしんせってい)と 送(おく)って、"
                                          "もう一度(いちど) 選(えら)んでください。"},
}
CATALOGUE["ALT_TEXT_FEEDBACK"] = CATALOGUE["FEEDBACK_QUESTION"]
for _name, _texts in CATALOGUE.items():
    _texts["ja"] = globals()[_name]  # the Japanese above, exactly as it is


def say(name: str, language: str = "ja", easy_japanese: bool = False, **fields) -> str:
    """The text ``name`` in ``language`` (Japanese when there is none), with ``fields`` filled in."""
    text = localized(CATALOGUE[name], language, easy_japanese)
    return text.format(**fields) if fields else text
