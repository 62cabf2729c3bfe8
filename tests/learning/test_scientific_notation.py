"""Scientific notation is one number, graded by its value and guarded as the answer."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content.loader import load_catalog
from bot.learning.answer_leak import reveals_answer
from bot.learning.answer_text import clean_text
from bot.learning.grading import AnswerKey, grade_answer
from bot.learning.reply_numbers import reply_numbers


@pytest.mark.parametrize("answer", ["6.02e23", "6.02 × 10^23", "6.02*10^23"])
@pytest.mark.parametrize(
    ("reply", "correct"),
    [
        ("6.02e23", True),
        ("6.02 x 10^23", True),
        ("6.02×10²³", True),
        ("6.02 * 10**23", True),
        ("about 6.02 x 10^23 particles", True),
        ("602000000000000000000000", True),
        ("6.0 x 10^23", False),  # another value: before, any "x 10^23" was read as 10
        ("6.02 x 10^22", False),
        ("6.02", False),
        ("10^23", False),
    ],
)
def test_the_value_counts_however_it_is_written(answer: str, reply: str, correct: bool) -> None:
    assert grade_answer(AnswerKey("numeric", answer), reply).correct is correct


@pytest.mark.parametrize(
    "reply", ["1.6e-19", "1.6 × 10^-19", "1.6x10⁻¹⁹", "1.6 x 10^(-19)", "charge 1.6 X 10^-19 C"]
)
def test_negative_exponents(reply: str) -> None:
    assert grade_answer(AnswerKey("numeric", "1.6e-19"), reply).correct


def test_a_hedge_between_two_values_is_still_a_hedge() -> None:
    grade = grade_answer(AnswerKey("numeric", "6.02e23"), "6.02 x 10^23 or 6.02 x 10^22")
    assert grade.hedged and not grade.correct


def test_superscripts_are_one_exponent_and_plain_numbers_stay_apart() -> None:
    assert [n.value for n in reply_numbers(clean_text("10⁵ and 2 x 10"))] == [100000, 2, 10]
    assert [n.text for n in reply_numbers(clean_text("x² = 9"))][-1] == "9"


def test_the_leak_guard_knows_the_answer_in_any_notation() -> None:
    key = AnswerKey("numeric", "6.02e23")
    for text in ("It is 6.02 x 10^23.", "6.02×10²³", "602000000000000000000000"):
        assert reveals_answer(key, text), text
    assert not reveals_answer(key, "Multiply by 10^23 and see.")


def test_a_course_may_write_its_answer_so(tmp_path: Path) -> None:
    (tmp_path / "chem").mkdir()
    (tmp_path / "chem" / "course.yaml").write_text(
        """\
id: chem
title: Moles
description: Counting particles.
placement: false
skills:
  - id: moles
    title: Moles
exercises:
  - id: particles
    kind: problem
    skill: moles
    prompt: How many particles are in one mole? Use three significant figures.
    answer: "6.02 × 10^23"
    checker: numeric
    hints:
      nudge: It is a constant named after an Italian scientist.
      specific: Avogadro's number, written in scientific notation.
      worked: One mole holds Avogadro's number of particles, 6.02 × 10^23.
    reflection: Why do chemists count in moles?
""",
        encoding="utf-8",
    )
    course = load_catalog([tmp_path]).courses["chem"]
    assert "particles" in course.exercises
