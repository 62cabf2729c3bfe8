"""Tied parameters: a table's row is chosen whole, its fields render and compute together."""

from __future__ import annotations

import json
import random
from fractions import Fraction
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from bot.content import templates
from bot.content.catalog import Course
from bot.content.expressions import compile_expression
from bot.content.loader import load_catalog
from bot.content.models import MAX_ROW_FIELDS, MAX_TABLE_ROWS, AnsweredExercise, Parameter
from bot.content.rendering import ORDER, render_exercise
from bot.content.templates import (
    TemplateError,
    all_variants,
    combination_count,
    condition_holds,
    evaluate,
    pick_variant,
    render,
    variant_count,
)
from bot.learning.grading import grade_answer
from tests.conftest import ROOT

PARAMETERS = TypeAdapter(dict[str, Parameter])
VERBS = [
    {"verb": "hablar", "meaning": "to speak", "stem": "habl", "group": "ar"},
    {"verb": "comer", "meaning": "to eat", "stem": "com", "group": "er"},
    {"verb": "vivir", "meaning": "to live", "stem": "viv", "group": "ir"},
]


def _params(data: dict[str, Any]) -> dict[str, Parameter]:
    return PARAMETERS.validate_python(data)


def _verbs_and_persons() -> dict[str, Parameter]:
    return _params({"v": {"table": VERBS}, "p": {"values": ["yo", "tú", "él", "vosotros"]}})


def test_a_whole_row_is_chosen_and_its_fields_render_together() -> None:
    params = _verbs_and_persons()
    rng = random.Random(4)
    seen = set()
    for _ in range(30):
        variant = pick_variant(params, [], rng)
        text = render("{v.verb} ({v.meaning}), stem {v.stem}-, for {p}", variant)
        row = next(r for r in VERBS if text.startswith(str(r["verb"]) + " "))
        assert text == f"{row['verb']} ({row['meaning']}), stem {row['stem']}-, for {variant['p']}"
        seen.add(row["verb"])
    assert seen == {"hablar", "comer", "vivir"}


def test_the_variant_is_plain_json_and_renders_the_same_after_a_round_trip() -> None:
    variant = pick_variant(_verbs_and_persons(), [], random.Random(1))
    assert set(variant) == {"p", "v.verb", "v.meaning", "v.stem", "v.group"}
    stored = json.loads(json.dumps({**variant, ORDER: "1,0"}))
    template = "{v.verb} means {v.meaning}; {p}"
    assert render(template, stored) == render(template, variant)
    assert stored[ORDER] == "1,0"  # a key starting with _ is not touched


def test_the_last_variant_is_avoided_even_when_stored_with_its_choice_order() -> None:
    params = _params({"v": {"table": VERBS[:2]}})
    last = {"v.verb": "hablar", "v.meaning": "to speak", "v.stem": "habl", "v.group": "ar"}
    rng = random.Random(0)
    for _ in range(10):
        assert pick_variant(params, [], rng, avoid={**last, ORDER: "1,0"})["v.verb"] == "comer"


def test_every_row_times_every_value_is_a_combination() -> None:
    params = _verbs_and_persons()
    assert combination_count(params) == 12
    variants = list(all_variants(params, []))
    assert len(variants) == 12
    assert len({(v["v.verb"], v["p"]) for v in variants}) == 12


def test_numeric_fields_compute_exactly_and_sign() -> None:
    params = _params({"r": {"table": [{"item": "pen", "price": 0.1, "count": -3}]}})
    (variant,) = all_variants(params, [])
    assert render("{r.item}: {= r.price * 3}, {= r.count * r.price}", variant) == "pen: 3/10, -3/10"
    assert render("x {+r.count}", variant) == "x - 3"
    assert evaluate("r.price + r.price", variant) == Fraction(1, 5)


def test_unknown_fields_and_misused_tables_are_plain_errors() -> None:
    variant = pick_variant(_verbs_and_persons(), [], random.Random(0))
    cases = {
        "{v}": "v is a table",
        "{v.nope}": "table v has no field 'nope'",
        "{= v + 1}": "v is a table",
        "{= v.nope * 2}": "has no field 'nope'",
        "{+v.verb}": "needs a number",
        "{= v.stem * 2}": "non-numeric",
        "{q.verb}": "unknown parameter",
    }
    for template, message in cases.items():
        with pytest.raises(TemplateError, match=message):
            render(template, variant)


def test_where_compares_texts_with_equals_and_not_equals() -> None:
    params = _verbs_and_persons()
    variants = list(all_variants(params, ["p != 'vosotros'", 'v.group == "ar"']))
    assert {(v["v.verb"], v["p"]) for v in variants} == {
        ("hablar", "yo"),
        ("hablar", "tú"),
        ("hablar", "él"),
    }


def test_where_joins_two_tables_on_a_field() -> None:
    params = _params(
        {
            "v": {"table": VERBS},
            "e": {
                "table": [
                    {"group": "ar", "tu": "as"},
                    {"group": "er", "tu": "es"},
                    {"group": "ir", "tu": "es"},
                ]
            },
        }
    )
    variants = list(all_variants(params, ["e.group == v.group"]))
    assert sorted(render("{v.stem}{e.tu}", v) for v in variants) == ["comes", "hablas", "vives"]


