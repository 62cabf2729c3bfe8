"""Ratios with a colon are one value: "1:4" is neither 4 nor 1/4, and a ratio key wants one."""

from __future__ import annotations

import pytest

from bot.learning.answer_key import AnswerKey
from bot.learning.answer_leak import reveals_answer
from bot.learning.grading import grade_answer
from bot.learning.ratios import ratios_in
from bot.learning.reply_numbers import reply_numbers

RATIO = AnswerKey("numeric", "3:1")


@pytest.mark.parametrize(
    "reply", ["3:1", "3 : 1", "6:2", "3 to 1", "three to one", "the ratio is 3:1", "3:1, not 1:3"]
)
def test_a_ratio_key_takes_equivalent_ratios(reply: str) -> None:
    assert grade_answer(RATIO, reply).correct


@pytest.mark.parametrize("reply", ["1", "3", "1:3", "one to three", "3:1 or 1:3", "9:2"])
def test_a_ratio_key_takes_no_term_alone_and_no_other_ratio(reply: str) -> None:
    assert not grade_answer(RATIO, reply).correct


def test_a_lone_number_worth_the_ratio_is_asked_in_the_ratios_form() -> None:
    assert grade_answer(RATIO, "3").wants_form == "ratio"
    assert grade_answer(RATIO, "1").wants_form is None
    assert grade_answer(RATIO, "1:3").wants_form is None


def test_a_ratio_is_not_a_fraction_key_but_its_value_is_asked_as_one_number() -> None:
    quarter = AnswerKey("numeric", "1/4")
    grade = grade_answer(quarter, "it's 1:4")
    assert not grade.correct and grade.candidate == "1:4" and grade.wants_form == "number"
    assert grade_answer(quarter, "1:3").candidate == "1:3"
    assert grade_answer(quarter, "1:3").wants_form is None
    assert grade_answer(quarter, "1 in 4").correct


def test_a_ratio_key_reads_a_time_shaped_ratio_as_a_ratio() -> None:
    key = AnswerKey("numeric", "3:10")
    assert grade_answer(key, "6:20").correct and not grade_answer(key, "3:20").correct


@pytest.mark.parametrize("answer", ["2:30 hours", "10:30 am"])
def test_times_stay_times(answer: str) -> None:
    key = AnswerKey("numeric", answer)
    assert grade_answer(key, answer).correct
    assert not grade_answer(key, "5:60").correct


def test_a_duration_key_still_reads_clock_durations() -> None:
    key = AnswerKey("numeric", "2.5 hours")
    assert grade_answer(key, "2:30").correct and grade_answer(key, "150 min").correct


def test_labels_and_three_terms_are_not_ratios() -> None:
    for text in ("step 1: 4 apples", "2:3:5", "-3:1"):
        numbers = ratios_in(reply_numbers(text), text, clocks=False)
        assert not any(n.ratio for n in numbers), text


def test_a_ratio_key_is_given_away_by_a_ratio_not_by_one_of_its_terms() -> None:
    public = ("Simplify the ratio 6:2.",)
    assert reveals_answer(RATIO, "It simplifies to 3:1.", public_texts=public)
    assert reveals_answer(RATIO, "That makes it 3 : 1", public_texts=public)
    assert not reveals_answer(RATIO, "Divide both by 2: 6 is 3 times 2.", public_texts=public)
    assert reveals_answer(AnswerKey("numeric", "3"), "mix it 3:1")
