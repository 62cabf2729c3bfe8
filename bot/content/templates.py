"""Parameterised exercises: enumerate variants and render their templates.

A template uses `{a}` for a parameter's value, `{+a}` for a signed term
(`+ 3` or `- 3`, for writing `2x {+b} = 7`), and `{= a/b + c/d}` for a value
computed exactly from the parameters (fractions stay fractions).
"""

from __future__ import annotations

import itertools
import random
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import TypeAlias

import sympy

from bot.content.models import Parameter, RangeParam
from bot.learning.mathparse import MathParseError, format_number, parse_math

Variant = dict[str, int | str]

_FIELD = re.compile(r"\{(=[^{}]*|\+?[a-z])\}")
_COMPARISON = re.compile(r"(<=|>=|!=|==|<|>)")
MAX_VARIANTS_CHECKED = 400


class TemplateError(ValueError):
    """A template or a `where` condition that cannot be computed for a variant."""


def all_variants(parameters: Mapping[str, Parameter], where: list[str]) -> Iterator[Variant]:
    """Yield every combination of parameter values that meets the `where` conditions."""
    names = sorted(parameters)
    domains = [_domain(parameters[name]) for name in names]
    for combo in itertools.product(*domains):
        variant: Variant = dict(zip(names, combo, strict=True))
        if all(condition_holds(cond, variant) for cond in where):
            yield variant


def variant_count(parameters: Mapping[str, Parameter], where: list[str]) -> int:
    """Count the valid variants of an exercise."""
    return sum(1 for _ in all_variants(parameters, where))


def sample_variants(
    parameters: Mapping[str, Parameter], where: list[str], limit: int, rng: random.Random
) -> list[Variant]:
    """Return up to `limit` valid variants, all of them when there are few."""
    variants = list(all_variants(parameters, where))
    if len(variants) <= limit:
        return variants
    return rng.sample(variants, limit)


def pick_variant(
    parameters: Mapping[str, Parameter],
    where: list[str],
    rng: random.Random,
    avoid: Variant | None = None,
) -> Variant:
    """Pick one valid variant at random, not `avoid` when another exists."""
    names = sorted(parameters)
    domains = [_domain(parameters[name]) for name in names]
    for _ in range(200):
        variant: Variant = {
            name: rng.choice(domain) for name, domain in zip(names, domains, strict=True)
        }
        if variant != avoid and all(condition_holds(cond, variant) for cond in where):
            return variant
    variants = list(all_variants(parameters, where))
    if not variants:
        raise TemplateError("no parameter values meet the 'where' conditions")
    choices = [v for v in variants if v != avoid] or variants
    return rng.choice(choices)


def combination_count(parameters: Mapping[str, Parameter]) -> int:
    """Count parameter combinations before the `where` conditions apply."""
    total = 1
    for parameter in parameters.values():
        total *= len(_domain(parameter))
    return total


def render(template: str, variant: Mapping[str, int | str]) -> str:
    """Fill a template's fields from a variant."""

    def fill(match: re.Match[str]) -> str:
        body = match.group(1)
        if body.startswith("="):
            return format_value(evaluate(body[1:], variant))
        signed = body.startswith("+")
        name = body.lstrip("+")
        if name not in variant:
            raise TemplateError(f"unknown parameter {{{body}}}")
        value = variant[name]
        if not signed:
            return str(value)
        if not isinstance(value, int):
            raise TemplateError(f"{{+{name}}} needs a number, got {value!r}")
        return f"+ {value}" if value >= 0 else f"- {-value}"

    return _FIELD.sub(fill, template)


Value: TypeAlias = Fraction | sympy.Expr
Evaluator = Callable[[Mapping[str, Fraction]], Fraction]


@dataclass(frozen=True)
class _Compiled:
    """An authored expression, parsed once, with a fast exact evaluator when it has one."""

    expr: sympy.Expr
    names: frozenset[str]
    evaluator: Evaluator | None


