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

from sqlalchemy import delete, insert, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlmodel import SQLModel, col

from bot.store.cohort_event_models import CohortEvent
from bot.store.cohort_models import Cohort, CohortMember
from bot.store.cohorts import ACTIVE
from bot.store.models import OutboxMessage
from bot.store.unit import core

__all__ = [
    "DIGEST_KIND",
    "NewEvent",
    "active_batch",
    "digest_key",
    "events_of",
    "flag_key_prefix",
    "forget_member_traces",
    "record_new",
]

_EVENTS = SQLModel.metadata.tables[CohortEvent.__tablename__]
DIGEST_KIND = "digest"  # a creator's weekly digest; its key is the week it opens
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


def digest_key(cohort_id: int, week: int) -> str:
    """The outbox key of a cohort's weekly digest to its creator."""
    return f"cohort-digest:{cohort_id}:{week}"


def forget_member_traces(session: Session, member_id: int) -> int:
    """Delete staff's messages that describe a member; return how many.

    They are the staff member's outbox rows, which the cascade from the member's row does
    not reach: stuck flags (their keys name the member) and the digests of the member's
    cohorts, which may name them. A digest not sent yet is queued again by the next sweep,
    read afresh without the member.
    """
    flags = core(session).execute(
        delete(OutboxMessage).where(
            col(OutboxMessage.idempotency_key).startswith(
                flag_key_prefix(member_id), autoescape=True
            )
        )
    )
    cohorts = select(col(CohortMember.cohort_id)).where(col(CohortMember.user_id) == member_id)
    prefixes = [digest_key(int(c), 0)[:-1] for c in core(session).execute(cohorts).scalars()]
    if not prefixes:
        return int(flags.rowcount or 0)
    keyed = or_(
        *(col(OutboxMessage.idempotency_key).startswith(p, autoescape=True) for p in prefixes)
    )
    columns = (col(OutboxMessage.id), col(OutboxMessage.idempotency_key), col(OutboxMessage.status))
    digests = core(session).execute(select(*columns).where(keyed)).all()
    unsent = [key.split(":")[1:] for _, key, status in digests if status != "sent"]
    for cohort_id, week in unsent:
        core(session).execute(
            delete(CohortEvent).where(
                col(CohortEvent.cohort_id) == int(cohort_id),
                col(CohortEvent.kind) == DIGEST_KIND,
                col(CohortEvent.key) == week,
            )
        )
    if digests:
        ids = [row_id for row_id, _, _ in digests]
        core(session).execute(delete(OutboxMessage).where(col(OutboxMessage.id).in_(ids)))
    return int(flags.rowcount or 0) + len(digests)
