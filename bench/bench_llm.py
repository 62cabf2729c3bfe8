"""Prompt size and overhead of the model layer, against the fake OpenAI-compatible server.

The real openai client talks to the fake server of tests/fakes/fake_openai.py. Prints:

- prompt tokens per turn at turns 5, 20 and 50 of a long reflection dialogue, for the two
  calls such a turn makes (judge the reply, word the probe), as the server counts them
  (goal: turn 50 at most 1.5 times turn 5);
- the share of each prompt that is a stable prefix: the characters, from the first, that
  are the same as in the call of the same kind before it (what a provider can cache);
- with the fake model answering 800 ms after each request, 200 learners at once on a
  SQLite file (each learner's first message at a random moment of the first 800 ms, then
  each writing again 1 to 3 s after the answer, quicker than anyone reads and types):
  the p99 time a turn spends beyond the model's own latency (goal: at most 20 ms), and
  the turns per second achieved;
- the same with every learner writing again the moment they are answered, a stress test
  beyond any real class: a learner whose turn needs no model then writes again within
  milliseconds, so the offered load has no bound but the process's CPU.

A turn's model time is the time at least one of its calls was with the model (calls that
run together count once). A first round of one turn per learner comes before each load
run, timed apart: it opens the 200 connections to the server and meets each course for
the first time, as a bot does once.

The load run's model layer is the one the runtime builds: every call's tokens are stored,
and both token caps are on (set high enough that no learner here reaches them), so each
call is checked against them. The fake server is a process of its own: its work is not
the tutor's.

Run: python bench/bench_llm.py [--learners N] [--turns T] [--latency S]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from contextvars import ContextVar
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Final

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import bench_engine  # noqa: E402

from bot.content.loader import load_catalog  # noqa: E402
from bot.dialogue import moves  # noqa: E402
from bot.dialogue.conversation import WINDOW_TURNS, Conversation, Exchange  # noqa: E402
from bot.dialogue.judgements import ExplainAsk, JudgeContext  # noqa: E402
from bot.dialogue.wording import WordingContext  # noqa: E402
from bot.heap import settle_heap  # noqa: E402
from bot.llm.check_suite import PLAN, PLAN_CRITERIA  # noqa: E402
from bot.llm.client import ModelClient  # noqa: E402
from bot.llm.judging import ModelJudge  # noqa: E402
from bot.llm.setup import ModelLayer, build_model_layer  # noqa: E402
from bot.llm.tutor_judge import TutorJudge  # noqa: E402
from bot.llm.wording import ModelWording  # noqa: E402
from bot.logging_setup import configure_logging  # noqa: E402
from bot.services.messages import Incoming  # noqa: E402
from bot.services.tutor import Tutor  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.store import usage as usage_store  # noqa: E402
from bot.store.db import Database  # noqa: E402
from tests.fakes.fake_openai import MODEL_ID, FakeOpenAI, SensibleModel  # noqa: E402

MARKS = (5, 20, 50)
# What a learner might write over a long reflection, longer and shorter, never the same twice.
REPLIES = [
    "It's with my manager, I think",
    "Probably Maria, she leads the team I work with most, and the deadline slipped twice",
    "soon",
    "I keep putting it off because last time the talk went badly and she got defensive",
    "Next week, maybe Tuesday after the stand-up, when we both have a free half hour",
    "I would ask her what she needs from me so the plan stops slipping",
    "not sure",
    "I guess I could start by saying what I noticed, without blaming anyone for it",
]
PROBES = ["Who is the conversation with?", "When will you have it?", "What will you do?"]


def reply_at(turn: int) -> str:
    """The learner's message at ``turn``."""
    return f"{REPLIES[turn % len(REPLIES)]} (turn {turn})"


def common_prefix(a: str, b: str) -> int:
    """How many characters two texts share from the start."""
    size = min(len(a), len(b))
    for i in range(size):
        if a[i] != b[i]:
            return i
    return size


