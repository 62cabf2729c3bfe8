"""The console's logging: records to a file, warnings to standard error when it is not
the learner's terminal."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.logging_setup import configure_logging

log = logging.getLogger("bot.adapters.console")


@pytest.fixture(autouse=True)
def restored_logging() -> Iterator[None]:
    """Put the test run's own logging back afterwards."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        yield
    finally:
        for handler in root.handlers:
            if handler not in handlers:
                handler.close()
        root.handlers[:] = handlers
        root.setLevel(level)


def test_records_go_to_the_file_and_warnings_also_to_a_stream_that_is_no_terminal(
    tmp_path: Path,
) -> None:
    stderr = io.StringIO()  # a pipe or a file, not the terminal the learner types in
    log_file = tmp_path / "data" / "tutor.log"
    configure_logging("INFO", stderr, log_file=log_file)
    log.info("the sweep found 2 due cards")
    log.warning("could not save a chart")
    written = log_file.read_text(encoding="utf-8")
    assert "INFO bot.adapters.console: the sweep found 2 due cards" in written
    assert "WARNING bot.adapters.console: could not save a chart" in written
    assert "could not save a chart" in stderr.getvalue()
    assert "due cards" not in stderr.getvalue()


def test_sql_values_are_hidden_in_the_file_too(tmp_path: Path) -> None:
    log_file = tmp_path / "tutor.log"
    configure_logging("INFO", io.StringIO(), log_file=log_file)
    log.error("insert failed [parameters: ('my secret answer',)]")
    written = log_file.read_text(encoding="utf-8")
    assert "my secret answer" not in written
    assert "[SQL parameters hidden]" in written


def test_a_log_file_that_cannot_be_written_leaves_the_records_on_the_stream(
    tmp_path: Path,
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("where the data folder would be")
    stderr = io.StringIO()
    configure_logging("INFO", stderr, log_file=blocker / "tutor.log")
    log.info("started")
    said = stderr.getvalue()
    assert f"cannot write the log file {blocker / 'tutor.log'}" in said
    assert "started" in said
