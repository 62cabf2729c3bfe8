"""Every SQLite connection the tutor opens waits the one busy timeout, and gets its pragmas."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.store import sqlite_driver
from bot.store.db import Database


def pragmas(session: Session) -> tuple[int, int, str]:
    """A unit: the busy timeout, foreign keys and journal mode of its connection."""
    return (
        session.execute(text("PRAGMA busy_timeout")).scalar_one(),
        session.execute(text("PRAGMA foreign_keys")).scalar_one(),
        session.execute(text("PRAGMA journal_mode")).scalar_one(),
    )


async def test_every_kind_of_connection_waits_the_one_busy_timeout(database: Database) -> None:
    expected = sqlite_driver.BUSY_TIMEOUT_MS
    # The database thread's connection, which runs the units of work.
    assert await database.run(pragmas) == (expected, 1, "wal")
    # The async engine's connections: sessions, and the migrations run on the same engine.
    async with database.session() as session:
        assert await session.run_sync(pragmas) == (expected, 1, "wal")
    async with database.engine.connect() as connection:
        raw = await connection.get_raw_connection()
        assert "aiosqlite" in type(raw.driver_connection).__module__  # the stock driver
        assert (await connection.exec_driver_sql("PRAGMA busy_timeout")).scalar() == expected
    # The checkpointer's connection, and the start-up check's (both sqlite3, opened here).
    units = database.units
    assert units is not None
    for connection in (units.checkpointer.connect(), sqlite_driver.open_file(units.path)):
        try:
            assert connection.execute("PRAGMA busy_timeout").fetchone()[0] == expected
        finally:
            connection.close()


async def test_a_sqlite_url_without_a_driver_gets_sessions_on_aiosqlite(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'plain.db'}")
    try:
        await database.upgrade()
        async with database.session() as session:
            busy = (await session.execute(text("PRAGMA busy_timeout"))).scalar_one()
        assert busy == sqlite_driver.BUSY_TIMEOUT_MS
        assert database.engine.dialect.driver == "aiosqlite"
    finally:
        await database.close()


async def test_errors_reach_sqlalchemy_as_its_own(database: Database) -> None:
    async with database.session() as session:
        await session.execute(text("CREATE TABLE u (name TEXT UNIQUE)"))
        await session.execute(text("INSERT INTO u VALUES ('x')"))
    with pytest.raises(IntegrityError):
        async with database.session() as session:
            await session.execute(text("INSERT INTO u VALUES ('x')"))
    async with database.session() as session:
        count = (await session.execute(text("SELECT count(*) FROM u"))).scalar_one()
    assert count == 1


async def test_a_session_that_fails_after_a_savepoint_keeps_nothing(database: Database) -> None:
    async with database.session() as session:
        await session.execute(text("CREATE TABLE s (name TEXT)"))
    with pytest.raises(ValueError, match="after the savepoint"):
        async with database.session() as session:
            async with session.begin_nested():  # before any write: SQLite's first statement
                await session.execute(text("INSERT INTO s VALUES ('kept?')"))
            raise ValueError("failed after the savepoint was released")
    async with database.session() as session:
        assert (await session.execute(text("SELECT count(*) FROM s"))).scalar_one() == 0
