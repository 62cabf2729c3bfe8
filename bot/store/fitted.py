"""Repository functions for the learning model fitted from the deployment's own logs.

What fitting reads (a course's graded attempts and its cards' review histories, in time
order), what it stores (BKT parameters per skill, item difficulty, FSRS weights per
course, each with its date and data size), and the runs of the fitting itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import NamedTuple

from sqlalchemy import bindparam, func, select, text, update
from sqlalchemy.orm import Session
from sqlmodel import col

from bot.store.models import (
    Attempt,
    FitRun,
    FittedMemory,
    FittedSkill,
    ItemRating,
    ReviewCard,
    ReviewLog,
)
from bot.store.prepared import Prepared
from bot.store.unit import core

__all__ = [
    "FittedBkt",
    "ItemEstimate",
    "SkillFitRow",
    "claim_fit_run",
    "course_attempts",
    "course_bkt",
    "finish_fit_run",
    "item_ratings",
    "memory_parameters",
    "review_histories",
    "save_item_ratings",
    "save_memory_fit",
    "save_skill_fits",
    "skill_bkt",
]

FIT_LOCK = 74_110_002  # PostgreSQL advisory lock: one worker claims a fitting run


class FittedBkt(NamedTuple):
    """A skill's fitted BKT parameters (a ``BktParamsLike``)."""

    prior: float
    learn: float
    slip: float
    guess: float


class SkillFitRow(NamedTuple):
    """A skill's fitted parameters with the data behind them."""

    skill_id: str
    params: FittedBkt
    learners: int
    responses: int


class ItemEstimate(NamedTuple):
    """An item's rated difficulty (logits) and the attempts behind it."""

    difficulty: float
    attempts: int
    mean_credit: float


_BKT_COLUMNS = (
    col(FittedSkill.prior),
    col(FittedSkill.learn),
    col(FittedSkill.slip),
    col(FittedSkill.guess),
)
_SKILL_BKT = Prepared(
    select(*_BKT_COLUMNS).where(
        col(FittedSkill.course_id) == bindparam("course_id"),
        col(FittedSkill.skill_id) == bindparam("skill_id"),
    )
)
_COURSE_BKT = Prepared(
    select(col(FittedSkill.skill_id), *_BKT_COLUMNS).where(
        col(FittedSkill.course_id) == bindparam("course_id")
    )
)
_ITEM_RATINGS = Prepared(
    select(
        col(ItemRating.exercise_id),
        col(ItemRating.difficulty),
        col(ItemRating.attempts),
        col(ItemRating.mean_credit),
    ).where(col(ItemRating.course_id) == bindparam("course_id"))
)
_MEMORY = Prepared(
    select(col(FittedMemory.parameters)).where(
        col(FittedMemory.course_id) == bindparam("course_id")
    )
)


def skill_bkt(session: Session, course_id: str, skill_id: str) -> FittedBkt | None:
    """Return a skill's fitted BKT parameters, if it has been fitted."""
    params = {"course_id": course_id, "skill_id": skill_id}
    row = core(session).execute(_SKILL_BKT, params).first()
    return None if row is None else FittedBkt(*row)


def course_bkt(session: Session, course_id: str) -> dict[str, FittedBkt]:
    """Return the fitted BKT parameters of every fitted skill of a course."""
    rows = core(session).execute(_COURSE_BKT, {"course_id": course_id})
    return {skill: FittedBkt(*values) for skill, *values in rows}


def item_ratings(session: Session, course_id: str) -> dict[str, ItemEstimate]:
    """Return the rated difficulty of every item of a course that has been attempted."""
    rows = core(session).execute(_ITEM_RATINGS, {"course_id": course_id})
    return {item: ItemEstimate(*values) for item, *values in rows}


def memory_parameters(session: Session, course_id: str) -> tuple[float, ...] | None:
    """Return a course's optimised FSRS weights, if it has them."""
    value = core(session).execute(_MEMORY, {"course_id": course_id}).scalar()
    return None if not value else tuple(float(w) for w in value)


def course_attempts(
    session: Session, course_id: str, since: datetime | None = None
) -> list[tuple[int, str, str, float]]:
    """Return a course's graded attempts, oldest first: (learner, skill, exercise, credit).

    With `since`, only those made at or after it (the attempt log's kept window).
    """
    query = select(
        col(Attempt.user_id),
        col(Attempt.skill_id),
        col(Attempt.exercise_id),
        col(Attempt.credit),
    ).where(col(Attempt.course_id) == course_id)
    if since is not None:
        query = query.where(col(Attempt.created_at) >= since)
    rows = core(session).execute(query.order_by(col(Attempt.created_at), col(Attempt.id)))
    return [(int(u), str(s), str(e), float(c)) for u, s, e, c in rows]


