"""Configure logging once, at start-up; no record carries the values of a SQL statement."""

from __future__ import annotations

import logging
import re
import sys
from typing import TextIO

from sqlalchemy.exc import StatementError

# SQLAlchemy puts a statement's values after "[parameters: " on one line (their repr has no
# raw line break): a learner's answer or reflection, which must not outlive `forget` in logs.
_PARAMETERS = re.compile(r"\[parameters: [^\n]*")
_HIDDEN = "[SQL parameters hidden]"
_QUIET_LOGGERS = (
    "discord.http",
    "discord.gateway",
    "httpx",
    "aiosqlite",
    "alembic.runtime",
    "apscheduler",
)


def configure_logging(level: str = "INFO", stream: TextIO | None = None) -> None:
    """Send log records to standard error with a time, level and logger name, values hidden."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s", "%Y-%m-%dT%H:%M:%S%z")
    )
    # On the handler, not a logger: a logger's filters skip records propagated from children.
    handler.addFilter(HideStatementValues())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper() if isinstance(level, str) else level)
    for noisy in _QUIET_LOGGERS:
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))


class HideStatementValues(logging.Filter):
    """Remove SQL parameter values from a record's message and traceback.

    Every engine is created with `hide_parameters=True`; this is the second line of
    defence, for an engine made elsewhere or an error whose text was copied into another.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        """Scrub the record in place; never drop it."""
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: logging reports it when formatting
            return True
        record.msg, record.args = hide_statement_values(message), None
        if record.exc_info and record.exc_info[1] is not None:
            _hide_in_chain(record.exc_info[1])
            if not record.exc_text:
                record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = hide_statement_values(record.exc_text)
        return True


def hide_statement_values(text: str) -> str:
    """Replace every `[parameters: ...]` of a SQLAlchemy error text."""
    return _PARAMETERS.sub(_HIDDEN, text)


def _hide_in_chain(error: BaseException) -> None:
    """Ask every SQLAlchemy error among this one and its causes to leave its values out."""
    seen: set[int] = set()
    pending: list[BaseException] = [error]
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, StatementError):
            current.hide_parameters = True
        pending.extend(e for e in (current.__cause__, current.__context__) if e is not None)
