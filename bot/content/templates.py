"""Parameterised exercises: enumerate variants and render their templates.

A template uses `{a}` for a parameter's value, `{+a}` for a signed term
(`+ 3` or `- 3`, for writing `2x {+b} = 7`), `{v.verb}` for a field of the row a
table parameter took, and `{= a/b + c/d}` for a value computed exactly from the
parameters (fractions stay fractions).

A variant is plain JSON, stored with the dialogue and rendered again later: a table
parameter `v` puts its row's fields in it as `v.verb`, `v.stem`..., so the row travels
whole and a later edit of the course does not change a dialogue already under way.
Keys starting with `_` (such as the choice order) belong to others and are left alone.
"""

from __future__ import annotations

import itertools
import random
import re
from collections.abc import Iterable, Iterator, Mapping
from fractions import Fraction
from functools import lru_cache

import sympy

from bot.content.expressions import (
    Side,
    TemplateError,
    Value,
    compare,
    compile_condition,
    compile_expression,
    to_fraction,
)
from bot.content.models import TEMPLATE_FIELD, Parameter, RangeParam, TableParam
from bot.learning.mathparse import format_number

Scalar = int | float | str
Variant = dict[str, Scalar]
# One value a parameter can take: a number, a text, or a table's whole row.
Choice = Scalar | Mapping[str, Scalar]

MAX_VARIANTS_CHECKED = 400
# The `where` conditions are tried on at most this many combinations: their cost is
# bounded whatever the parameter ranges.
MAX_COMBINATIONS_TRIED = 20_000
# ...and on no more combinations than fit this many expression nodes evaluated, so long
# conditions cost no more than short ones.
MAX_CONDITION_WORK = 300_000


def all_variants(
    parameters: Mapping[str, Parameter],
    where: list[str],
    rng: random.Random | None = None,
    failures: list[ConditionError] | None = None,
) -> Iterator[Variant]:
    """Yield the combinations of parameter values that meet the `where` conditions.

    Every combination is tried when there are at most MAX_COMBINATIONS_TRIED; beyond
    that, a random sample of that many distinct ones (drawn with `rng`, seeded 0 if None).
    Trying stops early once the conditions have cost MAX_CONDITION_WORK nodes. A condition
    that cannot be evaluated raises, or, given `failures`, is recorded there and unmet.
    """
    cost = 1 + sum(_condition_size(condition) for condition in where)
    budget = MAX_CONDITION_WORK
    for variant in _candidates(parameters, rng if rng is not None else random.Random(0)):
        if budget <= 0:
            return  # bounded work: the variants found so far stand
        budget -= cost
        try:
            met = _meets(where, variant)
        except ConditionError as exc:
            if failures is None:
                raise
            failures.append(exc)
            met = False
        if met:
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
        return compile_condition(condition).size
    except TemplateError:
        return 0  # it fails on its first evaluation, which reports it


def _candidates(parameters: Mapping[str, Parameter], rng: random.Random) -> Iterator[Variant]:
    """Yield the combinations to try, at most MAX_COMBINATIONS_TRIED of them."""
    names = sorted(parameters)
    domains = [_domain(parameters[name]) for name in names]
    total = combination_count(parameters)
    if total <= MAX_COMBINATIONS_TRIED:
        for combo in itertools.product(*domains):
            yield _variant(zip(names, combo, strict=True))
        return
    # Bounded work whatever the sizes: decode sampled indexes as mixed-radix numbers.
    for index in rng.sample(range(total), MAX_COMBINATIONS_TRIED):
        chosen: list[tuple[str, Choice]] = []
        for name, domain in zip(names, domains, strict=True):
            index, digit = divmod(index, len(domain))
            chosen.append((name, domain[digit]))
        yield _variant(chosen)


def _variant(chosen: Iterable[tuple[str, Choice]]) -> Variant:
    """Build a variant from each parameter's choice; a row's fields go in as `v.field`."""
    variant: Variant = {}
    for name, value in chosen:
        if isinstance(value, Mapping):
            for field, field_value in value.items():
                variant[f"{name}.{field}"] = field_value
        else:
            variant[name] = value
    return variant


def variant_count(parameters: Mapping[str, Parameter], where: list[str]) -> int:
    """Count the valid variants of an exercise (among those tried, when there are many)."""
    return sum(1 for _ in all_variants(parameters, where))


