"""Start-up checks on PostgreSQL: a read-only server is refused, workers migrate in turn."""

from __future__ import annotations

import asyncio

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
