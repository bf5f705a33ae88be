"""Log redaction: no request body and no personal data in any log line, at any level.

Two kinds of leak are closed here, for every logger (ours, uvicorn's, slack_bolt's, the
LINE and Slack SDKs'):

* **Request and response bodies.** Libraries log them whole when something goes wrong
  (slack_bolt logs the full body of a request that fails the signature check at INFO;
  slack_sdk logs ``body_params`` / ``json_body`` at DEBUG). Everything after a ``body:``
  marker is replaced by 〔本文省略〕.
* **Personal data** anywhere in the message, its arguments or a traceback: masked by
  :func:`bot.insights.masking.mask_personal_data`, with the same placeholders as the inquiry log.
* **Query strings** of the access log's paths (``/admin/try?q=…`` carries a question, percent-encoded
  where masking cannot read it): withheld like a body (``?〔クエリ省略〕``).

``install_log_redaction()`` (called when the app is built, so at serve start under both
``madoguchi serve`` and the Procfile's plain uvicorn) wraps the log record factory, so
every record is redacted once when it is created, before any filter, handler or test
capture sees it; handlers configured later (uvicorn's own) are covered too.
:class:`RedactingFilter` does the same work as a ``logging.Filter`` for places that take
one: it is added to the root handlers and is the filter of the Slack app's logger
(:func:`slack_app_logger`), which slack_bolt copies onto each of its own loggers.
"""
from __future__ import annotations

import logging
import re
import threading

from bot.insights.masking import mask_personal_data

BODY_WITHHELD = "〔本文省略〕"
QUERY_WITHHELD = "?〔クエリ省略〕"
_QUERY = re.compile(r"\?[^\s\"']*")
ACCESS_LOGGER = "uvicorn.access"
REDACTION_FAILED = "〔ログをマスクできないため本文省略〕"

# 'body: {...}', 'body_params: ...', 'json_body=...', 'request body: ...', 'payload: ...'
# up to the end of the message: what follows a body is the rest of the body or headers.
_BODY = re.compile(
    r"(?is)(?P<label>\b(?:raw_|json_|request_|response_)?(?:body|body_params|payload)\b[ ]*[:=])[ ]*\S.*"
)
_NUMBERS = (int, float, bool, type(None))
_LOCAL = threading.local()
_FORMATTER = logging.Formatter()


def redact_log_text(text: str) -> str:
    """``text`` with request bodies withheld and personal data masked."""
    text = _BODY.sub(lambda m: f"{m.group('label')} {BODY_WITHHELD}", text)
    return mask_personal_data(text)


def redact_record(record: logging.LogRecord) -> logging.LogRecord:
    """Redact ``record`` in place (once): its message, arguments, traceback and stack."""
    if getattr(record, "madoguchi_redacted", False) or getattr(_LOCAL, "busy", False):
        return record
    _LOCAL.busy = True  # masking must never log its way back in here
    try:
        _redact(record)
    except Exception:  # never let a redaction bug leak the record, nor break logging
        record.msg, record.args = REDACTION_FAILED, None
        record.exc_info = record.exc_text = record.stack_info = None
    finally:
        record.madoguchi_redacted = True
        _LOCAL.busy = False
    return record


def _redact(record: logging.LogRecord) -> None:
    if record.name == ACCESS_LOGGER and isinstance(record.args, tuple):
        record.args = tuple(_QUERY.sub(QUERY_WITHHELD, a) if isinstance(a, str) else a for a in record.args)
    args = record.args
    if not args or _BODY.search(str(record.msg)):
        # Plain message, or a format string carrying a body ('body: %s'): redact the text.
        record.msg, record.args = redact_log_text(record.getMessage()), None
    else:
        # Keep the format string and argument shape (uvicorn's access formatter unpacks
        # the arguments): redact each text argument, keep numbers as they are.
        record.msg = redact_log_text(str(record.msg))
        if isinstance(args, dict):
            record.args = {k: v if isinstance(v, _NUMBERS) else redact_log_text(str(v)) for k, v in args.items()}
        else:
            record.args = tuple(a if isinstance(a, _NUMBERS) else redact_log_text(str(a)) for a in args)
    if record.exc_info and not record.exc_text:
        record.exc_text = redact_log_text(_FORMATTER.formatException(record.exc_info))
    if record.exc_text:
        record.exc_text = redact_log_text(record.exc_text)
    if record.stack_info:
        record.stack_info = redact_log_text(record.stack_info)


class RedactingFilter(logging.Filter):
    """A logging filter that redacts each record (never drops one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        redact_record(record)
        return True


REDACTING_FILTER = RedactingFilter()
_install_lock = threading.Lock()


def install_log_redaction() -> None:
    """Redact every log record from now on; idempotent."""
    with _install_lock:
        factory = logging.getLogRecordFactory()
        if not getattr(factory, "madoguchi_redacting", False):
            def redacting_factory(*args, **kwargs):
                return redact_record(factory(*args, **kwargs))

            redacting_factory.madoguchi_redacting = True
            logging.setLogRecordFactory(redacting_factory)
        for handler in logging.getLogger().handlers:
            if REDACTING_FILTER not in handler.filters:
                handler.addFilter(REDACTING_FILTER)


def slack_app_logger() -> logging.Logger:
    """The logger for the Slack Bolt app: slack_bolt copies its filters onto its own loggers,
    so the body it logs on a failed signature check is withheld at the source."""
    logger = logging.getLogger("channels.slack.bolt")
    if REDACTING_FILTER not in logger.filters:
        logger.addFilter(REDACTING_FILTER)
    return logger
