"""Kill test, long form: SIGKILL the real server during bursts of LINE and Slack events.

Starts everything itself on loopback (a copy of a data dir, the fake LINE and Slack APIs, the
real server as ``madoguchi serve`` subprocesses) and stops by itself. Each round starts the
server, resends what was not acknowledged (as redeliveries) plus a share of what was, sends
a burst of new signed events from several threads and kills the server (SIGKILL, whole
process group) at a random moment. A last start drains everything; then it prints, per
channel: events sent / webhook posts / accepted (200) / answered / duplicated / lost, and how
many inquiry rows each event left.

    python benchmarks/inbox_kill.py                        # 10 rounds of 40 events
    python benchmarks/inbox_kill.py --rounds 20 --seed 7 --json
    python benchmarks/inbox_kill.py --server-root /work/main --quiet-timeout 20   # another checkout

Exit status 0 when nothing accepted was lost, nothing was logged twice, and nothing was
answered twice.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from fakes.kill_rounds import KillRounds  # noqa: E402


def prepare_data_dir(source: Path | None, target: Path) -> Path:
    if source is not None:
        shutil.copytree(source, target)
        return target
    from indexing.importer import import_paths

    import_paths([ROOT / "tests" / "fixtures" / "knowledge"], target)
    return target


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--events", type=int, default=40, help="new events per round")
    parser.add_argument("--senders", type=int, default=4)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data-dir", type=Path, default=None,
                        help="copied, never written (default: the test fixture knowledge, imported)")
    parser.add_argument("--server-root", type=Path, default=ROOT, help="the checkout whose server is killed")
    parser.add_argument("--quiet-timeout", type=float, default=120)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="madoguchi-inbox-kill-") as work:
        work = Path(work)
        data_dir = prepare_data_dir(args.data_dir, work / "data")
        rounds = KillRounds(data_dir, work / "logs", seed=args.seed, events_per_round=args.events,
                            senders=args.senders, server_root=args.server_root)
        report = rounds.run(args.rounds, quiet_timeout=args.quiet_timeout)

    if args.json:
        print(json.dumps({"rounds": report.rounds, "kills": report.kills, "seconds": round(report.seconds, 1),
                          "quiet": report.quiet, "inbox_states": report.inbox_states,
                          "channels": {k: dataclasses.asdict(v) for k, v in report.figures.items()}}, indent=2))
    else:
        print("\n".join(report.lines()))
    ok = report.quiet and all(f.lost == 0 and f.duplicated == 0 and f.logged_twice == 0
                              for f in report.figures.values())
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
