"""The real APScheduler jobs: after downtime, overdue reviews are announced at start, once."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.scheduling.jobs import ReviewWorker
from bot.scheduling.sweep import SweepPolicy
from bot.store.db import Database
from tests.conftest import FixedClock
from tests.scheduling.conftest import T0, learner_with_due_cards
from tests.scheduling.test_sender import ScriptedDelivery


async def test_restart_after_downtime_announces_overdue_reviews_once(database: Database) -> None:
    clock = FixedClock(T0 + timedelta(hours=10))
    for i in range(5):
        # due two days ago, while the bot was down
        await learner_with_due_cards(database, f"l{i}", due=T0 - timedelta(days=2))
    delivery = ScriptedDelivery({})
    # hour-long intervals: only the runs at start can deliver within this test
    worker = ReviewWorker(
        database,
        {"discord": delivery},
        clock=clock,
        policy=SweepPolicy(),
        sweep_seconds=3600,
        send_seconds=0.2,
    )
    worker.start()
    try:
        for _ in range(100):
            if sum(delivery.received.values()) >= 5:
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.5)  # further send runs find nothing more
    finally:
        await worker.stop()
    assert dict(delivery.received) == {f"l{i}": 1 for i in range(5)}
    jobs = {job.id: job for job in worker.scheduler.get_jobs()}
    assert jobs["sweep"].coalesce and jobs["sweep"].misfire_grace_time is None
