"""A write that fails is never reported as saved, and the learner's words stay out of the log."""

from __future__ import annotations

import logging
import random
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from bot.content.catalog import Catalog
from bot.content.loader import load_catalog
from bot.services.messages import Incoming
from bot.services.tutor import NOT_SAVED, Tutor
from bot.store.db import Database
from tests.conftest import FixedClock

DEMO = Path(__file__).resolve().parent.parent / "demo_courses"
SECRET_WORDS = "my-distinctive-reflection-words"


@pytest.fixture
def demo_tutor(database: Database, clock: FixedClock) -> Tutor:
    catalog: Catalog = load_catalog([DEMO])
    return Tutor(database, catalog, clock=clock, rng=random.Random(3))


async def say(tutor: Tutor, words: str) -> str:
    replies = await tutor.handle(Incoming("console", "ada", words))
    return "\n".join(r.text for r in replies)


async def pragma(database: Database, statement: str) -> None:
    """Set a pragma on the connection that runs the tutor's units of work."""

    def unit(session: Session) -> None:
        session.execute(text(statement))

    await database.run(unit)


async def fill_to_the_brim(database: Database) -> None:
    """Cap the file at the pages it has, as a full disk does (SQLite says SQLITE_FULL)."""

    def unit(session: Session) -> None:
        pages = session.execute(text("PRAGMA page_count")).scalar_one()
        session.execute(text(f"PRAGMA max_page_count = {int(pages)}"))

    await database.run(unit)


async def test_a_read_only_database_gets_the_honest_reply_and_loses_nothing(
    demo_tutor: Tutor,
    database: Database,
    caplog: pytest.LogCaptureFixture,
    tmp_path: Path,
    clock: FixedClock,
) -> None:
    opening = await say(demo_tutor, "start demo")
    # SQLITE_READONLY, the error a read-only file or mount gives, on the live connection.
    await pragma(database, "PRAGMA query_only = ON")
    caplog.set_level(logging.DEBUG)
    reply = await say(demo_tutor, f"7/12 {SECRET_WORDS}")
    assert reply == NOT_SAVED
    assert "saved" not in reply.replace("couldn't save", "")
    assert SECRET_WORDS not in caplog.text
    assert any(r.levelno == logging.ERROR and r.exc_info for r in caplog.records)
    # Writable again (a new connection): the learner is where they were and goes on.
    again = Database(f"sqlite+aiosqlite:///{tmp_path / 'tutor.db'}")
    try:
        tutor = Tutor(again, demo_tutor.catalog, clock=clock, rng=random.Random(3))
        assert "What is 1/3 + 1/4?" in opening
        assert "What is 1/3 + 1/4?" in await say(tutor, "start demo")
        resumed = await say(tutor, "7/12")
        assert "right" in resumed.lower() or "correct" in resumed.lower()
    finally:
        await again.close()


async def test_a_full_disk_gets_the_honest_reply(
    demo_tutor: Tutor, database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    await say(demo_tutor, "start demo")
    await fill_to_the_brim(database)
    caplog.set_level(logging.DEBUG)
    long_answer = f"{SECRET_WORDS} " * 300  # needs new pages for the transcript
    assert await say(demo_tutor, long_answer) == NOT_SAVED
    assert SECRET_WORDS not in caplog.text
    await pragma(database, "PRAGMA max_page_count = 1073741823")
    assert "?" in await say(demo_tutor, "5/12")
