"""Database tables. Every row about a person hangs off `users` with ON DELETE CASCADE."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, Index, Integer, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from bot.store.types import UTCDateTime, utc_now


def _user_fk() -> Any:
    """A required, indexed reference to a user that goes when the user goes."""
    return Field(
        sa_column=Column(
            Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )


def _when(nullable: bool = False, index: bool = False) -> Any:
    """A UTC-aware timestamp column."""
    if nullable:
        return Field(default=None, sa_type=UTCDateTime, nullable=True, index=index)
    return Field(default_factory=utc_now, sa_type=UTCDateTime, nullable=False, index=index)


class User(SQLModel, table=True):
    """A learner, creator or coach on one platform."""

    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("platform", "platform_user_id", name="uq_users_platform"),)

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    platform_user_id: str = Field(max_length=64)
    display_name: str = Field(default="", max_length=100)
    timezone: str = Field(default="UTC", max_length=64)
    quiet_start: str = Field(default="21:00", max_length=5)
    quiet_end: str = Field(default="08:00", max_length=5)
    paused_until: datetime | None = _when(nullable=True)
    consent_at: datetime | None = _when(nullable=True)
    active_course_id: str | None = Field(default=None, max_length=64)
    dm_channel_id: str | None = Field(default=None, max_length=64)
    unreachable_at: datetime | None = _when(nullable=True)
    snoozed_until: datetime | None = _when(nullable=True)
    # What the learner said they care about (comma-separated), for re-framed problems.
    interests: str = Field(default="", max_length=200, sa_column_kwargs={"server_default": ""})
    # The platform's language tag for the learner (e.g. "fr-FR"), when it tells us.
    locale: str = Field(default="", max_length=16, sa_column_kwargs={"server_default": ""})
    created_at: datetime = _when()


class Enrolment(SQLModel, table=True):
    """A user taking a course."""

    __tablename__ = "enrolments"
    __table_args__ = (UniqueConstraint("user_id", "course_id", name="uq_enrolments_user_course"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = _user_fk()
    course_id: str = Field(max_length=64)
    placement_done: bool = False
    enrolled_at: datetime = _when()


class Dialogue(SQLModel, table=True):
    """One exercise worked as a conversation: its variant, stage, hint rung and outcome."""

    __tablename__ = "dialogues"
    __table_args__ = (Index("ix_dialogues_user_open", "user_id", "closed_at"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(
        sa_column=Column(Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    )
    course_id: str = Field(max_length=64)
    exercise_id: str = Field(max_length=64)
    purpose: str = Field(default="practice", max_length=16)
    variant: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # Stage, hint rung and attempts live in `state` only: one copy of the dialogue's state.
    state: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    turn_count: int = 0  # also the dialogue's version: a turn is written only on the one it read
    outcome: str | None = Field(default=None, max_length=16)
    started_at: datetime = _when()
    updated_at: datetime = _when()
    closed_at: datetime | None = _when(nullable=True)


class Turn(SQLModel, table=True):
    """One message of a dialogue's transcript."""

    __tablename__ = "turns"
    __table_args__ = (UniqueConstraint("dialogue_id", "seq", name="uq_turns_dialogue_seq"),)

    id: int | None = Field(default=None, primary_key=True)
    dialogue_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("dialogues.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    seq: int
    role: str = Field(max_length=8)
    text: str = Field(sa_column=Column(Text, nullable=False))
    # The tutor's move beside its words (tutor turns), and how a learner turn was graded.
    move: str | None = Field(default=None, max_length=24)
    misconception: str | None = Field(default=None, max_length=64)
    rung: int | None = None
    criterion: int | None = None
    verdict: str | None = Field(default=None, max_length=12)
    created_at: datetime = _when()


class Mastery(SQLModel, table=True):
    """A user's estimated knowledge of one skill."""

    __tablename__ = "mastery"
    __table_args__ = (
        UniqueConstraint("user_id", "course_id", "skill_id", name="uq_mastery_user_skill"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = _user_fk()
    course_id: str = Field(max_length=64)
    skill_id: str = Field(max_length=64)
    p_known: float
    attempts: int = 0
    correct: int = 0
    # learning, proficient (p reached the gate: unlocks what needs it) or mastered (a spaced
    # check on a later day confirmed it); see bot.learning.mastery.
    status: str = Field(
        default="learning", max_length=12, sa_column_kwargs={"server_default": "learning"}
    )
    proficient_at: datetime | None = _when(nullable=True)
    mastered_at: datetime | None = _when(nullable=True)
    checked_at: datetime | None = _when(nullable=True)  # the last spaced check, passed or not
    updated_at: datetime = _when()


class ReviewCard(SQLModel, table=True):
    """A user's memory of one item, scheduled by FSRS; `due` drives review prompts."""

    __tablename__ = "review_cards"
    __table_args__ = (
        UniqueConstraint("user_id", "course_id", "exercise_id", name="uq_review_cards_item"),
        # The sweep reads only due cards not yet announced: its cost follows what is due.
        Index(
            "ix_review_cards_due_pending",
            "due",
            "user_id",
            sqlite_where=text("notified_at IS NULL"),
            postgresql_where=text("notified_at IS NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = _user_fk()
    course_id: str = Field(max_length=64)
    exercise_id: str = Field(max_length=64)
    card: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    due: datetime = _when(index=True)
    last_review: datetime | None = _when(nullable=True)
    notified_at: datetime | None = _when(nullable=True)


class ReviewLog(SQLModel, table=True):
    """One graded review of a card."""

    __tablename__ = "review_logs"

    id: int | None = Field(default=None, primary_key=True)
    card_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("review_cards.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    rating: int
    reviewed_at: datetime = _when()
    duration_ms: int | None = None


class OutboxMessage(SQLModel, table=True):
    """A message to deliver, written in the same transaction as the state it reports."""

    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("idempotency_key", name="uq_outbox_idempotency_key"),
        Index("ix_outbox_ready", "status", "next_attempt_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = _user_fk()
    platform: str = Field(max_length=16)
    recipient: str = Field(max_length=64)
    kind: str = Field(max_length=32)
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    idempotency_key: str = Field(max_length=128)
    status: str = Field(default="pending", max_length=16)
    attempts: int = 0
    next_attempt_at: datetime = _when()
    claimed_by: str | None = Field(default=None, max_length=64)
    claimed_until: datetime | None = _when(nullable=True)
    last_error: str | None = Field(default=None, max_length=500)
    sent_at: datetime | None = _when(nullable=True)
    created_at: datetime = _when()


class ModelUsage(SQLModel, table=True):
    """Tokens one language-model call used, for the learner's and the course's caps."""

    __tablename__ = "model_usage"
    __table_args__ = (
        # Caps sum a learner's day and a course's month: both read by owner, then time.
        Index("ix_model_usage_user_created", "user_id", "created_at"),
        Index("ix_model_usage_course_created", "course_id", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # Nullable: a call made for no learner (a course check) is still counted.
    user_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=True),
    )
    course_id: str | None = Field(default=None, max_length=64)
    kind: str = Field(max_length=16)
    prompt_tokens: int = 0
    completion_tokens: int = 0
    created_at: datetime = _when()


class Attempt(SQLModel, table=True):
    """One graded attempt at an item: the evidence mastery was updated with, for fitting."""

    __tablename__ = "attempts"
    # Fitting reads a course's attempts in the order they came.
    __table_args__ = (Index("ix_attempts_course_created", "course_id", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = _user_fk()
    course_id: str = Field(max_length=64)
    skill_id: str = Field(max_length=64)
    exercise_id: str = Field(max_length=64)
    purpose: str = Field(max_length=16)
    credit: float  # the evidence credit in [0, 1] (bot.learning.bkt.evidence_credit)
    created_at: datetime = _when()


class FittedSkill(SQLModel, table=True):
    """A skill's BKT parameters fitted from the deployment's attempts, and the data behind them."""

    __tablename__ = "fitted_skills"
    __table_args__ = (
        UniqueConstraint("course_id", "skill_id", name="uq_fitted_skills_course_skill"),
    )

    id: int | None = Field(default=None, primary_key=True)
    course_id: str = Field(max_length=64)
    skill_id: str = Field(max_length=64)
    prior: float
    learn: float
    slip: float
    guess: float
    learners: int
    responses: int
    fitted_at: datetime = _when()


class ItemRating(SQLModel, table=True):
    """An item's difficulty estimated from the attempts (Elo, logit scale)."""

    __tablename__ = "item_ratings"
    __table_args__ = (
        UniqueConstraint("course_id", "exercise_id", name="uq_item_ratings_course_item"),
    )

    id: int | None = Field(default=None, primary_key=True)
    course_id: str = Field(max_length=64)
    exercise_id: str = Field(max_length=64)
    difficulty: float
    attempts: int
    mean_credit: float
    rated_at: datetime = _when()


class FittedMemory(SQLModel, table=True):
    """A course's FSRS parameters optimised from its review logs, and the data behind them."""

    __tablename__ = "fitted_memory"
    __table_args__ = (UniqueConstraint("course_id", name="uq_fitted_memory_course"),)

    id: int | None = Field(default=None, primary_key=True)
    course_id: str = Field(max_length=64)
    parameters: list[float] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    reviews: int
    cards: int
    fitted_at: datetime = _when()


class FitRun(SQLModel, table=True):
    """One run of the fitting: when it started and ended, and how much it read."""

    __tablename__ = "fit_runs"

    id: int | None = Field(default=None, primary_key=True)
    started_at: datetime = _when(index=True)
    finished_at: datetime | None = _when(nullable=True)
    attempts: int = 0
    skills_fitted: int = 0


# The coaching tables live in a module of their own; importing it registers them here.
import bot.store.coaching_models  # noqa: E402
import bot.store.cohort_event_models  # noqa: E402
import bot.store.cohort_models  # noqa: E402
import bot.store.event_models  # noqa: E402
import bot.store.upload_models  # noqa: E402, F401
