"""Parameterised exercises: enumerate variants and render their templates.

A template uses `{a}` for a parameter's value, `{+a}` for a signed term
(`+ 3` or `- 3`, for writing `2x {+b} = 7`), and `{= a/b + c/d}` for a value
computed exactly from the parameters (fractions stay fractions).
"""

from __future__ import annotations

import itertools
import random
import re
from collections.abc import Iterator, Mapping

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


def evaluate(expression: str, variant: Mapping[str, int | str]) -> sympy.Expr:
    """Compute an expression over the parameters, exactly."""
    try:
        expr = parse_math(expression.strip(), max_length=500)
    except MathParseError as exc:
        raise TemplateError(f"cannot compute {expression.strip()!r}: {exc}") from exc
    values = {}
    for symbol in expr.free_symbols:
        value = variant.get(str(symbol))
        if value is None:
            raise TemplateError(f"{expression.strip()!r} uses unknown parameter {symbol}")
        if not isinstance(value, int):
            raise TemplateError(f"{expression.strip()!r} uses non-numeric parameter {symbol}")
        values[symbol] = sympy.Integer(value)
    result = expr.subs(values)
    if result.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
        raise TemplateError(f"{expression.strip()!r} divides by zero for {dict(variant)}")
    return sympy.nsimplify(result) if result.is_Float else result


def condition_holds(condition: str, variant: Mapping[str, int | str]) -> bool:
    """Evaluate one `where` condition such as `a < b` or `b != d`."""
    parts = _COMPARISON.split(condition)
    if len(parts) != 3:
        raise TemplateError(f"condition {condition!r} needs exactly one comparison")
    left, operator, right = parts
    lhs, rhs = evaluate(left, variant), evaluate(right, variant)
    difference = sympy.simplify(lhs - rhs)
    if not difference.is_number:
        raise TemplateError(f"condition {condition!r} does not reduce to numbers")
    checks = {
        "<": difference < 0,
        ">": difference > 0,
        "<=": difference <= 0,
        ">=": difference >= 0,
        "==": difference == 0,
        "!=": difference != 0,
    }
    return bool(checks[operator])


def format_value(value: sympy.Expr) -> str:
    """Write a computed value the way a learner would: `7/12`, `-3`, `2*x + 1`."""
    if value.is_number:
        return format_number(value)
    return sympy.sstr(value).replace("**", "^")


def _domain(parameter: Parameter) -> list[int | str]:
    """List the values a parameter can take."""
    if isinstance(parameter, RangeParam):
        low, high = parameter.range
        return list(range(low, high + 1))
    return list(parameter.values)
