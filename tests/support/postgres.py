"""A blank PostgreSQL database per test, or a skip with the reason when none is reachable."""

from __future__ import annotations

import os
import uuid

import pytest
import sqlalchemy as sa

PG_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)


async def create_database_or_skip() -> str:
    """Create a blank database and return its URL; skip the test when PostgreSQL is away."""
    import asyncpg

    url = sa.make_url(PG_ADMIN_URL)
    name = f"tutor_t_{uuid.uuid4().hex[:12]}"
    try:
        conn = await asyncpg.connect(
            host=url.host,
            port=url.port or 5432,
            user=url.username,
            database=url.database,
            timeout=3,
        )
    except (OSError, asyncpg.PostgresError) as exc:
        pytest.skip(
            f"PostgreSQL not reachable at {url.host}:{url.port or 5432} "
            f"({exc.__class__.__name__}); set TEST_POSTGRES_URL to run this test"
        )
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return url.set(database=name).render_as_string(hide_password=False)


async def drop_database(database_url: str) -> None:
    """Drop a database made by create_database_or_skip."""
    import asyncpg

    admin = sa.make_url(PG_ADMIN_URL)
    name = sa.make_url(database_url).database
    conn = await asyncpg.connect(
        host=admin.host, port=admin.port or 5432, user=admin.username, database=admin.database
    )
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()
