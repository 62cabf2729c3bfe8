"""The reads behind a cohort's status: a fixed number of queries, whatever the database holds.

Each read filters on `visible_members(scope)` (the cohort's current members, empty for
anyone but its staff here) and the cohort's course, so its cost follows the cohort, not
the number of cohorts stored. Nothing here reads what a learner wrote: misconceptions
come from the tutor's recorded moves, the rest from attempts, mastery and review cards.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import NamedTuple

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session
from sqlmodel import col

from bot.store.cohorts import StaffScope, visible_members
from bot.store.models import Attempt, Dialogue, ItemRating, Mastery, ReviewCard, Turn
from bot.store.unit import core

__all__ = [
    "MISCONCEPTION_MOVES",
    "ItemCount",
    "MisconceptionHit",
    "SkillRow",
    "StuckRun",
    "item_counts",
    "item_difficulties",
    "last_active",
    "mastery_rows",
    "misconception_hits",
    "overdue_reviews",
    "stuck_runs",
]

# The moves that name a misconception the learner's answer showed (a reply to a targeted
# question also names it, but is no new hit).
MISCONCEPTION_MOVES = ("targeted", "diagnosed")
PLACEMENT = "placement"


class SkillRow(NamedTuple):
    """One member's standing on one skill."""

    user_id: int
    skill_id: str
    status: str
    p_known: float
    proficient_at: datetime | None
    mastered_at: datetime | None


class StuckRun(NamedTuple):
    """Misses on one skill since the member's last good attempt at it."""

    user_id: int
    skill_id: str
    misses: int
    since: datetime  # the first of those misses
    last: datetime  # the latest


class MisconceptionHit(NamedTuple):
    """How often the tutor met one misconception in one member's work on one item."""

    user_id: int
    exercise_id: str
    misconception: str
    hits: int
    last: datetime  # the latest


class ItemCount(NamedTuple):
    """The cohort's graded attempts at one item."""

    exercise_id: str
    attempts: int
    mean_credit: float


def mastery_rows(session: Session, scope: StaffScope, course_id: str) -> list[SkillRow]:
    """Return every member's mastery rows in the course."""
    rows = core(session).execute(
        select(
            col(Mastery.user_id),
            col(Mastery.skill_id),
            col(Mastery.status),
            col(Mastery.p_known),
            col(Mastery.proficient_at),
            col(Mastery.mastered_at),
        ).where(
            col(Mastery.user_id).in_(visible_members(scope)),
            col(Mastery.course_id) == course_id,
        )
    )
    return [SkillRow(*row) for row in rows]  # type: ignore[arg-type]


def last_active(session: Session, scope: StaffScope, course_id: str) -> dict[int, datetime]:
    """Return when each member last worked in the course (their latest dialogue turn)."""
    rows = core(session).execute(
        select(col(Dialogue.user_id), func.max(col(Dialogue.updated_at)))
        .where(
            col(Dialogue.user_id).in_(visible_members(scope)),
            col(Dialogue.course_id) == course_id,
        )
        .group_by(col(Dialogue.user_id))
    )
    return {int(user): _utc(when) for user, when in rows if when is not None}


def overdue_reviews(
    session: Session, scope: StaffScope, course_id: str, now: datetime
) -> dict[int, int]:
    """Return how many review cards of the course each member has overdue."""
    rows = core(session).execute(
        select(col(ReviewCard.user_id), func.count())
        .where(
            col(ReviewCard.user_id).in_(visible_members(scope)),
            col(ReviewCard.course_id) == course_id,
            col(ReviewCard.due) < now,
        )
        .group_by(col(ReviewCard.user_id))
    )
    return {int(user): int(count) for user, count in rows}


