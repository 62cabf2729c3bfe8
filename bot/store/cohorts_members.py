"""Repository functions for a cohort's members: joining after consent, leaving, who is in.

Staff reads here take a `StaffScope` and go through `visible_members`, like every staff
read of `bot.store.cohorts`; the unscoped ones serve sweeps and a member's own requests.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from sqlmodel import col

from bot.store.cohort_models import Cohort, CohortMember
from bot.store.cohorts import ACTIVE, StaffScope, visible_members
from bot.store.models import Mastery, User
from bot.store.unit import core

__all__ = [
    "LeaderboardRow",
    "MemberRow",
    "add_member",
    "cohorts_of_member",
    "current_members",
    "leaderboard_rows",
    "leave_cohort",
    "members_for_staff",
    "membership",
    "set_leaderboard_opt_out",
]


class MemberRow(NamedTuple):
    """A current member of a cohort, as staff and sweeps see them."""

    user_id: int
    display_name: str
    platform_user_id: str
    joined_at: datetime
    leaderboard_opt_out: bool


class LeaderboardRow(NamedTuple):
    """A member's standing: skills mastered, then skills proficient."""

    user_id: int
    display_name: str
    mastered: int
    proficient: int


def membership(session: Session, cohort_id: int, user_id: int) -> CohortMember | None:
    """Return a person's membership of a cohort, including one they left."""
    return session.execute(
        select(CohortMember).where(
            col(CohortMember.cohort_id) == cohort_id, col(CohortMember.user_id) == user_id
        )
    ).scalar_one_or_none()


def add_member(session: Session, cohort_id: int, user_id: int, now: datetime) -> bool:
    """Record a member who consented now (or one who comes back); False if already in."""
    member = membership(session, cohort_id, user_id)
    if member is not None and member.left_at is None:
        return False
    if member is None:
        member = CohortMember(cohort_id=cohort_id, user_id=user_id, joined_at=now, consent_at=now)
    else:
        member.left_at, member.joined_at, member.consent_at = None, now, now
    session.add(member)
    session.flush()
    return True


def leave_cohort(session: Session, cohort_id: int, user_id: int, now: datetime) -> bool:
    """Mark a member gone: staff no longer see them; False if they were not in it."""
    result = core(session).execute(
        update(CohortMember)
        .where(
            col(CohortMember.cohort_id) == cohort_id,
            col(CohortMember.user_id) == user_id,
            col(CohortMember.left_at).is_(None),
        )
        .values(left_at=now)
    )
    return bool(result.rowcount == 1)


def set_leaderboard_opt_out(session: Session, cohort_id: int, user_id: int, out: bool) -> bool:
    """Take a member off the leaderboard (or put them back); False if not a member."""
    result = core(session).execute(
        update(CohortMember)
        .where(
            col(CohortMember.cohort_id) == cohort_id,
            col(CohortMember.user_id) == user_id,
            col(CohortMember.left_at).is_(None),
        )
        .values(leaderboard_opt_out=out)
    )
    return bool(result.rowcount == 1)


def cohorts_of_member(session: Session, user_id: int) -> list[Cohort]:
    """Return the active cohorts a person is a current member of, oldest first."""
    return list(
        session.execute(
            select(Cohort)
            .join(CohortMember, col(CohortMember.cohort_id) == col(Cohort.id))
            .where(
                col(CohortMember.user_id) == user_id,
                col(CohortMember.left_at).is_(None),
                col(Cohort.state) == ACTIVE,
            )
            .order_by(col(Cohort.id))
        ).scalars()
    )


def _member_rows(session: Session, members: Any) -> list[MemberRow]:
    rows = session.execute(
        select(
            col(User.id),
            col(User.display_name),
            col(User.platform_user_id),
            col(CohortMember.joined_at),
            col(CohortMember.leaderboard_opt_out),
        )
        .join(User, col(User.id) == col(CohortMember.user_id))
        .where(members)
        .order_by(col(User.display_name), col(User.id))
    )
    return [MemberRow(*row) for row in rows]  # type: ignore[arg-type]


def current_members(session: Session, cohort_id: int) -> list[MemberRow]:
    """Return a cohort's current members (for sweeps: no asker, no scope)."""
    return _member_rows(
        session, (col(CohortMember.cohort_id) == cohort_id) & col(CohortMember.left_at).is_(None)
    )


def members_for_staff(session: Session, scope: StaffScope) -> list[MemberRow]:
    """Return the cohort's current members, or nothing for anyone but its staff here."""
    return _member_rows(
        session,
        (col(CohortMember.cohort_id) == scope.cohort_id)
        & col(CohortMember.user_id).in_(visible_members(scope)),
    )


def leaderboard_rows(session: Session, cohort: Cohort) -> list[LeaderboardRow]:
    """Return members who did not opt out, by skills mastered then proficient, best first."""
    rows = session.execute(
        select(col(User.id), col(User.display_name), col(Mastery.status))
        .join(CohortMember, col(CohortMember.user_id) == col(User.id))
        .join(
            Mastery,
            (col(Mastery.user_id) == col(User.id)) & (col(Mastery.course_id) == cohort.course_id),
        )
        .where(
            col(CohortMember.cohort_id) == cohort.id,
            col(CohortMember.left_at).is_(None),
            col(CohortMember.leaderboard_opt_out).is_(False),
            col(Mastery.status).in_(("mastered", "proficient")),
        )
    )
    counts: dict[int, list[Any]] = {}
    for user_id, name, status in rows:
        entry = counts.setdefault(int(user_id or 0), [str(name), 0, 0])
        entry[1 if status == "mastered" else 2] += 1
    board = [LeaderboardRow(uid, e[0], e[1], e[2]) for uid, e in counts.items()]
    board.sort(key=lambda r: (-r.mastered, -r.proficient, r.display_name, r.user_id))
    return board