async def long_reflection() -> None:
    """Prompt tokens at turns 5, 20 and 50, and the stable share of each prompt."""
    async with FakeOpenAI(SensibleModel()) as fake:
        client = model_client(fake.base_url)
        wording, judge = ModelWording(client), TutorJudge(ModelJudge(client))
        history: list[Exchange] = []
        sizes: dict[int, dict[str, int]] = {}
        stable: dict[str, list[float]] = {"judge": [], "word": []}
        for turn in range(1, max(MARKS) + 1):
            text = reply_at(turn)
            # The turn reads its conversation as DialogueTurns does: the transcript's window,
            # before the learner's new message is stored.
            conversation = Conversation.of(history[-WINDOW_TURNS:])
            used = {kind: client.counters.tokens(kind).prompt_tokens for kind in stable}
            ask = ExplainAsk(text=text, question=PLAN, criteria=PLAN_CRITERIA)
            await judge.explanation(ask, JudgeContext(conversation))
            probe = moves.Probe(criterion=turn % 3, probe=PROBES[turn % 3])
            context = WordingContext(prompt=PLAN, learner_text=text, conversation=conversation)
            worded = await wording.word(probe, context)
            history += [Exchange("learner", text), Exchange("tutor", worded)]
            sizes[turn] = {k: client.counters.tokens(k).prompt_tokens - used[k] for k in stable}
            for kind, shares in stable.items():
                sent = fake.chat_requests(kind)
                if len(sent) >= 2:
                    shares.append(common_prefix(sent[-2].text, sent[-1].text) / len(sent[-1].text))
        await client.close()
    print("prompt tokens per turn of a long reflection dialogue (as the server counts them):")
    for turn in MARKS:
        judge_tokens, word_tokens = sizes[turn]["judge"], sizes[turn]["word"]
        print(
            f"  turn {turn:2d}: judge {judge_tokens:,}, word {word_tokens:,},"
            f" together {judge_tokens + word_tokens:,}"
        )
    first, last = (sum(sizes[t].values()) for t in (MARKS[0], MARKS[-1]))
    print(f"  turn {MARKS[-1]} / turn {MARKS[0]}: {last / first:.2f} (goal <= 1.5)")
    prefixes = ", ".join(
        f"{kind} {100 * statistics.fmean(v):.0f}% (from {100 * min(v):.0f} to {100 * max(v):.0f})"
        for kind, v in stable.items()
    )
    print(f"  stable prefix (same as the call before, from the first character): {prefixes}")


# Each learner turn's model calls: when each started (set per turn, read in its tasks too).
_SENT: ContextVar[list[float] | None] = ContextVar("sent", default=None)


def settings_for(url: str) -> Settings:
    """A deployment's model settings, with token caps on that no learner here reaches."""
    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        openai_base_url=url,
        openai_model=MODEL_ID,
        llm_timeout_seconds=30.0,
        llm_max_retries=0,
        llm_learner_daily_tokens=10_000_000,
        llm_course_monthly_tokens=1_000_000_000,
    )


def model_client(url: str) -> ModelClient:
    """A client for these settings, its calls' start times noted."""
    return noting(ModelClient.from_settings(settings_for(url)))


def model_layer(url: str, database: Database) -> ModelLayer:
    """The model layer the runtime builds (usage stored, caps checked), calls noted."""
    layer = build_model_layer(settings_for(url), database)
    assert layer is not None
    noting(layer.client)
    return layer


def noting(client: ModelClient) -> ModelClient:
    """Note when each of the client's calls starts, for the turn that makes it."""
    post = client.client.post

    async def noted(*args: Any, **kwargs: Any) -> Any:
        sent = _SENT.get()
        if sent is not None:
            sent.append(time.perf_counter())
        return await post(*args, **kwargs)

    client.client.post = noted  # type: ignore[method-assign]
    return client


def model_time(sent: list[float], latency: float) -> float:
    """How long at least one of the turn's calls was with the model."""
    total, end = 0.0, float("-inf")
    for start in sorted(sent):
        total += max(0.0, start + latency - max(start, end))
        end = max(end, start + latency)
    return total


