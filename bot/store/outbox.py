"""Repository functions for the outbox: enqueue, claim under a lease, settle."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session
from sqlmodel import SQLModel, col

from bot.store.models import OutboxMessage
from bot.store.reviews import chunks
from bot.store.unit import core

READY = ("pending", "sending")
_OUTBOX = SQLModel.metadata.tables[OutboxMessage.__tablename__]


class NewMessage(NamedTuple):
    """A message to put in the outbox."""

    user_id: int
    platform: str
    recipient: str
    kind: str
    payload: dict[str, Any]
    idempotency_key: str
    next_attempt_at: datetime
    created_at: datetime


def enqueue(session: Session, messages: list[NewMessage]) -> None:
    """Add messages to the outbox, ready from their `next_attempt_at`."""
    if messages:
        rows = [{**m._asdict(), "status": "pending", "attempts": 0} for m in messages]
        core(session).execute(insert(_OUTBOX), rows)


def sent_since(
    session: Session, user_ids: list[int], kind: str, since: datetime
) -> dict[int, list[datetime]]:
    """Return when each learner was sent a message of `kind` since `since`."""
    sent: dict[int, list[datetime]] = defaultdict(list)
    for chunk in chunks(user_ids):
        rows = core(session).execute(
            select(col(OutboxMessage.user_id), col(OutboxMessage.created_at)).where(
                col(OutboxMessage.user_id).in_(chunk),
                col(OutboxMessage.kind) == kind,
                col(OutboxMessage.created_at) >= since,
            )
        )
        for user_id, created in rows:
            sent[int(user_id)].append(created)
    return dict(sent)


def claim_batch(
    session: Session,
    *,
    worker: str,
    platforms: Collection[str],
    now: datetime,
    lease: timedelta,
    limit: int,
    recipients: Mapping[str, Collection[str]] | None = None,
) -> list[OutboxMessage]:
    """Claim up to `limit` ready rows of `platforms` for this worker; no row goes to two.

    `recipients` limits a platform to the people this worker can reach there (the one
    person at a console), so a row for someone else waits for the worker that can.

    A worker claims only what it can deliver: a row of another platform would otherwise
    fail here and be parked, though the worker that can deliver it is fine. PostgreSQL
    locks the chosen rows with FOR UPDATE SKIP LOCKED; SQLite serves one process and takes
    its write lock for the whole statement. A row whose lease ran out (its worker died)
    is ready again. The rows come back detached, readable after the unit has ended.
    """
    if not platforms:
        return []
    ready = (
        select(col(OutboxMessage.id))
        .where(
            col(OutboxMessage.status).in_(READY),
            col(OutboxMessage.platform).in_(sorted(platforms)),
            col(OutboxMessage.next_attempt_at) <= now,
            (col(OutboxMessage.claimed_until).is_(None)) | (col(OutboxMessage.claimed_until) < now),
        )
        .order_by(col(OutboxMessage.next_attempt_at), col(OutboxMessage.id))
        .limit(limit)
    )
    for platform, people in (recipients or {}).items():
        ready = ready.where(
            (col(OutboxMessage.platform) != platform)
            | col(OutboxMessage.recipient).in_(sorted(people))
        )
    if session.get_bind().dialect.name == "postgresql":
        ready = ready.with_for_update(skip_locked=True)
    result = session.execute(
        update(OutboxMessage)
        .where(col(OutboxMessage.id).in_(ready.scalar_subquery()))
        .values(status="sending", claimed_by=worker, claimed_until=now + lease)
        .returning(OutboxMessage)
        .execution_options(synchronize_session=False)
    )
    claimed = list(result.scalars())
    for message in claimed:
        session.expunge(message)
    return sorted(claimed, key=lambda m: (m.next_attempt_at, m.id or 0))


def mark_sent(session: Session, message_id: int, worker: str, now: datetime) -> None:
    """Settle a row as delivered (only if this worker still holds it)."""
    session.execute(
        update(OutboxMessage)
        .where(col(OutboxMessage.id) == message_id, col(OutboxMessage.claimed_by) == worker)
        .values(status="sent", sent_at=now, claimed_until=None)
        .execution_options(synchronize_session=False)
    )


def reschedule(
    session: Session,
    message_id: int,
    worker: str,
    *,
    attempts: int,
    at: datetime,
    error: str,
    status: str = "pending",
) -> None:
    """Put a row back for a later attempt, or park it with its last error."""
    session.execute(
        update(OutboxMessage)
        .where(col(OutboxMessage.id) == message_id, col(OutboxMessage.claimed_by) == worker)
        .values(
            status=status,
            attempts=attempts,
            next_attempt_at=at,
            claimed_until=None,
            last_error=error[:500],
        )
        .execution_options(synchronize_session=False)
    )


def pending_for_user(session: Session, user_id: int) -> list[OutboxMessage]:
    """Return a user's rows not yet delivered."""
    result = session.execute(
        select(OutboxMessage).where(
            col(OutboxMessage.user_id) == user_id, col(OutboxMessage.status).in_(READY)
        )
    )
    return list(result.scalars())


def delete_settled_before(session: Session, before: datetime) -> int:
    """Delete delivered or parked rows older than `before`; return how many."""
    result = session.execute(
        delete(OutboxMessage)
        .where(
            col(OutboxMessage.status).in_(("sent", "parked", "unreachable")),
            col(OutboxMessage.created_at) < before,
        )
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)
