"""Grading that reads how answers are written: units, percents, decimal commas, accents."""

from __future__ import annotations

import pytest

from bot.learning.grading import AnswerKey, Grade, grade_answer
from tests.learning.test_grading_reading import exact, numeric

# --- units, percents, commas --------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "reply"),
    [
        ("900", "900m"),
        ("900", "900 m"),
        ("12", "12 cm"),
        ("45", "$45"),
        ("3.5", "3.5kg"),
        ("1800", "900m x 2 = 1800m"),
        ("40", "area = 8m x 5m = 40m²"),
        ("5", "5h"),
        ("0.55", "0,55"),
        ("-4", "minus 4"),
    ],
)
def test_units_keep_their_number(answer: str, reply: str) -> None:
    assert grade_answer(numeric(answer), reply).correct


def test_a_letter_used_as_a_variable_is_not_a_unit() -> None:
    assert grade_answer(numeric("6"), "2m = 12 so m = 6") == Grade(True, "6")
    assert grade_answer(numeric("2"), "2x") == Grade(False, None)


def test_a_decimal_comma_in_the_course_language() -> None:
    assert grade_answer(numeric("1.5", "de"), "1,5").correct
    assert grade_answer(numeric("1500"), "1,500").correct
    assert not grade_answer(numeric("1500", "fr"), "1,500").correct


# The rule: a percent and a plain number match when their values are equal (30% = 0.3) or
# when the percent's number is the plain number (30% and 30), whichever side holds the %.
PERCENT_PAIRS = [
    ("0.3", "30%", True),
    ("30", "30%", True),
    ("75%", "75", True),
    ("75%", "0.75", True),
    ("75%", "3/4", True),
    ("75%", "75 percent", True),
    ("0.3", "30", False),
    ("30", "0.3", False),
    ("30%", "0.3%", False),
    ("75%", "7.5", False),
]


@pytest.mark.parametrize(("first", "second", "same"), PERCENT_PAIRS)
def test_percent_and_plain_number_keys_treat_each_other_the_same_both_ways(
    first: str, second: str, same: bool
) -> None:
    assert grade_answer(numeric(first), second).correct is same
    assert grade_answer(numeric(second), first).correct is same


# --- accents -----------------------------------------------------------------------------


def test_text_answers_ignore_accents_and_say_so() -> None:
    assert grade_answer(exact("habló", "es"), "habló") == Grade(True, "habló")
    assert grade_answer(exact("habló", "es"), "HABLÓ") == Grade(True, "habló")
    assert grade_answer(exact("habló", "es"), "hablo") == Grade(True, "habló", accent_only=True)
    assert grade_answer(exact("hablo", "es"), "habló").accent_only
    assert not grade_answer(exact("habló", "es"), "hablé").correct


def test_strict_accents_make_an_accent_wrong_but_still_noted() -> None:
    grade = grade_answer(exact("habló", "es", strict=True), "hablo")
    # The candidate is the reply's own spelling: the right accents are still the secret.
    assert grade == Grade(False, "hablo", accent_only=True)
    assert grade_answer(exact("habló", "es", strict=True), "habló").correct


def test_accents_in_patterns_and_choices() -> None:
    key = AnswerKey("pattern", "x", pattern=r"\bcafé\b")
    assert grade_answer(key, "un cafe") == Grade(True, "cafe", accent_only=True)
    strict = AnswerKey("pattern", "x", pattern=r"\bcafé\b", strict_accents=True)
    assert not grade_answer(strict, "un cafe").correct
    choice = AnswerKey("choice", "Bogotá", choices=("Lima", "Bogotá"), language="es")
    assert grade_answer(choice, "bogota").correct
    assert grade_answer(choice, "creo que es la b").correct


def test_an_exact_answer_in_a_sentence() -> None:
    key = exact("hablo", "es")
    for reply in (
        "creo que es hablo",
        "hablo, porque es yo",
        "hablo. It's the first person.",
        "I think it's hablo",
        "hablo, not habla",
        "¿hablo?",
    ):
        assert grade_answer(key, reply).correct, reply
    for reply in ("hablo world", "hablo\nbye", "hablas"):
        assert not grade_answer(key, reply).correct, reply
