"""Japanese wording of the admin UI that is not in the templates, in one place for review."""

LOGIN_REQUIRED = "ログインが必要です。"
LOGIN_FAILED = "ユーザー名またはパスワードが違います。"
LOGIN_THROTTLED = "ログインの失敗が続いたため、しばらくログインできません。{seconds}秒ほどおいてから再度お試しください。"
LOGIN_EXPIRED_FORM = "画面の有効期限が切れました。もう一度ログインしてください。"
# A form sent after the session ended: what was typed is shown back, nothing was saved.
UNSAVED_AFTER_LOGOUT = ("ログインの有効期限が切れていたため、入力した内容は保存されていません。下の内容をコピーしてから、"
                        "ログインし直して入力してください。")
# The fields an editor types, shown back under these names (no other field is: hidden ones and tokens stay out).
FIELD_LABELS = {"title": "質問・タイトル", "body": "回答・本文", "alternates": "別の聞き方", "category": "カテゴリ",
                "department": "所管課", "section": "サブカテゴリ・節", "url": "参考 URL", "updated": "更新日",
                "review_by": "見直し期限", "id": "ID", "text": "配信する本文", "area": "地域", "at": "配信日時",
                "interest": "配信の話題", "phrasing": "質問の言い方", "entry_id_manual": "追加先のエントリ ID"}
EDITOR_ONLY = "この操作には編集者の権限が必要です。"
BAD_CSRF = "フォームの有効期限が切れたか、不正な送信です。画面を開き直してから、もう一度操作してください。"
BAD_ORIGIN = "別のサイトからの送信は受け付けていません。"
BAD_FORM = "送信内容を読み取れませんでした。"
TOO_LARGE = "ファイルが大きすぎます（20MB まで）。"
NOT_FOUND = "ページが見つかりません。"
ENTRY_NOT_FOUND = "指定のエントリが見つかりません。"
UPLOAD_NOT_FOUND = "取り込み用のファイルが見つかりません。期限切れか、すでに反映済みです。"
UPLOAD_NO_FILE = "ファイルを選んでください。"
UPLOAD_BAD_TYPE = "取り込めるのは CSV・Excel (.xlsx)・Markdown (.md)・テキスト (.txt)・PDF のファイルです。"
UPLOAD_RETIRE_CONFIRM = "このファイルを反映すると、取り込み元のエントリの大半が廃止されます。意図したとおりであれば確認のチェックを入れてください。"
UPLOAD_SKIP_REQUIRED = "エラーの行があります。該当行を飛ばして取り込む場合はチェックを入れてください。"
TICKET_NOT_FOUND = "このチケットは見つからないか、まだ回答がありません。"
REVIEW_NOT_FOUND = "このレビュー項目はすでに対応済みです。"
PUSH_CONFIRM_TWICE = "{topic}のお知らせは、確認のチェックを入れてから送信してください。"
PUSH_NO_LINE = "LINE_CHANNEL_ACCESS_TOKEN が設定されていないため送信できません。"
PUSH_NOBODY = "この条件で配信を希望している人がいないため、送信しませんでした。"
PUSH_QUOTA_UNKNOWN = "LINE の今月の送信可能数を確認できなかったため、送信しませんでした。しばらくしてから再度お試しください。"
PUSH_NOT_CANCELLABLE = "この配信は送信が始まっているか、すでに終わっているため取り消せません。"
REVIEW_ENTRY_REQUIRED = "追加先のエントリを選ぶか、ID を入力してください。"

NOTICES = {
    "created": "エントリを作成しました。次の質問から回答に反映されます。",
    "saved": "変更を保存しました。次の質問から回答に反映されます。",
    "unchanged": "変更はありませんでした。",
    "retired": "エントリを廃止しました。今後は回答に使われません。",
    "restored": "エントリを再公開しました。",
    "imported": "取り込みを反映しました。",
    "discarded": "取り込みを取り消しました。",
    "alternate": "別の聞き方として追加し、レビュー項目を完了にしました。",
    "alternate_known": "その聞き方はすでに登録済みでした。レビュー項目を完了にしました。",
    "answered": "新しい FAQ を作成し、レビュー項目を完了にしました。",
    "dismissed": "レビュー項目を対応不要として閉じました。",
    "logged_out": "ログアウトしました。",
    "push_started": "配信を開始しました。状態は下の一覧で確認できます。",
    "push_scheduled": "配信を予約しました。",
    "push_cancelled": "予約した配信を取り消しました。",
}

LABELS = {
    "kind": {"faq": "FAQ", "guide": "手順ガイド", "plan": "計画文書"},
    "audience": {"citizen": "市民向け", "staff": "職員向け", "all": "市民・職員"},
    "status": {"active": "公開中", "retired": "廃止"},
    "role": {"editor": "編集者", "viewer": "閲覧者"},
    "action": {"added": "追加（取り込み）", "changed": "変更（取り込み）", "retired": "廃止", "created": "作成",
               "edited": "編集", "restored": "再公開", "alternate_added": "別の聞き方を追加"},
    "field": {"id": "ID", "title": "質問・タイトル", "body": "回答・本文", "section": "節・サブカテゴリ",
              "url": "URL", "audience": "対象", "category": "カテゴリ", "department": "所管課",
              "updated": "更新日", "review_by": "見直し期限", "alternates": "別の聞き方", "status": "状態",
              "kind": "種類", "page": "ページ", "translations": "翻訳", "easy_japanese": "やさしい日本語"},
    "resolution": {"new_entry": "新しい FAQ を作成", "alternate": "別の聞き方に追加", "dismissed": "対応不要"},
    "push_state": {"scheduled": "予約", "sending": "送信中", "sent": "送信済み", "failed": "失敗", "cancelled": "取り消し"},
    "channel": {"line": "LINE", "slack": "Slack", "web": "Web チャット", "cli": "CLI"},
}
