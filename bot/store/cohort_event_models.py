"""What the cohort automations sent, so that a restart or a second sweep never sends it again.

One row per thing done once: a week's channel post, a nudge of one inactive stretch, a
stuck flag of one stretch, a congratulation, a week's digest. `key` says which one
(the week, or the member and the stretch's start); the unique (cohort, kind, key) is
the guard every sweep inserts against. A row about a member names them (`user_id`, ON
DELETE CASCADE), so their `forget` removes it and their export lists it; every row goes
with its cohort.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Integer, UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.store.models import _when

__all__ = ["CohortEvent"]


class CohortEvent(SQLModel, table=True):
    """One automation done for a cohort (and a member of it, for the member's own)."""

    __tablename__ = "cohort_events"
    # Sweeps read a batch of cohorts' events of one kind: the constraint's index serves it.
    __table_args__ = (UniqueConstraint("cohort_id", "kind", "key", name="uq_cohort_events_key"),)

    id: int | None = Field(default=None, primary_key=True)
    cohort_id: int = Field(
        sa_column=Column(Integer, ForeignKey("cohorts.id", ondelete="CASCADE"), nullable=False)
    )
    user_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=True, index=True
        ),
    )
    kind: str = Field(max_length=12)  # post, nudge, stuck, done, digest
    key: str = Field(max_length=64)
    created_at: datetime = _when()
