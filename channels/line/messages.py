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
