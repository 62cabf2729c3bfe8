"""Record platform event ids once across processes; forget them after a day."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlmodel import col

from bot.store.event_models import HandledEvent

__all__ = ["EVENT_RETENTION", "first_time", "forget_before"]

EVENT_RETENTION = timedelta(days=1)  # Slack retries for minutes, never for a day


def first_time(session: Session, platform: str, event_id: str, now: datetime) -> bool:
    """Record the event; tell whether no process had recorded it before."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(HandledEvent)
        .values(platform=platform, event_id=event_id, seen_at=now)
        .on_conflict_do_nothing()
    )
    return bool(getattr(session.execute(statement), "rowcount", 0) == 1)


def forget_before(session: Session, before: datetime) -> int:
    """Delete the records of events older than `before`; return how many."""
    result = session.execute(
        delete(HandledEvent)
        .where(col(HandledEvent.seen_at) < before)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)
