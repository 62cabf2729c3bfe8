"""Numbers written in words, in English and in the course language."""

from __future__ import annotations

from fractions import Fraction

import pytest

from bot.learning.grading import AnswerKey, grade_answer
from bot.learning.number_words import find_number_words, words_to_digits
from bot.learning.reply_numbers import reply_numbers


def values(text: str, language: str = "en") -> list[Fraction]:
    return [Fraction(int(n.value.p), int(n.value.q)) for n in find_number_words(text, language)]


@pytest.mark.parametrize(
    ("language", "text", "value"),
    [
        ("en", "seven twelfths", Fraction(7, 12)),
        ("en", "three quarters", Fraction(3, 4)),
        ("en", "twenty-one", 21),
        ("en", "twenty one", 21),
        ("en", "minus four", -4),
        ("en", "negative seven", -7),
        ("en", "a half", Fraction(1, 2)),
        ("en", "one third", Fraction(1, 3)),
        ("en", "two and a half", Fraction(5, 2)),
        ("en", "one and three quarters", Fraction(7, 4)),
        ("en", "one hundred and five", 105),
        ("en", "nine hundred ninety-nine", 999),
        ("en", "two thousand and five", 2005),
        ("en", "three point one four", Fraction(314, 100)),
        ("en", "seven twenty-fourths", Fraction(7, 24)),
        ("en", "seven hundredths", Fraction(7, 100)),
        ("en", "a dozen", 12),
        ("en", "7 twelfths", Fraction(7, 12)),
        ("es", "siete doceavos", Fraction(7, 12)),
        ("es", "tres cuartos", Fraction(3, 4)),
        ("es", "veintidós", 22),
        ("es", "treinta y uno", 31),
        ("es", "doscientos treinta y uno", 231),
        ("es", "dos y medio", Fraction(5, 2)),
        ("es", "menos cuatro", -4),
        ("es", "un tercio", Fraction(1, 3)),
        ("fr", "sept douzièmes", Fraction(7, 12)),
        ("fr", "trois quarts", Fraction(3, 4)),
        ("fr", "vingt et un", 21),
        ("fr", "soixante et onze", 71),
        ("fr", "quatre-vingt-dix-sept", 97),
        ("fr", "deux et demi", Fraction(5, 2)),
        ("fr", "moins quatre", -4),
        ("de", "sieben Zwölftel", Fraction(7, 12)),
        ("de", "drei Viertel", Fraction(3, 4)),
        ("de", "einundzwanzig", 21),
        ("de", "dreihundertfünfzig", 350),
        ("de", "zweieinhalb", Fraction(5, 2)),
        ("de", "anderthalb", Fraction(3, 2)),
        ("de", "minus vier", -4),
        ("pt", "vinte e um", 21),
        ("pt", "três quartos", Fraction(3, 4)),
        ("pt", "sete doze avos", Fraction(7, 12)),
        ("it", "ventitré", 23),
        ("it", "sette dodicesimi", Fraction(7, 12)),
        ("it", "due e mezzo", Fraction(5, 2)),
    ],
)
def test_reads_one_number(language: str, text: str, value: Fraction | int) -> None:
    assert values(text, language) == [value]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("one two three", [1, 2, 3]),
        ("seven minus four", [7, 4]),
        ("the right one is seven", [7]),
        ("one of them is five", [5]),
        ("eight, the middle one", [8]),
        ("the answer is one", [1]),  # a copula comes between: the number
        ("no one knows", []),
        ("between a and b", []),
        ("a quarter past", [Fraction(1, 4)]),
        ("the third time", []),
        ("someone", []),
    ],
)
def test_words_that_are_not_numbers_stay_words(text: str, expected: list[Fraction]) -> None:
    assert values(text) == expected


def test_the_course_language_only_adds_to_english() -> None:
    assert values("once upon a time") == []  # "once" is eleven in Spanish only
    assert values("once", "es") == [11]
    assert values("seven", "es") == [7]


def test_percent_words() -> None:
    assert [str(n.value) for n in reply_numbers("thirty percent")] == ["3/10"]
    assert [n.percent for n in reply_numbers("30 per cent")] == [True]
    assert [str(n.value) for n in reply_numbers("30 por ciento", "es")] == ["3/10"]
    assert [str(n.value) for n in reply_numbers("20 Prozent", "de")] == ["1/5"]


def test_words_become_digits_for_algebra() -> None:
    assert words_to_digits("x equals minus four") == "x equals -4"
    assert words_to_digits("y is seven twelfths") == "y is 7/12"
    assert words_to_digits("x = 3") == "x = 3"


def test_a_long_compound_is_not_split_for_ever() -> None:
    assert values("einundzwanzig" * 200, "de") == []


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("7 over 12", ["7/12"]),
        ("seven over twelve", ["7/12"]),
        ("it is 7 divided by 12 I think", ["7/12"]),
        ("2 over 3 and 1 over 4", ["2/3", "1/4"]),
        ("game over 12", ["12"]),
        ("2 left over from 22", ["2", "22"]),
        ("7 over 0", ["7", "0"]),
        ("3/4 over 12", ["3/4", "12"]),
    ],
)
def test_a_fraction_said_as_it_is_read_out(text: str, read: list[str]) -> None:
    assert [str(n.value) for n in reply_numbers(text)] == read


def test_a_fraction_said_with_over_is_graded_as_that_fraction() -> None:
    key = AnswerKey("numeric", "7/12")
    assert grade_answer(key, "7 over 12").correct
    assert grade_answer(key, "seven over twelve").correct
    assert not grade_answer(key, "12 over 7").correct


@pytest.mark.parametrize(
    ("answer", "reply"),
    [
        ("2.5", "2 and a half"),
        ("2.5", "2½"),
        ("2.5", "2 ½ hours"),
        ("1.75", "1 and three quarters"),
        ("1.75", "1¾"),
        ("0.5", "1⁄2"),  # a fraction slash
    ],
)
def test_mixed_numbers_with_words_or_fraction_signs(answer: str, reply: str) -> None:
    assert grade_answer(AnswerKey("numeric", answer), reply).correct


def test_a_fraction_sign_alone_is_its_own_value() -> None:
    assert not grade_answer(AnswerKey("numeric", "2.5"), "½").correct
    assert not grade_answer(AnswerKey("numeric", "21"), "2½").correct
