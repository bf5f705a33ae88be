"""Long-form route fuzz: thousands of malformed requests against the real served app (LINE and
Slack configured against the fake APIs on loopback), counting 5xx answers by kind, then /healthz.

    python benchmarks/fuzz_routes.py --data-dir /work/var-sample --cases 3000 --seed 7

Exit status 0 when no request got a 5xx and the server is still healthy. The short form runs in
the suite (tests/channels/test_fuzz_routes.py).
"""
from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from fakes.line_api import FakeLineApi  # noqa: E402
from fakes.route_fuzz import cases, send  # noqa: E402
from fakes.server import serve_app  # noqa: E402
from fakes.slack_api import FakeSlackApi  # noqa: E402
from fakes.webhooks import LINE_SECRET, LINE_TOKEN, SLACK_APP_TOKEN, SLACK_BOT_TOKEN, SLACK_SECRET  # noqa: E402

from indexing.settings import Settings  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", default=str(ROOT / "var"), help="imported data dir (copied, never written)")
    parser.add_argument("--cases", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="madoguchi-fuzz-"))
    shutil.copytree(args.data_dir, work / "data")
    statuses, kinds, failures = Counter(), Counter(), []
    started = time.monotonic()
    try:
        with FakeLineApi(access_token=LINE_TOKEN) as line_api, \
                FakeSlackApi(bot_token=SLACK_BOT_TOKEN, app_token=SLACK_APP_TOKEN) as slack_api:
            settings = Settings(data_dir=work / "data", line_channel_secret=LINE_SECRET,
                                line_channel_access_token=LINE_TOKEN, line_api_base_url=line_api.url,
                                slack_signing_secret=SLACK_SECRET, slack_bot_token=SLACK_BOT_TOKEN,
                                slack_api_base_url=slack_api.api_url, rate_limit_per_minute=0)
            with serve_app(settings) as server, httpx.Client(base_url=server.url, timeout=120) as client:
                for case in cases(random.Random(args.seed), args.cases):
                    status = send(client, case)
                    statuses[status] += 1
                    kinds[case.kind] += 1
                    if status >= 500:
                        failures.append((case.kind, case.method, case.path, status, case.body[:60]))
                healthy = client.get("/healthz").status_code == 200
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{args.cases} cases (seed {args.seed}) in {time.monotonic() - started:.0f} s: "
          f"{len(failures)} answered 5xx; server healthy after: {healthy}")
    print("statuses:", dict(sorted(statuses.items())))
    print("kinds:", dict(sorted(kinds.items())))
    for failure in failures[:20]:
        print("  5xx:", failure)
    return 0 if healthy and not failures else 1


if __name__ == "__main__":
    sys.exit(main())
