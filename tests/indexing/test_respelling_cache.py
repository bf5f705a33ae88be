"""The vocabulary is rebuilt from each text's cached counts: an edit re-reads only that text."""
import indexing.respelling_vocabulary as vocabulary
from indexing.respelling import Respelling

TEXTS = [
    "粗大ごみの出し方。粗大ごみ処理券をコンビニで買ってください。",
    "住民票の写しはコンビニ交付で取れます。申請には本人確認書類が必要です。",
    "母子手帳をなくしたときは保健所で再交付します。",
]


def counting_reads(monkeypatch) -> list[str]:
    read = []
    original = vocabulary.count_text
    monkeypatch.setattr(vocabulary, "count_text", lambda text: read.append(text) or original(text))
    monkeypatch.setattr(vocabulary, "TEXT_COUNTS", vocabulary.TextCountsCache(100))
    return read


def test_a_rebuild_after_one_edit_reads_only_the_edited_text(monkeypatch):
    read = counting_reads(monkeypatch)
    Respelling(TEXTS)
    assert read == TEXTS
    edited = [TEXTS[0], TEXTS[1] + "印鑑登録証明書もとれます。", TEXTS[2]]
    read.clear()
    rebuilt = Respelling(edited)
    assert read == [edited[1]]
    assert rebuilt.respell("いんかんとうろくしょうめいしょ") == "印鑑登録証明書"


def test_a_vocabulary_from_cached_counts_is_the_one_read_afresh(monkeypatch):
    counting_reads(monkeypatch)
    first = Respelling(TEXTS)
    again = Respelling(TEXTS)
    vocabulary.TEXT_COUNTS.clear()
    fresh = Respelling(TEXTS)
    assert first._spelling == again._spelling == fresh._spelling
    assert first._known == again._known == fresh._known


def test_the_cache_holds_at_most_its_size_in_texts(monkeypatch):
    read = counting_reads(monkeypatch)
    monkeypatch.setattr(vocabulary, "TEXT_COUNTS", vocabulary.TextCountsCache(2))
    Respelling(TEXTS)
    assert len(vocabulary.TEXT_COUNTS._items) == 2
    read.clear()
    Respelling(TEXTS[1:])  # the two most recent texts are still there
    assert read == []
