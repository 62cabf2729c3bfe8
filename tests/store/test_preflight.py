"""Start-up: a read-only PostgreSQL is refused, workers migrate in turn, SQLite keeps its rows."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import asyncpg
import pytest
import sqlalchemy as sa

from bot.errors import InfrastructureError
from bot.store.db import Database
from tests.support.postgres import create_database_or_skip, drop_database


async def test_a_read_only_postgresql_database_is_refused() -> None:
    url = await create_database_or_skip()
    parsed = sa.make_url(url)
    admin = await asyncpg.connect(
        host=parsed.host, port=parsed.port or 5432, user=parsed.username, database=parsed.database
    )
    try:  # as a hot standby answers: every transaction is read-only
        await admin.execute(
            f'ALTER DATABASE "{parsed.database}" SET default_transaction_read_only = on'
        )
    finally:
        await admin.close()
    db = Database(url)
    try:
        with pytest.raises(InfrastructureError, match=r"^DATABASE_URL: postgresql at .* read-only"):
            await db.upgrade()
    finally:
        await db.close()
        await drop_database(url)


async def test_workers_starting_together_on_a_blank_postgresql_all_migrate_it() -> None:
    url = await create_database_or_skip()
    workers = [Database(url) for _ in range(3)]
    try:
        await asyncio.gather(*(worker.upgrade() for worker in workers))
        async with workers[0].engine.connect() as connection:
            versions = (await connection.exec_driver_sql("SELECT * FROM alembic_version")).all()
        assert len(versions) == 1
    finally:
        for worker in workers:
            await worker.close()
        await drop_database(url)


async def test_upgrading_a_sqlite_file_keeps_every_transcript(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    database = Database(f"sqlite+aiosqlite:///{path}")
    try:
        await database.upgrade("0002")  # a deployment from before the transcript held moves
        with sqlite3.connect(path) as old:
            when = "2026-03-02 09:00:00"
            old.execute(
                "INSERT INTO users (id, platform, platform_user_id, display_name, timezone,"
                " quiet_start, quiet_end, created_at) VALUES"
                " (1, 'console', 'ada', 'Ada', 'UTC', '21:00', '08:00', ?)",
                (when,),
            )
            old.execute(
                "INSERT INTO dialogues (id, user_id, course_id, exercise_id, purpose, variant,"
                " state, stage, hint_rung, attempts, turn_count, started_at, updated_at) VALUES"
                " (1, 1, 'c', 'e', 'practice', '{}', '{}', 'answering', 0, 0, 2, ?, ?)",
                (when, when),
            )
            old.executemany(
                "INSERT INTO turns (dialogue_id, seq, role, text, created_at)"
                " VALUES (1, ?, ?, ?, ?)",
                [(1, "tutor", "What is 1/3 + 1/4?", when), (2, "learner", "7/12", when)],
            )
        old.close()
        # Re-creating `dialogues` must not cascade to the turns that refer to it.
        await database.upgrade()
        async with database.session() as session:
            turns = (await session.execute(sa.text("SELECT text FROM turns ORDER BY seq"))).all()
            keys = (await session.execute(sa.text("PRAGMA foreign_keys"))).scalar_one()
        assert [t for (t,) in turns] == ["What is 1/3 + 1/4?", "7/12"]
        assert keys == 1  # on again for the connection the migration used
    finally:
        await database.close()
