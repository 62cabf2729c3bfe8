"""Tables for cohorts: a course run in a channel, its members and the staff who see it.

A cohort belongs to one server or workspace (`platform`, `workspace_id`); every staff
read in `bot.store.cohorts` filters on the asking staff member and on that place. A
member's row is written only once they consented, and it names them (`user_id`) with ON
DELETE CASCADE, so their `forget` removes it; a creator's `forget` removes their cohorts
(and every member and staff row of them) the same way.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column, ForeignKey, Index, Integer, UniqueConstraint, false
from sqlmodel import Field, SQLModel

from bot.store.models import _user_fk, _when

__all__ = ["ATTEMPTS_BY_MEMBER", "Cohort", "CohortMember", "CohortStaff"]

_ATTEMPTS = SQLModel.metadata.tables["attempts"]
# A cohort's status reads its members' attempts member by member: without this index a
# database picks the course's index and reads every learner's attempts at the course.
ATTEMPTS_BY_MEMBER = Index("ix_attempts_user_course", _ATTEMPTS.c.user_id, _ATTEMPTS.c.course_id)


def _cohort_fk() -> Any:
    """A required reference to a cohort that goes when the cohort goes."""
    return Field(
        sa_column=Column(Integer, ForeignKey("cohorts.id", ondelete="CASCADE"), nullable=False)
    )


class Cohort(SQLModel, table=True):
    """A course run in one channel of one server or workspace, on a calendar."""

    __tablename__ = "cohorts"
    __table_args__ = (
        # Sweeps read the active cohorts only; a staff read finds one by its place.
        Index("ix_cohorts_state", "state"),
        Index("ix_cohorts_place", "platform", "workspace_id", "channel_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    creator_id: int = _user_fk()
    platform: str = Field(max_length=16)
    workspace_id: str = Field(max_length=64)
    channel_id: str = Field(max_length=64)
    course_id: str = Field(max_length=64)
    title: str = Field(max_length=100)
    starts_on: datetime = _when()  # midnight of the start date in the cohort's zone, in UTC
    pace: str = Field(default="weekly", max_length=8)  # weekly (a skill a week) or self
    timezone: str = Field(default="UTC", max_length=64)
    state: str = Field(default="active", max_length=8)  # active or ended
    nudge_after_days: int = Field(default=5, sa_column_kwargs={"server_default": "5"})
    certificates: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    leaderboard: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    # A role in the server whose new holders are asked to join (Discord); None: no role.
    join_role_id: str | None = Field(default=None, max_length=64)
    created_at: datetime = _when()
    ended_at: datetime | None = _when(nullable=True)


class CohortMember(SQLModel, table=True):
    """A learner in a cohort, from their consent until they leave."""

    __tablename__ = "cohort_members"
    __table_args__ = (
        UniqueConstraint("cohort_id", "user_id", name="uq_cohort_members_pair"),
        # The status reads a cohort's current members: by cohort, then whether they left.
        Index("ix_cohort_members_cohort_left", "cohort_id", "left_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    cohort_id: int = _cohort_fk()
    user_id: int = _user_fk()
    joined_at: datetime = _when()
    consent_at: datetime = _when()
    left_at: datetime | None = _when(nullable=True)
    leaderboard_opt_out: bool = Field(default=False, sa_column_kwargs={"server_default": false()})


class CohortStaff(SQLModel, table=True):
    """Someone who sees a cohort's work: its creator, or an assistant they named."""

    __tablename__ = "cohort_staff"
    __table_args__ = (UniqueConstraint("cohort_id", "user_id", name="uq_cohort_staff_pair"),)

    id: int | None = Field(default=None, primary_key=True)
    cohort_id: int = _cohort_fk()
    user_id: int = _user_fk()
    role: str = Field(max_length=12)  # creator or assistant
    added_at: datetime = _when()
