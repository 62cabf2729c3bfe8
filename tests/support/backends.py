"""A migrated database on either backend: a SQLite file, or a blank PostgreSQL database.

Tests that must hold on both parametrize a fixture over BACKENDS and open the database
with `migrated_database`; the PostgreSQL case skips, with the reason, when no server is
reachable.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from bot.store.db import Database
from tests.support.postgres import create_database_or_skip, drop_database

BACKENDS = ("sqlite", "postgresql")


@asynccontextmanager
async def migrated_database(backend: str, folder: Path) -> AsyncIterator[Database]:
    """Open a fresh database of `backend` migrated to head; drop it afterwards."""
    if backend == "sqlite":
        url = f"sqlite+aiosqlite:///{folder / 'tutor.db'}"
    elif backend == "postgresql":
        url = await create_database_or_skip()
    else:
        raise ValueError(f"unknown backend {backend!r}")
    database = Database(url)
    try:
        await database.upgrade()
        yield database
    finally:
        await database.close()
        if backend == "postgresql":
            await drop_database(url)
