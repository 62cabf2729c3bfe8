"""Hostile replies and answer keys: grading never raises and never hangs on them.

How long each takes is printed by ``bench/bench_hostile_inputs.py``, not asserted here.
"""

from __future__ import annotations

import pytest

from bot.learning.grading import AnswerKey, Grade, grade_answer
from tests.learning.test_grading import CAPITALS, expression, numeric

HOSTILE = [
    "",
    " ",
    "\x00",
    "\x00" * 5000,
    "9^9^9^9",
    "(" * 10_000,
    "(" * 5000 + "1" + ")" * 5000,
    "x" * 10_000,
    "7/12 " * 2000,
    "1" * 10_000,
    "__import__('os').system('rm -rf /')",
    "😀" * 3000,
    "‮7/12",
    "𝟕/𝟏𝟐",
    "((x+y+z+w)^64)^64",
    "(a+b+c+d+e+f+g)^64",
    "9^(9^(9^(3x)))",
    "x = " + "x^64*" * 40 + "1",
    "1/" * 1000 + "0",
    "-" * 10_000 + "1",
    "1," * 5000,
    "0." + "0" * 5000 + "1",
    "a" * 3000 + " or " + "b" * 3000,
    "ﷺ" * 1000,
    "4 " + "and then " * 60 + "x",  # a run of joining words that leads nowhere
    "4" + " " * 5000 + "x",
    "1-" * 1000 + "x",  # a sum that never ends in a number
    "1 x 10 ^ " * 300,  # scientific notation that never closes
    "1h " * 600,  # durations that never take a second unit
    "\\frac{" * 300 + "1}{2}",  # LaTeX opened and never closed
    "```" * 600,  # code fences
    "sodium " + "(" * 1000,  # an aside that never closes
    "x2" * 3000,  # powers typed as glued digits, to be read again with carets
    "x squared plus " * 300,  # math in words that never ends
    "1 in " * 1000,  # parts of wholes that chain
    "50 km per " * 400,  # units that never close
    "September " * 500 + "2, 1945",  # months without days
    "a/" * 2000,  # slashes between words
    "? " * 3000,  # questions with nothing in them
    "m/s" + "^2" * 1000,  # a power after a letter, again and again
]
KEYS = [
    AnswerKey("exact", "hello 3"),
    AnswerKey("exact", "4\n2\n7"),  # a program's output, several lines
    numeric("7/12"),
    numeric("3.14", tolerance=0.01),
    expression("2x+1"),
    expression("x = 3"),
    CAPITALS,
    AnswerKey("pattern", "x", pattern=r"\d+"),
    numeric("2.5 hours"),  # durations are read in the key's unit
    numeric("6.02e23"),
    numeric("50 km/h"),  # units are compared
    expression("x^2 + 5x + 6"),  # powers typed as "x2" are read
    AnswerKey("exact", "m/s²"),
]


@pytest.mark.parametrize("reply", HOSTILE)
def test_hostile_replies_never_raise_or_hang(reply: str) -> None:
    for key in KEYS:
        grade = grade_answer(key, reply)
        assert isinstance(grade, Grade)


@pytest.mark.parametrize("answer", HOSTILE)
def test_hostile_answer_keys_never_raise(answer: str) -> None:
    for checker in ("exact", "numeric", "expression", "choice", "pattern"):
        key = AnswerKey(checker, answer[:300], choices=(answer[:10], "x"))  # type: ignore[arg-type]
        assert isinstance(grade_answer(key, "2x+1 or 7/12"), Grade)
