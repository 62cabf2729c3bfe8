"""Compute authored expressions (`{= ...}` fields, `where` conditions) within fixed bounds.

Parameters make sizes depend on values, not on text: `a^a^a` is short but, with a = 9,
has 370 million digits. So every power is checked before it is computed (exponent at
most 64, result at most 256 bits, roots only of small numbers) and every intermediate
value is size-checked, whatever the parameters are.

A name may be a table row's field (`v.stem`); a `where` condition may also compare texts
(`p != 'vosotros'`), with `==` and `!=` only.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from fractions import Fraction
from functools import lru_cache
from typing import NamedTuple, TypeAlias

import sympy

from bot.learning.mathparse import MAX_EXPONENT, MathParseError, parse_math

MAX_EXPRESSION_CHARS = 200
# A learner reads these numbers: a power has at most about 75 digits, any value 150.
MAX_POWER_BITS = 256
MAX_VALUE_BITS = 512
# sympy factors the base of a root by trial division: keep it small so a root stays cheap.
MAX_ROOT_BASE_BITS = 128

Value: TypeAlias = Fraction | sympy.Expr
Evaluator = Callable[[Mapping[str, Fraction]], Value]


class TemplateError(ValueError):
    """A template or a `where` condition that cannot be computed for a variant."""


class Compiled(NamedTuple):
    """An authored expression, parsed once."""

    evaluator: Evaluator
    names: frozenset[str]
    size: int  # nodes evaluated per call: the unit of the work budgets


# A table row's field inside an expression: `v.stem` (not the `2.5` of a decimal).
ROW_FIELD = re.compile(r"(?<![A-Za-z0-9_.])([a-z]\.[a-z][a-z0-9_]*)")
# The math parser reads one letter per name, so each row field stands in as a Greek letter.
_STAND_INS = [
    chr(c) for c in (*range(0x391, 0x3AA), *range(0x3B1, 0x3CA)) if c not in (0x3A2, 0x3C2)
]


@lru_cache(maxsize=4096)
def compile_expression(expression: str) -> Compiled:
    """Parse an authored expression once and build its bounded evaluator."""
    if len(expression) > MAX_EXPRESSION_CHARS:
        raise TemplateError(f"cannot compute {expression[:40]!r}...: expression is too long")
    text, renamed = _stand_in_row_fields(expression)
    try:
        expr = parse_math(text, max_length=MAX_EXPRESSION_CHARS)
    except MathParseError as exc:
        raise TemplateError(f"cannot compute {expression!r}: {exc}") from exc
    names = frozenset(renamed.get(str(symbol), str(symbol)) for symbol in expr.free_symbols)
    size = sum(1 for _ in sympy.preorder_traversal(expr))
    return Compiled(_build(expr, renamed), names, size)


def _stand_in_row_fields(expression: str) -> tuple[str, dict[str, str]]:
    """Replace each row field by a letter the expression does not use; map letters back."""
    fields = list(dict.fromkeys(ROW_FIELD.findall(expression)))
    free = [letter for letter in _STAND_INS if letter not in expression]
    if len(fields) > len(free):
        raise TemplateError(f"cannot compute {expression!r}: it names too many row fields")
    renamed = dict(zip(free, fields, strict=False))
    by_field = {field: letter for letter, field in renamed.items()}
    text = ROW_FIELD.sub(lambda match: by_field[match.group(1)], expression)
    return text, renamed


def _build(expr: sympy.Expr, renamed: Mapping[str, str]) -> Evaluator:
    """Turn a parsed expression into a function of the parameter values."""
    # Recursion is bounded: parse_math caps the nesting of what it builds.
    if expr.is_Rational:
        constant = Fraction(int(expr.p), int(expr.q))  # type: ignore[attr-defined]
        return lambda _values: constant
    if expr.is_Symbol:
        name, symbol = renamed.get(str(expr), str(expr)), expr
        return lambda values: values.get(name, symbol)
    if not expr.args:
        return lambda _values: expr  # a constant such as I, from sqrt(-1)
    parts = [_build(arg, renamed) for arg in expr.args]
    if expr.is_Add:
        return lambda values: _add([part(values) for part in parts])
    if expr.is_Mul:
        return lambda values: _multiply([part(values) for part in parts])
    if expr.is_Pow and expr.args[1].is_Integer:
        base, power = parts[0], int(expr.args[1])  # type: ignore[call-overload]
        return lambda values: _integer_power(base(values), power)
    if expr.is_Pow:
        base, exponent = parts
        return lambda values: _power(base(values), exponent(values))
    raise TemplateError(f"cannot compute {sympy.sstr(expr)!r}")


def _add(terms: list[Value]) -> Value:
    """Add exactly; fall back to sympy when a term keeps a free variable."""
    if all(isinstance(term, Fraction) for term in terms):
        return _bounded(sum(terms, Fraction(0)))  # type: ignore[arg-type]
    return _from_sympy(sympy.Add(*map(_to_sympy, terms)))


def _multiply(factors: list[Value]) -> Value:
    """Multiply exactly; fall back to sympy when a factor keeps a free variable."""
    if all(isinstance(factor, Fraction) for factor in factors):
        # Checked once, at the end: a factor is bounded and an expression has few of them.
        product = Fraction(1)
        for factor in factors:
            product *= factor  # type: ignore[assignment]
        return _bounded(product)
    return _from_sympy(sympy.Mul(*map(_to_sympy, factors)))


def _integer_power(base: Value, power: int) -> Value:
    """Raise to an integer power: the common case (`x^2`, `1/b`), kept fast."""
    if not isinstance(base, Fraction) or not -MAX_EXPONENT <= power <= MAX_EXPONENT:
        return _power(base, Fraction(power))
    if (
        max(base.numerator.bit_length(), base.denominator.bit_length()) * abs(power)
        > MAX_POWER_BITS
    ):
        raise TemplateError(f"a power of {_show(base)} is too large")
    if power < 0 and not base:
        raise ZeroDivisionError
    return base**power


def _power(base: Value, exponent: Value) -> Value:
    """Raise to a power, refusing before computing anything too large."""
    if not isinstance(exponent, Fraction):
        if isinstance(base, Fraction) and base == 0:
            raise TemplateError("zero to a symbolic power")
        return _from_sympy(sympy.Pow(_to_sympy(base), exponent))
    if abs(exponent) > MAX_EXPONENT:
        raise TemplateError(f"exponent {exponent} is too large (at most {MAX_EXPONENT})")
    bits = _bits(base)
    if bits * abs(exponent) > MAX_POWER_BITS:
        raise TemplateError(f"a power of {_show(base)} is too large")
    if exponent.denominator == 1 and isinstance(base, Fraction):
        return _integer_power(base, exponent.numerator)
    if exponent.denominator != 1 and bits > MAX_ROOT_BASE_BITS:
        raise TemplateError(f"cannot take a root of a number as large as {_show(base)}")
    return _from_sympy(sympy.Pow(_to_sympy(base), _to_sympy(exponent)))


def _bits(value: Value) -> int:
    """Size in bits of the largest number in a value."""
    if isinstance(value, Fraction):
        # int.bit_length ignores the sign
        return max(value.numerator.bit_length(), value.denominator.bit_length())
    return max(
        (max(r.p.bit_length(), r.q.bit_length()) for r in value.atoms(sympy.Rational)), default=1
    )


def _bounded(value: Fraction) -> Fraction:
    """Refuse an intermediate value too large to be a sensible template value."""
    if max(value.numerator.bit_length(), value.denominator.bit_length()) > MAX_VALUE_BITS:
        raise TemplateError("a computed value is too large")
    return value


def _show(value: Value) -> str:
    """Write a value for an error message, shortened when it is long."""
    text = str(value) if isinstance(value, Fraction) else sympy.sstr(value)
    return text if len(text) <= 40 else text[:20] + "..." + text[-10:]


def _to_sympy(value: Value) -> sympy.Expr:
    """Turn a Fraction into a sympy number; leave sympy values as they are."""
    if isinstance(value, Fraction):
        return sympy.Rational(value.numerator, value.denominator)
    return value


def _from_sympy(value: sympy.Expr) -> Value:
    """Bring a sympy result back to a Fraction when it is rational; refuse undefined or huge."""
    if value.is_Rational:
        return _bounded(Fraction(int(value.p), int(value.q)))  # type: ignore[attr-defined]
    if value.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
        raise ZeroDivisionError
    if _bits(value) > MAX_VALUE_BITS:
        raise TemplateError("a computed value is too large")
    return value


# A comparison of a `where` condition, found outside quoted texts.
_OPERATORS = ("<=", ">=", "!=", "==", "<", ">")
_BARE_NAME = re.compile(r"[a-z](?:\.[a-z][a-z0-9_]*)?")


class Side(NamedTuple):
    """One side of a condition: a quoted text, or an expression (maybe a bare name)."""

    text: str | None
    expression: str | None
    name: str | None  # the side is this one name, which may hold a text


class CompiledCondition(NamedTuple):
    """A `where` condition, parsed once."""

    left: Side
    operator: str
    right: Side
    size: int


@lru_cache(maxsize=1024)
def compile_condition(condition: str) -> CompiledCondition:
    """Split a condition at its one comparison (outside quotes) and compile both sides."""
    cuts: list[tuple[int, str]] = []
    quote = ""
    i = 0
    while i < len(condition):  # one pass: a condition is at most 200 characters
        char = condition[i]
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        else:
            operator = next((op for op in _OPERATORS if condition.startswith(op, i)), "")
            if operator:
                cuts.append((i, operator))
                i += len(operator)
                continue
        i += 1
    if quote:
        raise TemplateError(f"condition {condition!r} has a quote that is not closed")
    if len(cuts) != 1:
        raise TemplateError(f"condition {condition!r} needs exactly one comparison")
    ((at, operator),) = cuts
    left = _side(condition[:at].strip(), condition)
    right = _side(condition[at + len(operator) :].strip(), condition)
    size = sum(
        compile_expression(side.expression).size if side.expression else 1 for side in (left, right)
    )
    return CompiledCondition(left, operator, right, size)


def _side(text: str, condition: str) -> Side:
    """Compile one side of a condition."""
    if text[:1] in ("'", '"'):
        if len(text) < 2 or text[-1] != text[0] or text[0] in text[1:-1]:
            raise TemplateError(f"condition {condition!r}: a quoted text must be a whole side")
        return Side(unicodedata.normalize("NFC", text[1:-1]), None, None)
    if "'" in text or '"' in text:
        raise TemplateError(f"condition {condition!r}: a quoted text must be a whole side")
    compile_expression(text)  # a side that cannot parse is refused here, once
    return Side(None, text, text if _BARE_NAME.fullmatch(text) else None)


def compare(condition: str, operator: str, lhs: Value | str, rhs: Value | str) -> bool:
    """Apply a comparison: numbers with any operator, texts with `==` and `!=` only."""
    if isinstance(lhs, str) or isinstance(rhs, str):
        if not (isinstance(lhs, str) and isinstance(rhs, str)):
            raise TemplateError(f"condition {condition!r} compares a text with a number")
        if operator not in ("==", "!="):
            raise TemplateError(f"condition {condition!r}: texts compare only with == or !=")
        same = unicodedata.normalize("NFC", lhs) == unicodedata.normalize("NFC", rhs)
        return same if operator == "==" else not same
    for side in (lhs, rhs):
        if isinstance(side, Fraction):
            continue
        if side.free_symbols:
            raise TemplateError(f"condition {condition!r} uses a name that is not a parameter")
        raise TemplateError(f"condition {condition!r} compares a value that is not a fraction")
    assert isinstance(lhs, Fraction) and isinstance(rhs, Fraction)
    checks = {
        "<": lhs < rhs,
        ">": lhs > rhs,
        "<=": lhs <= rhs,
        ">=": lhs >= rhs,
        "==": lhs == rhs,
        "!=": lhs != rhs,
    }
    return checks[operator]


def to_fraction(name: str, value: int | float | str, expression: str) -> Fraction:
    """Turn a parameter's number into an exact fraction (a decimal as written: 0.1 is 1/10)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TemplateError(f"{expression!r} uses non-numeric parameter {name}")
    # repr gives the shortest text that reads back as the same float: the author's decimal.
    return _bounded(Fraction(value) if isinstance(value, int) else Fraction(repr(value)))
