"""User-facing wording of the answers, in one place for the DX office to review.

The Japanese constants are the product's own voice. ``CATALOGUE`` holds the same texts in the
other supported languages and in やさしい日本語 (``ja-x-easy``: short sentences, readings after
kanji); :func:`say` picks one by the question's language, falling back to Japanese.
"""
from indexing.language import EASY_JAPANESE, localized

ABSTAIN = "申し訳ありません。このご質問にお答えできる情報が見つかりませんでした。"
ABSTAIN_CONTACT = "お手数ですが、{contact}までお問い合わせください。"
ABSTAIN_NO_CONTACT = "お手数ですが、市役所の担当窓口までお問い合わせください。"
OTHER_CITY = "申し訳ありません。{place}のことは、こちらではご案内できません。{place}の窓口またはホームページでご確認ください。"
STAFF_TOPIC = "申し訳ありません。このご質問は市役所の職員向けの内容のため、こちらではお答えできません。"
# After a decline of a question about a national or prefectural office's matter (bot/answering/national.py).
NATIONAL_REFERRAL = "このご質問は、{office}が扱う手続きの可能性があります。{office}にもご確認ください。"
# The same for a private business's matter (a bank account, a phone contract ...).
PRIVATE_REFERRAL = "このご質問は、市役所ではなく、{office}が扱う内容の可能性があります。まずは{office}にご確認ください。"
# The decline of a question naming a thing no entry names that is a thing the knowledge knows with one more word
# in it (児童扶養手当 where the knowledge knows 児童手当: bot/answering/entities.py, qualified_variant).
LOOK_ALIKE = "申し訳ありません。「{thing}」についてのご案内は見つかりませんでした。「{known}」のご案内はありますが、別の制度や手続きの可能性があります。"
EMPTY_QUESTION = "ご質問の内容を文章で入力してください。（例：「粗大ごみの出し方は？」）"
# The same for staff (Slack, the staff web chat): an example of a staff question.
EMPTY_QUESTION_STAFF = "質問の内容を文章で入力してください。（例：「時間外勤務の申請はいつまで？」）"
TOO_LONG = "ご質問が長すぎるため、お答えできませんでした。{limit}文字以内で、知りたいことを短く入力してください。"
PASSAGE_INTRO = "{source}には、次のように書かれています。"
# After an answer that lacks the fact asked for (a deadline, a fee ...), before the sentence of a
# close sibling entry that holds it (bot/answering/composer.py).
FACT_SUPPLEMENT = "なお、「{title}」には次のようにあります。"
# The reply to a message from someone who may be thinking of ending their life (bot/answering/crisis.py):
# national lines that answer now, then emergency numbers: よりそいホットライン (24 hours, free; its guidance offers
# other languages on 2), いのちの電話 (navi dial), こころの健康相談統一ダイヤル (the prefecture's line), #いのちSOS
# (free), as the national 「まもろうよ こころ」 page lists them. Numbers change: the DX office checks them yearly
# (a city may put its own 保健所 line first).
CRISIS_LINES_LATIN = ("- Yorisoi Hotline 0120-279-338 (24 hours, free; 2 for other languages)\n"
                      "- Inochi no Denwa 0570-783-556\n"
                      "- Kokoro no Kenko Sodan Dial 0570-064-556\n"
                      "- #Inochi SOS 0120-061-338 (free)")
CRISIS = ("つらいお気持ちを聞かせてくださり、ありがとうございます。ひとりで抱え込まず、話を聞いてくれる窓口に相談して"
          "ください。次の窓口で相談できます。\n"
          "・よりそいホットライン 0120-279-338（24時間・無料）\n"
          "・いのちの電話 0570-783-556\n"
          "・こころの健康相談統一ダイヤル 0570-064-556\n"
          "・#いのちSOS 0120-061-338（無料）\n"
          "命の危険が迫っているときは、119番（救急）または110番に電話してください。")
