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
        ("3 m²", ("m²", None)),  # an area carries its power
        ("3 cubic feet", ("ft³", None)),
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


AREA = AnswerKey("numeric", "28 m²")


@pytest.mark.parametrize(
    "reply",
    ["28", "28 m²", "28 m2", "28m^2", "28 sq m", "28 square metres", "28 metres squared", "28 m"],
)
def test_an_area_in_its_unit_however_written_or_half_left_out_is_right(reply: str) -> None:
    grade = grade_answer(AREA, reply)
    assert grade.correct and not grade.other_unit, reply


@pytest.mark.parametrize(
    "reply", ["28 cm²", "28 cm2", "28 square centimetres", "28 sq ft", "28 m³", "28 km^2"]
)
def test_an_area_in_another_unit_is_not_the_answer(reply: str) -> None:
    grade = grade_answer(AREA, reply)
    assert not grade.correct and grade.other_unit, reply


def test_powers_are_read_on_either_side_of_a_rate() -> None:
    assert unit_of("9.8 m/s²", 3) == ("m", "s²")
    assert unit_of("2 m^3 per minute", 1) == ("m³", "min")
    assert unit_of("28 squares", 2) is None
    assert grade_answer(AnswerKey("numeric", "5 m"), "5 m²").other_unit
    assert grade_answer(AnswerKey("numeric", "9.8 m/s²"), "9.8 m/s2").correct


def test_a_key_in_metres_reads_no_minutes_and_seconds() -> None:
    """ "28 m2" is 28 square metres, not 28 minutes and 2 seconds ("m" is as often metres)."""
    length = grade_answer(AnswerKey("numeric", "28 m"), "28 m2")
    assert length.other_unit and length.candidate == "28 m2"  # an area for a length
    assert grade_answer(AnswerKey("numeric", "90 s"), "1 min 30 s").correct


COLD = AnswerKey("numeric", "-5 °C")


@pytest.mark.parametrize(
    "reply", ["-5", "-5°C", "-5 degrees C", "-5 degrees Celsius", "5 below zero", "5 °C below zero"]
)
def test_a_temperature_in_its_unit_or_below_zero_is_right(reply: str) -> None:
    grade = grade_answer(COLD, reply)
    assert grade.correct and not grade.other_unit, reply


@pytest.mark.parametrize("reply", ["-5 °F", "-5 Fahrenheit", "-5 kelvin"])
def test_a_temperature_on_another_scale_is_asked_about_its_unit(reply: str) -> None:
    grade = grade_answer(COLD, reply)
    assert not grade.correct and grade.other_unit, reply


def test_below_zero_negates_only_a_positive_count() -> None:
    assert not grade_answer(AnswerKey("numeric", "5"), "5 below zero").correct
    assert not grade_answer(COLD, "5 below").correct
    assert grade_answer(AnswerKey("numeric", "-5"), "5 grados bajo cero").correct


@pytest.mark.parametrize(
    ("answer", "reply"),
    [
        ("1.5 km", "1500 m"),
        ("1.5 km", "150000 cm"),
        ("2 kg", "2000 grams"),
        ("10 m/s", "36 km/h"),
        ("28 m²", "280000 cm²"),
    ],
)
def test_the_quantity_in_another_unit_is_asked_about_its_unit(answer: str, reply: str) -> None:
    grade = grade_answer(AnswerKey("numeric", answer), reply)
    assert not grade.correct and grade.other_unit and grade.candidate is not None, reply


@pytest.mark.parametrize(
    ("answer", "reply"), [("1.5 km", "1600 m"), ("1.5 km", "1500"), ("2 kg", "2000 m")]
)
def test_another_quantity_is_just_wrong(answer: str, reply: str) -> None:
    grade = grade_answer(AnswerKey("numeric", answer), reply)
    assert not grade.correct and not grade.other_unit, reply


def test_durations_are_still_converted_and_right() -> None:
    assert grade_answer(AnswerKey("numeric", "2.5 hours"), "150 minutes").correct
