"""Choice replies that paraphrase an option: content words, in any order, in any course."""

from __future__ import annotations

import pytest

from bot.learning.grading import AnswerKey, grade_answer
from bot.learning.option_reading import OptionReading, read_option

DENOMINATORS = (
    "They have a denominator of 7",
    "They have a denominator of 12",
    "They have a numerator of 12",
    "They cannot be added",
)
METHODS = (
    "Multiply the numerator and the denominator by the same number",
    "Add the same number to the numerator and the denominator",
    "Multiply only the numerator",
    "Divide the denominator by 2",
)
TENSES = (
    "El verbo está en pasado",
    "El verbo está en presente",
    "El verbo no está conjugado",
)
GOALS = (
    "Post on LinkedIn three times a week until the end of March",
    "Get more clients",
    "Be more visible online",
)


def key_for(options: tuple[str, ...], right: int, language: str = "en") -> AnswerKey:
    return AnswerKey("choice", options[right], choices=options, language=language)


@pytest.mark.parametrize(
    "reply",
    [
        "denominator is 12",
        "12 is the denominator",
        "the denominators are twelve",
        "DENOMINATÖR: 12!",
        "I think they have 12 as their denominator",
        "is it the one where the denominator is 12?",
        "denominator 12 because 1/3 is 4/12 and 1/4 is 3/12",
        "I'm not sure, but denominator 12",
        "not 7, the denominator is 12",
    ],
)
def test_a_paraphrase_of_the_right_option_is_correct(reply: str) -> None:
    grade = grade_answer(key_for(DENOMINATORS, 1), reply)
    assert grade.correct and not grade.hedged


@pytest.mark.parametrize(
    "reply",
    [
        "the denominator is 7",  # closer to another option
        "numerator is 12",
        "they can't be added",
        "12",  # as close to the numerator option as to the right one
        "denominator",
        "the one with 12 at the bottom",
        "they don't have a denominator of 12",  # negated
        "a denominator of 12 is wrong",
        "they cannot have a denominator of 12",
        "no idea what a denominator is",
    ],
)
def test_other_replies_are_not_correct(reply: str) -> None:
    assert not grade_answer(key_for(DENOMINATORS, 1), reply).correct


@pytest.mark.parametrize(
    "reply",
    ["denominator 12 or 7", "denominator 12, numerator 12", "a denominator of 7 or 12"],
)
def test_a_reply_naming_two_options_is_a_hedge(reply: str) -> None:
    grade = grade_answer(key_for(DENOMINATORS, 1), reply)
    assert grade.hedged and not grade.correct


def test_a_negated_letter_is_not_correct_and_rules_its_option_out() -> None:
    key = key_for(DENOMINATORS, 1)
    assert not grade_answer(key, "not b").correct
    assert not grade_answer(key, "not b, the denominator is 12").correct
    assert grade_answer(key, "not a, the denominator is 12").correct


@pytest.mark.parametrize(
    ("reply", "option"),
    [
        ("multiply top and bottom by the same number", 0),
        ("you multiply numerator and denominator by the same thing", 0),
        ("multiplying the numerator and the denominator", 0),
        ("multiply by the same number, don't add", 0),
        ("add the same number to both", 1),
        ("multiply the numerator", 2),
        ("divide the denominator by two", 3),
    ],
)
def test_longer_options_are_told_apart_by_their_own_words(reply: str, option: int) -> None:
    assert read_option(METHODS, reply) == OptionReading(option)
    for right in range(len(METHODS)):
        assert grade_answer(key_for(METHODS, right), reply).correct is (right == option)


@pytest.mark.parametrize(
    ("reply", "option"),
    [
        ("presente", 1),
        ("está en presente", 1),
        ("esta en presente, no en pasado", 1),
        ("PASADO", 0),
        ("no está conjugado", 2),
    ],
)
def test_a_course_in_another_language_reads_its_own_words(reply: str, option: int) -> None:
    assert read_option(TENSES, reply, "es") == OptionReading(option)


def test_negation_in_another_language() -> None:
    key = key_for(TENSES, 1, "es")
    assert not grade_answer(key, "no en presente").correct
    assert grade_answer(key, "pasado o presente").hedged


@pytest.mark.parametrize(
    ("reply", "option"),
    [
        ("posting on linkedin 3 times a week until march", 0),
        ("post on linkedin every week until march", 0),
        ("getting more clients", 1),
        ("being visible online", 2),
    ],
)
def test_options_in_another_domain(reply: str, option: int) -> None:
    assert read_option(GOALS, reply) == OptionReading(option)


def test_a_negative_option_matches_a_negated_reply_only() -> None:
    options = ("It is prime", "It is not prime", "It is even")
    assert read_option(options, "not prime") == OptionReading(1)
    assert read_option(options, "it isn't a prime") == OptionReading(1)
    assert read_option(options, "prime") == OptionReading(0)
    assert read_option(options, "it's a prime number") == OptionReading(0)


def test_which_option_is_read_never_depends_on_the_key() -> None:
    replies = [
        "denominator is 12",
        "the denominator is 7",
        "numerator 12",
        "12",
        "denominator 12 or 7",
        "they cannot be added",
        "hello",
    ]
    for reply in replies:
        grades = [grade_answer(key_for(DENOMINATORS, right), reply) for right in range(4)]
        assert len({(g.hedged, g.candidate) for g in grades}) == 1, reply
        assert sum(g.correct for g in grades) <= 1, reply


def test_long_or_hostile_replies_stay_bounded() -> None:
    key = key_for(DENOMINATORS, 1)
    assert not grade_answer(key, "denominator 12 " + "blah " * 5000).correct
    assert not grade_answer(key, "not " * 3000).correct
    assert not grade_answer(key, "12 " * 3000).correct


CONTINENTS = ("Africa", "South America", "Asia", "Europe")


@pytest.mark.parametrize(
    ("reply", "index"),
    [
        ("south america", 1),
        ("S. America", 1),
        ("the south american continent", 1),
        ("Latin America", None),  # half a name and a word of its own: another name
        ("Central America", None),
    ],
)
def test_half_a_short_name_with_another_word_names_something_else(
    reply: str, index: int | None
) -> None:
    read = read_option(CONTINENTS, reply)
    assert (read.index if read is not None else None) == index
