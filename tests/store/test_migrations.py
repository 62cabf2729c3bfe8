"""Migrations build the schema the models describe, on SQLite and on PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import bot.store.models  # noqa: F401
from bot.store.db import Database
from tests.support.postgres import create_database_or_skip, drop_database

EXPECTED_TABLES = {
    "users",
    "outbox",
    "enrolments",
    "dialogues",
    "turns",
    "mastery",
    "review_cards",
    "review_logs",
    "attempts",
    "fitted_skills",
    "item_ratings",
    "fitted_memory",
    "fit_runs",
    "coach_links",
    "coach_exercises",
    "assignments",
    "assignment_steps",
    "coach_flags",
    "cohorts",
    "cohort_members",
    "cohort_staff",
    "cohort_events",
    "course_uploads",
    "handled_events",
}


def _schema_diff(connection: sa.Connection) -> list[object]:
    """Compare the migrated database with the models."""
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, SQLModel.metadata))


def _inspect(connection: sa.Connection) -> dict[str, object]:
    """Read tables, the due index and the users unique constraint."""
    inspector = sa.inspect(connection)
    return {
        "tables": set(inspector.get_table_names()),
        "card_indexes": {
            i["name"]: i["column_names"] for i in inspector.get_indexes("review_cards")
        },
        "user_uniques": [u["column_names"] for u in inspector.get_unique_constraints("users")],
    }


async def _check_blank_database(db: Database) -> None:
    """Migrate a blank database to head and check the schema matches the models."""
    await db.upgrade()
    async with db.engine.connect() as connection:
        diff = await connection.run_sync(_schema_diff)
        facts = await connection.run_sync(_inspect)
    assert diff == []
    assert EXPECTED_TABLES <= facts["tables"]  # type: ignore[operator]
    assert ["due"] in facts["card_indexes"].values()  # type: ignore[attr-defined]
    assert ["platform", "platform_user_id"] in facts["user_uniques"]  # type: ignore[operator]
    await db.downgrade("base")
    async with db.engine.connect() as connection:
        tables = await connection.run_sync(lambda c: set(sa.inspect(c).get_table_names()))
    assert not (EXPECTED_TABLES & tables)


async def test_blank_sqlite_migrates_to_the_models(tmp_path: Path) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'blank.db'}")
    try:
        await _check_blank_database(db)
    finally:
        await db.close()


async def test_sqlite_runs_with_wal_and_foreign_keys(database: Database) -> None:
    async with database.engine.connect() as connection:
        mode = (await connection.exec_driver_sql("PRAGMA journal_mode")).scalar_one()
        keys = (await connection.exec_driver_sql("PRAGMA foreign_keys")).scalar_one()
    assert mode == "wal"
    assert keys == 1


async def test_blank_postgresql_migrates_to_the_models() -> None:
    url = await create_database_or_skip()
    db = Database(url)
    try:
        await _check_blank_database(db)
    finally:
        await db.close()
        await drop_database(url)
