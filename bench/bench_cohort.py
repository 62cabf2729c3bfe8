"""Cohorts at scale: `/cohort status` for 2,000 members with 50,000 recorded attempts.

Builds a SQLite file with one large cohort (its members' attempts, dialogues with the
tutor's targeted questions, mastery rows and review cards) among many small cohorts of
the same course in other servers, then times the status (every read and the text) and
counts its SQL statements. Ten times more other cohorts are then added: the count must
stay the same (the status reads filter by the cohort's members, never by scanning
cohorts), and the time should stay about the same.

Then the weekly posting sweep over 5,000 cohorts (each with a few members and their
work): its time and SQL statements when every cohort's week is due, and when nothing is
left to post. It reads the cohorts in batches, a fixed set of statements per batch.
Run: python bench/bench_cohort.py [--members 2000] [--attempts 50000] [--others 500]
     [--cohorts 5000]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402

from bot.content.catalog import Course  # noqa: E402
from bot.content.loader import load_catalog  # noqa: E402
from bot.content.models import ReflectionExercise  # noqa: E402
from bot.services.cohort_desk import CohortDesk, Place  # noqa: E402
from bot.services.cohort_posts import AutomationPolicy, sweep_posts  # noqa: E402
from bot.services.messages import Person  # noqa: E402
from bot.store.cohort_models import Cohort, CohortMember, CohortStaff  # noqa: E402
from bot.store.db import Database  # noqa: E402
from bot.store.models import Attempt, Dialogue, Mastery, ReviewCard, Turn, User  # noqa: E402
from tests.support.statements import counting  # noqa: E402

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
START = NOW - timedelta(days=42)
COURSE = "fractions-and-equations"
CREATOR = Person("discord", "creator", "Creator")
HERE = Place("guild-main", "chan-main")
BATCH = 20_000
STATUSES = ("learning", "learning", "proficient", "mastered")


class Ids:
    """The next free primary key of each table (rows are inserted with their ids)."""

    def __init__(self) -> None:
        self.next: dict[str, int] = {}

    def take(self, table: str, count: int) -> range:
        """Reserve `count` ids of a table."""
        first = self.next.get(table, 1)
        self.next[table] = first + count
        return range(first, first + count)


class Pending:
    """Rows waiting to be inserted, table by table, in an order the foreign keys accept."""

    ORDER = (User, Cohort, CohortStaff, CohortMember, Attempt, Dialogue, Turn, Mastery, ReviewCard)

    def __init__(self) -> None:
        self.rows: dict[type, list[dict[str, Any]]] = {table: [] for table in self.ORDER}

    def add(self, table: type, rows: Iterable[dict[str, Any]]) -> None:
        """Queue rows of a table."""
        self.rows[table].extend(rows)

    async def flush(self, database: Database) -> None:
        """Insert everything queued."""
        for table in self.ORDER:
            await insert_rows(database, table, self.rows[table])
            self.rows[table] = []


async def insert_rows(database: Database, table: type, rows: Iterable[dict[str, Any]]) -> None:
    """Insert rows in batches of BATCH."""
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == BATCH:
            await _insert(database, table, chunk)
            chunk = []
    if chunk:
        await _insert(database, table, chunk)


async def _insert(database: Database, table: type, rows: list[dict[str, Any]]) -> None:
    async with database.session() as session:
        await session.execute(insert(table), rows)


def _user(uid: int, name: str) -> dict[str, Any]:
    return {
        "id": uid,
        "platform": "discord",
        "platform_user_id": name,
        "display_name": name,
        "timezone": "UTC",
        "quiet_start": "21:00",
        "quiet_end": "08:00",
        "consent_at": START,
        "created_at": START,
    }


def _cohort(cid: int, creator: int, workspace: str) -> dict[str, Any]:
    return {
        "id": cid,
        "creator_id": creator,
        "platform": "discord",
        "workspace_id": workspace,
        "channel_id": HERE.channel_id,
        "course_id": COURSE,
        "title": f"Cohort {cid}",
        "starts_on": START,
        "pace": "weekly",
        "timezone": "UTC",
        "state": "active",
        "nudge_after_days": 5,
        "certificates": False,
        "leaderboard": False,
        "created_at": START,
    }


def add_cohort(
    pending: Pending,
    ids: Ids,
    course: Course,
    rng: random.Random,
    workspace: str,
    members: int,
    attempts: int,
    creator_name: str = "",
) -> int:
    """One cohort with its creator, members and their recorded work; return its id."""
    creator, cohort = ids.take("users", 1)[0], ids.take("cohorts", 1)[0]
    people = ids.take("users", members)
    first = _user(creator, creator_name or f"u{creator}")
    pending.add(User, [first, *(_user(u, f"u{u}") for u in people)])
    pending.add(Cohort, [_cohort(cohort, creator, workspace)])
    staff = {"id": ids.take("cohort_staff", 1)[0], "cohort_id": cohort, "user_id": creator}
    pending.add(CohortStaff, [{**staff, "role": "creator", "added_at": START}])
    pending.add(
        CohortMember,
        (
            {
                "id": mid,
                "cohort_id": cohort,
                "user_id": uid,
                "joined_at": START,
                "consent_at": START,
                "left_at": None,
                "leaderboard_opt_out": False,
            }
            for mid, uid in zip(ids.take("cohort_members", members), people, strict=True)
        ),
    )
    add_work(pending, ids, course, rng, list(people), attempts)
    return cohort


def add_work(
    pending: Pending,
    ids: Ids,
    course: Course,
    rng: random.Random,
    people: list[int],
    attempts: int,
) -> None:
    """Attempts, one dialogue per five attempts (a targeted question in some), mastery rows
    and review cards for these members."""
    items = [e for e in course.exercises.values() if not isinstance(e, ReflectionExercise)]
    named = {e.id: [m.name for m in e.misconceptions if m.name] for e in items}
    span = (NOW - START).total_seconds()
    attempt_rows, dialogue_rows, turn_rows = [], [], []
    for aid in ids.take("attempts", attempts):
        item = rng.choice(items)
        uid = people[aid % len(people)]
        at = START + timedelta(seconds=rng.random() * span)
        credit = rng.choice((0.0, 0.0, 0.4, 0.7, 1.0, 1.0))
        attempt_rows.append(
            {"id": aid, "user_id": uid, "course_id": COURSE, "skill_id": item.skill,
             "exercise_id": item.id, "purpose": "practice", "credit": credit, "created_at": at}
        )  # fmt: skip
        if aid % 5:
            continue
        did = ids.take("dialogues", 1)[0]
        dialogue_rows.append(
            {"id": did, "user_id": uid, "course_id": COURSE, "exercise_id": item.id,
             "purpose": "practice", "variant": {}, "state": {}, "turn_count": 2,
             "outcome": "solved", "started_at": at, "updated_at": at, "closed_at": at}
        )  # fmt: skip
        names = named[item.id]
        turn_rows.append(
            {"id": ids.take("turns", 1)[0], "dialogue_id": did, "seq": 2, "role": "tutor",
             "text": "...", "move": "targeted" if names else "hint",
             "misconception": rng.choice(names) if names else None, "rung": None,
             "criterion": None, "verdict": None, "created_at": at}
        )  # fmt: skip
    pending.add(Attempt, attempt_rows)
    pending.add(Dialogue, dialogue_rows)
    pending.add(Turn, turn_rows)
    pending.add(Mastery, _mastery(ids, course, rng, people))
    pending.add(ReviewCard, _cards(ids, items, rng, people))


def _mastery(ids: Ids, course: Course, rng: random.Random, people: list[int]) -> Iterator[dict]:
    for uid in people:
        for skill in course.skills:
            status = rng.choice(STATUSES)
            reached = START + timedelta(days=rng.random() * 40) if status != "learning" else None
            yield {
                "id": ids.take("mastery", 1)[0], "user_id": uid, "course_id": COURSE,
                "skill_id": skill, "p_known": 0.97 if reached else 0.4, "attempts": 5,
                "correct": 3, "status": status, "proficient_at": reached,
                "mastered_at": reached if status == "mastered" else None,
                "checked_at": None, "updated_at": NOW,
            }  # fmt: skip


def _cards(ids: Ids, items: list[Any], rng: random.Random, people: list[int]) -> Iterator[dict]:
    for uid in people:
        for item in rng.sample(items, 3):
            yield {
                "id": ids.take("review_cards", 1)[0], "user_id": uid, "course_id": COURSE,
                "exercise_id": item.id, "card": {}, "notified_at": None, "last_review": None,
                "due": NOW + timedelta(days=rng.uniform(-5, 5)),
            }  # fmt: skip


async def time_status(desk: CohortDesk, repeats: int) -> tuple[float, int, str]:
    """The median time of `/cohort status`, its SQL statement count and its text."""
    await desk.status(CREATOR, HERE, 1)  # warm up: statements compiled, pages cached
    times, statements, text = [], 0, ""
    for _ in range(repeats):
        with counting(desk.database) as seen:
            started = time.perf_counter()
            text = (await desk.status(CREATOR, HERE, 1)).text
            times.append(time.perf_counter() - started)
        statements = len(seen)
    return statistics.median(times), statements, text


async def status_figures(
    folder: str, members: int, attempts: int, others: int, repeats: int
) -> None:
    """Print the status's time and statements with `others`, then ten times as many."""
    catalog = load_catalog([ROOT / "content"])
    course = catalog.get(COURSE)
    assert course is not None
    database = Database(f"sqlite+aiosqlite:///{folder}/cohort.db")
    await database.upgrade()
    rng, ids, pending = random.Random(7), Ids(), Pending()
    started = time.perf_counter()
    add_cohort(pending, ids, course, rng, HERE.workspace_id, members, attempts, CREATOR.user_id)
    rows: list[tuple[int, float, int]] = []
    for total in (others, others * 10):
        while ids.next["cohorts"] - 2 < total:
            add_cohort(pending, ids, course, rng, f"guild-{ids.next['cohorts']}", 4, 10)
        await pending.flush(database)
        built = time.perf_counter() - started
        desk = CohortDesk(database, catalog, clock=lambda: NOW)
        seconds, statements, text = await time_status(desk, repeats)
        rows.append((total, seconds, statements))
        print(
            f"{members:,} members, {attempts:,} attempts; {total:,} other cohorts "
            f"(database built in {built:.0f} s): status {seconds * 1000:7.1f} ms, "
            f"{statements} SQL statements, {len(text):,} characters"
        )
    (few, t_few, s_few), (many, t_many, s_many) = rows
    print(
        f"{many:,} vs {few:,} other cohorts: {s_many} vs {s_few} statements, "
        f"{t_many / t_few:.2f}x the time  (the status reads follow the cohort, not the database)"
    )
    await database.close()


