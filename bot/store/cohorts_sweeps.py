"""The reads behind the cohort automations: one query each for a whole batch of cohorts.

Each read takes the ids of a batch of cohorts and joins their current, consenting members
(and each cohort's course), so a sweep runs the same few statements however many cohorts
the batch holds. Nothing here reads what a learner wrote: activity comes from dialogue
times, misconceptions from the tutor's recorded moves, the rest from attempts and mastery.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, NamedTuple

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session
from sqlmodel import col

from bot.store.cohort_models import Cohort, CohortMember, CohortStaff
from bot.store.cohorts_status import MISCONCEPTION_MOVES, PLACEMENT
from bot.store.models import Attempt, Dialogue, Mastery, Turn, User
from bot.store.unit import core

__all__ = [
    "Contact",
    "MemberActivity",
    "MemberRun",
    "member_activity",
    "misconception_hits",
    "reached_skills",
    "staff_contacts",
    "stuck_runs",
]


class Contact(NamedTuple):
    """Who a direct message goes to, and when they may get one."""

    user_id: int
    display_name: str
    platform: str
    platform_user_id: str
    timezone: str
    quiet_start: str
    quiet_end: str
    paused_until: datetime | None
    snoozed_until: datetime | None
    unreachable_at: datetime | None


class MemberRun(NamedTuple):
    """A member's misses on a skill of their cohort's course since their last good attempt."""

    cohort_id: int
    user_id: int
    skill_id: str
    misses: int
    since: datetime  # the first of those misses


class MemberActivity(NamedTuple):
    """A current member of a cohort, when they joined and last worked in its course."""

    cohort_id: int
    contact: Contact
    joined_at: datetime
    last_active: datetime | None


_CONTACT = (
    col(User.id),
    col(User.display_name),
    col(User.platform),
    col(User.platform_user_id),
    col(User.timezone),
    col(User.quiet_start),
    col(User.quiet_end),
    col(User.paused_until),
    col(User.snoozed_until),
    col(User.unreachable_at),
)


def _members(cohort_ids: list[int]) -> Any:
    """The condition on a member row: current, in one of the cohorts."""
    return col(CohortMember.cohort_id).in_(cohort_ids) & col(CohortMember.left_at).is_(None)


def _in_course() -> Any:
    """Join condition of a cohort to its member rows (the caller joins Cohort)."""
    return col(Cohort.id) == col(CohortMember.cohort_id)


def member_activity(session: Session, cohort_ids: list[int]) -> list[MemberActivity]:
    """Return every current, consenting member of the cohorts with their last activity."""
    if not cohort_ids:
        return []
    people = select(col(CohortMember.user_id)).where(_members(cohort_ids))
    last = (
        select(
            col(Dialogue.user_id).label("user_id"),
            col(Dialogue.course_id).label("course_id"),
            func.max(col(Dialogue.updated_at)).label("last"),
        )
        .where(col(Dialogue.user_id).in_(people))
        .group_by(col(Dialogue.user_id), col(Dialogue.course_id))
        .subquery()
    )
    rows = core(session).execute(
        select(col(CohortMember.cohort_id), *_CONTACT, col(CohortMember.joined_at), last.c.last)
        .join(User, col(User.id) == col(CohortMember.user_id))
        .join(Cohort, _in_course())
        .outerjoin(
            last,
            and_(
                last.c.user_id == col(CohortMember.user_id),
                last.c.course_id == col(Cohort.course_id),
            ),
        )
        .where(_members(cohort_ids), col(User.consent_at).is_not(None))
        .order_by(col(CohortMember.cohort_id), col(CohortMember.user_id))
    )
    return [
        MemberActivity(int(row[0]), Contact(*row[1:11]), _utc(row[11]), _maybe_utc(row[12]))
        for row in rows
    ]


def reached_skills(
    session: Session, cohort_ids: list[int]
) -> dict[tuple[int, int], dict[str, str]]:
    """Return (cohort, member) -> {skill: proficient or mastered} in the cohort's course."""
    if not cohort_ids:
        return {}
    rows = core(session).execute(
        select(
            col(CohortMember.cohort_id),
            col(Mastery.user_id),
            col(Mastery.skill_id),
            col(Mastery.status),
        )
        .join(Cohort, _in_course())
        .join(
            Mastery,
            and_(
                col(Mastery.user_id) == col(CohortMember.user_id),
                col(Mastery.course_id) == col(Cohort.course_id),
            ),
        )
        .where(_members(cohort_ids), col(Mastery.status) != "learning")
    )
    reached: dict[tuple[int, int], dict[str, str]] = {}
    for cohort, user, skill, status in rows:
        reached.setdefault((int(cohort), int(user)), {})[str(skill)] = str(status)
    return reached


