"""The held-out query sets stay consistent with the knowledge they were written for.

A renamed guide heading or a re-numbered FAQ would silently turn held-out questions into
misses; these checks name the question that broke. They read the sets, the sample
knowledge through the importer's loaders, and (when it is present) the kosodate FAQ JSON.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.heldout import convert_kosodate
from benchmarks.heldout.validate import (HERE, KOSODATE_FILES, check_file, city_faq_bodies, knowledge_bodies,
                                        read_jsonl, validate)

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def sample_knowledge() -> dict[str, str]:
    return knowledge_bodies(ROOT / "knowledge")


def test_sample_sets_name_existing_entries_and_their_facts(sample_knowledge):
    problems, _ = validate(sample_knowledge, None)
    assert problems == []


def test_the_third_city_sets_name_entries_of_its_own_faq():
    bodies = city_faq_bodies()
    assert len(bodies) == 174
    for name in ("minato.jsonl", "minato_oos.jsonl"):
        for item in read_jsonl(HERE / name):
            assert all(entry_id in bodies for entry_id in item["relevant"]), item["id"]


def test_kosodate_ids_exist_in_the_sample_faq_built_from_the_same_source(sample_knowledge):
    # knowledge/faq/kosodate-faq.csv is faq.json with KF + zero-padded faq_id as ID.
    for name in KOSODATE_FILES:
        for item in read_jsonl(HERE / name):
            assert all(f"KF{int(faq_id):04d}" in sample_knowledge for faq_id in item["relevant"]), item["id"]


def test_facts_view_and_schema_checks_report_bad_lines(tmp_path):
    good = {"id": "x1", "text": "住民票 手数料", "audience": "citizen", "relevant": ["a"], "style": "terse",
            "fact": "300円"}
    assert check_file("sample.jsonl", [good], {"a": "1通 300円"}) == []
    problems = check_file("sample.jsonl", [dict(good, fact="200円"), dict(good, relevant=["zz"]),
                                           dict(good, audience="admin")], {"a": "1通 300円"})
    assert len(problems) == 4 and "fact '200円'" in problems[0] and "unknown entry ids ['zz']" in problems[1]
    assert check_file("sample_oos.jsonl", [good], None) == ["sample_oos.jsonl:x1: out-of-scope question with relevant entries"]


def test_convert_kosodate_writes_the_open_data_layout_with_raw_ids(tmp_path):
    source = tmp_path / "faq.json"
    source.write_text(json.dumps([
        {"faq_id": 12, "question": "質問B", "answer": "回答,\n改行あり", "category1": "保育"},
        {"faq_id": 3, "question": "質問A", "answer": "回答A", "category1": "妊娠・出産"},
    ], ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "out" / "faq.csv"
    assert convert_kosodate.main([str(out), "--faq-json", str(source)]) == 0
    assert out.read_text(encoding="utf-8") == ('ID,問い合わせ文,応答文,カテゴリ\n3,質問A,回答A,妊娠・出産\n'
                                               '12,質問B,"回答,\n改行あり",保育\n')
    source.write_text(json.dumps([{"faq_id": 1, "question": "", "answer": "x"}]), encoding="utf-8")
    assert convert_kosodate.main([str(out), "--faq-json", str(source)]) == 1


def test_converted_kosodate_csv_loads_with_raw_ids(tmp_path):
    from indexing.loaders import SourceMetadata, load_knowledge_file

    if not convert_kosodate.DEFAULT_FAQ_JSON.exists():
        pytest.skip("kosodate faq.json not present beside the checkout")
    out = tmp_path / "kosodate.csv"
    assert convert_kosodate.main([str(out)]) == 0
    bodies = {e.id: e.body for e in load_knowledge_file(out, SourceMetadata()).entries}
    assert len(bodies) == 661
    problems, _ = validate(None, bodies)
    assert problems == []


def _bigrams(text: str) -> set[str]:
    text = "".join(text.split())
    return {text[i:i + 2] for i in range(len(text) - 1)}


def test_no_tuned_question_is_a_near_copy_of_a_held_out_one():
    """A tuned question that copies or closely rewords a held-out one leaks it into every fit
    (fusion, ranker, abstention): held-out figures would flatter. Character-bigram overlap of 0.5
    or more (Jaccard) with any held-out question fails, naming both."""
    held = [(path.name, item["id"], _bigrams(item["text"])) for path in sorted(HERE.glob("*.jsonl"))
            for item in read_jsonl(path)]
    tuned = [path for path in sorted((ROOT / "benchmarks").glob("*.jsonl")) if path.name != "crosslang.jsonl"]
    tuned += sorted((ROOT / "benchmarks" / "cities").glob("*.jsonl"))
    assert len(tuned) >= 6, "tuned sets missing"
    close = []
    for path in tuned:
        for item in read_jsonl(path):
            grams = _bigrams(item["text"])
            for name, held_id, held_grams in held:
                if grams and held_grams and len(grams & held_grams) / len(grams | held_grams) >= 0.5:
                    close.append(f"{path.name}:{item['id']} ~ {name}:{held_id}")
    assert close == []


def test_question_ids_are_unique_within_each_set():
    # Reports name failures by ID, and branches that append to the same set can reuse one.
    for path in [*sorted((ROOT / "benchmarks").glob("*.jsonl")), *sorted((ROOT / "benchmarks" / "cities").glob("*.jsonl")),
                 *sorted(HERE.glob("*.jsonl"))]:
        ids = [item["id"] for item in read_jsonl(path)]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        assert duplicates == [], f"{path.name}: {duplicates}"


def test_the_tuned_city_sets_name_entries_of_their_own_faq():
    cities = ROOT / "benchmarks" / "cities"
    sizes = {}
    for faq_csv in sorted(cities.glob("*_faq.csv")):
        city = faq_csv.stem.removesuffix("_faq")
        bodies = city_faq_bodies(faq_csv)
        sizes[city] = len(bodies)
        for name in (f"{city}.jsonl", f"{city}_oos.jsonl"):
            items = read_jsonl(cities / name)
            assert items and all(entry_id in bodies for item in items for entry_id in item["relevant"]), name
            assert all(bool(item["relevant"]) != name.endswith("_oos.jsonl") for item in items), name
    assert sizes == {"kawabe": 220, "kitahama": 300, "morino": 180, "yotsuba": 289}


def test_each_set_runs_against_the_knowledge_its_file_name_names(tmp_path):
    from benchmarks.quality_report import CITY_FAQS, collection_of

    assert collection_of(Path("benchmarks/cities/kawabe_oos.jsonl")) == "kawabe"
    assert collection_of(HERE / "minato.jsonl") == "minato"
    assert collection_of(HERE / "kosodate_oos.jsonl") == "kosodate"
    assert collection_of(Path("development.json")) == "kosodate"
    assert collection_of(HERE / "sample.jsonl") == collection_of(ROOT / "benchmarks" / "devset.jsonl") == "sample"
    assert all(path.exists() for path in CITY_FAQS.values())
