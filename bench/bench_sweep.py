"""Review scheduling at scale: the due-card sweep at 100k and 1M cards, and the cost of
the alternative (one APScheduler job per card), side by side.

Prints (a) time per sweep with 10k cards due, at 100k and at 1M cards, and their ratio
(goal: 1M/100k <= 1.3, 1M in <= 1 s); (c) start-up time and memory of 100k reviews as
APScheduler jobs against this design's three periodic jobs (goal: at least 10x lighter).
Run: python bench/bench_sweep.py [--sizes 100000 1000000] [--due 10000]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from apscheduler.schedulers.asyncio import AsyncIOScheduler  # noqa: E402
from sqlalchemy import delete, insert, update  # noqa: E402

from bot.scheduling.jobs import ReviewWorker  # noqa: E402
from bot.scheduling.sweep import SweepPolicy, sweep_due_reviews  # noqa: E402
from bot.store.db import Database  # noqa: E402
from bot.store.models import OutboxMessage, ReviewCard, User  # noqa: E402

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
BATCH = 20_000


async def fill(database: Database, cards: int, due: int, learners: int) -> None:
    """Insert learners and cards: `due` of them due now, the rest due later."""
    async with database.session() as session:
        await session.execute(
            insert(User),
            [
                {
                    "id": i + 1,
                    "platform": "discord",
                    "platform_user_id": str(i + 1),
                    "display_name": "",
                    "timezone": "UTC",
                    "quiet_start": "00:00",
                    "quiet_end": "00:00",
                    "consent_at": NOW - timedelta(days=9),
                    "created_at": NOW - timedelta(days=9),
                }
                for i in range(learners)
            ],
        )
    for start in range(0, cards, BATCH):
        rows = []
        for i in range(start, min(cards, start + BATCH)):
            when = NOW - timedelta(hours=1) if i < due else NOW + timedelta(days=1 + i % 300)
            rows.append(
                {
                    "user_id": (i % learners) + 1,
                    "course_id": "c",
                    "exercise_id": f"e{i}",
                    "card": {},
                    "due": when,
                }
            )
        async with database.session() as session:
            await session.execute(insert(ReviewCard), rows)


async def time_sweep(database: Database, repeats: int = 3) -> float:
    """Return the best time of one sweep, resetting what it wrote between runs."""
    best = float("inf")
    policy = SweepPolicy(daily_cap=1000, per_second=42, burst=10**9)
    for _ in range(repeats):
        async with database.session() as session:
            await session.execute(delete(OutboxMessage))
            await session.execute(update(ReviewCard).values(notified_at=None))
        started = time.perf_counter()
        queued = await sweep_due_reviews(database, NOW, policy)
        best = min(best, time.perf_counter() - started)
        assert queued > 0
    return best


async def sweep_figures(sizes: list[int], due: int) -> dict[int, float]:
    """Measure the sweep at each size, on a fresh SQLite file each."""
    results = {}
    for size in sizes:
        with tempfile.TemporaryDirectory() as folder:
            database = Database(f"sqlite+aiosqlite:///{folder}/sweep.db")
            await database.upgrade()
            started = time.perf_counter()
            await fill(database, size, due, learners=due)
            filled = time.perf_counter() - started
            results[size] = await time_sweep(database)
            await database.close()
        print(
            f"  {size:>9,} cards, {due:,} due: sweep {results[size] * 1000:7.1f} ms "
            f"(filled in {filled:.0f} s)"
        )
    return results


async def noop() -> None:
    """A job that does nothing."""


async def jobs_per_card(count: int) -> tuple[float, int]:
    """Start-up time and memory of one APScheduler job per review."""
    gc.collect()
    tracemalloc.start()
    started = time.perf_counter()
    scheduler = AsyncIOScheduler(timezone=UTC)
    scheduler.start(paused=True)
    for i in range(count):
        scheduler.add_job(noop, "date", run_date=NOW + timedelta(minutes=i), id=f"card-{i}")
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    scheduler.shutdown(wait=False)
    return elapsed, peak


async def this_design() -> tuple[float, int]:
    """Start-up time and memory of this design's periodic jobs (cards stay in the database)."""
    with tempfile.TemporaryDirectory() as folder:
        database = Database(f"sqlite+aiosqlite:///{folder}/w.db")
        gc.collect()
        tracemalloc.start()
        started = time.perf_counter()
        worker = ReviewWorker(database, {}, clock=lambda: NOW, policy=SweepPolicy())
        worker.scheduler.start(paused=True)
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        await worker.stop()
        await database.close()
    return elapsed, peak


async def run(sizes: list[int], due: int, jobs: int) -> None:
    """Print every figure."""
    print(f"(a) the sweep on a SQLite file, {due:,} cards due")
    figures = await sweep_figures(sizes, due)
    if len(sizes) >= 2:
        small, large = figures[sizes[0]], figures[sizes[-1]]
        print(f"  ratio {sizes[-1]:,}/{sizes[0]:,}: {large / small:.2f}  (goal <= 1.3)")
    print(f"(c) {jobs:,} reviews as one APScheduler job each, against this design")
    job_time, job_mem = await jobs_per_card(jobs)
    own_time, own_mem = await this_design()
    print(f"  one job per card: start-up {job_time:.2f} s, memory {job_mem / 2**20:.1f} MiB")
    print(f"  this design:      start-up {own_time:.3f} s, memory {own_mem / 2**20:.2f} MiB")
    print(
        f"  lighter by: {job_time / own_time:.0f}x in time, {job_mem / own_mem:.0f}x in memory"
        "  (goal >= 10x)"
    )


def main() -> None:
    """Parse arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--due", type=int, default=10_000)
    parser.add_argument("--jobs", type=int, default=100_000)
    args = parser.parse_args()
    asyncio.run(run(args.sizes, args.due, args.jobs))


if __name__ == "__main__":
    main()
