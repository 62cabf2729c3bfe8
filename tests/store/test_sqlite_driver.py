"""The one-hop SQLite driver behaves like a DB-API cursor under SQLAlchemy."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from bot.store import sqlite_driver
from bot.store.db import Database


async def test_rows_rowcount_and_lastrowid(tmp_path: Path) -> None:
    connection = await sqlite_driver.connect(str(tmp_path / "raw.db"))
    try:
        cursor = connection.cursor()
        await cursor.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE)")
        await cursor.executemany("INSERT INTO t (name) VALUES (?)", [("a",), ("b",), ("c",)])
        assert cursor.rowcount == 3
        await cursor.execute("INSERT INTO t (name) VALUES (?)", ("d",))
        assert cursor.lastrowid == 4
        await cursor.execute("SELECT id, name FROM t ORDER BY id")
        assert cursor.description is not None and cursor.description[1][0] == "name"
        assert await cursor.fetchone() == (1, "a")
        assert await cursor.fetchmany(2) == [(2, "b"), (3, "c")]
        assert await cursor.fetchall() == [(4, "d")]
        assert await cursor.fetchone() is None
        await connection.commit()
    finally:
        await connection.close()


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
