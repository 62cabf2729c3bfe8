"""Repository functions for users and their enrolments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.store.models import Enrolment, User


@dataclass(frozen=True)
class UserDefaults:
    """Settings a new user starts with (from the deployment's settings)."""

    timezone: str = "UTC"
    quiet_start: str = "21:00"
    quiet_end: str = "08:00"


async def get_user(session: AsyncSession, platform: str, platform_user_id: str) -> User | None:
    """Find a user by platform identity."""
    result = await session.execute(
        select(User).where(
            col(User.platform) == platform, col(User.platform_user_id) == platform_user_id
        )
    )
    return result.scalar_one_or_none()


async def get_or_create_user(
    session: AsyncSession,
    platform: str,
    platform_user_id: str,
    display_name: str = "",
    defaults: UserDefaults | None = None,
) -> User:
    """Return the user for a platform identity, creating the row on first contact."""
    user = await get_user(session, platform, platform_user_id)
    if user is not None:
        return user
    start = defaults or UserDefaults()
    user = User(
        platform=platform,
        platform_user_id=platform_user_id,
        display_name=display_name[:100],
        timezone=start.timezone,
        quiet_start=start.quiet_start,
        quiet_end=start.quiet_end,
    )
    try:
        async with session.begin_nested():
            session.add(user)
    except IntegrityError:
        # Another task created the same user first; use theirs.
        existing = await get_user(session, platform, platform_user_id)
        assert existing is not None
        return existing
    return user


async def record_consent(session: AsyncSession, user: User, now: datetime) -> None:
    """Record that the user agreed to have their answers stored."""
    user.consent_at = now
    session.add(user)


async def enrol(session: AsyncSession, user: User, course_id: str) -> Enrolment:
    """Enrol a user in a course (once) and make it their active course."""
    result = await session.execute(
        select(Enrolment).where(
            col(Enrolment.user_id) == user.id, col(Enrolment.course_id) == course_id
        )
    )
    enrolment = result.scalar_one_or_none()
    if enrolment is None:
        assert user.id is not None
        enrolment = Enrolment(user_id=user.id, course_id=course_id)
        session.add(enrolment)
    user.active_course_id = course_id
    session.add(user)
    return enrolment


async def enrolments(session: AsyncSession, user_id: int) -> list[Enrolment]:
    """List a user's enrolments, oldest first."""
    result = await session.execute(
        select(Enrolment).where(col(Enrolment.user_id) == user_id).order_by(col(Enrolment.id))
    )
    return list(result.scalars())


async def delete_user(session: AsyncSession, user_id: int) -> None:
    """Delete a user; every row about them goes with it (ON DELETE CASCADE)."""
    await session.execute(delete(User).where(col(User.id) == user_id))


async def get_enrolment(session: AsyncSession, user_id: int, course_id: str) -> Enrolment | None:
    """Return a user's enrolment in one course, if any."""
    result = await session.execute(
        select(Enrolment).where(
            col(Enrolment.user_id) == user_id, col(Enrolment.course_id) == course_id
        )
    )
    return result.scalar_one_or_none()
