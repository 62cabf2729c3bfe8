"""APScheduler runs the periodic jobs only; due dates and messages live in the database.

APScheduler 3 would drop a run missed while the process was busy or down (the default
misfire grace is one second): every job here coalesces missed runs into one and runs
however late (misfire_grace_time=None), and the sweep and the sender also run at start,
so reviews that fell due during downtime are announced on the first sweep after it.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from collections.abc import Awaitable, Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.scheduling.sender import Delivery, OutboxSender, RateLimiter
from bot.scheduling.sweep import SweepPolicy, sweep_due_reviews
from bot.store import attempt_retention, handled_events
from bot.store import outbox as outbox_store
from bot.store.db import Database

log = logging.getLogger(__name__)

OUTBOX_RETENTION = timedelta(days=30)
ATTEMPT_PRUNE_SECONDS = 24 * 3600.0  # the attempt log's retention runs once a day
# Messages per second a worker sends per platform. Slack allows about one message per
# second per channel (the delivery paces each channel itself) and "several hundred per
# minute" across a workspace: 5 a second stays under that, and a claimed batch of 200
# drains well inside the outbox lease.
PLATFORM_RATES = {"discord": 46.0, "slack": 5.0, "console": 20.0}


async def prune_old_attempts(
    database: Database, clock: Callable[[], datetime], keep_days: int
) -> int:
    """Delete graded attempts older than `keep_days` days (0 keeps them); return how many.

    Learners' mastery, cards and statuses already hold what those attempts showed: only
    the log shrinks. The fit reads the same window, so it never misses a pruned row.
    """
    since = attempt_retention.kept_since(clock(), keep_days)
    if since is None:
        return 0
    removed = await attempt_retention.prune_attempts_before(database, since)
    log.info("retention: %d attempt(s) older than %d days removed", removed, keep_days)
    return removed


def worker_name() -> str:
    """Name this worker process (host and pid) for outbox leases."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}"


class ReviewWorker:
    """The sweep, the sender and the clean-up, on one APScheduler."""

    def __init__(
        self,
        database: Database,
        deliveries: Mapping[str, Delivery],
        *,
        clock: Callable[[], datetime],
        policy: SweepPolicy,
        sweep_seconds: float = 60.0,
        send_seconds: float = 1.0,
        lease_seconds: float = 60.0,
        rates: Mapping[str, float] = PLATFORM_RATES,
    ) -> None:
        self.database = database
        self.clock = clock
        self.policy = policy
        self.sender = OutboxSender(
            database,
            deliveries,
            {platform: RateLimiter(rate) for platform, rate in rates.items()},
            clock=clock,
            worker=worker_name(),
            lease=timedelta(seconds=lease_seconds),
        )
        self._running: set[asyncio.Task[Any]] = set()
        self.scheduler = AsyncIOScheduler(
            timezone=UTC,
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
        )
        start = datetime.now(UTC)
        self._add("sweep", self.sweep, "interval", start, seconds=sweep_seconds)
        self._add("send", self.send, "interval", start, seconds=send_seconds)
        self._add("cleanup", self.cleanup, "cron", None, hour=3, minute=30)

    def _add(
        self,
        job_id: str,
        func: Callable[[], Awaitable[object]],
        trigger: str,
        first: datetime | None,
        **fields: float,
    ) -> None:
        """Add one periodic job; interval jobs also run once right away."""
        options: dict[str, object] = {"id": job_id, "replace_existing": True}
        if first is not None:
            options["next_run_time"] = first
        self.scheduler.add_job(func, trigger, **options, **fields)

    def start(self) -> None:
        """Start the jobs on the running event loop."""
        self.scheduler.start()

    async def stop(self, grace_seconds: float = 10.0) -> None:
        """Stop the jobs: no new runs, let running ones finish (or cancel them after a grace).

        Call it before closing the database, so no job is cut off in mid-statement; nothing
        is lost either way, since every message and due date is in the database.
        """
        if not self.scheduler.running:
            return
        self.scheduler.pause()
        running = set(self._running)
        if running:
            _done, late = await asyncio.wait(running, timeout=grace_seconds)
            for task in late:
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)
        self.scheduler.shutdown(wait=False)

    async def sweep(self) -> int:
        """Queue review prompts for learners whose cards are due."""
        with self._tracked():
            try:
                return await sweep_due_reviews(self.database, self.clock(), self.policy)
            except Exception:
                log.exception("sweep failed; it runs again next minute")
                return 0

    async def send(self) -> int:
        """Deliver what is ready in the outbox."""
        with self._tracked():
            try:
                return await self.sender.drain()
            except Exception:
                log.exception("sending failed; undelivered rows stay in the outbox")
                return 0

    async def cleanup(self) -> int:
        """Delete settled outbox rows older than the retention period."""
        with self._tracked():
            removed = await self.database.run(
                outbox_store.delete_settled_before, self.clock() - OUTBOX_RETENTION
            )
            log.info("cleanup: %d old outbox row(s) removed", removed)
            forgotten = await self.database.run(
                handled_events.forget_before, self.clock() - handled_events.EVENT_RETENTION
            )
            log.info("cleanup: %d old platform event record(s) removed", forgotten)
            return removed

    @contextmanager
    def _tracked(self) -> Iterator[None]:
        """Remember the running job's task, so stop() can wait for it."""
        task = asyncio.current_task()
        if task is not None:
            self._running.add(task)
        try:
            yield
        finally:
            if task is not None:
                self._running.discard(task)
