"""The right number in another unit ("50 mph" for 50 km/h) is another quantity, not the answer."""

from __future__ import annotations

import pytest

from bot.learning.grading import AnswerKey, grade_answer
from bot.learning.reply_numbers import same_unit
from bot.learning.units import other_unit, unit_of

SPEED = AnswerKey("numeric", "50 km/h")


@pytest.mark.parametrize(
    "reply",
    [
        "50 km/h",
        "50",
        "50 kph",
        "50 km",  # half the unit: not another one
        "50 kilometres an hour",
        "it goes 50km each hour",
        "50 cars",  # not a unit
    ],
)
def test_the_number_in_the_keys_unit_or_none_is_right(reply: str) -> None:
    grade = grade_answer(SPEED, reply)
    assert grade.correct and not grade.other_unit


@pytest.mark.parametrize(
    ("reply", "candidate"),
    [
        ("50 m/s", "50 m/s"),
        ("50 mph", "50 mph"),
        ("I think it's 50 metres per second.", "50 metres per second"),
        ("50 miles", "50 miles"),
    ],
)
def test_the_number_in_another_unit_is_not_the_answer(reply: str, candidate: str) -> None:
    grade = grade_answer(SPEED, reply)
    assert not grade.correct and grade.other_unit and grade.candidate == candidate


def test_m_is_minutes_where_the_key_is_in_minutes_and_metres_elsewhere() -> None:
    assert grade_answer(AnswerKey("numeric", "5 min"), "5m").correct
    metres = grade_answer(AnswerKey("numeric", "5 m"), "5 min")
    assert not metres.correct and metres.other_unit


def test_an_accepted_answer_in_another_unit_counts() -> None:
    key = AnswerKey("numeric", "1 kg", accept=("1 kilo",))
    assert grade_answer(key, "1 kilo").correct
    assert grade_answer(
        AnswerKey("numeric", "1000 g", accept=("1000 grams",)), "1000 grams"
    ).correct


def test_a_wrong_number_is_wrong_whatever_its_unit() -> None:
    grade = grade_answer(SPEED, "45 mph")
    assert not grade.correct and not grade.other_unit


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("50 km/h", ("km", "h")),
        ("50 metres per second", ("m", "s")),
        ("50 mph", ("mile", "h")),
        ("3 kg", ("kg", None)),
        ("3 eggs", None),
        ("3 m²", None),  # an area: left to the exact checkers
    ],
)
def test_units_read_after_a_number(text: str, unit: tuple[str, str | None] | None) -> None:
    assert unit_of(text, text.index(" ")) == unit


def test_other_unit_needs_both_units_known() -> None:
    assert not other_unit(None, ("km", "h"))
    assert not other_unit(("km", None), ("km", "h"))
    assert other_unit(("m", "s"), ("km", "h"))


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("min", "minutes", True),
        ("hr", "hours", True),
        ("km", "kilometers", True),
        ("£", "pounds", True),  # money, not weight
        ("eggs", "egg", True),  # any word, in the singular
        ("m", "min", False),
        ("kg", "g", False),
    ],
)
def test_one_table_names_units_for_grading_and_comparing(
    first: str, second: str, same: bool
) -> None:
    assert same_unit(first, second) is same
