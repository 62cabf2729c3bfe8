"""The coach-reminder sweep at scale: 10,000 coaches x 20 clients x 5 open assignments.

Prints the time of one whole sweep (every reminder whose time has come queued in the
outbox, each assignment's next time written) with 1% and with 10% of the assignments due,
and with the same number due among ten times fewer assignments. The sweep reads
assignments by their indexed `next_reminder_at` only, so its cost should follow what is
due (10x the due: about 10x the time) and not what exists (10x the assignments with the
same due: about the same time).
Run: python bench/bench_coaching.py [--coaches 10000] [--clients 20] [--open 5]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import delete, insert, text, update  # noqa: E402

from bot.services.coach_reminders import ReminderPolicy, sweep_coach_reminders  # noqa: E402
from bot.store.coaching_models import Assignment, CoachExercise, CoachLink  # noqa: E402
from bot.store.db import Database  # noqa: E402
from bot.store.models import OutboxMessage, User  # noqa: E402

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
BATCH = 20_000
STEPS = [{"prompt": "Who will you ask?", "plain": ["names a person"], "criteria": []}]


async def fill(database: Database, coaches: int, clients: int, open_each: int) -> int:
    """Insert coaches, their clients and links, one exercise each, and the open assignments.

    Every assignment's next reminder is days away; `make_due` brings some of them to now.
    Returns how many assignments exist.
    """
    people = coaches * (1 + clients)
    await _batches(
        database,
        User,
        (
            {
                "id": i,
                "platform": "discord",
                "platform_user_id": str(i),
                "display_name": f"p{i}",
                "timezone": "UTC",
                "quiet_start": "00:00",  # no quiet hours: every due reminder is sent
                "quiet_end": "00:00",
                "consent_at": NOW - timedelta(days=9),
                "created_at": NOW - timedelta(days=9),
            }
            for i in range(1, people + 1)
        ),
    )
    await _batches(
        database,
        CoachExercise,
        (
            {
                "id": c,
                "coach_id": c,
                "title": "A hard conversation",
                "steps": STEPS,
                "source": "form",
                "revision": 1,
                "created_at": NOW,
                "updated_at": NOW,
            }
            for c in range(1, coaches + 1)
        ),
    )
    await _batches(
        database,
        CoachLink,
        (
            {
                "id": link,
                "coach_id": (link - 1) // clients + 1,
                "client_id": coaches + link,
                "invite_code": f"C{link}",
                "invite_expires_at": NOW,
                "created_at": NOW,
                "accepted_at": NOW,
                "reminders": "all",
                "pause_after": 3,
            }
            for link in range(1, coaches * clients + 1)
        ),
    )
    total = coaches * clients * open_each
    await _batches(
        database,
        Assignment,
        (
            {
                "id": a,
                "link_id": (a - 1) // open_each + 1,
                "coach_id": ((a - 1) // open_each) // clients + 1,
                "client_id": coaches + (a - 1) // open_each + 1,
                "exercise_id": ((a - 1) // open_each) // clients + 1,
                "title": "A hard conversation",
                "steps": STEPS,
                "note": "",
                "due_at": NOW + timedelta(days=5),
                "state": "assigned",
                "steps_done": 0,
                "assigned_at": NOW - timedelta(days=2),
                "next_reminder_at": NOW + timedelta(days=1 + a % 4),
                "reminders_sent": 0,
                "unanswered": 0,
            }
            for a in range(1, total + 1)
        ),
    )
    return total


async def _batches(database: Database, table: type, rows: object) -> None:
    """Insert rows in batches of BATCH."""
    chunk: list[dict[str, object]] = []
    for row in rows:  # type: ignore[attr-defined]
        chunk.append(row)
        if len(chunk) == BATCH:
            await _insert(database, table, chunk)
            chunk = []
    if chunk:
        await _insert(database, table, chunk)


async def _insert(database: Database, table: type, rows: list[dict[str, object]]) -> None:
    async with database.session() as session:
        await session.execute(insert(table), rows)


async def make_due(database: Database, every: int) -> int:
    """Reset the assignments and the outbox; make every `every`-th assignment due now."""
    async with database.session() as session:
        await session.execute(delete(OutboxMessage))
        await session.execute(
            update(Assignment).values(
                next_reminder_at=NOW + timedelta(days=2), reminders_sent=0, unanswered=0
            )
        )
        result = await session.execute(
            update(Assignment)
            .where(text(f"assignments.id % {every} = 0"))
            .values(next_reminder_at=NOW - timedelta(minutes=5))
        )
    due = int(getattr(result, "rowcount", 0) or 0)
    if database.is_sqlite:  # write the reset back now, not during the sweep being timed
        async with database.engine.connect() as connection:
            await connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return due


async def time_sweep(database: Database, every: int, repeats: int) -> tuple[float, int]:
    """The best time of one whole sweep with every `every`-th assignment due, and its count."""
    best, queued = float("inf"), 0
    for _ in range(repeats):
        due = await make_due(database, every)
        started = time.perf_counter()
        queued = await sweep_coach_reminders(database, NOW, ReminderPolicy())
        best = min(best, time.perf_counter() - started)
        assert queued == due, (queued, due)
    return best, queued


async def run(coaches: int, clients: int, open_each: int, repeats: int) -> None:
    """Print every figure."""
    figures: dict[tuple[int, int], float] = {}
    for size_coaches, shares in ((coaches, (100, 10)), (max(1, coaches // 10), (10,))):
        with tempfile.TemporaryDirectory() as folder:
            database = Database(f"sqlite+aiosqlite:///{folder}/coaching.db")
            await database.upgrade()
            started = time.perf_counter()
            total = await fill(database, size_coaches, clients, open_each)
            filled = time.perf_counter() - started
            print(
                f"{size_coaches:,} coaches x {clients} clients x {open_each} open: "
                f"{total:,} assignments (filled in {filled:.0f} s)"
            )
            await make_due(database, 1000)  # warm up: statements compiled, zones loaded
            await sweep_coach_reminders(database, NOW, ReminderPolicy())
            for every in shares:
                seconds, due = await time_sweep(database, every, repeats)
                figures[(total, due)] = seconds
                print(
                    f"  {100 / every:>4.0f}% due ({due:>7,} reminders): sweep "
                    f"{seconds * 1000:8.1f} ms, {seconds / due * 1e6:6.1f} us per reminder"
                )
            await database.close()
    (large, few), (_, many), (small, _) = list(figures)
    print(
        f"10% vs 1% due among {large:,}: {figures[(large, many)] / figures[(large, few)]:.1f}x "
        "the time for 10x the due  (cost follows what is due)"
    )
    print(
        f"{few:,} due among {large:,} vs among {small:,}: "
        f"{figures[(large, few)] / figures[(small, few)]:.2f}x the time for 10x the assignments  "
        "(cost does not follow what exists)"
    )


def main() -> None:
    """Parse arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--coaches", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--open", type=int, default=5, dest="open_each")
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    asyncio.run(run(args.coaches, args.clients, args.open_each, args.repeats))


if __name__ == "__main__":
    main()
