"""Questions in other languages against the Japanese knowledge, compared with their Japanese originals.

    python -m benchmarks.crosslang [--data-dir DIR] [--embedder SPEC] [--failures] [--no-import]
    python -m benchmarks.crosslang --fit [--write]   # fit the cross-language calibration
    python -m benchmarks.crosslang --variants        # ranking variants tried for foreign questions


``benchmarks/crosslang.jsonl`` holds our own translations (en, zh-Hans, ko, vi, pt) of citizen
questions of the dev set, each with its Japanese original (``ja_text``) and the relevant entry
ids; questions with no relevant entry are out of scope and should be declined. Prints, per
language: Hit@1 and Hit@3 (the Japanese originals as the ``ja`` row), the share of answerable
questions answered (not declined) and answered right, and the share of out-of-scope questions
declined; then the language detector's accuracy on the set and on the short/mixed texts of
``tests/fixtures/language-detection.jsonl``.

``--fit`` fits the fusion weights and the abstention model used for questions not in Japanese
(``bot/answering/calibration_crosslang.json``, read by ``Retriever.calibration_for``) on this
set with the same procedure as ``benchmarks/calibrate.py``, and prints figures of a 5-fold
cross-validation grouped by the Japanese original (a question's translations never sit on both
sides of a fold). The figures of the plain run are in-sample for the translated languages.

``--variants`` prints Hit@1 of the dense ranking (what ranks a foreign question) under query- and
index-side changes that were tried to lift ko/vi/pt, so that the negative results can be rerun
with another embedder: per-language mean-centring of the query vector (offsets from the fixed-text
catalogues, parallel in every language), pseudo-relevance feedback, which of an entry's vectors
count, lower-casing, the passage prefix, BM25 terms or reading bigrams mixed in, Latin loanwords
that Sudachi reads in katakana added to the query, and the city's translations embedded.
"""
from __future__ import annotations

import argparse
import json
import re
from collections import defaultdict
from pathlib import Path

from benchmarks.common import DEFAULT_DATA_DIR, ROOT, ensure_sample_data
from bot.answering.evaluation import hit_at_k
from indexing.embeddings import embed_as
from indexing.language import detect_language

CROSSLANG = ROOT / "benchmarks" / "crosslang.jsonl"
DETECTION_TABLE = ROOT / "tests" / "fixtures" / "language-detection.jsonl"


def load_records(path: Path = CROSSLANG) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def questions_by_language(records: list[dict]) -> dict[str, list[dict]]:
    """Translated questions by language, plus their Japanese originals (once each) as ``ja``."""
    groups: dict[str, list[dict]] = defaultdict(list)
    seen = set()
    for record in records:
        groups[record["language"]].append(record)
        if record["ja_id"] not in seen:
            seen.add(record["ja_id"])
            groups["ja"].append({**record, "id": record["ja_id"], "language": "ja", "text": record["ja_text"]})
    return dict(groups)


def run_question(bot, record: dict) -> dict:
    """Detected language, ranked ids and whether the bot declined, as the bot answers it."""
    language = bot.language_of(record["text"])
    ranking = bot.retriever.rank(record["text"], record["audience"], top=10, language=language)
    confidence = bot.retriever.confidence(ranking)
    return {"language": language, "ranked": [h.entry.id for h in ranking.hits],
            "declined": confidence < bot.retriever.threshold_for(language), "confidence": confidence}


def summarise(records: list[dict], results: list[dict]) -> dict:
    answerable = [(r, x) for r, x in zip(records, results) if r["relevant"]]
    out_of_scope = [(r, x) for r, x in zip(records, results) if not r["relevant"]]
    n = len(answerable) or 1
    hit1 = sum(hit_at_k(x["ranked"], set(r["relevant"]), 1) for r, x in answerable) / n
    hit3 = sum(hit_at_k(x["ranked"], set(r["relevant"]), 3) for r, x in answerable) / n
    answered = sum(not x["declined"] for _, x in answerable) / n
    right = sum((not x["declined"]) and hit_at_k(x["ranked"], set(r["relevant"]), 1) for r, x in answerable) / n
    declined_out = (sum(x["declined"] for _, x in out_of_scope) / len(out_of_scope)) if out_of_scope else None
    return {"answerable": len(answerable), "out_of_scope": len(out_of_scope), "hit@1": hit1, "hit@3": hit3,
            "answered": answered, "answered_right": right, "declined_out_of_scope": declined_out}


# Questions in another language are found less surely than Japanese ones; declining a few more
# of them (with the department's contact) is better than answering them wrongly.
MAX_ANSWERABLE_DECLINED = 0.10


