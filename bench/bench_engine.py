"""Turns per second and turn latency of the tutor (engine plus SQLite storage, no LLM).

Simulated learners work the shipped courses: wrong answers, misconceptions, hints,
correct answers, reflections and skips. Prints throughput and p50/p99 latency.
Run: python bench/bench_engine.py [--learners N] [--turns T]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy.orm import Session  # noqa: E402

from bot.content.loader import load_catalog  # noqa: E402
from bot.content.models import AnsweredExercise  # noqa: E402
from bot.content.rendering import render_exercise  # noqa: E402
from bot.services.messages import Incoming  # noqa: E402
from bot.services.tutor import Tutor  # noqa: E402
from bot.store import dialogues as dialogue_store  # noqa: E402
from bot.store import users as user_store  # noqa: E402
from bot.store.db import Database  # noqa: E402
from bot.store.models import Dialogue  # noqa: E402

COURSES = ["fractions-and-equations", "python-basics", "coaching-positioning"]
VAGUE = ["idk", "", "hmm", "people who want to grow", "everyone"]


def open_exercise(session: Session, user: str) -> Dialogue | None:
    """Return the learner's open dialogue (the simulator peeks at it to decide what to say)."""
    person = user_store.get_user(session, "bench", user)
    assert person is not None and person.id is not None
    return dialogue_store.open_dialogue(session, person.id)


async def learner_message(tutor: Tutor, user: str, rng: random.Random) -> str:
    """Decide what a simulated learner says next, from the open exercise."""
    dialogue = await tutor.database.run(open_exercise, user)
    if dialogue is None:
        return "next"
    course = tutor.catalog.get(dialogue.course_id)
    assert course is not None
    exercise = course.exercises[dialogue.exercise_id]
    roll = rng.random()
    if dialogue.stage == "reflecting":
        return "because both parts had to be the same size before combining them"
    if not isinstance(exercise, AnsweredExercise):
        return rng.choice([*VAGUE, "Maria, a bakery owner, to double sales within 3 months"])
    rendered = render_exercise(exercise, dialogue.variant)
    if roll < 0.45:
        return f"I worked it out and got {rendered.key.answer}"
    if roll < 0.6 and rendered.misconceptions:
        return rendered.misconceptions[0].key.answer
    if roll < 0.8:
        return "hint"
    if roll < 0.85:
        return "skip"
    return rng.choice(["42", "x = 99", "no idea", "what's the answer?"])


async def run(learners: int, turns: int, seed: int) -> None:
    """Drive the learners and print the figures."""
    catalog = load_catalog([ROOT / "content"])
    with tempfile.TemporaryDirectory() as folder:
        database = Database(f"sqlite+aiosqlite:///{folder}/bench.db")
        await database.upgrade()
        tutor = Tutor(database, catalog, rng=random.Random(seed))
        rng = random.Random(seed)
        users = [f"learner-{i}" for i in range(learners)]
        for i, user in enumerate(users):
            await tutor.handle(Incoming("bench", user, f"start {COURSES[i % len(COURSES)]}"))
        latencies: list[float] = []
        by_kind: dict[str, list[float]] = {}
        started = time.perf_counter()
        for _ in range(turns):
            user = rng.choice(users)
            text = await learner_message(tutor, user, rng)
            before = time.perf_counter()
            await tutor.handle(Incoming("bench", user, text))
            spent = time.perf_counter() - before
            latencies.append(spent)
            kind = text if text in {"next", "hint", "skip"} else "answer"
            by_kind.setdefault(kind, []).append(spent)
        wall = time.perf_counter() - started
        await database.close()
    handled = sum(latencies)
    latencies.sort()
    p50 = statistics.median(latencies) * 1000
    p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000
    print(f"engine benchmark: {learners} learners, {turns} turns on a SQLite file (no LLM)")
    print(f"  turns per second (time inside Tutor.handle): {turns / handled:,.0f}")
    print(f"  turns per second (wall, incl. the simulator):  {turns / wall:,.0f}")
    print(f"  p50 turn latency: {p50:.2f} ms   (goal <= 5 ms at p99)")
    print(f"  p99 turn latency: {p99:.2f} ms")
    for kind, values in sorted(by_kind.items()):
        values.sort()
        print(
            f"    {kind:>6}: {len(values):5d} turns, p50 {statistics.median(values) * 1000:.2f} ms,"
            f" p99 {values[int(len(values) * 0.99) - 1] * 1000:.2f} ms"
        )


def main() -> None:
    """Parse arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--learners", type=int, default=200)
    parser.add_argument("--turns", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    asyncio.run(run(args.learners, args.turns, args.seed))


if __name__ == "__main__":
    main()
