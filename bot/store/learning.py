"""Repository functions for mastery per skill, graded attempts, and review cards per item."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NamedTuple

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.orm import Session
from sqlmodel import SQLModel, col

from bot.store.models import Attempt, Mastery, ReviewCard, ReviewLog
from bot.store.prepared import Prepared
from bot.store.unit import core


@dataclass(frozen=True)
class CardReview:
    """One graded review of an item: the card's new FSRS state and when it falls due."""

    card: dict[str, Any]
    due: datetime
    reviewed_at: datetime
    rating: int
    duration_ms: int | None


# Built once with bound parameters: these run whenever an exercise opens or closes.
_MASTERY_ROWS = select(Mastery).where(
    col(Mastery.user_id) == bindparam("user_id"), col(Mastery.course_id) == bindparam("course_id")
)
_MASTERY_LEVELS = Prepared(
    select(col(Mastery.skill_id), col(Mastery.p_known)).where(
        col(Mastery.user_id) == bindparam("user_id"),
        col(Mastery.course_id) == bindparam("course_id"),
    )
)
_MASTERY_STATES = Prepared(
    select(
        col(Mastery.skill_id),
        col(Mastery.p_known),
        col(Mastery.attempts),
        col(Mastery.correct),
        col(Mastery.status),
        col(Mastery.proficient_at),
        col(Mastery.mastered_at),
        col(Mastery.checked_at),
    ).where(
        col(Mastery.user_id) == bindparam("user_id"),
        col(Mastery.course_id) == bindparam("course_id"),
    )
)
_MASTERY = SQLModel.metadata.tables[Mastery.__tablename__]
_INSERT_MASTERY = Prepared(insert(_MASTERY))
_UPDATE_MASTERY = Prepared(
    update(_MASTERY).where(
        _MASTERY.c.user_id == bindparam("b_user"),
        _MASTERY.c.course_id == bindparam("b_course"),
        _MASTERY.c.skill_id == bindparam("b_skill"),
    )
)
_INSERT_ATTEMPT = Prepared(insert(SQLModel.metadata.tables[Attempt.__tablename__]))
_CARD_STATE = Prepared(
    select(col(ReviewCard.id), col(ReviewCard.card)).where(
        col(ReviewCard.user_id) == bindparam("user_id"),
        col(ReviewCard.course_id) == bindparam("course_id"),
        col(ReviewCard.exercise_id) == bindparam("exercise_id"),
    )
)
_CARDS = SQLModel.metadata.tables[ReviewCard.__tablename__]
_INSERT_CARD = Prepared(insert(_CARDS).returning(_CARDS.c.id))
_UPDATE_CARD = Prepared(update(_CARDS).where(_CARDS.c.id == bindparam("card_id")))
_INSERT_LOG = Prepared(insert(SQLModel.metadata.tables[ReviewLog.__tablename__]))
_DUE = (
    col(ReviewCard.user_id) == bindparam("user_id"),
    col(ReviewCard.course_id) == bindparam("course_id"),
    col(ReviewCard.due) <= bindparam("now"),
)
_DUE_EXERCISES = Prepared(
    select(col(ReviewCard.exercise_id))
    .where(*_DUE)
    .order_by(col(ReviewCard.due))
    .limit(bindparam("limit"))
)
_DUE_CARDS = select(ReviewCard).where(*_DUE).order_by(col(ReviewCard.due)).limit(bindparam("limit"))


def mastery_rows(session: Session, user_id: int, course_id: str) -> list[Mastery]:
    """Return the user's mastery rows for one course."""
    params = {"user_id": user_id, "course_id": course_id}
    return list(session.execute(_MASTERY_ROWS, params).scalars())


class SkillMastery(NamedTuple):
    """A user's mastery of one skill, as the learning model reads and writes it."""

    p_known: float
    attempts: int
    correct: int
    status: str = "learning"  # learning, proficient or mastered (bot.learning.mastery)
    proficient_at: datetime | None = None
    mastered_at: datetime | None = None
    checked_at: datetime | None = None


def mastery_states(session: Session, user_id: int, course_id: str) -> dict[str, SkillMastery]:
    """Return the mastery of every skill the user has evidence on in one course."""
    params = {"user_id": user_id, "course_id": course_id}
    rows = core(session).execute(_MASTERY_STATES, params)
    return {skill: SkillMastery(*values) for skill, *values in rows}


class AttemptRow(NamedTuple):
    """One graded attempt, as the attempt log keeps it."""

    user_id: int
    course_id: str
    skill_id: str
    exercise_id: str
    purpose: str
    credit: float
    created_at: datetime


def add_attempt(session: Session, attempt: AttemptRow) -> None:
    """Log one graded attempt (the evidence fitting reads)."""
    core(session).execute(_INSERT_ATTEMPT, attempt._asdict())


def save_mastery(
    session: Session,
    key: tuple[int, str, str],
    mastery: SkillMastery,
    now: datetime,
    *,
    exists: bool,
) -> None:
    """Write one skill's mastery (user id, course id, skill id): an update, or an insert."""
    user_id, course_id, skill_id = key
    values = {**mastery._asdict(), "updated_at": now}
    if exists:
        where = {"b_user": user_id, "b_course": course_id, "b_skill": skill_id}
        core(session).execute(_UPDATE_MASTERY, {**where, **values})
    else:
        row = {"user_id": user_id, "course_id": course_id, "skill_id": skill_id, **values}
        core(session).execute(_INSERT_MASTERY, row)


def card_state(
    session: Session, user_id: int, course_id: str, exercise_id: str
) -> tuple[int, dict[str, Any]] | None:
    """Return the id and FSRS state of one item's card, if the user has one."""
    params = {"user_id": user_id, "course_id": course_id, "exercise_id": exercise_id}
    row = core(session).execute(_CARD_STATE, params).first()
    return None if row is None else (row[0], row[1])


def save_review(
    session: Session,
    key: tuple[int, str, str],
    card_id: int | None,
    review: CardReview,
) -> None:
    """Store a reviewed card (user id, course id, exercise id) and log the review."""
    user_id, course_id, exercise_id = key
    values = {
        "card": review.card,
        "due": review.due,
        "last_review": review.reviewed_at,
        "notified_at": None,
    }
    connection = core(session)
    if card_id is None:
        item = {"user_id": user_id, "course_id": course_id, "exercise_id": exercise_id}
        card_id = connection.execute(_INSERT_CARD, {**item, **values}).scalar_one()
    else:
        connection.execute(_UPDATE_CARD, {"card_id": card_id, **values})
    log = {
        "card_id": card_id,
        "rating": review.rating,
        "reviewed_at": review.reviewed_at,
        "duration_ms": review.duration_ms,
    }
    connection.execute(_INSERT_LOG, log)


def add_card(
    session: Session, key: tuple[int, str, str], card: dict[str, Any], due: datetime
) -> None:
    """Give the user a card for an item (user id, course id, exercise id) not yet reviewed."""
    user_id, course_id, exercise_id = key
    row = {
        "user_id": user_id,
        "course_id": course_id,
        "exercise_id": exercise_id,
        "card": card,
        "due": due,
        "last_review": None,
        "notified_at": None,
    }
    core(session).execute(_INSERT_CARD, row)


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


def due_cards(
    session: Session, user_id: int, course_id: str, now: datetime, limit: int = 50
) -> list[ReviewCard]:
    """Return the user's cards due by `now`, most overdue first."""
    params = {"user_id": user_id, "course_id": course_id, "now": now, "limit": limit}
    return list(session.execute(_DUE_CARDS, params).scalars())


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
