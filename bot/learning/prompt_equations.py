"""A wrong value that still makes an equation of the problem true: the problem asks more.

"x = -7" for "Solve x² = 49 for positive x" solves the equation but not the problem: the
tutor asks about the problem's other conditions rather than "put it back in".
"""

from __future__ import annotations

import re

import sympy

from bot.learning.answer_text import clean_text, find_math_spans
from bot.learning.mathequiv import answer_sides, equivalent, parse_sides, value_index

__all__ = ["solves_the_prompt"]

MAX_PROMPT_CHARS = 2000
_LONE_LETTER = re.compile(r"(?<![^\W\d_])([A-Za-z])(?![^\W\d_])")


def solves_the_prompt(prompt: str, answer: str, candidate: str) -> bool:
    """Tell whether ``candidate`` makes an equation written in ``prompt`` true.

    The unknown is the answer's variable ("x = 7"), or else the one letter of the
    problem's equation. False whenever anything does not parse.
    """
    try:
        value = _value(candidate)
        if value is None:
            return False
        sides = answer_sides(clean_text(answer))
        named = {s for s in (sides or ()) if s.is_Symbol}
        for equation in _equations(prompt, frozenset(str(s) for s in named)):
            symbols = equation[0].free_symbols | equation[1].free_symbols
            unknowns = named & symbols if named else symbols
            if len(unknowns) != 1 or len(symbols) != 1:
                continue
            (unknown,) = unknowns
            left, right = (side.subs(unknown, value) for side in equation)
            if equivalent(left, right):
                return True
    except (TypeError, ValueError, ArithmeticError, sympy.SympifyError):
        return False
    return False


def _value(candidate: str) -> sympy.Expr | None:
    """The value a candidate gives: "-7" or the value side of "x = -7"."""
    sides = parse_sides(clean_text(candidate).split("="))
    if not sides or len(sides) > 2:
        return None
    value = sides[value_index(sides)]
    return value if not value.free_symbols else None


def _equations(prompt: str, named: frozenset[str]) -> list[tuple[sympy.Expr, sympy.Expr]]:
    """The equations written in a problem, each as its two parsed sides.

    Their letters are the answer's variables, or else the letters standing alone in the
    problem ("x" in "Solve x² = 49"), but for the words "a" and "I".
    """
    text = clean_text(prompt[:MAX_PROMPT_CHARS])
    letters = named or frozenset(_LONE_LETTER.findall(text)) - {"a", "A", "I"}
    found = []
    for span in find_math_spans(text, letters):
        if len(span.sides) == 2:
            parsed = parse_sides(span.sides)
            if parsed is not None:
                found.append((parsed[0], parsed[1]))
    return found