def stuck_runs(
    session: Session, scope: StaffScope, course_id: str, miss_below: float, min_misses: int
) -> list[StuckRun]:
    """Return (member, skill) pairs with at least `min_misses` misses since their last good
    attempt; a miss earned less than `miss_below` credit (wrong, or solved on big hints)."""
    members = visible_members(scope)
    good = (
        select(
            col(Attempt.user_id).label("user_id"),
            col(Attempt.skill_id).label("skill_id"),
            func.max(col(Attempt.created_at)).label("last_good"),
        )
        .where(
            col(Attempt.user_id).in_(members),
            col(Attempt.course_id) == course_id,
            col(Attempt.purpose) != PLACEMENT,
            col(Attempt.credit) >= miss_below,
        )
        .group_by(col(Attempt.user_id), col(Attempt.skill_id))
        .subquery()
    )
    misses = func.count()
    rows = core(session).execute(
        select(
            col(Attempt.user_id),
            col(Attempt.skill_id),
            misses,
            func.min(col(Attempt.created_at)),
            func.max(col(Attempt.created_at)),
        )
        .outerjoin(
            good,
            and_(good.c.user_id == col(Attempt.user_id), good.c.skill_id == col(Attempt.skill_id)),
        )
        .where(
            col(Attempt.user_id).in_(members),
            col(Attempt.course_id) == course_id,
            col(Attempt.purpose) != PLACEMENT,
            col(Attempt.credit) < miss_below,
            good.c.last_good.is_(None) | (col(Attempt.created_at) > good.c.last_good),
        )
        .group_by(col(Attempt.user_id), col(Attempt.skill_id))
        .having(misses >= min_misses)
    )
    return [
        StuckRun(int(user), str(skill), int(n), _utc(first), _utc(last))
        for user, skill, n, first, last in rows
    ]


def misconception_hits(
    session: Session, scope: StaffScope, course_id: str, since: datetime
) -> list[MisconceptionHit]:
    """Return the misconceptions the tutor met in members' work since `since`."""
    rows = core(session).execute(
        select(
            col(Dialogue.user_id),
            col(Dialogue.exercise_id),
            col(Turn.misconception),
            func.count(),
            func.max(col(Turn.created_at)),
        )
        .join(Turn, col(Turn.dialogue_id) == col(Dialogue.id))
        .where(
            col(Dialogue.user_id).in_(visible_members(scope)),
            col(Dialogue.course_id) == course_id,
            col(Turn.move).in_(MISCONCEPTION_MOVES),
            col(Turn.misconception).is_not(None),
            col(Turn.created_at) >= since,
        )
        .group_by(col(Dialogue.user_id), col(Dialogue.exercise_id), col(Turn.misconception))
    )
    return [
        MisconceptionHit(int(u), str(e), str(m), int(n), _utc(last)) for u, e, m, n, last in rows
    ]


def item_counts(session: Session, scope: StaffScope, course_id: str) -> list[ItemCount]:
    """Return the members' practice attempts per item, with their mean credit."""
    rows = core(session).execute(
        select(
            col(Attempt.exercise_id),
            func.count(),
            func.avg(col(Attempt.credit)),
        )
        .where(
            col(Attempt.user_id).in_(visible_members(scope)),
            col(Attempt.course_id) == course_id,
            col(Attempt.purpose) != PLACEMENT,
        )
        .group_by(col(Attempt.exercise_id))
    )
    return [ItemCount(str(item), int(n), float(mean or 0.0)) for item, n, mean in rows]


def item_difficulties(session: Session, course_id: str) -> dict[str, tuple[float, int]]:
    """Return the course's rated item difficulties (logits) and the attempts behind each."""
    rows = core(session).execute(
        select(
            col(ItemRating.exercise_id), col(ItemRating.difficulty), col(ItemRating.attempts)
        ).where(col(ItemRating.course_id) == course_id)
    )
    return {str(item): (float(value), int(n)) for item, value, n in rows}


def _utc(value: object) -> datetime:
    """Return an aggregate's datetime UTC-aware (min and max keep the column's type)."""
    assert isinstance(value, datetime)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
