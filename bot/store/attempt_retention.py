"""Retention of the attempt log: graded attempts older than the kept window are deleted.

An attempt is evidence already applied to its learner's stored mastery, review card and
status when it was graded: deleting it later changes none of them. What the log still
feeds (the fit, a cohort's stuck runs and item counts) reads only the kept window.

A backlog is deleted a bounded batch at a time, course by course along the
(course, created_at) index, each batch a unit of work of its own: the SQLite write lock
is never held for more than one batch, and learners' turns run between batches.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Final

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session
from sqlmodel import col

from bot.store.db import Database
from bot.store.models import Attempt
from bot.store.unit import core

__all__ = [
    "PRUNE_BATCH",
    "attempt_courses",
    "delete_attempts_before",
    "kept_since",
    "prune_attempts_before",
]

PRUNE_BATCH: Final = 5_000  # attempts deleted per unit of work


def kept_since(now: datetime, keep_days: int) -> datetime | None:
    """Return the oldest moment the attempt log keeps, or None when it keeps everything."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError(f"naive datetime {now!r}: pass a UTC-aware datetime")
    if keep_days < 0:
        raise ValueError(f"keep_days must be 0 (keep forever) or more, not {keep_days}")
    return None if keep_days == 0 else now - timedelta(days=keep_days)


def attempt_courses(session: Session) -> list[str]:
    """Return every course that has attempts, in order.

    Each step is one seek on the (course, created_at) index (the next course id after the
    last one), so the list costs a few lookups per course, not a read of the whole log.
    """
    courses: list[str] = []
    following = select(func.min(col(Attempt.course_id)))
    course = core(session).execute(following).scalar()
    while course is not None:
        courses.append(str(course))
        after = following.where(col(Attempt.course_id) > course)
        course = core(session).execute(after).scalar()
    return courses


def delete_attempts_before(
    session: Session, course_id: str, before: datetime, limit: int = PRUNE_BATCH
) -> int:
    """Delete up to `limit` of a course's attempts made before `before`, oldest first;
    return how many went."""
    if limit < 1:
        raise ValueError(f"limit must be at least 1, not {limit}")
    oldest = (
        select(col(Attempt.id))
        .where(col(Attempt.course_id) == course_id, col(Attempt.created_at) < before)
        .order_by(col(Attempt.created_at), col(Attempt.id))
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        # workers pruning together each take rows the others have not locked
        oldest = oldest.with_for_update(skip_locked=True)
    result = core(session).execute(
        delete(Attempt).where(col(Attempt.id).in_(oldest.scalar_subquery()))
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def prune_attempts_before(
    database: Database, before: datetime, *, batch: int = PRUNE_BATCH
) -> int:
    """Delete every attempt made before `before`, a batch per unit of work; return how many.

    A unit that fails raises here; the batches already deleted stay deleted, and the next
    run takes up the rest.
    """
    removed = 0
    for course_id in await database.run(attempt_courses):
        while True:
            went = await database.run(delete_attempts_before, course_id, before, batch)
            removed += went
            if went < batch:
                break
    return removed
