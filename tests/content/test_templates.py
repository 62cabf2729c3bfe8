"""Templates and parameters render exactly, and bad ones are caught."""

from __future__ import annotations

import random

import pytest

from bot.content import templates
from bot.content.models import Parameter, RangeParam, ValuesParam
from bot.content.templates import (
    ConditionError,
    TemplateError,
    all_variants,
    combination_count,
    condition_holds,
    evaluate,
    format_value,
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
    params: dict[str, Parameter] = {
        "a": RangeParam(range=(1, 4)),
        "b": ValuesParam(values=[2, 4]),
    }
    variants = list(all_variants(params, ["a < b"]))
    assert variants == [{"a": 1, "b": 2}, {"a": 1, "b": 4}, {"a": 2, "b": 4}, {"a": 3, "b": 4}]
    assert condition_holds("a*2 != b", {"a": 1, "b": 4})
    assert not condition_holds("a*2 != b", {"a": 2, "b": 4})


def test_pick_variant_avoids_the_last_one() -> None:
    params = {"a": RangeParam(range=(1, 2))}
    rng = random.Random(0)
    for _ in range(20):
        assert pick_variant(params, [], rng, avoid={"a": 1}) == {"a": 2}


@pytest.mark.parametrize(
    ("expression", "variant", "reason"),
    [
        ("a^a^a^a", {"a": 9}, "exponent"),
        ("x^(a^a^a)", {"a": 9}, "exponent"),
        ("2^a", {"a": 10**6}, "exponent"),
        ("(a^64)^64", {"a": 2}, "too large"),
        ("a^40", {"a": 2**100}, "too large"),
        ("(a*x)^64", {"a": 2**100}, "too large"),
        ("a^(1/2)", {"a": 2**200}, "root"),
        ("a*b*c*d", {"a": 2**250, "b": 2**250, "c": 2**250, "d": 3}, "too large"),
        ("0^(x)", {}, "zero to a symbolic power"),
    ],
)
def test_oversized_values_are_refused_before_they_are_computed(
    expression: str, variant: dict[str, int | str], reason: str
) -> None:
    with pytest.raises(TemplateError, match=reason):
        evaluate(expression, variant)


def test_a_power_tower_in_a_template_or_condition_is_an_error() -> None:
    with pytest.raises(TemplateError, match=r"cannot compute 'a\^a\^a\^a'"):
        render("{= a^a^a^a}", {"a": 9})
    with pytest.raises(TemplateError, match="exponent"):
        condition_holds("a^a^a^a > 1", {"a": 3})
    with pytest.raises(TemplateError, match="exponent is too large"):
        render("{= 9^9^9^9}", {})


def test_values_within_the_bounds_still_compute_exactly() -> None:
    assert render("{= 2^64}", {}) == "18446744073709551616"
    assert render("{= a^-2}", {"a": 3}) == "1/9"
    assert render("{= sqrt(a)}", {"a": 16}) == "4"
    assert render("{= sqrt(a)}", {"a": 2}) == "sqrt(2)"
    assert render("{= x^2 + a*x}", {"a": -3}) == "x^2 - 3*x"
    assert render("{= (a/b)^3}", {"a": 2, "b": 3}) == "8/27"
    assert format_value(evaluate("a^b", {"a": 2, "b": 10})) == "1024"


def test_long_or_deeply_nested_expressions_are_refused() -> None:
    with pytest.raises(TemplateError, match="too long"):
        render("{= " + "a + " * 60 + "a}", {"a": 1})
    with pytest.raises(TemplateError, match="nested too deeply"):
        render("{= " + "(" * 40 + "a" + ")" * 40 + "}", {"a": 1})


def test_a_failing_condition_is_named_by_its_index() -> None:
    params = {"a": RangeParam(range=(1, 9))}
    with pytest.raises(ConditionError) as caught:
        list(all_variants(params, ["a > 0", "a^a^a > 1"]))
    assert caught.value.index == 1


def _counting_conditions(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []

    def counted(condition: str, variant: dict[str, int | str]) -> bool:
        calls.append(condition)
        return condition_holds(condition, variant)

    monkeypatch.setattr(templates, "condition_holds", counted)
    return calls


def test_the_variant_search_tries_a_bounded_number_of_combinations(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = _counting_conditions(monkeypatch)
    params = {name: RangeParam(range=(1, 100)) for name in "abc"}
    assert combination_count(params) == 1_000_000
    assert list(all_variants(params, ["a < 0"])) == []
    assert len(calls) == templates.MAX_COMBINATIONS_TRIED
    calls.clear()
    with pytest.raises(TemplateError, match="no parameter values"):
        pick_variant(params, ["a < 0"], random.Random(3))
    assert len(calls) == 200 + templates.MAX_COMBINATIONS_TRIED


def test_sampled_combinations_are_distinct_and_meet_the_conditions() -> None:
    params = {name: RangeParam(range=(1, 300)) for name in "ab"}
    variants = list(all_variants(params, ["a == b"], random.Random(5)))
    assert variants
    assert all(v["a"] == v["b"] for v in variants)
    assert len({(v["a"], v["b"]) for v in variants}) == len(variants)


def test_costly_conditions_stop_at_the_work_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _counting_conditions(monkeypatch)
    params = {name: RangeParam(range=(1, 100)) for name in "ab"}
    costly = "+".join(f"a^{i}*b^{j}" for i in range(1, 5) for j in range(1, 5)) + " < 0"
    assert len(costly) <= 200
    assert list(all_variants(params, [costly])) == []
    size = templates.compile_expression(costly.split("<")[0].strip()).size
    assert size > 40
    assert 0 < len(calls) <= templates.MAX_CONDITION_WORK // (size + 1) + 1
    assert len(calls) < 10_000
