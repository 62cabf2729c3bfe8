"""Platform events already handled, shared by every process on the database.

A platform that retries an event (Slack does, when it thinks an answer came late) may
reach another process; the first process to record an event's id handles it.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from bot.store.models import _when

__all__ = ["HandledEvent"]


class HandledEvent(SQLModel, table=True):
    """One platform event id, recorded when a process started handling it."""

    __tablename__ = "handled_events"

    platform: str = Field(max_length=16, primary_key=True)
    event_id: str = Field(max_length=64, primary_key=True)
    seen_at: datetime = _when(index=True)
