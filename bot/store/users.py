"""Repository functions for users and their enrolments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlmodel import SQLModel, col

from bot.store.models import Enrolment, User
from bot.store.prepared import Prepared
from bot.store.unit import core

_ENROLMENT = select(Enrolment).where(
    col(Enrolment.user_id) == bindparam("user_id"),
    col(Enrolment.course_id) == bindparam("course_id"),
)


_ENROLMENT_STATE = Prepared(
    select(col(Enrolment.id), col(Enrolment.placement_done)).where(
        col(Enrolment.user_id) == bindparam("user_id"),
        col(Enrolment.course_id) == bindparam("course_id"),
    )
)
_ENROLMENTS = SQLModel.metadata.tables[Enrolment.__tablename__]
_PLACED = Prepared(
    update(_ENROLMENTS)
    .where(_ENROLMENTS.c.id == bindparam("enrolment_id"))
    .values(placement_done=True)
)


class EnrolmentState(NamedTuple):
    """What choosing the next exercise needs of an enrolment."""

    id: int
    placement_done: bool


@dataclass(frozen=True)
class UserDefaults:
    """Settings a new user starts with (from the deployment's settings)."""

    timezone: str = "UTC"
    quiet_start: str = "21:00"
    quiet_end: str = "08:00"


def get_user(session: Session, platform: str, platform_user_id: str) -> User | None:
    """Find a user by platform identity."""
    result = session.execute(
        select(User).where(
            col(User.platform) == platform, col(User.platform_user_id) == platform_user_id
        )
    )
    return result.scalar_one_or_none()


def get_or_create_user(
    session: Session,
    platform: str,
    platform_user_id: str,
    display_name: str = "",
    defaults: UserDefaults | None = None,
) -> User:
    """Return the user for a platform identity, creating the row on first contact."""
    user = get_user(session, platform, platform_user_id)
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
        with session.begin_nested():
            session.add(user)
    except IntegrityError:
        # Another task created the same user first; use theirs.
        existing = get_user(session, platform, platform_user_id)
        assert existing is not None
        return existing
    return user


def record_consent(session: Session, user: User, now: datetime) -> None:
    """Record that the user agreed to have their answers stored."""
    user.consent_at = now
    session.add(user)


def enrol(session: Session, user: User, course_id: str) -> Enrolment:
    """Enrol a user in a course (once) and make it their active course."""
    assert user.id is not None
    enrolment = get_enrolment(session, user.id, course_id)
    if enrolment is None:
        enrolment = Enrolment(user_id=user.id, course_id=course_id)
        session.add(enrolment)
    if user.active_course_id != course_id:
        user.active_course_id = course_id
        session.add(user)
    return enrolment


def enrolments(session: Session, user_id: int) -> list[Enrolment]:
    """List a user's enrolments, oldest first."""
    result = session.execute(
        select(Enrolment).where(col(Enrolment.user_id) == user_id).order_by(col(Enrolment.id))
    )
    return list(result.scalars())


def delete_user(session: Session, user_id: int) -> None:
    """Delete a user; every row about them goes with it (ON DELETE CASCADE)."""
    session.execute(delete(User).where(col(User.id) == user_id))


def get_enrolment(session: Session, user_id: int, course_id: str) -> Enrolment | None:
    """Return a user's enrolment in one course, if any."""
    params = {"user_id": user_id, "course_id": course_id}
    return session.execute(_ENROLMENT, params).scalar_one_or_none()


def enrolment_state(session: Session, user_id: int, course_id: str) -> EnrolmentState | None:
    """Return the id of a user's enrolment in a course and whether placement is over."""
    params = {"user_id": user_id, "course_id": course_id}
    row = core(session).execute(_ENROLMENT_STATE, params).first()
    if row is None:
        return None
    enrolment_id, placement_done = row
    assert enrolment_id is not None
    return EnrolmentState(enrolment_id, bool(placement_done))


def mark_placement_done(session: Session, enrolment_id: int) -> None:
    """Record that the learner finished the placement check of a course."""
    core(session).execute(_PLACED, {"enrolment_id": enrolment_id})


def snooze_prompts(session: Session, user: User, until: datetime) -> None:
    """Hold the user's review prompts back until `until`."""
    user.snoozed_until = until
    session.add(user)


def mark_unreachable(session: Session, user_id: int, now: datetime) -> None:
    """Record that the platform refuses messages to the user (closed DMs)."""
    session.execute(
        update(User)
        .where(col(User.id) == user_id)
        .values(unreachable_at=now)
        .execution_options(synchronize_session=False)
    )


def interests(session: Session, user_id: int) -> str:
    """Return what the learner said they care about (comma-separated; empty when nothing)."""
    stored = session.execute(
        select(col(User.interests)).where(col(User.id) == user_id)
    ).scalar_one_or_none()
    return stored or ""


def dm_channel(session: Session, user_id: int) -> str | None:
    """Return the user's stored direct-message channel, if one was opened."""
    return session.execute(
        select(col(User.dm_channel_id)).where(col(User.id) == user_id)
    ).scalar_one_or_none()


def save_dm_channel(session: Session, user_id: int, channel_id: str) -> None:
    """Store the user's direct-message channel, so it is opened only once."""
    session.execute(
        update(User)
        .where(col(User.id) == user_id)
        .values(dm_channel_id=channel_id)
        .execution_options(synchronize_session=False)
    )
