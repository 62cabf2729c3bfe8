"""Turns per second and turn latency of the tutor (engine plus SQLite storage, no LLM).

Simulated learners work the shipped courses: wrong answers, misconceptions, hints,
correct answers, reflections and skips. Two runs on one SQLite file:

- one at a time: each turn starts when the last one ended, so the time inside
  `Tutor.handle` is the service time of a turn (turns per second = 1 / mean time);
- many at once: learners write at random (Poisson) moments at an offered rate, as
  many people in DMs do, and the latency of each turn includes any queueing behind
  the others. The process keeps up when the achieved rate matches the offered one.

The simulator peeks at each learner's open exercise with a plain read-only sqlite3
query, so its own cost stays small next to the tutor's.
Run: python bench/bench_engine.py [--learners N] [--turns T] [--rate R]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.content.catalog import Catalog  # noqa: E402
from bot.content.loader import load_catalog  # noqa: E402
from bot.content.models import AnsweredExercise  # noqa: E402
from bot.content.rendering import RenderedExercise, render_exercise  # noqa: E402
from bot.dialogue.moves import Move  # noqa: E402
from bot.dialogue.wording import WordingContext, offline_text  # noqa: E402
from bot.heap import settle_heap  # noqa: E402
from bot.services.coach_desk import CoachDesk  # noqa: E402
from bot.services.messages import Incoming  # noqa: E402
from bot.services.tutor import Tutor  # noqa: E402
from bot.store.db import Database  # noqa: E402

COURSES = ["fractions-and-equations", "python-basics", "coaching-positioning"]
VAGUE = ["idk", "", "hmm", "people who want to grow", "everyone"]
PEEK = (
    "SELECT d.course_id, d.exercise_id, d.variant, json_extract(d.state, '$.stage')"
    " FROM dialogues d"
    " JOIN users u ON u.id = d.user_id"
    " WHERE u.platform = 'bench' AND u.platform_user_id = ? AND d.closed_at IS NULL"
    " ORDER BY d.id DESC LIMIT 1"
)


def learner_message(
    catalog: Catalog, peek: sqlite3.Connection, user: str, rng: random.Random
) -> str:
    """Decide what a simulated learner says next, from the open exercise."""
    row = peek.execute(PEEK, (user,)).fetchone()
    if row is None:
        return "next"
    course_id, exercise_id, variant_json, stage = row
    course = catalog.get(course_id)
    assert course is not None
    exercise = course.exercises[exercise_id]
    roll = rng.random()
    if stage == "reflecting":
        return "because both parts had to be the same size before combining them"
    if not isinstance(exercise, AnsweredExercise):
        return rng.choice([*VAGUE, "Maria, a bakery owner, to double sales within 3 months"])
    rendered = _rendered(exercise, variant_json)
    if roll < 0.45:
        return f"I worked it out and got {rendered.key.answer}"
    if roll < 0.6 and rendered.misconceptions:
        return rendered.misconceptions[0].key.answer
    if roll < 0.8:
        return "hint"
    if roll < 0.85:
        return "skip"
    return rng.choice(["42", "x = 99", "no idea", "what's the answer?"])


_RENDERED: dict[tuple[int, str], RenderedExercise] = {}


def _rendered(exercise: AnsweredExercise, variant_json: str) -> RenderedExercise:
    """The exercise as the learner sees it; kept, so the simulator costs the process little."""
    key = (id(exercise), variant_json)
    found = _RENDERED.get(key)
    if found is None:
        found = _RENDERED[key] = render_exercise(exercise, json.loads(variant_json))
    return found


class Recorder:
    """Turn latencies, overall and by kind of message."""

    def __init__(self) -> None:
        self.all: list[float] = []
        self.by_kind: dict[str, list[float]] = {}

    async def turn(self, tutor: Tutor, user: str, text: str) -> None:
        """Send one message and record how long the tutor took to answer."""
        before = time.perf_counter()
        await tutor.handle(Incoming("bench", user, text))
        spent = time.perf_counter() - before
        self.all.append(spent)
        kind = text if text in {"next", "hint", "skip"} else "answer"
        self.by_kind.setdefault(kind, []).append(spent)

    def print(self, *, by_kind: bool) -> None:
        """Print p50, p99 and p99.9, overall and (optionally) by kind."""
        print(f"  {'all':>6}: {_percentiles(self.all)}")
        if by_kind:
            for kind, values in sorted(self.by_kind.items()):
                print(f"  {kind:>6}: {_percentiles(values)}")


def _percentiles(values: list[float]) -> str:
    """Format count, p50, p99 and p99.9 of latencies in milliseconds."""
    ordered = sorted(values)

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(len(ordered) * q))] * 1000

    return (
        f"{len(ordered):6d} turns, p50 {statistics.median(ordered) * 1000:.2f} ms,"
        f" p99 {at(0.99):.2f} ms, p99.9 {at(0.999):.2f} ms"
    )


async def one_at_a_time(
    tutor: Tutor, peek: sqlite3.Connection, users: list[str], turns: int, rng: random.Random
) -> None:
    """Closed loop: one turn at a time; prints the service time."""
    recorder = Recorder()
    for _ in range(turns):
        user = rng.choice(users)
        await recorder.turn(tutor, user, learner_message(tutor.catalog, peek, user, rng))
    mean = statistics.fmean(recorder.all)
    print(f"one at a time: {turns} turns")
    print(f"  turns per second (1 / mean time inside Tutor.handle): {1 / mean:,.0f}")
    recorder.print(by_kind=True)


async def many_at_once(
    tutor: Tutor,
    peek: sqlite3.Connection,
    users: list[str],
    turns: int,
    rate: float,
    rng: random.Random,
) -> None:
    """Open loop: messages arrive at Poisson moments, `rate` a second, from idle learners."""
    recorder = Recorder()
    idle = set(users)
    loop = asyncio.get_running_loop()
    running: set[asyncio.Task[None]] = set()

    async def learner_turn(user: str, text: str) -> None:
        await recorder.turn(tutor, user, text)
        idle.add(user)

    started = loop.time()
    due = started
    for _ in range(turns):
        due += rng.expovariate(rate)
        await asyncio.sleep(max(0.0, due - loop.time()))
        if not idle:
            continue  # every learner is waiting for a reply: this message never came
        user = rng.choice(sorted(idle))
        idle.discard(user)
        task = asyncio.create_task(
            learner_turn(user, learner_message(tutor.catalog, peek, user, rng))
        )
        running.add(task)
        task.add_done_callback(running.discard)
    await asyncio.gather(*running)
    wall = loop.time() - started
    done = len(recorder.all)
    print(f"many at once: {len(users)} learners, messages arriving at {rate:,.0f}/s")
    print(f"  achieved: {done / wall:,.0f} turns/s ({done} turns in {wall:.2f} s)")
    recorder.print(by_kind=False)


class DelayedWording:
    """A stand-in for a slow model: waits, then words the move offline."""

    def __init__(self, delay: float) -> None:
        self.delay = delay

    async def word(self, move: Move, context: WordingContext) -> str:
        await asyncio.sleep(self.delay)
        return offline_text(move)

    def withheld(self, move_kind: str) -> None:
        """Offline words are never withheld."""


async def slow_wording(
    database: Database, catalog: Catalog, users: list[str], turns: int, delay: float, seed: int
) -> None:
    """Every learner at once, each writing again as soon as answered, with a slow wording."""
    tutor = Tutor(database, catalog, rng=random.Random(seed), wording=DelayedWording(delay))
    await asyncio.to_thread(tutor.checks.pool.warm)
    rng = random.Random(seed)
    peek = sqlite3.connect(f"file:{database.url.split('///', 1)[1]}?mode=ro", uri=True)
    beyond: list[float] = []
    per_learner = max(1, turns // len(users))

    async def learner(user: str, first: float) -> None:
        # People do not all press Enter in the same millisecond: each learner's first
        # message comes at a random moment of the first wording delay. From then on all
        # 200 are in a conversation at once, each writing again as soon as answered.
        await asyncio.sleep(first)
        for _ in range(per_learner):
            text = learner_message(catalog, peek, user, rng)
            before = time.perf_counter()
            await tutor.handle(Incoming("bench", user, text))
            spent = time.perf_counter() - before
            # A worded turn waited `delay` for its words; a command was not worded.
            beyond.append(spent - delay if spent >= delay else spent)

    started = time.perf_counter()
    await asyncio.gather(*(learner(user, rng.uniform(0, delay)) for user in users))
    wall = time.perf_counter() - started
    peek.close()
    tutor.checks.close()
    beyond.sort()
    p50, p99 = beyond[len(beyond) // 2] * 1000, beyond[int(len(beyond) * 0.99)] * 1000
    print(f"slow wording: {len(users)} learners at once, wording waits {delay * 1000:.0f} ms")
    print(f"  achieved: {len(beyond) / wall:,.0f} turns/s ({len(beyond)} turns in {wall:.2f} s)")
    print(f"  time beyond the wording delay: p50 {p50:.2f} ms, p99 {p99:.2f} ms (goal p99 <= 20)")


async def run(learners: int, turns: int, rate: float, seed: int) -> None:
    """Set up the learners, then run both measurements."""
    catalog = load_catalog([ROOT / "content"])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        database = Database(f"sqlite+aiosqlite:///{path}")
        await database.upgrade()
        tutor = Tutor(database, catalog, rng=random.Random(seed))
        tutor.use_coaching(CoachDesk(database, catalog, clock=tutor.clock))  # as the root does
        await asyncio.to_thread(tutor.checks.pool.warm)  # not a learner's wait
        rng = random.Random(seed)
        users = [f"learner-{i}" for i in range(learners)]
        for i, user in enumerate(users):
            await tutor.handle(Incoming("bench", user, f"start {COURSES[i % len(COURSES)]}"))
        peek = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        settle_heap()  # as the bot does once it has started
        print(f"engine benchmark: {learners} learners on a SQLite file (no LLM)")
        await one_at_a_time(tutor, peek, users, turns, rng)
        await many_at_once(tutor, peek, users, turns, rate, rng)
        peek.close()
        tutor.checks.close()
        print("goal: at least 1,000 turns per second one at a time, p99 at most 5 ms")
        await slow_wording(database, catalog, users, turns, 0.2, seed)
        await database.close()


def main(argv: list[str] | None = None) -> None:
    """Parse arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--learners", type=int, default=200)
    parser.add_argument("--turns", type=int, default=5000)
    parser.add_argument("--rate", type=float, default=1000.0, help="offered messages/s")
    parser.add_argument("--seed", type=int, default=1)
    args: Any = parser.parse_args(argv)
    asyncio.run(run(args.learners, args.turns, args.rate, args.seed))


if __name__ == "__main__":
    main()