def fit(data_dir: Path, embedder: str, write: bool):
    import random

    import numpy as np

    from benchmarks import calibrate
    from bot.answering.calibration import FEATURES, Calibration
    from bot.answering.evaluation import LabelledQuestion
    from bot.answering.retrieval import CROSSLANG_CALIBRATION_FILE, Retriever

    # Not the question's length: a count of Latin letters says nothing of what the Japanese fit learned of
    # the length of a question in kanji and kana (the calibration shipped was fitted without it).
    calibrate.USED = [name for name in FEATURES if name != "length"]
    records = load_records()
    questions = [LabelledQuestion(r["id"], r["text"], tuple(r["relevant"]), r["audience"], r["language"])
                 for r in records]
    retriever = Retriever(data_dir, embedder, calibration=Calibration())
    rows = calibrate.score_arrays(retriever, questions, ranker=False)  # as the bot: no ranker for them

    def fit_rows(subset):
        weights = tuple(float(w) for w in calibrate.fit_fusion(subset))
        X, y, answerable = calibrate.labelled_features(subset, weights)
        coefficients, bias = calibrate.fit_logistic(X, calibrate.abstention_labels(y, answerable))
        probabilities = 1 / (1 + np.exp(-(X @ coefficients + bias)))
        threshold = _threshold(probabilities, answerable)
        return weights, coefficients, bias, threshold

    weights, coefficients, bias, threshold = fit_rows(rows)
    calibration = Calibration(dense_weight=weights[0], terms_weight=weights[1], grams_weight=weights[2],
                              coefficients={n: round(float(c), 4) for n, c in zip(calibrate.USED, coefficients)},
                              bias=round(float(bias), 4), threshold=round(threshold, 4))
    print(f"fusion weights (dense, terms, reading grams): {weights}")
    print(f"abstention model: {calibration.coefficients}, bias {calibration.bias}, threshold {calibration.threshold}")

    originals = sorted({r["ja_id"] for r in records})
    random.Random(16).shuffle(originals)
    fold_of = {ja_id: i % 5 for i, ja_id in enumerate(originals)}
    held = []
    for fold in range(5):
        train = [row for row, r in zip(rows, records) if fold_of[r["ja_id"]] != fold]
        test = [(row, r) for row, r in zip(rows, records) if fold_of[r["ja_id"]] == fold]
        w, c, b, t = fit_rows(train)
        X, y, answerable = calibrate.labelled_features([row for row, _ in test], w)
        p = 1 / (1 + np.exp(-(X @ c + b)))
        held += [(r["language"], bool(a), float(correct), bool(prob < t)) for (_, r), a, correct, prob
                 in zip(test, answerable, y, p)]
    print("5-fold cross-validated, grouped by Japanese original:")
    print("language  hit@1  answered  answered-right  out-of-scope declined")
    for language in sorted({h[0] for h in held}):
        mine = [h for h in held if h[0] == language]
        answerable = [h for h in mine if h[1]]
        oos = [h for h in mine if not h[1]]
        print(f"{language:8s} {sum(h[2] for h in answerable) / len(answerable):.3f}"
              f"  {sum(not h[3] for h in answerable) / len(answerable):8.2f}"
              f"  {sum(h[2] and not h[3] for h in answerable) / len(answerable):14.2f}"
              f"  {sum(h[3] for h in oos) / max(len(oos), 1):.2f}")
    if write:
        data = json.loads(CROSSLANG_CALIBRATION_FILE.read_text(encoding="utf-8")) \
            if CROSSLANG_CALIBRATION_FILE.exists() else {}
        data[retriever.embedder.name] = calibration.to_dict()
        CROSSLANG_CALIBRATION_FILE.write_text(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
                                              encoding="utf-8")
        print(f"written to {CROSSLANG_CALIBRATION_FILE.relative_to(ROOT)}")


def _threshold(probabilities, answerable) -> float:
    """Highest threshold that declines at most MAX_ANSWERABLE_DECLINED of answerable questions."""
    best = 0.0
    for t in sorted(set(round(float(p), 4) for p in probabilities)):
        if (probabilities[answerable] < t).mean() > MAX_ANSWERABLE_DECLINED:
            break
        best = t
    return best


def _catalogue_texts() -> dict[str, list[str]]:
    """The fixed texts said in every supported language, as parallel lists per language."""
    from bot.answering import messages as bot_messages
    from channels.line import messages as line_messages
    from channels.web import messages as web_messages
    from indexing.language import SUPPORTED

    catalogues = [bot_messages.CATALOGUE, line_messages.CATALOGUE]
    for japanese, translations in ((web_messages.PAGE, web_messages.PAGE_TRANSLATIONS),
                                   (web_messages.SCRIPT, web_messages.SCRIPT_TRANSLATIONS),
                                   (web_messages.API_ERRORS, web_messages.API_ERROR_TRANSLATIONS)):
        catalogues.append({k: {"ja": v, **{code: t[k] for code, t in translations.items()}} for k, v in japanese.items()})
    parallel: dict[str, list[str]] = {language: [] for language in SUPPORTED}
    for catalogue in catalogues:
        for texts in catalogue.values():
            if all(texts.get(language) for language in SUPPORTED):
                for language in SUPPORTED:
                    parallel[language].append(re.sub(r"[{}]", "", texts[language]))
    return parallel


