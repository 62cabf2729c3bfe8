"""Bounded algebraic equivalence for expressions built by ``mathparse``.

Symbolic expansion is used only when a cheap estimate says the expanded form is small;
otherwise (and as a cross-check) both sides are evaluated in floating point at a few
fixed points. Nothing here can hang: every evaluation is linear in the expression tree.
"""

from __future__ import annotations

import cmath
import math
from collections.abc import Sequence
from functools import lru_cache
from typing import Final

import sympy

from bot.learning.mathparse import MathParseError, parse_math

__all__ = [
    "answer_sides",
    "equivalent",
    "parse_sides",
    "sides_match",
    "solved_values",
    "value_index",
]

MAX_EXPANDED_TERMS: Final = 300
_SAME: Final = 1e-10  # relative difference treated as equal at a sample point
_DIFFERENT: Final = 1e-6  # relative difference that settles "not equivalent"
# Sample values: irrational-looking, of both signs (so sqrt(x^2) differs from x) and
# away from the usual poles at 0, 1 and -1. Evaluation is in floating point.
_SAMPLES: Final = (0.5377, -1.3077, 2.7183, -0.4336, 1.8339, 0.3426, -2.2588)


class _Unsupported(Exception):
    pass


def equivalent(a: sympy.Expr, b: sympy.Expr) -> bool:
    """Return True if ``a`` and ``b`` are equal as expressions."""
    if a == b:
        return True
    if a.is_Rational and b.is_Rational:
        return False
    sampled = _sample_compare(a, b)
    if sampled is False:
        return False
    if _expandable(a, b):
        diff = sympy.expand(a - b)
        if diff == 0:
            return True
        if diff.is_Rational:
            return False
        symbols = sorted(diff.free_symbols, key=str)
        if symbols and diff.is_polynomial(*symbols):
            return False
    return sampled is True


def parse_sides(sides: Sequence[str]) -> tuple[sympy.Expr, ...] | None:
    """Parse every side of an equation, or return None if any side does not parse."""
    try:
        return tuple(parse_math(side.strip()) for side in sides)
    except MathParseError:
        return None


@lru_cache(maxsize=512)
def answer_sides(answer: str) -> tuple[sympy.Expr, ...] | None:
    """Parse an answer key's expression (``2x+1``) or equation (``x = 3``)."""
    sides = parse_sides(answer.split("="))
    return sides if sides and len(sides) <= 2 else None


def value_index(sides: Sequence[sympy.Expr]) -> int:
    """Return the index of the side holding the value: ``3`` in ``x = 3`` and ``3 = x``."""
    if len(sides) > 1 and sides[-1].is_Symbol and not sides[0].is_Symbol:
        return 0
    return len(sides) - 1


def solved_values(answer: Sequence[sympy.Expr]) -> list[sympy.Expr]:
    """Return the value(s) an equation in solved form gives, e.g. ``3`` for ``x = 3``."""
    if len(answer) == 1:
        return [answer[0]]
    left, right = answer
    return [
        value
        for variable, value in ((left, right), (right, left))
        if variable.is_Symbol and variable not in value.free_symbols
    ]


def sides_match(answer: Sequence[sympy.Expr], sides: Sequence[sympy.Expr]) -> bool:
    """Return True if a reply's sides (``x = 3``, ``3 = x``, ``3``) match the answer's."""
    if len(answer) == 1:
        return equivalent(sides[value_index(sides)], answer[0])
    left, right = answer
    for variable, value in ((left, right), (right, left)):
        if variable.is_Symbol and variable not in value.free_symbols:
            if len(sides) == 1:
                return equivalent(sides[0], value)
            if variable in (sides[0], sides[-1]):
                return equivalent(sides[value_index(sides)], value)
    if len(sides) != 2:
        return False
    difference = sides[0] - sides[1]
    return equivalent(difference, left - right) or equivalent(difference, right - left)


def _expandable(a: sympy.Basic, b: sympy.Basic) -> bool:
    """Return True if ``sympy.expand(a - b)`` is cheap enough to run."""
    # expand() rewrites b^(x+n) as b^x * b^n and multiplies powers out: a symbolic
    # exponent makes its cost unpredictable, so such expressions are only sampled.
    for expr in (a, b):
        if any(not power.exp.is_Rational for power in expr.atoms(sympy.Pow)):
            return False
    return _expanded_terms(a) + _expanded_terms(b) <= MAX_EXPANDED_TERMS


def _expanded_terms(expr: sympy.Basic, cap: int = MAX_EXPANDED_TERMS + 1) -> int:
    """Estimate (capped) how many terms ``sympy.expand`` would produce."""
    if expr.is_Add:
        return min(cap, sum(_expanded_terms(arg, cap) for arg in expr.args))
    if expr.is_Mul:
        total = 1
        for arg in expr.args:
            total = min(cap, total * _expanded_terms(arg, cap))
        return total
    if expr.is_Pow and expr.exp.is_Rational:
        base = _expanded_terms(expr.base, cap)
        exponent = int(abs(sympy.Rational(expr.exp)))
        if base == 1 or exponent == 0:
            return base
        if exponent * math.log(base) > math.log(cap):
            return cap
        return min(cap, math.comb(exponent + base - 1, base - 1))
    return 1


def _sample_compare(a: sympy.Expr, b: sympy.Expr) -> bool | None:
    """Compare numerically: True if equal everywhere sampled, False if clearly not."""
    symbols = sorted(a.free_symbols | b.free_symbols, key=str)
    agreeing = 0
    rounds = len(_SAMPLES) if symbols else 1
    for offset in range(rounds):
        env = {
            s: _SAMPLES[(offset + 3 * i) % len(_SAMPLES)] + 0.1 * i for i, s in enumerate(symbols)
        }
        va, vb = _evaluate(a, env), _evaluate(b, env)
        if va is None or vb is None:
            continue
        scale = max(1.0, abs(va), abs(vb))
        gap = abs(va - vb) / scale
        if gap > _DIFFERENT:
            return False
        if gap <= _SAME:
            agreeing += 1
    needed = min(3, rounds)
    return True if agreeing >= needed else None


def _evaluate(expr: sympy.Basic, env: dict[sympy.Basic, float]) -> complex | None:
    try:
        value = _eval(expr, env)
    except (_Unsupported, ArithmeticError, ValueError, TypeError):
        return None
    return value if cmath.isfinite(value) else None


def _eval(expr: sympy.Basic, env: dict[sympy.Basic, float]) -> complex:
    if expr.is_Rational:
        rational = sympy.Rational(expr)
        return complex(int(rational.p) / int(rational.q))
    if expr.is_Symbol:
        if expr not in env:
            raise _Unsupported(str(expr))
        return complex(env[expr])
    if expr is sympy.I:
        return 1j
    if expr.is_Add:
        return sum((_eval(arg, env) for arg in expr.args), complex(0))
    if expr.is_Mul:
        product = complex(1)
        for arg in expr.args:
            product *= _eval(arg, env)
            if not cmath.isfinite(product):
                raise OverflowError("product overflowed")
        return product
    if expr.is_Pow:
        base = _eval(expr.base, env)
        if expr.exp.is_Integer:
            exponent = int(expr.exp)
            if abs(exponent) > 4096:
                raise OverflowError("exponent too large to sample")
            return base**exponent
        return base ** _eval(expr.exp, env)
    raise _Unsupported(type(expr).__name__)
