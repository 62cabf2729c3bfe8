"""A wrong value that still makes an equation of the problem true: the problem asks more.

"x = -7" for "Solve x² = 49 for positive x" solves the equation but not the problem: the
tutor asks about the problem's other conditions rather than "put it back in".
"""

from __future__ import annotations

import re

import sympy

from bot.learning.answer_text import clean_text, find_math_spans
from bot.learning.mathequiv import answer_sides, parse_sides, value_index

__all__ = ["solves_the_prompt"]

MAX_PROMPT_CHARS = 2000
MAX_CANDIDATE_CHARS = 60
MAX_DEGREE = 6
MAX_VALUE = 10**12  # numerator and denominator of a value tried in an equation
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
            if _root(equation[0] - equation[1], unknown, value):
                return True
    except (TypeError, ValueError, ArithmeticError, sympy.SympifyError, sympy.PolynomialError):
        return False
    return False


def _root(difference: sympy.Expr, unknown: sympy.Symbol, value: sympy.Rational) -> bool:
    """Tell whether ``value`` makes a polynomial of low degree zero, in exact arithmetic.

    Only polynomials, and only values of bounded size: a learner's number put into a
    power tower could take minutes, and this runs outside the grading workers.
    """
    poly = sympy.Poly(difference, unknown)
    if poly.degree() > MAX_DEGREE or not all(c.is_Rational for c in poly.all_coeffs()):
        return False
    return poly.eval(value) == 0


def _value(candidate: str) -> sympy.Rational | None:
    """The value a candidate gives ("-7", or the value side of "x = -7"), if a rational
    number of bounded size."""
    if len(candidate) > MAX_CANDIDATE_CHARS:
        return None
    sides = parse_sides(clean_text(candidate).split("="))
    if not sides or len(sides) > 2:
        return None
    value = sides[value_index(sides)]
    if not value.is_Rational or max(abs(value.p), value.q) > MAX_VALUE:
        return None
    return value


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