def _loanwords(text: str, vocabulary: set[str], tokenizer) -> list[str]:
    """Runs of up to 3 Latin words that Sudachi reads in katakana and whose joined reading the index
    knows as a term ('My Number' → まいなんばー), in the index's (hiragana) spelling."""
    readings = []
    for word in re.findall(r"[A-Za-z][A-Za-z\-]+", text):
        morphemes = list(tokenizer.tokenize(word))
        reading = morphemes[0].reading_form() if len(morphemes) == 1 and not morphemes[0].is_oov() else ""
        readings.append(reading if re.fullmatch(r"[ァ-ヴー]+", reading) else "")
    found, i = [], 0
    while i < len(readings):
        for n in (3, 2, 1):
            run = readings[i:i + n]
            term = "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in "".join(run))
            if len(run) == n and all(run) and term in vocabulary and (n > 1 or len(term) >= 4):
                found.append(term)
                i += n
                break
        else:
            i += 1
    return found


def variants(data_dir: Path, embedder: str):
    import numpy as np
    from sudachipy import SplitMode

    from bot.service import Bot
    from indexing.japanese import sudachi_dictionary
    from indexing.search_index import embedding_texts, text_hash

    bot = Bot(data_dir, embedder)
    retriever, model = bot.retriever, bot.retriever.embedder
    index = retriever.index("citizen")
    ids = [e.id for e in index.entries]
    rows, owners, roles = [], [], []
    for position, entry in enumerate(index.entries):
        for role, text in embedding_texts(entry):
            rows.append(text_hash(role, text))
            owners.append(position)
            roles.append(role)
    cached = retriever.store.cached_vectors(model.name, rows)
    matrix = np.vstack([cached[h] for h in rows]).astype(np.float32)
    owners, roles = np.array(owners), np.array(roles)
    translated = [(position, role, text) for position, entry in enumerate(index.entries)
                  for _, title, body in entry.translations
                  for role, text in (("query", title), ("passage", f"{title}\n{body[:500]}"))]
    extra = np.vstack([embed_as(model, role, [text])[0]
                       for _, role, text in translated]) if translated else np.zeros((0, matrix.shape[1]))

    def best_per_entry(vector, mask=None, with_translations=False):
        m, o = (matrix, owners) if not with_translations else (np.vstack([matrix, extra]),
                                                               np.concatenate([owners, [t[0] for t in translated]]))
        similarities = m @ vector
        keep = np.ones(len(similarities), bool) if mask is None else mask
        scores = np.full(len(ids), -1.0, dtype=np.float32)
        np.maximum.at(scores, o[keep], similarities[keep])
        return scores

    def normalized(v):
        return v / np.linalg.norm(v)

    parallel = _catalogue_texts()
    means = {language: model.embed_queries(texts).mean(axis=0) for language, texts in parallel.items()}
    vocabulary = set(index.terms.vocabulary_by_frequency())
    tokenizer = sudachi_dictionary().tokenizer(mode=SplitMode.C)

    def prf(vector, k=3, beta=0.6):
        scores = best_per_entry(vector)
        top = np.argsort(-scores)[:k]
        weights = scores[top] / scores[top].sum()
        centroid = sum(w * matrix[np.flatnonzero(owners == p)][np.argmax(matrix[owners == p] @ vector)]
                       for w, p in zip(weights, top))
        return best_per_entry(normalized(vector + beta * centroid))

    def with_loanwords(text):
        found = _loanwords(text, vocabulary, tokenizer)
        katakana = "、".join("".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in f) for f in found)
        return f"{text} ({katakana})" if found else text

    def lexical(record, terms_weight, grams_weight):
        query = retriever.query_text(record["text"], "citizen")
        dense, terms, grams = retriever.scores(index, query, retriever.analyzer.analyze(query),
                                               retriever._query_vector(query))
        return dense + terms_weight * terms + grams_weight * grams

    ways = {
        "dense, best of the entry's vectors (as shipped)": lambda r, v, l: best_per_entry(v),
        "question/heading vectors only": lambda r, v, l: best_per_entry(v, roles == "query"),
        "passage vectors only": lambda r, v, l: best_per_entry(v, roles == "passage"),
        "query mean-centred per language": lambda r, v, l: best_per_entry(normalized(v - (means[l] - means["ja"])))
        if l in means else best_per_entry(v),
        "query half mean-centred": lambda r, v, l: best_per_entry(normalized(v - 0.5 * (means[l] - means["ja"])))
        if l in means else best_per_entry(v),
        "pseudo-relevance feedback (top 3, 0.6)": lambda r, v, l: prf(v),
        "query lower-cased": lambda r, v, l: best_per_entry(embedded[("lower", r["id"])]),
        "query with the passage prefix": lambda r, v, l: best_per_entry(embedded[("passage", r["id"])]),
        "+ 0.1 BM25 terms": lambda r, v, l: lexical(r, 0.1, 0.0),
        "+ 0.1 reading bigrams": lambda r, v, l: lexical(r, 0.0, 0.1),
        "+ Latin loanwords in katakana": lambda r, v, l: best_per_entry(embedded[("loanwords", r["id"])]),
        "+ the city's translations embedded": lambda r, v, l: best_per_entry(v, with_translations=True),
    }
    groups = questions_by_language(load_records())
    languages = ["ja"] + sorted(k for k in groups if k != "ja")
    print(f"embedder {model.name}; Hit@1 of the dense ranking (citizen questions with an answer)")
    print(f"{'variant':48s} " + " ".join(f"{language:>7s}" for language in languages))
    vectors = {language: model.embed_queries([r["text"] for r in groups[language] if r["relevant"]])
               for language in languages}
    answerable = [r for language in languages for r in groups[language] if r["relevant"]]
    embedded = {}
    for kind, encode, rewrite in (("lower", model.embed_queries, str.lower),
                                  ("passage", model.embed_passages, lambda t: t),
                                  ("loanwords", model.embed_queries, with_loanwords)):
        for r, vector in zip(answerable, encode([rewrite(r["text"]) for r in answerable])):
            embedded[(kind, r["id"])] = vector
    for name, way in ways.items():
        cells = []
        for language in languages:
            records = [r for r in groups[language] if r["relevant"]]
            hits = [ids[int(np.argmax(way(r, v, language)))] in r["relevant"]
                    for r, v in zip(records, vectors[language])]
            cells.append(f"{sum(hits) / len(hits):7.3f}")
        print(f"{name:48s} " + " ".join(cells), flush=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--embedder", default="")
    parser.add_argument("--failures", action="store_true", help="list the questions ranked wrong")
    parser.add_argument("--no-import", action="store_true", help="use the data dir as it is")
    parser.add_argument("--fit", action="store_true", help="fit the cross-language calibration")
    parser.add_argument("--write", action="store_true", help="with --fit: store it")
    parser.add_argument("--variants", action="store_true", help="Hit@1 of ranking variants tried for foreign questions")
    args = parser.parse_args(argv)

    if not args.no_import:
        ensure_sample_data(args.data_dir, args.embedder)
    if args.fit:
        fit(args.data_dir, args.embedder, args.write)
        return
    if args.variants:
        variants(args.data_dir, args.embedder)
        return
    from bot.service import Bot

    bot = Bot(args.data_dir, args.embedder)
    groups = questions_by_language(load_records())
    print(f"embedder {bot.retriever.embedder.name}; {sum(len(g) for g in groups.values())} questions")
    print("language   n  hit@1  hit@3  answered  answered-right  out-of-scope declined")
    detected_right = detected_total = 0
    for language in ["ja"] + sorted(k for k in groups if k != "ja"):
        records = groups[language]
        results = [run_question(bot, r) for r in records]
        s = summarise(records, results)
        declined = "-" if s["declined_out_of_scope"] is None else f"{s['declined_out_of_scope']:.2f} of {s['out_of_scope']}"
        print(f"{language:8s} {s['answerable']:3d}  {s['hit@1']:.3f}  {s['hit@3']:.3f}  {s['answered']:8.2f}"
              f"  {s['answered_right']:14.2f}  {declined}")
        detected_right += sum(x["language"] == language for x in results)
        detected_total += len(results)
        if args.failures:
            for r, x in zip(records, results):
                if r["relevant"] and not hit_at_k(x["ranked"], set(r["relevant"]), 1):
                    print(f"    miss {r['id']} {r['text']} → {x['ranked'][:3]} (want {r['relevant'][:2]})")
                if x["language"] != language:
                    print(f"    detected {x['language']} for {r['text']}")
    table = [json.loads(line) for line in DETECTION_TABLE.read_text(encoding="utf-8").splitlines() if line.strip()]
    table_right = sum(detect_language(row["text"]) == row["language"] for row in table)
    print(f"\nlanguage detection: {detected_right}/{detected_total} on this set "
          f"({detected_right / detected_total:.3f}); {table_right}/{len(table)} on the short/mixed table")


if __name__ == "__main__":
    main()
