"""Repository functions for the outbox: enqueue, claim under a lease, settle."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.store.models import OutboxMessage

READY = ("pending", "sending")


async def claim_batch(
    session: AsyncSession, *, worker: str, now: datetime, lease: timedelta, limit: int
) -> list[OutboxMessage]:
    """Claim up to `limit` ready rows for this worker; no two workers get the same row.

    PostgreSQL locks the chosen rows with FOR UPDATE SKIP LOCKED; SQLite serves one process
    and takes its write lock for the whole statement. A row whose lease ran out (its worker
    died) is ready again.
    """
    ready = (
        select(col(OutboxMessage.id))
        .where(
            col(OutboxMessage.status).in_(READY),
            col(OutboxMessage.next_attempt_at) <= now,
            (col(OutboxMessage.claimed_until).is_(None)) | (col(OutboxMessage.claimed_until) < now),
        )
        .order_by(col(OutboxMessage.next_attempt_at), col(OutboxMessage.id))
        .limit(limit)
    )
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        ready = ready.with_for_update(skip_locked=True)
    result = await session.execute(
        update(OutboxMessage)
        .where(col(OutboxMessage.id).in_(ready.scalar_subquery()))
        .values(status="sending", claimed_by=worker, claimed_until=now + lease)
        .returning(OutboxMessage)
        .execution_options(synchronize_session=False)
    )
    return sorted(result.scalars().all(), key=lambda m: (m.next_attempt_at, m.id or 0))


async def mark_sent(session: AsyncSession, message_id: int, worker: str, now: datetime) -> None:
    """Settle a row as delivered (only if this worker still holds it)."""
    await session.execute(
        update(OutboxMessage)
        .where(col(OutboxMessage.id) == message_id, col(OutboxMessage.claimed_by) == worker)
        .values(status="sent", sent_at=now, claimed_until=None)
    )


async def reschedule(
    session: AsyncSession,
    message_id: int,
    worker: str,
    *,
    attempts: int,
    at: datetime,
    error: str,
    status: str = "pending",
) -> None:
    """Put a row back for a later attempt, or park it with its last error."""
    await session.execute(
        update(OutboxMessage)
        .where(col(OutboxMessage.id) == message_id, col(OutboxMessage.claimed_by) == worker)
        .values(
            status=status,
            attempts=attempts,
            next_attempt_at=at,
            claimed_until=None,
            last_error=error[:500],
        )
    )


async def pending_for_user(session: AsyncSession, user_id: int) -> list[OutboxMessage]:
    """Return a user's rows not yet delivered."""
    result = await session.execute(
        select(OutboxMessage).where(
            col(OutboxMessage.user_id) == user_id, col(OutboxMessage.status).in_(READY)
        )
    )
    return list(result.scalars())


async def delete_settled_before(session: AsyncSession, before: datetime) -> int:
    """Delete delivered or parked rows older than `before`; return how many."""
    result = await session.execute(
        delete(OutboxMessage).where(
            col(OutboxMessage.status).in_(("sent", "parked", "unreachable")),
            col(OutboxMessage.created_at) < before,
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)
