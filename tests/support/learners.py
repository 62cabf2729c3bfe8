"""Build learners with review cards due, on a real database, for tests of review prompts."""

from __future__ import annotations

from collections.abc import Sequence
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
    course: str = "c",
    exercises: Sequence[str] = (),
) -> int:
    """Create a consenting learner with cards due at `due` in `course`; return their id.

    The cards are for `exercises` when given, else for `cards` made-up items. The course
    becomes the learner's active course.
    """
    items = list(exercises) or [f"{name}-e{i}" for i in range(cards)]
    async with database.session() as session:
        user = await session.run_sync(user_store.get_or_create_user, platform, name, name)
        user.consent_at = min(T0, due) - timedelta(days=30)
        user.timezone = timezone
        user.quiet_start, user.quiet_end = quiet
        user.active_course_id = course
        session.add(user)
        await session.flush()
        assert user.id is not None
        for exercise_id in items:
            session.add(
                ReviewCard(user_id=user.id, course_id=course, exercise_id=exercise_id, due=due)
            )
        return user.id
