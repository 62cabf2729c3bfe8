"""Fuzz the grader through the grading pool: inputs per second and the slowest case.

Seeded random answers (math-shaped, power towers, odd characters) are graded one at a
time in the worker processes, as learners' answers are. While they run, a ticker on the
event loop measures how late it wakes, to show that the process stays responsive.
Goal: no case over the grading time limit.
Run: python bench/bench_grading_fuzz.py [--cases N] [--seed S] [--limit SECONDS]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.learning.grading_pool import GradingPool  # noqa: E402
from tests.support.grading_fuzz import fuzz_cases  # noqa: E402

TICK = 0.01


async def ticker(stop: asyncio.Event, lags: list[float]) -> None:
    """Wake every 10 ms and record how late each wake-up was."""
    loop = asyncio.get_running_loop()
    while not stop.is_set():
        planned = loop.time() + TICK
        await asyncio.sleep(TICK)
        lags.append(loop.time() - planned)


async def main(cases: int, seed: int, limit: float) -> None:
    pool = GradingPool(time_limit=limit, workers=2)
    await asyncio.to_thread(pool.warm)
    stop = asyncio.Event()
    lags: list[float] = []
    ticking = asyncio.create_task(ticker(stop, lags))
    timings: list[tuple[float, str, str]] = []
    started = time.perf_counter()
    try:
        for key, text in fuzz_cases(seed, cases):
            begun = time.perf_counter()
            await pool.grade_async([(key, text)])
            timings.append((time.perf_counter() - begun, key.checker, text))
    finally:
        stop.set()
        await ticking
        pool.close()
    elapsed = time.perf_counter() - started
    timings.sort(reverse=True)
    slowest, checker, text = timings[0]
    lags.sort()
    print(f"grading fuzz: {cases} cases, seed {seed}, time limit {limit:.1f} s, 2 workers")
    print(f"  inputs per second     {cases / elapsed:8.0f}")
    print(f"  median case           {timings[len(timings) // 2][0] * 1000:8.2f} ms")
    print(f"  slowest case          {slowest * 1000:8.1f} ms  ({checker}: {text[:60]!r})")
    print(f"  cases over the limit  {pool.timeouts:8d}")
    p99 = lags[int(len(lags) * 0.99)] * 1000
    print(f"  event-loop lag p99    {p99:8.1f} ms (max {lags[-1] * 1000:.1f} ms)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--limit", type=float, default=2.0)
    args = parser.parse_args()
    asyncio.run(main(args.cases, args.seed, args.limit))
