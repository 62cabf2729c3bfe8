"""A text answer right but for one letter is told so, in English courses, in long words."""

from __future__ import annotations

import pytest

from bot.learning.answer_key import AnswerKey
from bot.learning.spelling import misspelled

TREATY = AnswerKey("exact", "Treaty of Versailles", accept=("Versailles",))


@pytest.mark.parametrize(
    ("candidate", "near"),
    [
        ("treaty of versaille", True),  # one dropped
        ("Versaille", True),  # against an accepted form
        ("versialles", True),  # two neighbours swapped
        ("treaty of versaillles", True),  # one added
        ("treaty of wersailles", True),  # one changed
        ("treaty of versailles", False),  # right: not a misspelling
        ("treaty of versai", False),  # more than one letter
        ("versailles treaty", False),  # another order, not a spelling
        ("berlin", False),
        ("", False),
    ],
)
def test_one_letter_off(candidate: str, near: bool) -> None:
    assert misspelled(TREATY, candidate) is near


def test_short_words_other_languages_numbers_and_options_are_not_spellings() -> None:
    assert not misspelled(AnswerKey("exact", "cat"), "cut")
    assert not misspelled(AnswerKey("exact", "comemos", language="es"), "comimos")
    assert not misspelled(AnswerKey("exact", "123456"), "123457")
    assert not misspelled(AnswerKey("numeric", "necessary"), "neccessary")
    choice = AnswerKey("choice", "Argon", choices=("Argon", "Oxygen"))
    assert not misspelled(choice, "Argonn")
    assert misspelled(AnswerKey("exact", "necessary"), "neccessary")


@pytest.mark.parametrize(
    ("answer", "candidate", "near"),
    [
        ("H2O", "h20", True),
        ("CO2", "C02", True),
        ("Cl2", "C12", True),
        ("H2O", "HO2", False),  # another formula, not a slip of the keyboard
        ("H2O", "H2O2", False),
        ("sommes", "s0mmes", False),  # no digit in the answer: no look-alike to mix up
    ],
)
def test_a_digit_for_the_letter_it_looks_like_is_a_slip_in_any_language(
    answer: str, candidate: str, near: bool
) -> None:
    for language in ("en", "fr"):
        assert misspelled(AnswerKey("exact", answer, language=language), candidate) is near
