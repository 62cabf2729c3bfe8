"""How long the grader and the answer-leak guard take on hostile and wordy input.

The tests prove these inputs never raise and always return; this prints how long each
takes, in-process (no worker pool), so a slow path shows up as a figure:

- grading: every hostile reply of tests/learning/test_grading.py against its answer keys,
  and the wordy replies of tests/learning/test_grading_reading.py in four languages;
- the leak guard: every hostile text of tests/learning/test_answer_leak.py against its keys,
  and a typical hint (goal: under 50 ms each);
- parsing: power towers and deep nesting (goal: every hostile case under 2 s).

Run: python bench/bench_hostile_inputs.py
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.learning.answer_leak import reveals_answer  # noqa: E402
from bot.learning.grading import AnswerKey, grade_answer  # noqa: E402
from bot.learning.mathparse import MathParseError, parse_math  # noqa: E402
from tests.learning import test_answer_leak as leak_cases  # noqa: E402
from tests.learning import test_grading_hostile as grading_cases  # noqa: E402
from tests.learning import test_grading_reading as reading_cases  # noqa: E402

GOAL_SECONDS = 2.0
TYPICAL_GOAL = 0.05
MATH = [
    "9^9^9^9",
    "((9^64)^64)^64",
    "(" * 10_000,
    "(" * 5_000 + "1" + ")" * 5_000,
    "1+" * 5_000 + "1",
    "9^" * 5_000 + "9",
    "sqrt(" * 2_000 + "2" + ")" * 2_000,
    "+".join(["x"] * 5_000),
]


def timed(work: Callable[[], object]) -> float:
    """Seconds one call takes."""
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def parse(text: str) -> None:
    """Parse, as the grader does with a large limit; a refusal is a result."""
    try:
        parse_math(text, max_length=20_000)
    except MathParseError:
        pass


def report(name: str, cases: list[tuple[str, float]], goal: float) -> None:
    """Print the count, the median, the slowest case and whether all met the goal."""
    times = sorted(seconds for _label, seconds in cases)
    label, slowest = max(cases, key=lambda case: case[1])
    over = sum(1 for seconds in times if seconds > goal)
    print(
        f"{name:<22}{len(times):>6} cases  median {1000 * times[len(times) // 2]:8.2f} ms  "
        f"slowest {1000 * slowest:8.1f} ms ({label[:30]!r})  over {goal:g} s: {over}"
    )


def main() -> None:
    """Time every case once and print the figures."""
    grading = [
        (f"{key.checker}: {reply[:20]}", timed(lambda k=key, r=reply: grade_answer(k, r)))
        for reply in grading_cases.HOSTILE
        for key in grading_cases.KEYS
    ]
    wordy_keys = [
        AnswerKey("numeric", "7/12", language=language) for language in ("en", "es", "fr", "de")
    ]
    wordy = [
        (reply[:20], timed(lambda k=key, r=reply: grade_answer(k, r)))
        for reply in reading_cases.WORDY
        for key in wordy_keys
    ]
    guard = [
        (
            f"{key.checker}: {text[:20]}",
            timed(lambda k=key, t=text: reveals_answer(k, t, public_texts=[t[:100]])),
        )
        for text in leak_cases.HOSTILE
        for key in leak_cases.KEYS
    ]
    hint = (
        "Nice work so far! You found 1/3 = 4/12. Now write 1/4 with a denominator of 12, "
        "then add the numerators and keep the denominator. What do you get? "
    ) * 5
    typical = [
        (
            "typical hint",
            timed(
                lambda: reveals_answer(leak_cases.SEVEN_TWELFTHS, hint, public_texts=[hint[:100]])
            ),
        )
        for _ in range(20)
    ]
    parsing = [(text[:20], timed(lambda t=text: parse(t))) for text in MATH]
    print("hostile and wordy input, one process, each case once:")
    report("grading, hostile", grading, GOAL_SECONDS)
    report("grading, wordy", wordy, GOAL_SECONDS)
    report("leak guard, hostile", guard, GOAL_SECONDS)
    report("leak guard, typical", typical, TYPICAL_GOAL)
    report("parsing, hostile", parsing, GOAL_SECONDS)


if __name__ == "__main__":
    main()
