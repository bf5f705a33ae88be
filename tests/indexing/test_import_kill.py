"""Fault test with real processes: ``madoguchi import`` killed with SIGKILL at random moments.

The long form (at least 10 rounds) is ``python -m benchmarks.import_kill``."""
import random

from benchmarks.import_kill import run


def test_a_killed_import_leaves_the_knowledge_before_or_after_never_half_done(tmp_path):
    outcomes = run(rounds=3, rows=60, seed=random.randrange(1 << 30), workdir=tmp_path)
    assert outcomes and "INCONSISTENT" not in outcomes, outcomes
