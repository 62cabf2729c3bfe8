"""The sender: drains the outbox under each platform's rate limit, never losing a row.

Each row is claimed under a lease, delivered with its idempotency key (a resend after a
crash is recognised by the platform), and then settled: sent, retried later with backoff,
marked unreachable, or parked after too many failures (and logged, never dropped silently).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal, Protocol

from sqlalchemy.orm import Session

from bot.store import outbox as outbox_store
from bot.store import users as user_store
from bot.store.db import Database
from bot.store.models import OutboxMessage

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
BACKOFF_CAP = timedelta(hours=1)


@dataclass(frozen=True)
class DeliveryResult:
    """How one delivery went."""

    status: Literal["sent", "retry", "deferred", "unreachable", "failed"]
    retry_after: float | None = None
    error: str = ""


class Delivery(Protocol):
    """A platform's way of delivering one outbox row."""

    async def deliver(self, message: OutboxMessage) -> DeliveryResult:
        """Deliver one message; never raise for platform errors, report them."""
        ...


class RateLimiter:
    """Pace requests to at most `per_second`, evenly (no bursts past the limit)."""

    def __init__(self, per_second: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.interval = 1.0 / per_second
        self._clock = clock
        self._next = 0.0
        self._lock = asyncio.Lock()

    async def acquire(self) -> None:
        """Wait for the next free slot."""
        async with self._lock:
            now = self._clock()
            wait = self._next - now
            self._next = max(now, self._next) + self.interval
        if wait > 0:
            await asyncio.sleep(wait)

    def pause(self, seconds: float) -> None:
        """Hold every request back for `seconds` (after a 429)."""
        self._next = max(self._next, self._clock() + seconds)


def backoff(attempts: int) -> timedelta:
    """Return the wait before the next try: 5 s doubling per attempt, capped at an hour."""
    return min(timedelta(seconds=5 * 2 ** max(0, attempts - 1)), BACKOFF_CAP)


class OutboxSender:
    """Drain ready outbox rows for the platforms it knows."""

    def __init__(
        self,
        database: Database,
        deliveries: Mapping[str, Delivery],
        limiters: Mapping[str, RateLimiter],
        *,
        clock: Callable[[], datetime],
        worker: str,
        lease: timedelta = timedelta(seconds=60),
        concurrency: int = 4,
    ) -> None:
        self.database = database
        self.deliveries = deliveries
        self.limiters = limiters
        self.clock = clock
        self.worker = worker
        self.lease = lease
        self.concurrency = concurrency

    async def drain_once(self, limit: int = 200) -> int:
        """Claim one batch, deliver it, settle every row; return how many were claimed."""
        now, platforms = self.clock(), tuple(self.deliveries)
        # a delivery that reaches only some people there (a console) names them
        reach = {
            platform: people
            for platform, delivery in self.deliveries.items()
            if (people := getattr(delivery, "recipients", None)) is not None
        }
        batch = await self.database.run(
            lambda session: outbox_store.claim_batch(
                session,
                worker=self.worker,
                platforms=platforms,
                now=now,
                lease=self.lease,
                limit=limit,
                recipients=reach,
            )
        )
        if not batch:
            return 0
        gate = asyncio.Semaphore(self.concurrency)

        async def one(message: OutboxMessage) -> None:
            async with gate:
                await self._deliver(message)

        await asyncio.gather(*(one(m) for m in batch))
        return len(batch)

    async def drain(self, limit: int = 200) -> int:
        """Deliver until nothing is ready; return how many rows were handled."""
        total = 0
        while handled := await self.drain_once(limit):
            total += handled
        return total

    async def _deliver(self, message: OutboxMessage) -> None:
        """Deliver one row and record what happened."""
        assert message.id is not None
        delivery = self.deliveries[message.platform]  # claimed only for these platforms
        limiter = self.limiters.get(message.platform)
        if limiter is not None:
            await limiter.acquire()
        try:
            result = await delivery.deliver(message)
        except Exception as exc:  # a bug in a delivery must not lose the row
            log.error("outbox %s: delivery raised", message.id, exc_info=exc)
            result = DeliveryResult("retry", error=f"{type(exc).__name__}: {exc}")
        if result.status == "retry" and result.retry_after and limiter is not None:
            limiter.pause(result.retry_after)
        await self._settle(message, result)

    async def _settle(self, message: OutboxMessage, result: DeliveryResult) -> None:
        """Write the outcome of one delivery."""
        assert message.id is not None
        message_id, now = message.id, self.clock()
        if result.status == "sent":
            await self.database.run(outbox_store.mark_sent, message_id, self.worker, now)
            return
        attempts = message.attempts + 1
        status, at = "pending", now
        if result.status == "unreachable":
            status = "unreachable"
            log.info("outbox %s: recipient unreachable; not retrying", message_id)
        elif result.status == "failed" or (result.status == "retry" and attempts >= MAX_ATTEMPTS):
            status = "parked"
            log.error(
                "outbox %s parked after %d attempt(s): %s", message_id, attempts, result.error
            )
        else:
            if result.status == "deferred":
                attempts -= 1  # not a failure: the recipient just is not here now
            wait = timedelta(seconds=result.retry_after) if result.retry_after else None
            at = now + (wait if wait is not None else backoff(attempts))

        def record(session: Session) -> None:
            if status == "unreachable":
                user_store.mark_unreachable(session, message.user_id, now)
            outbox_store.reschedule(
                session,
                message_id,
                self.worker,
                attempts=attempts,
                at=at,
                error=result.error or result.status,
                status=status,
            )

        await self.database.run(record)
