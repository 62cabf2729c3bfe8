"""Configure logging once, at start-up; no record carries the values of a SQL statement.

In the console the learner's terminal is the screen the tutor talks on: records go to a
log file, and warnings also to standard error only when it is not that terminal.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import re
import sys
from pathlib import Path
from typing import TextIO

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
    # At DEBUG these log request bodies (a learner's words, a token): warnings only, always.
    "slack_sdk",
    "slack_bolt",
    "openai",
)


LOG_FILE_BYTES = 5_000_000
LOG_FILE_BACKUPS = 3


def configure_logging(
    level: str = "INFO", stream: TextIO | None = None, *, log_file: Path | None = None
) -> None:
    """Send log records, values hidden, to standard error or (in the console) to a file.

    With `log_file`, records go to that file; warnings and errors also go to standard
    error unless it is the terminal the learner types in. A file that cannot be opened
    leaves the records on standard error, with a warning that says why.
    """
    root = logging.getLogger()
    root.setLevel(level.upper() if isinstance(level, str) else level)
    for noisy in _QUIET_LOGGERS:
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
    if log_file is None:
        root.handlers[:] = [_handler(logging.StreamHandler(stream or sys.stderr))]
        return
    screen = stream or sys.stderr
    try:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        to_file = logging.handlers.RotatingFileHandler(
            log_file, maxBytes=LOG_FILE_BYTES, backupCount=LOG_FILE_BACKUPS, encoding="utf-8"
        )
    except OSError as exc:
        root.handlers[:] = [_handler(logging.StreamHandler(screen))]
        logging.getLogger(__name__).warning("cannot write the log file %s: %s", log_file, exc)
        return
    handlers = [_handler(to_file)]
    if not is_learners_terminal(screen):
        handlers.append(_handler(logging.StreamHandler(screen), logging.WARNING))
    root.handlers[:] = handlers


def is_learners_terminal(stream: TextIO) -> bool:
    """Tell whether a stream writes to the terminal standard input reads from."""
    try:
        if not (stream.isatty() and os.isatty(0)):
            return False
        return os.fstat(stream.fileno()).st_rdev == os.fstat(0).st_rdev
    except (OSError, ValueError):  # closed, or no file descriptor behind it
        return False


def _handler(handler: logging.Handler, level: int = logging.NOTSET) -> logging.Handler:
    """Give a handler the time, level and logger name of each record, values hidden."""
    handler.setLevel(level)
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s", "%Y-%m-%dT%H:%M:%S%z")
    )
    # On the handler, not a logger: a logger's filters skip records propagated from children.
    handler.addFilter(HideStatementValues())
    return handler


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
    sa_exc = sys.modules.get("sqlalchemy.exc")
    if sa_exc is None:  # SQLAlchemy was never imported: no error of its kind can exist
        return
    statement_error = sa_exc.StatementError
    seen: set[int] = set()
    pending: list[BaseException] = [error]
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, statement_error):
            current.hide_parameters = True
        pending.extend(e for e in (current.__cause__, current.__context__) if e is not None)
