"""Shared set-up for benchmarks: a data dir with the sample knowledge imported."""
from __future__ import annotations

import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEVSET = ROOT / "benchmarks" / "devset.jsonl"
# Tuned out-of-scope questions by class (see benchmarks/quality_report.py); fitted with the dev set.
OOS_DEV = ROOT / "benchmarks" / "oos_dev.jsonl"
# Tuned answerable questions in the styles the dev set has few of (long stories, typos, kana, masked
# personal data); fitted with the dev set so the abstention model sees how residents really write.
STYLES_DEV = ROOT / "benchmarks" / "styles_dev.jsonl"
# Tuned questions asking for a deadline, place, fee ... with the expected fact.
FACTS = ROOT / "benchmarks" / "facts.jsonl"
PLAN_FACTS = ROOT / "benchmarks" / "plan_facts.jsonl"
DEFAULT_DATA_DIR = ROOT / "var" / "bench"


def ensure_sample_data(data_dir: Path = DEFAULT_DATA_DIR, embedder: str = "",
                       shipped_vectors: bool = True) -> tuple[Path, float]:
    """Import knowledge/ into data_dir (incremental); returns (data dir, seconds spent)."""
    from indexing.importer import import_paths

    started = time.perf_counter()
    import_paths([ROOT / "knowledge"], data_dir, embedder_spec=embedder, shipped_vectors=shipped_vectors)
    return data_dir, time.perf_counter() - started


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]
