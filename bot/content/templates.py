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
from fractions import Fraction
from functools import lru_cache

import sympy

from bot.content.expressions import TemplateError, Value, compile_expression
from bot.content.models import TEMPLATE_FIELD, Parameter, RangeParam
from bot.learning.mathparse import format_number

Variant = dict[str, int | str]

_COMPARISON = re.compile(r"(<=|>=|!=|==|<|>)")
MAX_VARIANTS_CHECKED = 400
# The `where` conditions are tried on at most this many combinations: their cost is
# bounded whatever the parameter ranges.
MAX_COMBINATIONS_TRIED = 20_000
# ...and on no more combinations than fit this many expression nodes evaluated, so long
# conditions cost no more than short ones.
MAX_CONDITION_WORK = 300_000


def all_variants(
    parameters: Mapping[str, Parameter], where: list[str], rng: random.Random | None = None
) -> Iterator[Variant]:
    """Yield the combinations of parameter values that meet the `where` conditions.

    Every combination is tried when there are at most MAX_COMBINATIONS_TRIED; beyond
    that, a random sample of that many distinct ones (drawn with `rng`, seeded 0 if None).
    Trying stops early once the conditions have cost MAX_CONDITION_WORK nodes.
    """
    cost = 1 + sum(_condition_size(condition) for condition in where)
    budget = MAX_CONDITION_WORK
    for variant in _candidates(parameters, rng if rng is not None else random.Random(0)):
        if budget <= 0:
            return  # bounded work: the variants found so far stand
        budget -= cost
        if _meets(where, variant):
            yield variant


class ConditionError(TemplateError):
    """A `where` condition that cannot be evaluated; `index` says which one."""

    def __init__(self, index: int, message: str) -> None:
        super().__init__(message)
        self.index = index


def _meets(where: list[str], variant: Variant) -> bool:
    """Tell whether a variant meets every condition; name the one that fails to compute."""
    for index, condition in enumerate(where):
        try:
            if not condition_holds(condition, variant):
                return False
        except TemplateError as exc:
            raise ConditionError(index, str(exc)) from exc
    return True


@lru_cache(maxsize=1024)
def _condition_size(condition: str) -> int:
    """The work of evaluating a condition once, in expression nodes (0 if it cannot parse)."""
    try:
        sides = _COMPARISON.split(condition)[::2]
        return sum(compile_expression(side.strip()).size for side in sides)
    except TemplateError:
        return 0  # it fails on its first evaluation, which reports it


def _candidates(parameters: Mapping[str, Parameter], rng: random.Random) -> Iterator[Variant]:
    """Yield the combinations to try, at most MAX_COMBINATIONS_TRIED of them."""
    names = sorted(parameters)
    domains = [_domain(parameters[name]) for name in names]
    total = combination_count(parameters)
    if total <= MAX_COMBINATIONS_TRIED:
        for combo in itertools.product(*domains):
            yield dict(zip(names, combo, strict=True))
        return
    # Bounded work whatever the sizes: decode sampled indexes as mixed-radix numbers.
    for index in rng.sample(range(total), MAX_COMBINATIONS_TRIED):
        variant: Variant = {}
        for name, domain in zip(names, domains, strict=True):
            index, digit = divmod(index, len(domain))
            variant[name] = domain[digit]
        yield variant


def variant_count(parameters: Mapping[str, Parameter], where: list[str]) -> int:
    """Count the valid variants of an exercise (among those tried, when there are many)."""
    return sum(1 for _ in all_variants(parameters, where))


def sample_variants(
    parameters: Mapping[str, Parameter], where: list[str], limit: int, rng: random.Random
) -> list[Variant]:
    """Return up to `limit` valid variants, all of them when there are few."""
    variants = list(all_variants(parameters, where, rng))
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
        if variant != avoid and _meets(where, variant):
            return variant
    variants = list(all_variants(parameters, where, rng))
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

    return TEMPLATE_FIELD.sub(fill, template)


def evaluate(expression: str, variant: Mapping[str, int | str]) -> Value:
    """Compute an expression over the parameters exactly: a Fraction, or a sympy expression
    when it keeps a variable that is not a parameter (such as the x of `{= a*x + b}`)."""
    evaluator, names, _size = compile_expression(expression.strip())
    values: dict[str, Fraction] = {}
    for name in names:
        value = variant.get(name)
        if value is None:
            continue
        if not isinstance(value, int):
            raise TemplateError(f"{expression.strip()!r} uses non-numeric parameter {name}")
        values[name] = Fraction(value)
    try:
        return evaluator(values)
    except ZeroDivisionError as exc:
        raise TemplateError(f"{expression.strip()!r} divides by zero") from exc
    except TemplateError as exc:
        raise TemplateError(f"cannot compute {expression.strip()!r}: {exc}") from exc


def condition_holds(condition: str, variant: Mapping[str, int | str]) -> bool:
    """Evaluate one `where` condition such as `a < b` or `b != d`."""
    parts = _COMPARISON.split(condition)
    if len(parts) != 3:
        raise TemplateError(f"condition {condition!r} needs exactly one comparison")
    left, operator, right = parts
    lhs, rhs = evaluate(left, variant), evaluate(right, variant)
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