async def start_fake(latency: float) -> tuple[asyncio.subprocess.Process, str]:
    """Start the fake server in a process of its own; return it and its base URL."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.fakes.fake_openai",
        "--model",
        "sensible",
        "--latency",
        str(latency),
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None
    url = (await process.stdout.readline()).decode().strip()
    if not url.startswith("http://127.0.0.1:"):
        process.kill()
        raise SystemExit("the fake server did not start")
    return process, url


PAUSE: Final = (1.0, 3.0)  # seconds a learner takes to read a reply and write the next


async def many_learners(
    learners: int, turns: int, latency: float, seed: int, pause: tuple[float, float]
) -> None:
    """Every learner at once, the model answering after ``latency`` seconds.

    Each learner writes again a random ``pause`` after each answer ((0, 0): at once).
    """
    process, url = await start_fake(latency)
    catalog = await asyncio.to_thread(load_catalog, [ROOT / "content"])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        database = Database(f"sqlite+aiosqlite:///{path}")
        await database.upgrade()
        layer = model_layer(url, database)
        client = layer.client
        tutor = Tutor(
            database,
            catalog,
            rng=random.Random(seed),
            wording=layer.wording,
            judge=layer.tutor_judge,
            wording_timeout=30.0,
            judge_timeout=30.0,
        )
        await asyncio.to_thread(tutor.checks.pool.warm)  # not a learner's wait
        users = [f"learner-{i}" for i in range(learners)]
        courses = bench_engine.COURSES
        for i, user in enumerate(users):
            await tutor.handle(Incoming("bench", user, f"start {courses[i % len(courses)]}"))
        peek = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        settle_heap()  # as the bot does once it has started
        rng = random.Random(seed)
        beyond: list[float] = []
        cold: list[float] = []
        calls: list[int] = []

        async def learner(user: str, first: float, count: int, into: list[float]) -> None:
            await asyncio.sleep(first)
            for turn in range(count):
                if turn and pause[1] > 0:
                    await asyncio.sleep(rng.uniform(*pause))
                text = bench_engine.learner_message(catalog, peek, user, rng)
                sent: list[float] = []
                token = _SENT.set(sent)
                started = time.perf_counter()
                try:
                    await tutor.handle(Incoming("bench", user, text))
                finally:
                    _SENT.reset(token)
                spent = time.perf_counter() - started
                into.append(spent - model_time(sent, latency))
                if into is beyond:
                    calls.append(len(sent))

        # A first round, one turn each, opens the connections to the model's server and
        # reads each course once: what a bot that has been running a while no longer does.
        await asyncio.gather(*(learner(u, rng.uniform(0, latency), 1, cold) for u in users))
        per_learner = max(1, turns // learners)
        started, cpu = time.perf_counter(), time.process_time()
        await asyncio.gather(
            *(learner(u, rng.uniform(0, latency), per_learner, beyond) for u in users)
        )
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        peek.close()
        tutor.checks.close()
        await layer.close()
        stored = await database.run(usage_store.tokens_by_kind, datetime.now(UTC) - timedelta(1))
        await database.close()
    process.terminate()
    await process.wait()
    beyond.sort()

    def ms(q: float) -> float:
        return beyond[min(len(beyond) - 1, int(len(beyond) * q))] * 1000

    failed = client.counters.failures()
    print(f"{learners} learners at once, the model answering after {latency * 1000:.0f} ms,")
    if pause[1] > 0:
        print(f"each writing again {pause[0]:g} to {pause[1]:g} s after the answer:")
    else:
        print("each writing again the moment they are answered (a stress test, no goal):")
    print(f"  achieved: {len(beyond) / wall:,.0f} turns/s ({len(beyond)} turns in {wall:.2f} s)")
    print(f"  model calls per turn: {sum(calls) / len(calls):.2f}; failed calls: {failed}")
    print(
        f"  token usage stored: {sum(p + c for p, c in stored.values()):,} tokens; caps"
        " checked before every call"
    )
    print(f"  CPU time of this process per turn: {cpu / len(beyond) * 1000:.2f} ms")
    goal = " (goal p99 <= 20)" if pause[1] > 0 else ""
    print(
        f"  time beyond the model's own latency: p50 {ms(0.5):.2f} ms, p99 {ms(0.99):.2f} ms,"
        f" max {beyond[-1] * 1000:.2f} ms{goal}"
    )
    cold.sort()
    print(
        f"  the first round before it (one turn each, cold connections): p50"
        f" {cold[len(cold) // 2] * 1000:.2f} ms, p99 {cold[int(len(cold) * 0.99)] * 1000:.2f} ms"
    )


async def run(learners: int, turns: int, latency: float, seed: int) -> None:
    """Both measurements."""
    print("model layer benchmark: the real openai client against the fake server")
    await long_reflection()
    await many_learners(learners, turns, latency, seed, PAUSE)
    await many_learners(learners, turns, latency, seed, (0.0, 0.0))


def main(argv: list[str] | None = None) -> None:
    """Parse arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--learners", type=int, default=200)
    parser.add_argument("--turns", type=int, default=2000)
    parser.add_argument("--latency", type=float, default=0.8, help="the model's seconds per call")
    parser.add_argument("--seed", type=int, default=1)
    args: Any = parser.parse_args(argv)
    configure_logging("ERROR")  # the figures say what failed; the log would drown them
    asyncio.run(run(args.learners, args.turns, args.latency, args.seed))


if __name__ == "__main__":
    main()
