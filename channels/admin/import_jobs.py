"""An upload's apply, run beside the request that started it, with its progress to show.

Applying a large FAQ (thousands of rows to embed) takes longer than a browser or a proxy in front of
the app waits for one response. The apply runs in a thread of its own; the request waits a few seconds
for it (a small file is done by then and its result is shown at once) and otherwise sends the editor to
a page that shows how far it has got and reloads itself until it is done.

Nothing here must survive a crash: the upload stays in the upload store until its apply has committed
(channels/admin/import_views.py removes it afterwards), and an apply is one transaction, so an apply cut
short changes nothing and can be started again. The jobs themselves live in this process only: on another
host of the same database the progress page shows the upload's preview while the apply runs here (an apply
started there too waits for the knowledge lock, then finds nothing left to change) and, once it has committed,
says that the upload was applied or has expired.
"""
from __future__ import annotations

import logging
import re
import threading
import time
from dataclasses import dataclass, field

log = logging.getLogger(__name__)
# Shown for an error the editor cannot act on (its details go to the log).
FAILED = "反映中に予期しないエラーが発生しました。何も変更されていません。時間をおいてもう一度お試しください。"
# A finished job's result is shown for this long after it ended (the progress page may be reloaded).
KEPT_SECONDS = 3600
# The importer's progress lines: 「embedding 120/1800 (45/s, ETA 37 s)」 (indexing/importer.py: Progress).
_COUNT = re.compile(r"(\d+)/(\d+)")
_ETA = re.compile(r"ETA (\d+) s")


@dataclass
class ImportJob:
    token: str
    user: str
    started: float = field(default_factory=time.monotonic)
    done_count: int = 0
    total: int = 0
    eta_seconds: int | None = None
    finished: float | None = None
    result: object = None
    error: str = ""
    context: dict = field(default_factory=dict)
    _finished_event: threading.Event = field(default_factory=threading.Event, repr=False)

    @property
    def running(self) -> bool:
        return self.finished is None

    @property
    def elapsed_seconds(self) -> int:
        return int((self.finished or time.monotonic()) - self.started)

    def progress(self, line: str):
        """Read one of the importer's progress lines (count and ETA); other lines only say a step began."""
        count = _COUNT.search(line)
        if count:
            self.done_count, self.total = int(count.group(1)), int(count.group(2))
            eta = _ETA.search(line)
            self.eta_seconds = int(eta.group(1)) if eta else None

    def wait(self, seconds: float) -> bool:
        """Wait up to ``seconds`` for the job to end; whether it has."""
        return self._finished_event.wait(seconds)


class ImportJobs:
    """The applies running or recently finished in this process, one per upload token."""

    def __init__(self):
        self._jobs: dict[str, ImportJob] = {}
        self._lock = threading.Lock()

    def get(self, token: str) -> ImportJob | None:
        with self._lock:
            self._forget_old()
            return self._jobs.get(token)

    def start(self, token: str, user: str, work, shown_errors: tuple = (), context: dict | None = None) -> ImportJob:
        """Run ``work(progress)`` for the upload ``token`` in a thread of its own, unless an apply of that
        upload is running or has succeeded (that one is returned: a second click, or a second editor, sees the
        first apply's result rather than a failure on an upload it removed). Only a failed apply is run again.
        ``work`` returns the result to show; an exception of ``shown_errors`` has its text shown to the editor,
        any other is logged and shown as FAILED. ``context`` is kept with the job for the page that shows it."""
        with self._lock:
            self._forget_old()
            job = self._jobs.get(token)
            if job is not None and (job.running or not job.error):
                return job
            job = self._jobs[token] = ImportJob(token, user, context=context or {})

        def run():
            try:
                job.result = work(job.progress)
            except shown_errors as exc:
                job.error = str(exc)
            except Exception:  # noqa: BLE001 - the upload is kept; the editor may try again
                log.exception("applying upload %s failed", token[:8])
                job.error = FAILED
            finally:
                job.finished = time.monotonic()
                job._finished_event.set()

        # Not a daemon: a server shutting down lets a started apply commit rather than cut it short.
        threading.Thread(target=run, name=f"import-{token[:8]}", daemon=False).start()
        return job

    def _forget_old(self):
        now = time.monotonic()
        for token in [t for t, job in self._jobs.items() if job.finished and now - job.finished > KEPT_SECONDS]:
            del self._jobs[token]