def sample_variants(
    parameters: Mapping[str, Parameter],
    where: list[str],
    limit: int,
    rng: random.Random,
    failures: list[ConditionError] | None = None,
) -> list[Variant]:
    """Return up to `limit` valid variants, all of them when there are few."""
    variants = list(all_variants(parameters, where, rng, failures))
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
    if avoid is not None:
        # A stored variant may carry others' keys (the choice order): compare the values only.
        avoid = {key: value for key, value in avoid.items() if not key.startswith("_")}
    for _ in range(200):
        picked = [rng.choice(domain) for domain in domains]
        variant = _variant(list(zip(names, picked, strict=True)))
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


def render(template: str, variant: Mapping[str, Scalar]) -> str:
    """Fill a template's fields from a variant."""

    def fill(match: re.Match[str]) -> str:
        body = match.group(1)
        if body.startswith("="):
            return format_value(evaluate(body[1:], variant))
        signed = body.startswith("+")
        name = body.lstrip("+")
        value = lookup(name, variant, f"{{{body}}}")
        if not signed:
            return str(value)
        if isinstance(value, str):
            raise TemplateError(f"{{+{name}}} needs a number, got {value!r}")
        return f"+ {value}" if value >= 0 else f"- {-value}"

    return TEMPLATE_FIELD.sub(fill, template)


def lookup(name: str, variant: Mapping[str, Scalar], field: str) -> Scalar:
    """Return a parameter's (or a row field's) value; say plainly why it has none."""
    if name in variant:
        return variant[name]
    table, _, wanted = name.partition(".")
    fields = sorted(key.partition(".")[2] for key in variant if key.startswith(table + "."))
    if wanted and fields:
        raise TemplateError(
            f"{field}: table {table} has no field {wanted!r} (its fields: {', '.join(fields)})"
        )
    if fields:
        example = f"{{{table}.{fields[0]}}}"
        raise TemplateError(f"{field}: {table} is a table; name a field, such as {example}")
    raise TemplateError(f"unknown parameter {field}")


def evaluate(expression: str, variant: Mapping[str, Scalar]) -> Value:
    """Compute an expression over the parameters exactly: a Fraction, or a sympy expression
    when it keeps a variable that is not a parameter (such as the x of `{= a*x + b}`)."""
    text = expression.strip()
    evaluator, names, _size = compile_expression(text)
    values: dict[str, Fraction] = {}
    for name in names:
        if name in variant:
            values[name] = to_fraction(name, variant[name], text)
        elif "." in name or any(key.startswith(name + ".") for key in variant):
            lookup(name, variant, f"{{= {text}}}")  # raises: a row field is never a variable
    try:
        return evaluator(values)
    except ZeroDivisionError as exc:
        raise TemplateError(f"{text!r} divides by zero") from exc
    except TemplateError as exc:
        raise TemplateError(f"cannot compute {text!r}: {exc}") from exc


def condition_holds(condition: str, variant: Mapping[str, Scalar]) -> bool:
    """Evaluate one `where` condition such as `a < b`, `b != d` or `p != 'vosotros'`."""
    compiled = compile_condition(condition)
    lhs = _side_value(compiled.left, variant, condition)
    rhs = _side_value(compiled.right, variant, condition)
    return compare(condition, compiled.operator, lhs, rhs)


def _side_value(side: Side, variant: Mapping[str, Scalar], condition: str) -> Value | str:
    """The value of one side of a condition: a text, or an exact number."""
    if side.text is not None:
        return side.text
    if side.name is not None:
        value = lookup(side.name, variant, f"{side.name} in {condition!r}")
        if isinstance(value, str):
            return value
    assert side.expression is not None
    return evaluate(side.expression, variant)


def format_value(value: Value) -> str:
    """Write a computed value the way a learner would: `7/12`, `-3`, `2*x + 1`."""
    if isinstance(value, Fraction):
        return str(value.numerator) if value.denominator == 1 else str(value)
    if value.is_number:
        return format_number(value)
    return sympy.sstr(value).replace("**", "^")


def _domain(parameter: Parameter) -> list[Choice]:
    """List the values a parameter can take (a table's: its rows)."""
    if isinstance(parameter, RangeParam):
        low, high = parameter.range
        return list(range(low, high + 1))
    if isinstance(parameter, TableParam):
        return list(parameter.table)
    return list(parameter.values)
