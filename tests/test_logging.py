"""A failed write is logged with its traceback, never with the learner's words."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from bot.logging_setup import configure_logging
from bot.store import users
from bot.store.db import Database, make_engine

SECRET = "zebra-my-own-reflection-7731"  # what a learner wrote; it must never reach a log
log = logging.getLogger("bot.services.tutor")


@pytest.fixture
def logged() -> Iterator[io.StringIO]:
    """Logging configured as at start-up, into a buffer; the test run's own set-up restored."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    buffer = io.StringIO()
    configure_logging("INFO", stream=buffer)
    try:
        yield buffer
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)


def learner_named_by_secret(session: Session) -> None:
    """A unit: refuse writes, then store a learner's own words (their name) through the store."""
    # Inside the unit's transaction: the write lock is already held, the insert is refused.
    session.execute(sa.text("PRAGMA query_only = ON"))
    users.get_or_create_user(session, "console", SECRET, display_name=SECRET)
    session.flush()


async def test_a_failed_write_in_the_database_thread_keeps_the_words_out_of_the_log(
    database: Database, logged: io.StringIO
) -> None:
    with pytest.raises(sa.exc.OperationalError) as caught:
        await database.run(learner_named_by_secret)
    assert "[SQL: INSERT INTO users" in str(caught.value)
    assert SECRET not in str(caught.value)  # the engine hides the values itself
    log.error("a learner message could not be stored", exc_info=caught.value)
    text = logged.getvalue()
    assert "Traceback (most recent call last)" in text
    assert "attempt to write a readonly database" in text
    assert SECRET not in text


async def test_a_failed_write_in_an_async_session_keeps_the_words_out_of_the_log(
    database: Database, logged: io.StringIO
) -> None:
    with pytest.raises(sa.exc.OperationalError) as caught:
        async with database.session() as session:
            await session.run_sync(learner_named_by_secret)
    await database.engine.dispose()  # that pooled connection stays read-only
    assert SECRET not in str(caught.value)
    log.error("a learner message could not be stored", exc_info=caught.value)
    assert "Traceback" in logged.getvalue() and SECRET not in logged.getvalue()


def test_the_log_filter_hides_values_an_engine_made_elsewhere_shows(
    tmp_path: Path, logged: io.StringIO
) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'plain.db'}")  # values shown by default
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE notes (body TEXT CHECK (length(body) < 5))")
    with pytest.raises(sa.exc.IntegrityError) as caught, engine.begin() as connection:
        connection.execute(sa.text("INSERT INTO notes (body) VALUES (:body)"), {"body": SECRET})
    engine.dispose()
    assert SECRET in str(caught.value)  # so the log below would carry it without the filter
    log.error("could not store a note", exc_info=caught.value)
    log.error("could not store a note: %s", caught.value)  # its text copied into a message
    text = logged.getvalue()
    assert text.count("CHECK constraint failed") == 3  # twice in the traceback, once copied
    assert "Traceback (most recent call last)" in text
    assert SECRET not in text


@pytest.mark.parametrize(
    "url",
    [
        "sqlite+aiosqlite:///{tmp}/t.db",
        "postgresql+asyncpg://tutor:pw@127.0.0.1:5432/tutor",
    ],
)
async def test_every_engine_we_make_hides_statement_values(tmp_path: Path, url: str) -> None:
    engine = make_engine(url.format(tmp=tmp_path))
    try:
        assert engine.sync_engine.hide_parameters
    finally:
        await engine.dispose()
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'u.db'}")
    try:
        assert database.units is not None and database.units.engine.hide_parameters
    finally:
        await database.close()


@pytest.mark.parametrize("library", ["slack_sdk.web.async_client", "slack_bolt.App", "openai"])
def test_platform_and_model_libraries_never_log_bodies_even_at_debug(library: str) -> None:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    buffer = io.StringIO()
    configure_logging("DEBUG", stream=buffer)
    try:
        logging.getLogger(library).debug("request body: %s", SECRET)
        logging.getLogger(library).info("retrying request with body %s", SECRET)
        logging.getLogger("bot.example").debug("our own debug line")
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
    assert SECRET not in buffer.getvalue()
    assert "our own debug line" in buffer.getvalue()
