"""Seeded random learner answers for fuzzing the grader: math-shaped, hostile, bounded."""

from __future__ import annotations

import random
from collections.abc import Iterator

from bot.learning.grading import AnswerKey

KEYS = (
    AnswerKey("expression", "x = 3"),
    AnswerKey("expression", "2x + 1"),
    AnswerKey("expression", "(x+1)^2"),
    AnswerKey("expression", "x^2 - 1", accept=("(x-1)(x+1)",)),
    AnswerKey("expression", "sqrt(2)/2"),
    AnswerKey("numeric", "7/12"),
    AnswerKey("numeric", "75%"),
    AnswerKey("exact", "[1, 2, 3]"),
    AnswerKey("choice", "b", choices=("1/2", "2/3", "3/4")),
    AnswerKey("pattern", "x = 3", pattern=r"\bx\s*=\s*3\b"),
)
_ATOMS = ("x", "y", "2", "3", "9", "64", "2^64", "10^30", "0", "1/3", "0.5", "99999999999")
_TOKENS = (*_ATOMS, "+", "-", "*", "/", "^", "**", "(", ")", "sqrt", "=", " ", ",", " or ", ".")
_ODD = ("²", "³", "√", "−", "×", "÷", "\u200b", "é", "𝑥", "%", "$", "e", "!", "\\", "{", "}")


def _tower(rng: random.Random, depth: int) -> str:
    """A nested power or product, the shape that makes sympy do unbounded work."""
    if depth == 0:
        return rng.choice(_ATOMS)
    inner = _tower(rng, depth - 1)
    shape = rng.choice(
        ("{a}^({b})", "({b})^{a}", "{a}^{b}", "sqrt({b})", "({b})*({b})", "{a}^({b}+x)", "({b})!")
    )
    return shape.format(a=rng.choice(_ATOMS), b=inner)


def random_answer(rng: random.Random) -> str:
    """One answer: a random token string, a power tower, or a mix with odd characters."""
    kind = rng.random()
    if kind < 0.4:
        return "".join(rng.choice(_TOKENS) for _ in range(rng.randint(1, 24)))
    if kind < 0.8:
        text = _tower(rng, rng.randint(1, 6))
        return text if rng.random() < 0.7 else f"x = {text}"
    parts = [rng.choice(_TOKENS + _ODD) for _ in range(rng.randint(1, 40))]
    return "".join(parts)


def fuzz_cases(seed: int, count: int) -> Iterator[tuple[AnswerKey, str]]:
    """Yield ``count`` (key, answer) pairs, the same for the same seed."""
    rng = random.Random(seed)
    for _ in range(count):
        yield rng.choice(KEYS), random_answer(rng)