async def posting_figures(folder: str, cohorts: int) -> None:
    """Print the weekly posting sweep's time and statements over `cohorts` cohorts."""
    catalog = load_catalog([ROOT / "content"])
    course = catalog.get(COURSE)
    assert course is not None
    database = Database(f"sqlite+aiosqlite:///{folder}/posting.db")
    await database.upgrade()
    rng, ids, pending = random.Random(11), Ids(), Pending()
    started = time.perf_counter()
    for _ in range(cohorts):
        add_cohort(pending, ids, course, rng, f"guild-{ids.next.get('cohorts', 1)}", 4, 10)
    await pending.flush(database)
    print(
        f"{cohorts:,} cohorts of 4 members: database built in {time.perf_counter() - started:.0f} s"
    )
    policy = AutomationPolicy()
    units = -(-cohorts // policy.batch)
    for label in ("every week due", "nothing left to post"):
        with counting(database) as seen:
            started = time.perf_counter()
            queued = await sweep_posts(database, catalog, NOW, policy)
            seconds = time.perf_counter() - started
        print(
            f"posting sweep, {label}: {queued:,} posts queued in {seconds * 1000:7.1f} ms, "
            f"{len(seen)} SQL statements in {units} units of {policy.batch} cohorts "
            f"({len(seen) / units:.1f} a unit)"
        )
    await database.close()


async def run(args: argparse.Namespace) -> None:
    """Print every figure (each part of the bench on a database of its own)."""
    with tempfile.TemporaryDirectory() as folder:
        await status_figures(folder, args.members, args.attempts, args.others, args.repeats)
        await posting_figures(folder, args.cohorts)


def main() -> None:
    """Parse arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=2_000)
    parser.add_argument("--attempts", type=int, default=50_000)
    parser.add_argument("--others", type=int, default=500, help="other cohorts, then 10x")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--cohorts", type=int, default=5_000, help="for the posting sweep")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
