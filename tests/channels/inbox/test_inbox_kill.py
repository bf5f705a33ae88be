"""Fault test with real processes: SIGKILL the server during bursts of LINE and Slack events.

Every acknowledged event must be answered exactly once at the (fake) platform and logged
once in the inquiry log. The long form is benchmarks/inbox_kill.py.
"""
from __future__ import annotations

import shutil

from fakes.kill_rounds import KillRounds


def test_killed_servers_lose_nothing_and_answer_each_event_once(tmp_path, data_dir):
    served = tmp_path / "data"
    shutil.copytree(data_dir, served)
    report = KillRounds(served, tmp_path / "logs", seed=12, events_per_round=30).run(rounds=2)
    print("\n".join(report.lines()))

    assert report.kills == 2 and report.quiet
    for name, figures in report.figures.items():
        assert figures.sent > 0 and figures.accepted == figures.sent, (name, figures)
        assert figures.lost == 0, (name, figures)
        assert figures.answered == figures.accepted, (name, figures)
        assert figures.logged_once == figures.sent and figures.logged_twice == 0, (name, figures)
    # The one window left open (README, "Nothing lost"): a LINE reply accepted just before a kill,
    # and the event resumed when its token could have expired: it is pushed, and seen twice.
    assert report.figures["line"].duplicated <= report.figures["line"].late_pushes
    # A Slack post interrupted by a kill is found by its metadata before posting again.
    assert report.figures["slack"].duplicated == 0
    assert set(report.inbox_states) <= {"done"}