def review_histories(session: Session, course_id: str) -> list[list[tuple[datetime, int]]]:
    """Return each card's graded reviews in a course, in order: (time, rating)."""
    rows = core(session).execute(
        select(col(ReviewLog.card_id), col(ReviewLog.reviewed_at), col(ReviewLog.rating))
        .join(ReviewCard, col(ReviewCard.id) == col(ReviewLog.card_id))
        .where(col(ReviewCard.course_id) == course_id)
        .order_by(col(ReviewLog.card_id), col(ReviewLog.reviewed_at), col(ReviewLog.id))
    )
    histories: dict[int, list[tuple[datetime, int]]] = {}
    for card_id, reviewed_at, rating in rows:
        histories.setdefault(int(card_id), []).append((reviewed_at, int(rating)))
    return list(histories.values())


def save_skill_fits(
    session: Session, course_id: str, fits: Sequence[SkillFitRow], now: datetime
) -> None:
    """Store fitted skills' parameters (replacing earlier fits of the same skills)."""
    existing = {
        row.skill_id: row
        for row in session.execute(
            select(FittedSkill).where(col(FittedSkill.course_id) == course_id)
        ).scalars()
    }
    for fit in fits:
        row = existing.get(fit.skill_id) or FittedSkill(
            course_id=course_id,
            skill_id=fit.skill_id,
            prior=0.0,
            learn=0.0,
            slip=0.0,
            guess=0.0,
            learners=0,
            responses=0,
        )
        row.prior, row.learn, row.slip, row.guess = fit.params
        row.learners, row.responses, row.fitted_at = fit.learners, fit.responses, now
        session.add(row)


def save_item_ratings(
    session: Session, course_id: str, ratings: Mapping[str, ItemEstimate], now: datetime
) -> None:
    """Store items' rated difficulty (replacing earlier ratings of the same items)."""
    existing = {
        row.exercise_id: row
        for row in session.execute(
            select(ItemRating).where(col(ItemRating.course_id) == course_id)
        ).scalars()
    }
    for exercise_id, estimate in ratings.items():
        row = existing.get(exercise_id) or ItemRating(
            course_id=course_id,
            exercise_id=exercise_id,
            difficulty=0.0,
            attempts=0,
            mean_credit=0.0,
        )
        row.difficulty, row.attempts, row.mean_credit = estimate
        row.rated_at = now
        session.add(row)


def save_memory_fit(
    session: Session,
    course_id: str,
    parameters: Sequence[float],
    size: tuple[int, int],
    now: datetime,
) -> None:
    """Store a course's optimised FSRS weights with the (reviews, cards) behind them."""
    row = session.execute(
        select(FittedMemory).where(col(FittedMemory.course_id) == course_id)
    ).scalar_one_or_none()
    if row is None:
        row = FittedMemory(course_id=course_id, reviews=0, cards=0)
    row.parameters = [float(w) for w in parameters]
    row.reviews, row.cards = size
    row.fitted_at = now
    session.add(row)


def claim_fit_run(session: Session, now: datetime, every: float, stale: float) -> int | None:
    """Start a fitting run when one is due; return its id, or None when it is not.

    A run is due when none finished in the last ``every`` seconds and none started in the
    last ``stale`` seconds (one still running, or one that died). On PostgreSQL only one
    worker at a time may claim.
    """
    if session.get_bind().dialect.name == "postgresql":
        locked = session.execute(text(f"SELECT pg_try_advisory_xact_lock({FIT_LOCK})"))
        if not locked.scalar_one():
            return None
    finished, started = session.execute(
        select(func.max(col(FitRun.finished_at)), func.max(col(FitRun.started_at)))
    ).one()
    if finished is not None and (now - _aware(finished)).total_seconds() < every:
        return None
    if started is not None and (now - _aware(started)).total_seconds() < stale:
        return None
    return start_fit_run(session, now)


def start_fit_run(session: Session, now: datetime) -> int:
    """Record that a fitting run started; return its id."""
    run = FitRun(started_at=now)
    session.add(run)
    session.flush()
    assert run.id is not None
    return run.id


def finish_fit_run(
    session: Session, run_id: int, now: datetime, attempts: int, skills_fitted: int
) -> None:
    """Record that a fitting run ended, and how much it read and fitted."""
    session.execute(
        update(FitRun)
        .where(col(FitRun.id) == run_id)
        .values(finished_at=now, attempts=attempts, skills_fitted=skills_fitted)
    )


def _aware(moment: datetime) -> datetime:
    """Read a naive value (an aggregate on SQLite may bypass the column type) as UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
