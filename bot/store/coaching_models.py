"""Tables for coaching: coach–client links, coaches' exercises, assignments and flags.

Every row names the people it is about (`coach_id`, `client_id`) with ON DELETE CASCADE,
so a client's `forget` removes their links, their assignments and their flags, and a
coach's removes everything they wrote. The coach-facing reads in `bot.store.coaching`
always filter on the asking coach.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, Index, Integer, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from bot.store.models import _user_fk, _when

__all__ = ["Assignment", "AssignmentStep", "CoachExercise", "CoachFlag", "CoachLink"]


def _optional_fk(target: str, ondelete: str = "CASCADE") -> Any:
    """An optional, indexed reference to another row, gone (or emptied) when that row goes."""
    return Field(
        default=None,
        sa_column=Column(Integer, ForeignKey(target, ondelete=ondelete), nullable=True, index=True),
    )


class CoachLink(SQLModel, table=True):
    """An invite from a coach and, once a client accepted it, the link between them."""

    __tablename__ = "coach_links"
    __table_args__ = (
        UniqueConstraint("invite_code", name="uq_coach_links_invite_code"),
        # One live link per coach and client; an ended one may be followed by a new one.
        Index(
            "uq_coach_links_live_pair",
            "coach_id",
            "client_id",
            unique=True,
            sqlite_where=text("ended_at IS NULL AND client_id IS NOT NULL"),
            postgresql_where=text("ended_at IS NULL AND client_id IS NOT NULL"),
        ),
        # The brief sweep reads only links whose brief is due.
        Index("ix_coach_links_brief_due", "brief_due_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    coach_id: int = _user_fk()
    client_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=True, index=True
        ),
    )
    invite_code: str = Field(max_length=16)
    invite_expires_at: datetime = _when()
    created_at: datetime = _when()
    accepted_at: datetime | None = _when(nullable=True)
    ended_at: datetime | None = _when(nullable=True)
    ended_by: str | None = Field(default=None, max_length=8)
    # all (before the due date and when overdue), overdue (only then) or off
    reminders: str = Field(default="all", max_length=8, sa_column_kwargs={"server_default": "all"})
    pause_after: int = Field(default=3, sa_column_kwargs={"server_default": "3"})
    next_session_at: datetime | None = _when(nullable=True)
    last_session_at: datetime | None = _when(nullable=True)  # the brief looks back to it
    brief_due_at: datetime | None = _when(nullable=True)


class CoachExercise(SQLModel, table=True):
    """A coach's own exercise, stored as data: a title and its steps (prompt and criteria)."""

    __tablename__ = "coach_exercises"

    id: int | None = Field(default=None, primary_key=True)
    coach_id: int = _user_fk()
    title: str = Field(max_length=100)
    # [{"prompt": ..., "plain": [the coach's words], "criteria": [criterion data]}, ...]
    steps: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    source: str = Field(default="form", max_length=12)  # form, worksheet or course
    revision: int = 1
    created_at: datetime = _when()
    updated_at: datetime = _when()
    archived_at: datetime | None = _when(nullable=True)


class Assignment(SQLModel, table=True):
    """An exercise a coach assigned to a client, with its due date, note and reminders.

    The steps are copied when assigned: editing the exercise later changes no work given.
    """

    __tablename__ = "assignments"
    __table_args__ = (
        # The reminder sweep reads only what is due: its cost follows that, not the table.
        Index("ix_assignments_next_reminder", "next_reminder_at"),
        Index("ix_assignments_link_state", "link_id", "state"),
        # Completion notices still to send to the coach.
        Index(
            "ix_assignments_unnotified",
            "completed_at",
            sqlite_where=text("completed_at IS NOT NULL AND notified_at IS NULL"),
            postgresql_where=text("completed_at IS NOT NULL AND notified_at IS NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    link_id: int = Field(
        sa_column=Column(Integer, ForeignKey("coach_links.id", ondelete="CASCADE"), nullable=False)
    )
    coach_id: int = _user_fk()
    client_id: int = _user_fk()
    exercise_id: int | None = _optional_fk("coach_exercises.id", ondelete="SET NULL")
    title: str = Field(max_length=100)
    steps: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    note: str = Field(default="", sa_column=Column(Text, nullable=False))
    due_at: datetime = _when()
    state: str = Field(default="assigned", max_length=12)  # assigned, started, done, cancelled
    steps_done: int = 0
    assigned_at: datetime = _when()
    started_at: datetime | None = _when(nullable=True)
    completed_at: datetime | None = _when(nullable=True)
    last_activity_at: datetime | None = _when(nullable=True)
    next_reminder_at: datetime | None = _when(nullable=True)
    reminders_sent: int = 0
    unanswered: int = 0  # reminders since the client last worked on it
    paused_at: datetime | None = _when(nullable=True)
    notified_at: datetime | None = _when(nullable=True)
    summary: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class AssignmentStep(SQLModel, table=True):
    """The dialogue one step of an assignment was worked in."""

    __tablename__ = "assignment_steps"
    __table_args__ = (
        UniqueConstraint("dialogue_id", name="uq_assignment_steps_dialogue"),
        UniqueConstraint("assignment_id", "step", name="uq_assignment_steps_step"),
    )

    id: int | None = Field(default=None, primary_key=True)
    assignment_id: int = Field(
        sa_column=Column(Integer, ForeignKey("assignments.id", ondelete="CASCADE"), nullable=False)
    )
    step: int
    dialogue_id: int = Field(
        sa_column=Column(Integer, ForeignKey("dialogues.id", ondelete="CASCADE"), nullable=False)
    )
    opened_at: datetime = _when()
    closed_at: datetime | None = _when(nullable=True)
    outcome: str | None = Field(default=None, max_length=16)


class CoachFlag(SQLModel, table=True):
    """Something the coach is told once: the client asked for them, is stuck, or in distress.

    A flag carries its kind only, never the client's words.
    """

    __tablename__ = "coach_flags"
    __table_args__ = (UniqueConstraint("link_id", "kind", "once_key", name="uq_coach_flags_once"),)

    id: int | None = Field(default=None, primary_key=True)
    link_id: int = Field(
        sa_column=Column(Integer, ForeignKey("coach_links.id", ondelete="CASCADE"), nullable=False)
    )
    coach_id: int = _user_fk()
    client_id: int = _user_fk()
    assignment_id: int | None = _optional_fk("assignments.id")
    kind: str = Field(max_length=16)  # asked_for_coach, stuck, distress
    once_key: str = Field(max_length=32)  # "assignment:<id>", or "day:<client's date>"
    raised_at: datetime = _when()
    seen_at: datetime | None = _when(nullable=True)
