"""Finding the cohort a request is about, and who may ask: the desk's shared steps.

A staff request names a cohort, or is made in the cohort's channel, or the asker has
only one cohort here; anything else is a plain question back. Every step checks the
cohort belongs to the server or workspace the request came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from bot.services.cohort_calendar import CohortInputError, Place
from bot.services.messages import Person
from bot.store import cohorts as cohort_store
from bot.store import users as user_store
from bot.store.cohort_models import Cohort
from bot.store.models import User

__all__ = [
    "NOT_YOURS",
    "CohortInfo",
    "cohort_here",
    "info",
    "scope_for",
    "staff_scope",
]

NOT_YOURS = "That isn't one of your cohorts here. `/cohort list` shows yours."


@dataclass(frozen=True)
class CohortInfo:
    """A cohort as sweeps and adapters read it (a plain value, no database row)."""

    id: int
    creator_id: int
    platform: str
    workspace_id: str
    channel_id: str
    course_id: str
    title: str
    starts_on: datetime
    pace: str
    timezone: str
    state: str
    nudge_after_days: int
    certificates: bool
    leaderboard: bool
    ended_at: datetime | None


def info(cohort: Cohort) -> CohortInfo:
    """Copy a cohort row into a plain value."""
    assert cohort.id is not None
    return CohortInfo(
        cohort.id,
        cohort.creator_id,
        cohort.platform,
        cohort.workspace_id,
        cohort.channel_id,
        cohort.course_id,
        cohort.title,
        cohort.starts_on,
        cohort.pace,
        cohort.timezone,
        cohort.state,
        cohort.nudge_after_days,
        cohort.certificates,
        cohort.leaderboard,
        cohort.ended_at,
    )


def scope_for(user: User, person: Person, place: Place, cohort_id: int) -> cohort_store.StaffScope:
    """The scope of a staff request: who asks, about which cohort, from where."""
    assert user.id is not None
    return cohort_store.StaffScope(user.id, cohort_id, person.platform, place.workspace_id)


def staff_scope(
    session: Session, person: Person, place: Place, cohort_id: int | None, role: str | None = None
) -> tuple[cohort_store.StaffScope, Cohort]:
    """Find the asker's cohort (named, in this channel, or their only one here) or refuse."""
    user = user_store.get_user(session, person.platform, person.user_id)
    if user is None or user.id is None:
        raise CohortInputError(NOT_YOURS)
    if cohort_id is None:
        cohort_id = _only_cohort(session, user.id, person.platform, place)
    scope = scope_for(user, person, place, cohort_id)
    cohort = cohort_store.cohort_for_staff(session, scope, role)
    if cohort is None:
        if role == cohort_store.CREATOR and cohort_store.cohort_for_staff(session, scope):
            raise CohortInputError("Only the cohort's creator can do that.")
        raise CohortInputError(NOT_YOURS)
    return scope, cohort


def _only_cohort(session: Session, user_id: int, platform: str, place: Place) -> int:
    """The cohort run in this channel, or the one active cohort the person staffs here."""
    mine = cohort_store.staff_cohorts(session, user_id, platform, place.workspace_id)
    in_channel = [c for c, _ in mine if c.channel_id == place.channel_id]
    active = [c for c, _ in mine if c.state == cohort_store.ACTIVE]
    for found in (in_channel, active):
        if len(found) == 1 and found[0].id is not None:
            return found[0].id
    if not mine:
        raise CohortInputError(NOT_YOURS)
    listed = ", ".join(f"#{c.id} {c.title}" for c, _ in mine[:10])
    raise CohortInputError(f"Which cohort? Name it by number: {listed}.")


def cohort_here(session: Session, person: Person, place: Place, cohort_id: int | None) -> Cohort:
    """The active cohort a member joins here: the one named, or the one in this channel."""
    if cohort_id is not None:
        cohort = session.get(Cohort, cohort_id)
        found = (
            [cohort]
            if cohort is not None
            and cohort.platform == person.platform
            and cohort.workspace_id == place.workspace_id
            and cohort.state == cohort_store.ACTIVE
            else []
        )
    elif place.channel_id is not None:
        found = cohort_store.cohorts_in_channel(
            session, person.platform, place.workspace_id, place.channel_id
        )
    else:
        found = []
    if len(found) != 1:
        raise CohortInputError(
            "There's no open cohort to join here."
            if not found
            else "Several cohorts run in this channel: use the Join button of the one you want."
        )
    return found[0]
