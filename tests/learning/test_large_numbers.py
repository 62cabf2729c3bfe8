"""Large numbers as people write them: "2.5 million", "3 dozen", "1 000 000"."""

from __future__ import annotations

import pytest

from bot.learning.answer_key import AnswerKey
from bot.learning.answer_leak import reveals_answer
from bot.learning.grading import grade_answer


@pytest.mark.parametrize(
    ("answer", "reply"),
    [
        ("2500000", "2.5 million"),
        ("2500000", "2.5 millions of people"),
        ("2500000", "2 500 000"),
        ("1000000", "1 000 000"),
        ("1000000", "1 million"),
        ("7.5 billion", "7,500,000,000"),
        ("7500000000", "7.5 billion"),
        ("36", "3 dozen"),
        ("2000", "2 thousand"),
        ("12500", "12 500"),
        ("-1500", "-1 500"),
    ],
)
def test_a_scale_word_or_spaced_thousands_make_one_number(answer: str, reply: str) -> None:
    assert grade_answer(AnswerKey("numeric", answer), reply).correct, reply


@pytest.mark.parametrize(
    ("answer", "reply"),
    [("1000000", "2.5 million"), ("2500000", "2 million"), ("1000", "1 0000"), ("5", "5 000")],
)
def test_other_values_stay_wrong(answer: str, reply: str) -> None:
    assert not grade_answer(AnswerKey("numeric", answer), reply).correct, reply


def test_a_course_language_reads_its_own_scale_words() -> None:
    key = AnswerKey("numeric", "2500000000", language="fr")
    assert grade_answer(key, "2,5 milliards").correct
    assert grade_answer(AnswerKey("numeric", "3000000", language="de"), "3 Millionen").correct


def test_a_number_inside_a_text_answer_may_be_written_in_words() -> None:
    key = AnswerKey("exact", "Apollo 11")
    assert grade_answer(key, "it was Apollo eleven").correct
    assert not grade_answer(key, "Apollo thirteen").correct
    assert not grade_answer(AnswerKey("exact", "one"), "1").correct  # a word answer stays a word


def test_the_leak_guard_reads_those_forms_too() -> None:
    assert reveals_answer(AnswerKey("exact", "Apollo 11"), "It was Apollo eleven.")
    assert not reveals_answer(AnswerKey("exact", "Apollo 11"), "Which mission landed first?")
    assert reveals_answer(AnswerKey("exact", "die Bücher"), "Es heisst die Buecher.")
    strict = AnswerKey("exact", "die Bücher", strict_accents=True)
    assert not reveals_answer(strict, "Es heisst die Buecher.")  # wrong there: no leak