def stuck_runs(
    session: Session, cohort_ids: list[int], miss_below: float, min_misses: int
) -> list[MemberRun]:
    """Return the members' runs of at least `min_misses` misses on a skill of the cohort's
    course since their last good attempt at it."""
    if not cohort_ids:
        return []
    people = select(col(CohortMember.user_id)).where(_members(cohort_ids))
    good = (
        select(
            col(Attempt.user_id).label("user_id"),
            col(Attempt.course_id).label("course_id"),
            col(Attempt.skill_id).label("skill_id"),
            func.max(col(Attempt.created_at)).label("last_good"),
        )
        .where(
            col(Attempt.user_id).in_(people),
            col(Attempt.purpose) != PLACEMENT,
            col(Attempt.credit) >= miss_below,
        )
        .group_by(col(Attempt.user_id), col(Attempt.course_id), col(Attempt.skill_id))
        .subquery()
    )
    misses = func.count()
    rows = core(session).execute(
        select(
            col(CohortMember.cohort_id),
            col(Attempt.user_id),
            col(Attempt.skill_id),
            misses,
            func.min(col(Attempt.created_at)),
        )
        .join(Cohort, _in_course())
        .join(
            Attempt,
            and_(
                col(Attempt.user_id) == col(CohortMember.user_id),
                col(Attempt.course_id) == col(Cohort.course_id),
            ),
        )
        .outerjoin(
            good,
            and_(
                good.c.user_id == col(Attempt.user_id),
                good.c.course_id == col(Attempt.course_id),
                good.c.skill_id == col(Attempt.skill_id),
            ),
        )
        .where(
            _members(cohort_ids),
            col(Attempt.purpose) != PLACEMENT,
            col(Attempt.credit) < miss_below,
            good.c.last_good.is_(None) | (col(Attempt.created_at) > good.c.last_good),
        )
        .group_by(col(CohortMember.cohort_id), col(Attempt.user_id), col(Attempt.skill_id))
        .having(misses >= min_misses)
    )
    return [MemberRun(int(c), int(u), str(s), int(n), _utc(first)) for c, u, s, n, first in rows]


def misconception_hits(
    session: Session, cohort_ids: list[int], since: datetime
) -> list[tuple[int, int, str, str, int, datetime]]:
    """Return (cohort, member, exercise, misconception, hits, latest) met in members' work
    in the cohort's course since `since`."""
    if not cohort_ids:
        return []
    rows = core(session).execute(
        select(
            col(CohortMember.cohort_id),
            col(Dialogue.user_id),
            col(Dialogue.exercise_id),
            col(Turn.misconception),
            func.count(),
            func.max(col(Turn.created_at)),
        )
        .join(Cohort, _in_course())
        .join(
            Dialogue,
            and_(
                col(Dialogue.user_id) == col(CohortMember.user_id),
                col(Dialogue.course_id) == col(Cohort.course_id),
            ),
        )
        .join(Turn, col(Turn.dialogue_id) == col(Dialogue.id))
        .where(
            _members(cohort_ids),
            col(Turn.move).in_(MISCONCEPTION_MOVES),
            col(Turn.misconception).is_not(None),
            col(Turn.created_at) >= since,
        )
        .group_by(
            col(CohortMember.cohort_id),
            col(Dialogue.user_id),
            col(Dialogue.exercise_id),
            col(Turn.misconception),
        )
    )
    return [(int(c), int(u), str(e), str(m), int(n), _utc(t)) for c, u, e, m, n, t in rows]


def staff_contacts(session: Session, cohort_ids: list[int]) -> list[tuple[int, str, Contact]]:
    """Return (cohort, role, contact) of every staff member of the cohorts."""
    if not cohort_ids:
        return []
    rows = core(session).execute(
        select(col(CohortStaff.cohort_id), col(CohortStaff.role), *_CONTACT)
        .join(User, col(User.id) == col(CohortStaff.user_id))
        .where(col(CohortStaff.cohort_id).in_(cohort_ids))
        .order_by(col(CohortStaff.cohort_id), col(CohortStaff.user_id))
    )
    return [(int(row[0]), str(row[1]), Contact(*row[2:])) for row in rows]


def _maybe_utc(value: object) -> datetime | None:
    return None if value is None else _utc(value)


def _utc(value: object) -> datetime:
    """Return a datetime UTC-aware (aggregates and raw rows may come back naive)."""
    assert isinstance(value, datetime)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
