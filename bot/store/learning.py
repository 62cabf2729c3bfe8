"""Repository functions for mastery per skill and review cards per item."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session
from sqlmodel import col

from bot.store.models import Mastery, ReviewCard, ReviewLog
from bot.store.unit import core

# Built once with bound parameters: these run whenever an exercise opens or closes.
_MASTERY_ROWS = select(Mastery).where(
    col(Mastery.user_id) == bindparam("user_id"), col(Mastery.course_id) == bindparam("course_id")
)
_CARD = select(ReviewCard).where(
    col(ReviewCard.user_id) == bindparam("user_id"),
    col(ReviewCard.course_id) == bindparam("course_id"),
    col(ReviewCard.exercise_id) == bindparam("exercise_id"),
)
_MASTERY_LEVELS = select(col(Mastery.skill_id), col(Mastery.p_known)).where(
    col(Mastery.user_id) == bindparam("user_id"), col(Mastery.course_id) == bindparam("course_id")
)
_DUE_EXERCISES = (
    select(col(ReviewCard.exercise_id))
    .where(
        col(ReviewCard.user_id) == bindparam("user_id"),
        col(ReviewCard.course_id) == bindparam("course_id"),
        col(ReviewCard.due) <= bindparam("now"),
    )
    .order_by(col(ReviewCard.due))
    .limit(bindparam("limit"))
)
_DUE_CARDS = (
    select(ReviewCard)
    .where(
        col(ReviewCard.user_id) == bindparam("user_id"),
        col(ReviewCard.course_id) == bindparam("course_id"),
        col(ReviewCard.due) <= bindparam("now"),
    )
    .order_by(col(ReviewCard.due))
    .limit(bindparam("limit"))
)


def mastery_rows(session: Session, user_id: int, course_id: str) -> list[Mastery]:
    """Return the user's mastery rows for one course."""
    params = {"user_id": user_id, "course_id": course_id}
    return list(session.execute(_MASTERY_ROWS, params).scalars())


def mastery_levels(session: Session, user_id: int, course_id: str) -> dict[str, float]:
    """Return P(known) per skill the user has evidence on in one course."""
    params = {"user_id": user_id, "course_id": course_id}
    return {skill: p for skill, p in core(session).execute(_MASTERY_LEVELS, params)}


def due_exercises(
    session: Session, user_id: int, course_id: str, now: datetime, limit: int = 50
) -> list[str]:
    """Return the exercises whose cards are due by `now`, most overdue first."""
    params = {"user_id": user_id, "course_id": course_id, "now": now, "limit": limit}
    return list(core(session).execute(_DUE_EXERCISES, params).scalars())


def get_mastery(
    session: Session, user_id: int, course_id: str, skill_id: str, prior: float
) -> Mastery:
    """Return the mastery row for one skill, created at the prior when new."""
    result = session.execute(
        select(Mastery).where(
            col(Mastery.user_id) == user_id,
            col(Mastery.course_id) == course_id,
            col(Mastery.skill_id) == skill_id,
        )
    )
    row = result.scalar_one_or_none()
    if row is None:
        row = Mastery(user_id=user_id, course_id=course_id, skill_id=skill_id, p_known=prior)
        session.add(row)
    return row


def get_card(session: Session, user_id: int, course_id: str, exercise_id: str) -> ReviewCard | None:
    """Return the review card of one item, if the user has one."""
    params = {"user_id": user_id, "course_id": course_id, "exercise_id": exercise_id}
    return session.execute(_CARD, params).scalar_one_or_none()


def due_cards(
    session: Session, user_id: int, course_id: str, now: datetime, limit: int = 50
) -> list[ReviewCard]:
    """Return the user's cards due by `now`, most overdue first."""
    params = {"user_id": user_id, "course_id": course_id, "now": now, "limit": limit}
    return list(session.execute(_DUE_CARDS, params).scalars())


def add_review_log(
    session: Session, card: ReviewCard, rating: int, now: datetime, duration_ms: int | None
) -> None:
    """Record one graded review of a card."""
    assert card.id is not None
    session.add(ReviewLog(card_id=card.id, rating=rating, reviewed_at=now, duration_ms=duration_ms))


def next_due(session: Session, user_id: int, course_id: str) -> datetime | None:
    """Return when the user's next card in a course falls due."""
    result = session.execute(
        select(func.min(col(ReviewCard.due))).where(
            col(ReviewCard.user_id) == user_id, col(ReviewCard.course_id) == course_id
        )
    )
    value = result.scalar_one_or_none()
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value