# Replies to a message that is only a greeting, thanks or an acknowledgement (bot/answering/small_talk.py).
SMALL_TALK_GREETING = "こんにちは。市役所のお問い合わせ窓口です。知りたいことを文章で送ってください。（例：「粗大ごみの出し方は？」）"
# A colleague's greeting (お疲れさまです) on the staff channel, with a staff question as the example.
SMALL_TALK_GREETING_STAFF = "お疲れさまです。職員向けの問い合わせ窓口です。知りたいことを文章で送ってください。（例：「時間外勤務の申請期限は？」）"
SMALL_TALK_THANKS = "どういたしまして。ほかにも知りたいことがあれば、いつでも送ってください。"
SMALL_TALK_CLOSING = "ほかにも知りたいことがあれば、いつでも送ってください。"
# Reply to 「人と話したい」 (bot/answering/person_request.py), before the desk's contact.
PERSON_REQUEST = "職員へのお問い合わせをご希望ですね。"
RELATED_HEADER = "関連する質問"
SOURCE_LABEL = "出典"
# Before a Japanese answer given to a resident who asked in another language (never shown in Japanese).
JAPANESE_FOLLOWS = ""
JAPANESE_FOLLOWS_NO_CONTACT = ""
PHONE = "電話"
EMAIL = "メール"
FAQ_SOURCE = "よくある質問「{title}」"
PAGE_NUMBER = "({page}ページ)"