def evaluate(expression: str, variant: Mapping[str, int | str]) -> Value:
    """Compute an expression over the parameters exactly: a Fraction, or a sympy expression
    when it keeps a variable that is not a parameter (such as the x of `{= a*x + b}`)."""
    compiled = _compiled(expression.strip())
    values: dict[str, Fraction] = {}
    for name in compiled.names:
        value = variant.get(name)
        if value is None:
            continue
        if not isinstance(value, int):
            raise TemplateError(f"{expression.strip()!r} uses non-numeric parameter {name}")
        values[name] = Fraction(value)
    try:
        if compiled.evaluator is not None and len(values) == len(compiled.names):
            return compiled.evaluator(values)
        result = compiled.expr.subs(
            {sympy.Symbol(k): sympy.Rational(v.numerator, v.denominator) for k, v in values.items()}
        )
    except ZeroDivisionError as exc:
        raise TemplateError(f"{expression.strip()!r} divides by zero") from exc
    if result.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
        raise TemplateError(f"{expression.strip()!r} divides by zero")
    return result


@lru_cache(maxsize=4096)
def _compiled(expression: str) -> _Compiled:
    """Parse an authored expression once and build its evaluator."""
    try:
        expr = parse_math(expression, max_length=500)
    except MathParseError as exc:
        raise TemplateError(f"cannot compute {expression!r}: {exc}") from exc
    names = frozenset(str(symbol) for symbol in expr.free_symbols)
    return _Compiled(expr, names, _evaluator(expr))


def _evaluator(expr: sympy.Expr) -> Evaluator | None:
    """Build a function computing `expr` with Python fractions; None if it needs more."""
    if expr.is_Rational:
        constant = Fraction(int(expr.p), int(expr.q))  # type: ignore[attr-defined]
        return lambda _values: constant
    if expr.is_Symbol:
        name = str(expr)
        return lambda values: values[name]
    parts = [_evaluator(arg) for arg in expr.args]
    if any(part is None for part in parts):
        return None
    funcs = [part for part in parts if part is not None]
    if expr.is_Add:
        return lambda values: sum((f(values) for f in funcs), Fraction(0))
    if expr.is_Mul:

        def product(values: Mapping[str, Fraction]) -> Fraction:
            result = Fraction(1)
            for f in funcs:
                result *= f(values)
            return result

        return product
    if expr.is_Pow and expr.args[1].is_Integer:
        base, exponent = funcs[0], int(expr.args[1])  # type: ignore[call-overload]
        return lambda values: base(values) ** exponent
    return None


def condition_holds(condition: str, variant: Mapping[str, int | str]) -> bool:
    """Evaluate one `where` condition such as `a < b` or `b != d`."""
    parts = _COMPARISON.split(condition)
    if len(parts) != 3:
        raise TemplateError(f"condition {condition!r} needs exactly one comparison")
    left, operator, right = parts
    lhs, rhs = evaluate(left, variant), evaluate(right, variant)
    if not isinstance(lhs, Fraction) or not isinstance(rhs, Fraction):
        raise TemplateError(f"condition {condition!r} uses a name that is not a parameter")
    checks = {
        "<": lhs < rhs,
        ">": lhs > rhs,
        "<=": lhs <= rhs,
        ">=": lhs >= rhs,
        "==": lhs == rhs,
        "!=": lhs != rhs,
    }
    return checks[operator]


def format_value(value: Value) -> str:
    """Write a computed value the way a learner would: `7/12`, `-3`, `2*x + 1`."""
    if isinstance(value, Fraction):
        return str(value.numerator) if value.denominator == 1 else str(value)
    if value.is_number:
        return format_number(value)
    return sympy.sstr(value).replace("**", "^")


def _domain(parameter: Parameter) -> list[int | str]:
    """List the values a parameter can take."""
    if isinstance(parameter, RangeParam):
        low, high = parameter.range
        return list(range(low, high + 1))
    return list(parameter.values)
