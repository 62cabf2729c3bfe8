"""Units with powers as people type them: "m/s2" for "m/s²", in grading and the leak guard."""

import pytest

from bot.learning.answer_leak import reveals_answer
from bot.learning.grading import AnswerKey, grade_answer

ACCELERATION = AnswerKey("exact", "m/s²", accept=("metres per second squared",))


@pytest.mark.parametrize(
    ("reply", "correct"),
    [
        ("m/s²", True),
        ("m/s^2", True),
        ("m/s2", True),
        ("M/S2", True),
        ("it's m/s2 I think", True),
        ("metres per second squared", True),
        ("m/s", False),
        ("m/s3", False),
        ("m/s^3", False),
        ("not m/s2", False),
        ("m/s2 or m/s", False),
    ],
)
def test_a_power_after_a_letter_is_read_with_or_without_its_caret(
    reply: str, correct: bool
) -> None:
    assert grade_answer(ACCELERATION, reply).correct is correct


def test_an_answer_typed_with_a_plain_digit_takes_the_superscript_too() -> None:
    area = AnswerKey("exact", "cm2")
    assert grade_answer(area, "cm²").correct
    assert grade_answer(area, "cm^2").correct
    assert not grade_answer(area, "cm3").correct


def test_numbers_and_formulas_keep_their_powers() -> None:
    assert grade_answer(AnswerKey("exact", "2^10"), "2^10").correct
    assert not grade_answer(AnswerKey("exact", "2^10"), "210").correct
    typed = grade_answer(AnswerKey("expression", "x^2"), "x2")  # right, with a note
    assert typed.correct and typed.typed_power


@pytest.mark.parametrize(
    ("text", "leaks"),
    [
        ("The unit is m/s2.", True),
        ("It is m/s^2, metres per second per second.", True),
        ("Speed is in m/s; what do you get when you divide that by seconds again?", False),
    ],
)
def test_the_leak_guard_knows_the_typed_form(text: str, leaks: bool) -> None:
    assert (
        reveals_answer(ACCELERATION, text, public_texts=["What is the SI unit of acceleration?"])
        is leaks
    )
