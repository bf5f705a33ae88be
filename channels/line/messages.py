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
