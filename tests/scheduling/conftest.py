"""Helpers for scheduling tests: learners with due cards on a real SQLite file."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.store import users as user_store
from bot.store.db import Database
from bot.store.models import ReviewCard

T0 = datetime(2026, 3, 2, 0, 0, tzinfo=UTC)


async def learner_with_due_cards(
    database: Database,
    name: str,
    *,
    cards: int = 2,
    timezone: str = "UTC",
    due: datetime = T0 - timedelta(hours=1),
    platform: str = "discord",
    quiet: tuple[str, str] = ("21:00", "08:00"),
) -> int:
    """Create a consenting learner with `cards` review cards due at `due`; return their id."""
    async with database.session() as session:
        user = await session.run_sync(user_store.get_or_create_user, platform, name, name)
        user.consent_at = T0 - timedelta(days=30)
        user.timezone = timezone
        user.quiet_start, user.quiet_end = quiet
        session.add(user)
        await session.flush()
        assert user.id is not None
        for i in range(cards):
            session.add(
                ReviewCard(user_id=user.id, course_id="c", exercise_id=f"{name}-e{i}", due=due)
            )
        return user.id
