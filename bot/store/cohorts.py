"""Repository functions for cohorts: creating one, its staff, the scope of staff reads.

Staff-facing reads take a `StaffScope` (who asks, about which cohort, from which server
or workspace) and build on `visible_members`: a subquery that yields a cohort's current,
consenting members only when the asker is staff of that cohort and the cohort belongs to
the place they ask from. Anyone else gets nothing, in the store, whatever the caller does.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Select, delete, select
from sqlalchemy.orm import Session
from sqlmodel import col

from bot.store.cohort_models import Cohort, CohortMember, CohortStaff
from bot.store.unit import core

__all__ = [
    "ACTIVE",
    "CREATOR",
    "ENDED",
    "CohortScopeError",
    "StaffScope",
    "active_cohorts",
    "add_cohort",
    "add_staff",
    "cohort_for_staff",
    "cohorts_in_channel",
    "cohorts_joined_by_role",
    "end_cohort",
    "remove_staff",
    "require_staff",
    "staff_cohorts",
    "visible_members",
]

ACTIVE, ENDED = "active", "ended"
CREATOR, ASSISTANT = "creator", "assistant"


class CohortScopeError(LookupError):
    """The asker is not staff of that cohort here (or not its creator, where that is needed)."""


class StaffScope(NamedTuple):
    """Who asks about which cohort, and from which server or workspace."""

    staff_id: int
    cohort_id: int
    platform: str
    workspace_id: str


def _staff_of(scope: StaffScope, role: str | None = None) -> Any:
    """The condition a cohort meets when the scope's asker may see it."""
    staff = select(col(CohortStaff.cohort_id)).where(
        col(CohortStaff.cohort_id) == scope.cohort_id,
        col(CohortStaff.user_id) == scope.staff_id,
    )
    if role is not None:
        staff = staff.where(col(CohortStaff.role) == role)
    return (
        (col(Cohort.id) == scope.cohort_id)
        & (col(Cohort.platform) == scope.platform)
        & (col(Cohort.workspace_id) == scope.workspace_id)
        & col(Cohort.id).in_(staff)
    )


def visible_members(scope: StaffScope) -> Select[Any]:
    """The ids of the cohort's current members, empty unless the asker is its staff here."""
    cohort = select(col(Cohort.id)).where(_staff_of(scope))
    return select(col(CohortMember.user_id)).where(
        col(CohortMember.cohort_id) == scope.cohort_id,
        col(CohortMember.cohort_id).in_(cohort),
        col(CohortMember.left_at).is_(None),
    )


def cohort_for_staff(session: Session, scope: StaffScope, role: str | None = None) -> Cohort | None:
    """Return the cohort when the asker is its staff (of `role`, if given) here; else None."""
    return session.execute(select(Cohort).where(_staff_of(scope, role))).scalar_one_or_none()


def require_staff(session: Session, scope: StaffScope, role: str | None = None) -> Cohort:
    """Return the cohort the asker is staff of here, or raise CohortScopeError."""
    cohort = cohort_for_staff(session, scope, role)
    if cohort is None:
        raise CohortScopeError(scope.cohort_id)
    return cohort


def staff_cohorts(
    session: Session, staff_id: int, platform: str, workspace_id: str
) -> list[tuple[Cohort, str]]:
    """Return the cohorts here the person is staff of, with their role, newest first."""
    rows = session.execute(
        select(Cohort, col(CohortStaff.role))
        .join(CohortStaff, col(CohortStaff.cohort_id) == col(Cohort.id))
        .where(
            col(CohortStaff.user_id) == staff_id,
            col(Cohort.platform) == platform,
            col(Cohort.workspace_id) == workspace_id,
        )
        .order_by(col(Cohort.id).desc())
    )
    return [(cohort, str(role)) for cohort, role in rows]


def staff_places(session: Session, staff_id: int, platform: str) -> list[str]:
    """The servers or workspaces where the person staffs a cohort not ended, by name."""
    rows = session.execute(
        select(col(Cohort.workspace_id))
        .join(CohortStaff, col(CohortStaff.cohort_id) == col(Cohort.id))
        .where(
            col(CohortStaff.user_id) == staff_id,
            col(Cohort.platform) == platform,
            col(Cohort.state) == "active",
        )
        .distinct()
        .order_by(col(Cohort.workspace_id))
    )
    return [str(workspace) for workspace in rows.scalars()]


def add_cohort(session: Session, cohort: Cohort, now: datetime) -> Cohort:
    """Store a new cohort and make its creator its first staff member."""
    session.add(cohort)
    session.flush()
    assert cohort.id is not None
    session.add(
        CohortStaff(cohort_id=cohort.id, user_id=cohort.creator_id, role=CREATOR, added_at=now)
    )
    session.flush()
    return cohort


def add_staff(session: Session, cohort_id: int, user_id: int, now: datetime) -> bool:
    """Name an assistant; False if they are staff of the cohort already."""
    found = session.execute(
        select(CohortStaff).where(
            col(CohortStaff.cohort_id) == cohort_id, col(CohortStaff.user_id) == user_id
        )
    ).scalar_one_or_none()
    if found is not None:
        return False
    session.add(CohortStaff(cohort_id=cohort_id, user_id=user_id, role=ASSISTANT, added_at=now))
    session.flush()
    return True


def remove_staff(session: Session, cohort_id: int, user_id: int) -> bool:
    """Remove an assistant (never the creator); False if they were not one."""
    result = core(session).execute(
        delete(CohortStaff).where(
            col(CohortStaff.cohort_id) == cohort_id,
            col(CohortStaff.user_id) == user_id,
            col(CohortStaff.role) == ASSISTANT,
        )
    )
    return bool(result.rowcount == 1)


def cohorts_in_channel(
    session: Session, platform: str, workspace_id: str, channel_id: str
) -> list[Cohort]:
    """Return the active cohorts run in one channel, oldest first."""
    return _active_here(session, platform, workspace_id, col(Cohort.channel_id) == channel_id)


def cohorts_joined_by_role(
    session: Session, platform: str, workspace_id: str, role_ids: Collection[str]
) -> list[Cohort]:
    """Return the active cohorts here whose join role is one of `role_ids`, oldest first."""
    if not role_ids:
        return []
    joined = col(Cohort.join_role_id).in_(sorted(role_ids))
    return _active_here(session, platform, workspace_id, joined)


def _active_here(
    session: Session, platform: str, workspace_id: str, *conditions: Any
) -> list[Cohort]:
    """The active cohorts of one server or workspace that meet `conditions`, oldest first."""
    query = select(Cohort).where(
        col(Cohort.platform) == platform,
        col(Cohort.workspace_id) == workspace_id,
        col(Cohort.state) == ACTIVE,
        *conditions,
    )
    return list(session.execute(query.order_by(col(Cohort.id))).scalars())


def end_cohort(session: Session, cohort: Cohort, now: datetime) -> None:
    """End a cohort: sweeps stop reading it; staff still see its last status."""
    cohort.state, cohort.ended_at = ENDED, now
    session.add(cohort)


def active_cohorts(session: Session, now: datetime, limit: int | None = None) -> list[Cohort]:
    """Return the cohorts not ended that have started by `now`, oldest first (for sweeps)."""
    query = (
        select(Cohort)
        .where(col(Cohort.state) == ACTIVE, col(Cohort.starts_on) <= now)
        .order_by(col(Cohort.id))
    )
    if limit is not None:
        query = query.limit(limit)
    return list(session.execute(query).scalars())
