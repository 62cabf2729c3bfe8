"""Repository functions for the cohort automations' record: what was sent, and to whom.

Sweeps work through the active cohorts in batches by id (`active_batch`), read the
events of a whole batch at once (`events_of`), and record new ones with
`record_new`, which skips any already there and says which were new: only those are
sent, so two sweeps (or a restart between a read and a write) never send one twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import delete, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlmodel import SQLModel, col

from bot.store.cohort_event_models import CohortEvent
from bot.store.cohort_models import Cohort
from bot.store.cohorts import ACTIVE
from bot.store.models import OutboxMessage
from bot.store.unit import core

__all__ = [
    "NewEvent",
    "active_batch",
    "events_of",
    "flag_key_prefix",
    "forget_member_traces",
    "record_new",
]

_EVENTS = SQLModel.metadata.tables[CohortEvent.__tablename__]
ROWS_PER_INSERT = 500  # six parameters a row: well under SQLite's bound-parameter limit


class NewEvent(NamedTuple):
    """An automation about to be done: its cohort, member (if any), kind and key."""

    cohort_id: int
    user_id: int | None
    kind: str
    key: str
    created_at: datetime


def active_batch(session: Session, now: datetime, after: int, limit: int) -> list[Cohort]:
    """Return up to `limit` cohorts not ended, started by `now`, with ids above `after`."""
    return list(
        session.execute(
            select(Cohort)
            .where(
                col(Cohort.state) == ACTIVE,
                col(Cohort.starts_on) <= now,
                col(Cohort.id) > after,
            )
            .order_by(col(Cohort.id))
            .limit(limit)
        ).scalars()
    )


def events_of(
    session: Session,
    cohort_ids: list[int],
    kinds: Iterable[str],
    keys: Iterable[str] | None = None,
) -> list[tuple[int, int | None, str, str]]:
    """Return (cohort, member, kind, key) of every event of these kinds (and keys, if
    given) in these cohorts."""
    if not cohort_ids:
        return []
    query = select(
        col(CohortEvent.cohort_id),
        col(CohortEvent.user_id),
        col(CohortEvent.kind),
        col(CohortEvent.key),
    ).where(col(CohortEvent.cohort_id).in_(cohort_ids), col(CohortEvent.kind).in_(list(kinds)))
    if keys is not None:
        query = query.where(col(CohortEvent.key).in_(sorted(set(keys))))
    rows = core(session).execute(query)
    return [(int(c), None if u is None else int(u), str(k), str(key)) for c, u, k, key in rows]


def record_new(session: Session, events: list[NewEvent]) -> set[tuple[int, str, str]]:
    """Record events, skipping any already recorded; return (cohort, kind, key) of the new."""
    dialect = session.get_bind().dialect.name
    new: set[tuple[int, str, str]] = set()
    for first in range(0, len(events), ROWS_PER_INSERT):
        rows = [e._asdict() for e in events[first : first + ROWS_PER_INSERT]]
        statement: Any
        if dialect == "postgresql":
            statement = postgresql.insert(_EVENTS).values(rows).on_conflict_do_nothing()
        elif dialect == "sqlite":
            statement = sqlite.insert(_EVENTS).values(rows).on_conflict_do_nothing()
        else:  # pragma: no cover - the two supported databases are above
            statement = insert(_EVENTS).values(rows)
        returning = statement.returning(_EVENTS.c.cohort_id, _EVENTS.c.kind, _EVENTS.c.key)
        new.update((int(c), str(k), str(key)) for c, k, key in core(session).execute(returning))
    return new


def flag_key_prefix(member_id: int) -> str:
    """The start of the outbox key of every stuck flag about a member (sent to staff)."""
    return f"cohort-flag:m{member_id}:"


def forget_member_traces(session: Session, member_id: int) -> int:
    """Delete staff's messages that describe a member (stuck flags); return how many.

    They are the staff member's outbox rows, which the cascade from the member's row does
    not reach; their keys name the member.
    """
    result = core(session).execute(
        delete(OutboxMessage).where(
            col(OutboxMessage.idempotency_key).startswith(
                flag_key_prefix(member_id), autoescape=True
            )
        )
    )
    return int(result.rowcount or 0)