def test_texts_compare_exactly_after_unicode_normalisation() -> None:
    decomposed = "tu\u0301"  # t, u, combining acute: the same word as "tú"
    assert condition_holds("p == 'tú'", {"p": decomposed})
    assert not condition_holds("p == 'Tú'", {"p": "tú"})
    assert condition_holds("p == '<=>'", {"p": "<=>"})  # an operator inside quotes is text
    assert condition_holds("v.n > 2", {"v.n": 3, "v.name": "x"})


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        ("p < 'yo'", "only with == or !="),
        ("p == 3", "compares a text with a number"),
        ("p == 'yo", "not closed"),
        ("p == 'yo' + 1", "whole side"),
        ("p", "exactly one comparison"),
        ("q == 'yo'", "unknown parameter"),
        ("v == 'x'", "v is a table"),
        ("v.nope == 'x'", "no field 'nope'"),
    ],
)
def test_bad_text_conditions_are_errors(condition: str, message: str) -> None:
    with pytest.raises(TemplateError, match=message):
        condition_holds(condition, {"p": "yo", "v.verb": "ir"})


def test_an_expression_may_name_many_row_fields_and_greek_letters() -> None:
    fields = {f"t.f{i}": i for i in range(10)}
    expression = " + ".join(fields) + " + α"
    assert len(compile_expression(expression).names) == 11
    assert render("{= " + " + ".join(fields) + "}", fields) == "45"


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ([{"a": 1}] * (MAX_TABLE_ROWS + 1), "at most 1000"),
        ([{f"f{i}": i for i in range(MAX_ROW_FIELDS + 1)}], "1 to 20 fields"),
        ([{"word": "x" * 501}], "at most 500 characters"),
        ([{"Word": "x"}], "field name 'Word'"),
        ([{"yes": False}], "quote the word"),
        ([{"when": [1, 2]}], "number or a text"),
        ([{"n": float("inf")}], "finite"),
        (["hablar"], "a row is a mapping"),
        ([], "at least 1"),
    ],
)
def test_tables_are_bounded(table: list[Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        _params({"v": {"table": table}})


def test_a_parameter_names_its_kind_once() -> None:
    with pytest.raises(ValidationError) as caught:
        _params({"v": {"rows": []}})
    assert len(caught.value.errors()) == 1
    assert "'range', 'values' or 'table'" in str(caught.value)
    with pytest.raises(ValidationError, match="quote the word"):
        _params({"p": {"values": ["sí", False]}})  # YAML's reading of an unquoted no


def test_a_large_table_is_tried_within_the_same_bounds(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = 0

    def counted(condition: str, variant: dict[str, Any]) -> bool:
        nonlocal calls
        calls += 1
        return condition_holds(condition, variant)

    monkeypatch.setattr(templates, "condition_holds", counted)
    rows = [{"word": f"w{i}", "n": i} for i in range(MAX_TABLE_ROWS)]
    params = _params({"v": {"table": rows}, "k": {"range": [1, 100]}})
    assert combination_count(params) == 100_000
    assert list(all_variants(params, ["v.word == 'none'"])) == []
    assert calls == templates.MAX_COMBINATIONS_TRIED


# The demo language drill: Spanish present tense, 3 verbs x 3 persons.


@pytest.fixture(scope="module")
def verbs() -> Course:
    return load_catalog([ROOT / "tests" / "demo_courses" / "demo-verbs"]).courses["demo-verbs"]


FORMS = {
    ("hablar", "yo"): "hablo",
    ("hablar", "tú"): "hablas",
    ("hablar", "él"): "habla",
    ("comer", "yo"): "como",
    ("comer", "tú"): "comes",
    ("comer", "él"): "come",
    ("vivir", "yo"): "vivo",
    ("vivir", "tú"): "vives",
    ("vivir", "él"): "vive",
}
MEANINGS = {"hablar": "to speak", "comer": "to eat", "vivir": "to live"}


def test_the_verb_drill_has_every_verb_with_every_person(verbs: Course) -> None:
    exercise = verbs.exercises["conjugate-present"]
    assert isinstance(exercise, AnsweredExercise)
    assert variant_count(exercise.parameters, exercise.where) == 9
    answers = {
        (v["v.verb"], v["p.who"]): render_exercise(exercise, v).key.answer
        for v in all_variants(exercise.parameters, exercise.where)
    }
    assert answers == FORMS


def test_drawn_verb_variants_keep_each_row_together(verbs: Course) -> None:
    exercise = verbs.exercises["conjugate-present"]
    assert isinstance(exercise, AnsweredExercise)
    rng = random.Random(7)
    for _ in range(12):
        variant = json.loads(json.dumps(pick_variant(exercise.parameters, exercise.where, rng)))
        rendered = render_exercise(exercise, variant)
        verb, person = str(variant["v.verb"]), str(variant["p.who"])
        assert f"*{verb}* ({MEANINGS[verb]})" in rendered.prompt
        assert f"**{person}**" in rendered.prompt
        assert rendered.key.answer == FORMS[verb, person]
        assert grade_answer(rendered.key, FORMS[verb, person]).correct
        assert not grade_answer(rendered.key, verb).correct
        assert rendered.misconceptions[0].key.answer == verb
        assert rendered.hints[2].endswith(f"gives {FORMS[verb, person]}.")
