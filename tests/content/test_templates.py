"""Templates and parameters render exactly, and bad ones are caught."""

from __future__ import annotations

import random

import pytest

from bot.content.models import RangeParam, ValuesParam
from bot.content.templates import (
    TemplateError,
    all_variants,
    condition_holds,
    pick_variant,
    render,
)


def test_fields_signed_terms_and_exact_values() -> None:
    variant = {"a": 3, "b": -2, "c": 1, "d": 4}
    assert render("{a}x {+b} = 7", variant) == "3x - 2 = 7"
    assert render("{a}x {+c} = 7", variant) == "3x + 1 = 7"
    assert render("{= a/d + c/d}", variant) == "1"
    assert render("{= c/a + c/d}", variant) == "7/12"
    assert render("{= a*d + b}", variant) == "10"


def test_unknown_parameter_and_division_by_zero_are_errors() -> None:
    with pytest.raises(TemplateError, match="unknown parameter"):
        render("{z}", {"a": 1})
    with pytest.raises(TemplateError):
        render("{= a/(b-b)}", {"a": 1, "b": 2})


def test_where_conditions_filter_variants() -> None:
    params = {"a": RangeParam(range=(1, 4)), "b": ValuesParam(values=[2, 4])}
    variants = list(all_variants(params, ["a < b"]))
    assert variants == [{"a": 1, "b": 2}, {"a": 1, "b": 4}, {"a": 2, "b": 4}, {"a": 3, "b": 4}]
    assert condition_holds("a*2 != b", {"a": 1, "b": 4})
    assert not condition_holds("a*2 != b", {"a": 2, "b": 4})


def test_pick_variant_avoids_the_last_one() -> None:
    params = {"a": RangeParam(range=(1, 2))}
    rng = random.Random(0)
    for _ in range(20):
        assert pick_variant(params, [], rng, avoid={"a": 1}) == {"a": 2}
