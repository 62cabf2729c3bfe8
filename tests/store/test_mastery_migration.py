"""Migration 0005: a skill "mastered" before it is proficient until a review confirms it."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from bot.store.db import Database

AT = "2026-03-01 10:00:00.000000"


async def rows(db: Database, sql: str) -> list[tuple[object, ...]]:
    async with db.engine.connect() as connection:
        return [tuple(r) for r in (await connection.execute(sa.text(sql))).all()]


async def test_mastered_rows_become_proficient_and_come_back_on_downgrade(
    tmp_path: Path,
) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'old.db'}")
    try:
        await db.upgrade("0004")
        async with db.engine.begin() as connection:
            await connection.execute(
                sa.text(
                    "INSERT INTO users (id, platform, platform_user_id, display_name, timezone, "
                    "quiet_start, quiet_end, created_at) VALUES "
                    "(1, 'console', 'ada', 'Ada', 'UTC', '21:00', '08:00', :at)"
                ),
                {"at": AT},
            )
            await connection.execute(
                sa.text(
                    "INSERT INTO mastery (user_id, course_id, skill_id, p_known, attempts, "
                    "correct, mastered_at, updated_at) VALUES "
                    "(1, 'c', 'gate', 0.97, 3, 3, :at, :at), "
                    "(1, 'c', 'below', 0.4, 2, 1, NULL, :at)"
                ),
                {"at": AT},
            )
        await db.upgrade()
        got = await rows(
            db, "SELECT skill_id, status, proficient_at, mastered_at FROM mastery ORDER BY skill_id"
        )
        assert got == [("below", "learning", None, None), ("gate", "proficient", AT, None)]

        await db.downgrade("0004")
        got = await rows(db, "SELECT skill_id, mastered_at FROM mastery ORDER BY skill_id")
        assert got == [("below", None), ("gate", AT)]
    finally:
        await db.close()