CATALOGUE = {
    "ABSTAIN": {
        "ja": ABSTAIN,
        "en": "Sorry, we could not find information that answers your question.",
        "zh-Hans": "非常抱歉，没有找到能回答您问题的信息。",
        "zh-Hant": "非常抱歉，沒有找到能回答您問題的資訊。",
        "ko": "죄송합니다. 질문에 답할 수 있는 정보를 찾지 못했습니다.",
        "vi": "Xin lỗi, chúng tôi không tìm thấy thông tin để trả lời câu hỏi của bạn.",
        "pt": "Desculpe, não encontramos informações para responder à sua pergunta.",
        EASY_JAPANESE: "ごめんなさい。この 質問(しつもん)の 答(こた)えが 見(み)つかりませんでした。",
    },
    "NATIONAL_REFERRAL": {
        "ja": NATIONAL_REFERRAL,
        "en": "This may be a procedure handled by {office} (a national or prefectural office). Please also check with {office}.",
        "zh-Hans": "您的问题可能属于{office}（国家或都道府县机构）办理的手续。也请向{office}确认。",
        "zh-Hant": "您的問題可能屬於{office}（國家或都道府縣機關）辦理的手續。也請向{office}確認。",
        "ko": "이 질문은 {office}(국가 또는 도도부현 기관)에서 담당하는 절차일 수 있습니다. {office}에도 확인해 주십시오.",
        "vi": "Câu hỏi này có thể là thủ tục do {office} (cơ quan nhà nước hoặc tỉnh) phụ trách. Vui lòng hỏi thêm {office}.",
        "pt": "Este pode ser um procedimento de {office} (órgão nacional ou da província). Consulte também {office}.",
        EASY_JAPANESE: "この 質問(しつもん)は、{office}の 手続(てつづ)きかも しれません。{office}にも 聞(き)いて ください。",
    },
    "LOOK_ALIKE": {
        "ja": LOOK_ALIKE,
        "en": "Sorry, we found no information on 「{thing}」. There is information on 「{known}」, but it may be a different "
              "benefit or procedure.",
        "zh-Hans": "非常抱歉，没有找到关于「{thing}」的信息。虽然有关于「{known}」的信息，但可能是不同的制度或手续。",
        "zh-Hant": "非常抱歉，沒有找到關於「{thing}」的資訊。雖然有關於「{known}」的資訊，但可能是不同的制度或手續。",
        "ko": "죄송합니다. 「{thing}」에 관한 안내는 찾지 못했습니다. 「{known}」에 관한 안내는 있지만, 다른 제도나 절차일 수 있습니다.",
        "vi": "Xin lỗi, chúng tôi không tìm thấy hướng dẫn về 「{thing}」. Có hướng dẫn về 「{known}」, nhưng đó có thể là "
              "một chế độ hoặc thủ tục khác.",
        "pt": "Desculpe, não encontramos informações sobre 「{thing}」. Há informações sobre 「{known}」, mas pode ser outro "
              "benefício ou procedimento.",
        EASY_JAPANESE: "ごめんなさい。「{thing}」の 案内(あんない)は 見(み)つかりませんでした。「{known}」の 案内(あんない)は "
                       "ありますが、べつの ものかも しれません。",
    },
    "PRIVATE_REFERRAL": {
        "ja": PRIVATE_REFERRAL,
        "en": "This may be a matter for {office} (a private business), not the city hall. Please check with {office} first.",
        "zh-Hans": "您的问题可能不属于市政府，而是{office}（民营企业）的业务。请先向{office}确认。",
        "zh-Hant": "您的問題可能不屬於市政府，而是{office}（民營企業）的業務。請先向{office}確認。",
        "ko": "이 질문은 시청이 아니라 {office}(민간 사업자)에서 담당하는 내용일 수 있습니다. 먼저 {office}에 확인해 주십시오.",
        "vi": "Câu hỏi này có thể thuộc về {office} (doanh nghiệp tư nhân), không phải tòa thị chính. Vui lòng hỏi {office} trước.",
        "pt": "Este assunto pode ser de {office} (empresa privada), e não da prefeitura. Consulte primeiro {office}.",
        EASY_JAPANESE: "この 質問(しつもん)は、市役所(しやくしょ)ではなく、{office}の ことかも しれません。まず {office}に 聞(き)いて ください。",
    },
    "ABSTAIN_CONTACT": {
        "ja": ABSTAIN_CONTACT,
        "en": "Please contact {contact}.",
        "zh-Hans": "请咨询{contact}。",
        "zh-Hant": "請洽詢{contact}。",
        "ko": "{contact}에 문의해 주십시오.",
        "vi": "Vui lòng liên hệ {contact}.",
        "pt": "Por favor, entre em contato com {contact}.",
        EASY_JAPANESE: "{contact}に 聞(き)いてください。",
    },
    "ABSTAIN_NO_CONTACT": {
        "ja": ABSTAIN_NO_CONTACT,
        "en": "Please contact the office in charge at City Hall.",
        "zh-Hans": "请咨询市政府的相关窗口。",
        "zh-Hant": "請洽詢市政府的相關窗口。",
        "ko": "시청 담당 창구에 문의해 주십시오.",
        "vi": "Vui lòng liên hệ quầy phụ trách tại tòa thị chính.",
        "pt": "Por favor, procure o setor responsável na prefeitura.",
        EASY_JAPANESE: "市役所(しやくしょ)の 窓口(まどぐち)に 聞(き)いてください。",
    },
    "EMPTY_QUESTION": {
        "ja": EMPTY_QUESTION,
        "en": "Please type your question as a sentence. (Example: \"How do I put out large garbage?\")",
        "zh-Hans": "请用文字输入您的问题。（例：“大型垃圾怎么扔？”）",
        "zh-Hant": "請用文字輸入您的問題。（例：「大型垃圾怎麼丟？」）",
        "ko": "질문 내용을 문장으로 입력해 주세요. (예: \"대형 쓰레기는 어떻게 버리나요?\")",
        "vi": "Vui lòng nhập câu hỏi của bạn. (Ví dụ: \"Rác cỡ lớn thì vứt như thế nào?\")",
        "pt": "Digite sua pergunta em forma de frase. (Exemplo: \"Como jogo fora lixo grande?\")",
        EASY_JAPANESE: "知(し)りたいことを 文(ぶん)で 書(か)いてください。（例(れい)：「粗大(そだい)ごみの 出(だ)し方(かた)は？」）",
    },
    "EMPTY_QUESTION_STAFF": {
        "ja": EMPTY_QUESTION_STAFF,
        "en": "Please type your question as a sentence. (Example: \"By when must overtime be requested?\")",
        "zh-Hans": "请用文字输入您的问题。（例：“加班申请的截止时间是什么时候？”）",
        "zh-Hant": "請用文字輸入您的問題。（例：「加班申請的截止時間是什麼時候？」）",
        "ko": "질문 내용을 문장으로 입력해 주세요. (예: \"시간외 근무 신청은 언제까지인가요?\")",
        "vi": "Vui lòng nhập câu hỏi của bạn. (Ví dụ: \"Hạn đăng ký làm thêm giờ là khi nào?\")",
        "pt": "Digite sua pergunta em forma de frase. (Exemplo: \"Até quando devo pedir horas extras?\")",
        EASY_JAPANESE: "知(し)りたいことを 文(ぶん)で 書(か)いてください。（例(れい)：「時間外勤務(じかんがいきんむ)の 申請(しんせい)は いつまで？」）",
    },
    "CRISIS": {
        "ja": CRISIS,
        "en": "Thank you for telling us how you feel. Please do not carry it alone: these lines will listen to you "
              "(in Japanese; the Yorisoi Hotline also in other languages).\n" + CRISIS_LINES_LATIN +
              "\nIf a life is in danger, call 119 (ambulance) or 110 (police).",
        "zh-Hans": "谢谢您告诉我们您的心情。请不要一个人承受，可以向以下窗口倾诉（日语；Yorisoi Hotline 也提供外语服务）。\n"
                   + CRISIS_LINES_LATIN + "\n如有生命危险，请拨打119（急救）或110（警察）。",
        "zh-Hant": "謝謝您告訴我們您的心情。請不要一個人承受，可以向以下窗口傾訴（日語；Yorisoi Hotline 也提供外語服務）。\n"
                   + CRISIS_LINES_LATIN + "\n如有生命危險，請撥打119（急救）或110（警察）。",
        "ko": "마음을 털어놓아 주셔서 감사합니다. 혼자 견디지 마시고 아래 상담 창구에 이야기해 주세요(일본어; "
              "Yorisoi Hotline은 외국어 상담도 가능).\n" + CRISIS_LINES_LATIN +
              "\n생명이 위험할 때는 119(구급) 또는 110(경찰)에 전화해 주세요.",
        "vi": "Cảm ơn bạn đã chia sẻ cảm xúc của mình. Xin đừng chịu đựng một mình, hãy gọi cho các đường dây tư vấn "
              "dưới đây (tiếng Nhật; Yorisoi Hotline có cả tiếng nước ngoài).\n" + CRISIS_LINES_LATIN +
              "\nNếu có nguy hiểm đến tính mạng, hãy gọi 119 (cấp cứu) hoặc 110 (cảnh sát).",
        "pt": "Obrigado por nos contar como você se sente. Não carregue isso sozinho: estas linhas podem ouvir você "
              "(em japonês; a Yorisoi Hotline também em outras línguas).\n" + CRISIS_LINES_LATIN +
              "\nSe houver risco de vida, ligue 119 (ambulância) ou 110 (polícia).",
        EASY_JAPANESE: "つらい 気持(きも)ちを 教(おし)えて くれて、ありがとう ございます。ひとりで なやまないで、"
                       "話(はなし)を 聞(き)いて くれる ところに 電話(でんわ)して ください。\n"
                       "・よりそいホットライン 0120-279-338（24時間(じかん)・無料(むりょう)）\n"
                       "・いのちの 電話(でんわ) 0570-783-556\n"
                       "・こころの 健康(けんこう) 相談(そうだん) 統一(とういつ)ダイヤル 0570-064-556\n"
                       "・#いのちSOS 0120-061-338（無料(むりょう)）\n"
                       "命(いのち)が あぶない ときは、119番(ばん)か 110番(ばん)に 電話(でんわ)して ください。",
    },
    "SMALL_TALK_GREETING": {
        "ja": SMALL_TALK_GREETING,
        "en": "Hello. This is the city hall's inquiry desk. Please send what you would like to know as a sentence. "
              "(Example: \"How do I put out large garbage?\")",
        "zh-Hans": "您好。这里是市政府的咨询窗口。请用文字发送您想了解的内容。（例：“大型垃圾怎么扔？”）",
        "zh-Hant": "您好。這裡是市政府的諮詢窗口。請用文字傳送您想了解的內容。（例：「大型垃圾怎麼丟？」）",
        "ko": "안녕하세요. 시청 문의 창구입니다. 알고 싶은 내용을 문장으로 보내 주세요. (예: \"대형 쓰레기는 어떻게 버리나요?\")",
        "vi": "Xin chào. Đây là quầy hỏi đáp của tòa thị chính. Vui lòng gửi điều bạn muốn biết bằng một câu. "
              "(Ví dụ: \"Rác cỡ lớn thì vứt như thế nào?\")",
        "pt": "Olá. Este é o balcão de atendimento da prefeitura. Envie o que você quer saber em forma de frase. "
              "(Exemplo: \"Como jogo fora lixo grande?\")",
        EASY_JAPANESE: "こんにちは。市役所(しやくしょ)の 窓口(まどぐち)です。知(し)りたいことを 文(ぶん)で 送(おく)ってください。"
                       "（例(れい)：「粗大(そだい)ごみの 出(だ)し方(かた)は？」）",
    },
    "SMALL_TALK_GREETING_STAFF": {
        "ja": SMALL_TALK_GREETING_STAFF,
        "en": "Hello. This is the staff inquiry desk. Please send what you would like to know as a sentence. "
              "(Example: \"What is the deadline for an overtime request?\")",
        "zh-Hans": "您好。这里是职员咨询窗口。请用文字发送您想了解的内容。（例：“加班申请的截止时间是？”）",
        "zh-Hant": "您好。這裡是職員諮詢窗口。請用文字傳送您想了解的內容。（例：「加班申請的截止時間是？」）",
        "ko": "수고하십니다. 직원용 문의 창구입니다. 알고 싶은 내용을 문장으로 보내 주세요. (예: \"시간외 근무 신청 기한은?\")",
        "vi": "Xin chào. Đây là quầy hỏi đáp dành cho nhân viên. Vui lòng gửi điều bạn muốn biết bằng một câu. "
              "(Ví dụ: \"Hạn đăng ký làm thêm giờ là khi nào?\")",
        "pt": "Olá. Este é o balcão de atendimento para servidores. Envie o que você quer saber em forma de frase. "
              "(Exemplo: \"Qual é o prazo do pedido de hora extra?\")",
        EASY_JAPANESE: "お疲(つか)れさまです。職員(しょくいん)の ための 窓口(まどぐち)です。知(し)りたいことを 文(ぶん)で "
                       "送(おく)ってください。（例(れい)：「時間外(じかんがい)勤務(きんむ)の 申請(しんせい)は いつまで？」）",
    },
    "SMALL_TALK_THANKS": {
        "ja": SMALL_TALK_THANKS,
        "en": "You're welcome. If there is anything else you would like to know, please send it at any time.",
        "zh-Hans": "不客气。如果还有其他想了解的内容，请随时发送。",
        "zh-Hant": "不客氣。如果還有其他想了解的內容，請隨時傳送。",
        "ko": "천만에요. 더 알고 싶은 것이 있으면 언제든지 보내 주세요.",
        "vi": "Không có gì. Nếu bạn muốn biết thêm điều gì, hãy gửi cho chúng tôi bất cứ lúc nào.",
        "pt": "De nada. Se quiser saber mais alguma coisa, envie quando quiser.",
        EASY_JAPANESE: "どういたしまして。ほかにも 知(し)りたいことが あれば、いつでも 送(おく)ってください。",
    },
    "SMALL_TALK_CLOSING": {
        "ja": SMALL_TALK_CLOSING,
        "en": "If there is anything else you would like to know, please send it at any time.",
        "zh-Hans": "如果还有其他想了解的内容，请随时发送。",
        "zh-Hant": "如果還有其他想了解的內容，請隨時傳送。",
        "ko": "더 알고 싶은 것이 있으면 언제든지 보내 주세요.",
        "vi": "Nếu bạn muốn biết thêm điều gì, hãy gửi cho chúng tôi bất cứ lúc nào.",
        "pt": "Se quiser saber mais alguma coisa, envie quando quiser.",
        EASY_JAPANESE: "ほかにも 知(し)りたいことが あれば、いつでも 送(おく)ってください。",
    },
    "PERSON_REQUEST": {
        "ja": PERSON_REQUEST,
        "en": "You would like to contact a member of staff.",
        "zh-Hans": "您希望联系工作人员。",
        "zh-Hant": "您希望聯絡工作人員。",
        "ko": "직원과의 상담을 원하시는군요.",
        "vi": "Bạn muốn liên hệ với nhân viên.",
        "pt": "Você deseja falar com um funcionário.",
        EASY_JAPANESE: "職員(しょくいん)に 聞(き)きたいのですね。",
    },
    "TOO_LONG": {
        "ja": TOO_LONG,
        "en": "Your question is too long to answer. Please ask briefly, in {limit} characters or fewer.",
        "zh-Hans": "您的问题太长，无法回答。请在{limit}字以内简短输入。",
        "zh-Hant": "您的問題太長，無法回答。請在{limit}字以內簡短輸入。",
        "ko": "질문이 너무 길어 답변할 수 없습니다. {limit}자 이내로 짧게 입력해 주세요.",
        "vi": "Câu hỏi quá dài nên chúng tôi không thể trả lời. Vui lòng nhập ngắn gọn trong vòng {limit} ký tự.",
        "pt": "Sua pergunta é longa demais. Escreva de forma curta, com até {limit} caracteres.",
        EASY_JAPANESE: "質問(しつもん)が 長(なが)すぎます。{limit}文字(もじ)より 短(みじか)く 書(か)いてください。",
    },
    "OTHER_CITY": {
        "ja": OTHER_CITY,
        "en": "Sorry, we cannot give information about {place} here. Please check with {place}'s own office or website.",
        "zh-Hans": "非常抱歉，这里无法提供有关{place}的信息。请向{place}的窗口咨询，或查看其网站。",
        "zh-Hant": "非常抱歉，這裡無法提供有關{place}的資訊。請向{place}的窗口洽詢，或查看其網站。",
        "ko": "죄송합니다. {place}에 관한 내용은 여기에서 안내해 드릴 수 없습니다. {place}의 창구나 홈페이지에서 확인해 주십시오.",
        "vi": "Xin lỗi, chúng tôi không thể hướng dẫn về {place} tại đây. Vui lòng liên hệ quầy tiếp dân hoặc xem trang web của {place}.",
        "pt": "Desculpe, não podemos dar informações sobre {place} aqui. Consulte o atendimento ou o site de {place}.",
        EASY_JAPANESE: "ごめんなさい。{place}の ことは、ここでは 答(こた)えられません。"
                       "{place}の 窓口(まどぐち)か ホームページで 調(しら)べてください。",
    },
    "FACT_SUPPLEMENT": {
        "ja": FACT_SUPPLEMENT,
        "en": "Also, \"{title}\" says:",
        "zh-Hans": "另外，“{title}”中写道：",
        "zh-Hant": "另外，「{title}」中寫道：",
        "ko": "또한 「{title}」에는 다음과 같이 쓰여 있습니다.",
        "vi": "Ngoài ra, \"{title}\" có ghi như sau:",
        "pt": "Além disso, \"{title}\" diz o seguinte:",
        EASY_JAPANESE: "また、「{title}」には こう 書(か)いて あります。",
    },
    "STAFF_TOPIC": {
        "ja": STAFF_TOPIC,
        "en": "Sorry, this question is about matters for City Hall staff, so we cannot answer it here.",
        "zh-Hans": "非常抱歉，这个问题属于市政府职员内部的内容，这里无法回答。",
        "zh-Hant": "非常抱歉，這個問題屬於市政府職員內部的內容，這裡無法回答。",
        "ko": "죄송합니다. 이 질문은 시청 직원용 내용이어서 여기에서는 답변할 수 없습니다.",
        "vi": "Xin lỗi, câu hỏi này thuộc nội dung dành cho nhân viên tòa thị chính nên chúng tôi không thể trả lời tại đây.",
        "pt": "Desculpe, esta pergunta trata de assuntos internos dos funcionários da prefeitura, por isso não podemos "
              "respondê-la aqui.",
        EASY_JAPANESE: "ごめんなさい。これは 市役所(しやくしょ)で 働(はたら)く 人(ひと)の ための 情報(じょうほう)です。"
                       "ここでは 答(こた)えられません。",
    },
    "PASSAGE_INTRO": {
        "ja": PASSAGE_INTRO,
        "en": "{source} says:",
        "zh-Hans": "{source}中写道：",
        "zh-Hant": "{source}中寫道：",
        "ko": "{source}에는 다음과 같이 쓰여 있습니다.",
        "vi": "{source} có ghi như sau:",
        "pt": "{source} diz o seguinte:",
        EASY_JAPANESE: "{source}に、こう 書(か)いて あります。",
    },
    "RELATED_HEADER": {
        "ja": RELATED_HEADER, "en": "Related questions", "zh-Hans": "相关问题", "zh-Hant": "相關問題",
        "ko": "관련 질문", "vi": "Câu hỏi liên quan", "pt": "Perguntas relacionadas",
        EASY_JAPANESE: "ほかの 質問(しつもん)",
    },
    "SOURCE_LABEL": {
        "ja": SOURCE_LABEL, "en": "Source", "zh-Hans": "出处", "zh-Hant": "出處", "ko": "출처", "vi": "Nguồn",
        "pt": "Fonte", EASY_JAPANESE: "出典(しゅってん)",
    },
    "JAPANESE_FOLLOWS": {
        "ja": JAPANESE_FOLLOWS,
        "en": "The city's information on this is available only in Japanese, so the answer below is in Japanese. "
              "For help, please contact {contact}.",
        "zh-Hans": "关于这个问题，市里的信息只有日语版本，以下回答为日语。如需帮助，请联系{contact}。",
        "zh-Hant": "關於這個問題，市府的資訊只有日文版本，以下回答為日文。如需協助，請聯絡{contact}。",
        "ko": "이 내용에 관한 시의 안내는 일본어로만 제공되어 아래 답변은 일본어입니다. "
              "도움이 필요하시면 {contact}에 문의해 주십시오.",
        "vi": "Thông tin của thành phố về nội dung này chỉ có bằng tiếng Nhật, nên câu trả lời dưới đây bằng tiếng Nhật. "
              "Nếu cần hỗ trợ, vui lòng liên hệ {contact}.",
        "pt": "As informações da prefeitura sobre este assunto existem apenas em japonês, por isso a resposta abaixo "
              "está em japonês. Para ajuda, entre em contato com {contact}.",
    },
    "JAPANESE_FOLLOWS_NO_CONTACT": {
        "ja": JAPANESE_FOLLOWS_NO_CONTACT,
        "en": "The city's information on this is available only in Japanese, so the answer below is in Japanese. "
              "For help, please ask the office in charge at City Hall.",
        "zh-Hans": "关于这个问题，市里的信息只有日语版本，以下回答为日语。如需帮助，请咨询市政府的相关窗口。",
        "zh-Hant": "關於這個問題，市府的資訊只有日文版本，以下回答為日文。如需協助，請洽詢市政府的相關窗口。",
        "ko": "이 내용에 관한 시의 안내는 일본어로만 제공되어 아래 답변은 일본어입니다. "
              "도움이 필요하시면 시청 담당 창구에 문의해 주십시오.",
        "vi": "Thông tin của thành phố về nội dung này chỉ có bằng tiếng Nhật, nên câu trả lời dưới đây bằng tiếng Nhật. "
              "Nếu cần hỗ trợ, vui lòng hỏi quầy phụ trách tại tòa thị chính.",
        "pt": "As informações da prefeitura sobre este assunto existem apenas em japonês, por isso a resposta abaixo "
              "está em japonês. Para ajuda, procure o setor responsável na prefeitura.",
    },
    "EMAIL": {
        "ja": EMAIL, "en": "email", "zh-Hans": "电子邮件", "zh-Hant": "電子郵件", "ko": "이메일", "vi": "email",
        "pt": "e-mail", EASY_JAPANESE: "メール",
    },
    "FAQ_SOURCE": {
        "ja": FAQ_SOURCE, "en": "FAQ \"{title}\"", "zh-Hans": "常见问题“{title}”", "zh-Hant": "常見問題「{title}」",
        "ko": "자주 묻는 질문 '{title}'", "vi": "Câu hỏi thường gặp \"{title}\"", "pt": "Pergunta frequente \"{title}\"",
        EASY_JAPANESE: "よく ある 質問(しつもん)「{title}」",
    },
    "PAGE_NUMBER": {
        "ja": PAGE_NUMBER, "en": "(page {page})", "zh-Hans": "（第{page}页）", "zh-Hant": "（第{page}頁）",
        "ko": "({page}페이지)", "vi": "(trang {page})", "pt": "(página {page})", EASY_JAPANESE: "({page}ページ)",
    },
    "PHONE": {
        "ja": PHONE, "en": "phone", "zh-Hans": "电话", "zh-Hant": "電話", "ko": "전화", "vi": "điện thoại",
        "pt": "telefone", EASY_JAPANESE: "電話(でんわ)",
    },
}


def say(name: str, language: str = "ja", easy_japanese: bool = False, **fields) -> str:
    """The catalogue text ``name`` in ``language`` (Japanese when there is none), with ``fields`` filled in."""
    text = localized(CATALOGUE[name], language, easy_japanese)
    return text.format(**fields) if fields else text


def has_texts(language: str) -> bool:
    """True when the catalogue speaks ``language`` (other than Japanese)."""
    return language != "ja" and language in CATALOGUE["ABSTAIN"]
