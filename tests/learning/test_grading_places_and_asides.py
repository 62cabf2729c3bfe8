"""Options named by their place, options ruled out, and an answer with an aside after it."""

from __future__ import annotations

import pytest

from bot.learning.answer_leak import reveals_answer
from bot.learning.grading import AnswerKey, grade_answer
from bot.learning.grading_choice import named_option, ruled_out_options

GASES = AnswerKey(
    "choice", "Argon", choices=("Oxygen", "Argon", "Nitrogen", "Chlorine"), language="en"
)


@pytest.mark.parametrize(
    ("reply", "index"),
    [
        ("the second one", 1),
        ("Second.", 1),
        ("the 2nd option", 1),
        ("I'd go with the second one", 1),
        ("i would pick the first option", 0),
        ("the last one", 3),
        ("it's the third", 2),
        ("la segunda", 1),
        ("the fifth one", None),  # only four are shown
        ("second guess", None),
        ("the second one is wrong", None),
    ],
)
def test_an_option_named_by_its_place(reply: str, index: int | None) -> None:
    assert named_option(GASES, reply) == index


def test_a_place_is_graded_as_the_option_shown_there() -> None:
    assert grade_answer(GASES, "the second one").correct
    assert not grade_answer(GASES, "the last one").correct
    # The options as shown in another order: the second shown is now Oxygen.
    shuffled = AnswerKey("choice", "Argon", choices=("Chlorine", "Oxygen", "Argon", "Nitrogen"))
    assert not grade_answer(shuffled, "the second one").correct
    assert grade_answer(shuffled, "the third one").correct


@pytest.mark.parametrize(
    ("reply", "ruled"),
    [
        ("not oxygen", {0}),
        ("it's not argon", {1}),
        ("neither a nor c", {0, 2}),
        ("that's not nitrogen", {2}),
        ("it isn't chlorine", {3}),
        ("not b", {1}),
        ("argon", set()),
        ("oxygen", set()),
        ("no idea", set()),
    ],
)
def test_options_ruled_out(reply: str, ruled: set[int]) -> None:
    assert ruled_out_options(GASES, reply) == ruled


def test_only_a_choice_rules_options_out() -> None:
    assert ruled_out_options(AnswerKey("exact", "sodium"), "not nitrogen") == set()


def test_the_leak_guard_knows_the_right_options_place() -> None:
    assert reveals_answer(GASES, "It's the second one.")
    assert not reveals_answer(GASES, "It's the first one.")
    assert not reveals_answer(GASES, "Look again at the second one: where does it sit?")


SODIUM = AnswerKey("exact", "sodium")


@pytest.mark.parametrize(
    ("reply", "correct", "hedged"),
    [
        ("Sodium (from natrium)", True, False),
        ("sodium (pretty sure)", True, False),
        ("sodium [Na]", True, False),
        ("sodium (natrium in Latin) because it is in salt", True, False),
        ("sodium (or potassium)", False, True),
        ("sodium (maybe potassium)", False, True),
        ("sodium (potassium?)", False, False),
        ("sodium (Na/K)", False, False),
        ("sodium (x) world", False, False),
        ("potassium (not sodium)", False, False),
    ],
)
def test_an_aside_after_an_answer_leaves_it_the_answer(
    reply: str, correct: bool, hedged: bool
) -> None:
    grade = grade_answer(SODIUM, reply)
    assert (grade.correct, grade.hedged) == (correct, hedged)


@pytest.mark.parametrize(
    ("reply", "correct"),
    [
        ("mitochondria is the powerhouse of the cell", True),
        ("Mitochondria are organelles that make energy", True),
        ("mitochondria es la respuesta", True),
        ("mitochondria is wrong", False),
        ("mitochondria is not the answer", False),
        ("mitochondria is my guess but maybe ribosomes", False),
        ("mitochondria world", False),  # other words after an answer are no sentence about it
        ("mitochondria is 5", False),
    ],
)
def test_a_sentence_about_the_answer_it_starts_with(reply: str, correct: bool) -> None:
    assert grade_answer(AnswerKey("exact", "mitochondria"), reply).correct is correct


@pytest.mark.parametrize(
    "reply",
    ["September 2, 1945", "Sept. 2, 1945", "on May 8th 1945", "May 1945", "2 September 1945"],
)
def test_the_day_of_a_date_is_no_second_answer(reply: str) -> None:
    assert grade_answer(AnswerKey("numeric", "1945"), reply).correct


def test_a_day_alone_after_its_month_is_still_the_answer() -> None:
    assert grade_answer(AnswerKey("numeric", "2"), "September 2").correct
    assert grade_answer(AnswerKey("numeric", "2", language="es"), "el 2 de septiembre").correct
    assert not grade_answer(AnswerKey("numeric", "1945"), "1944 or 1945").correct


@pytest.mark.parametrize(
    "reply",
    ["y goes up by 3 for every 1 across", "it increased by 3 in 2 days", "sube en 3 cada vez"],
)
def test_the_size_of_a_change_is_no_context_number(reply: str) -> None:
    language = "es" if "sube" in reply else "en"
    assert grade_answer(AnswerKey("numeric", "3", language=language), reply).correct


@pytest.mark.parametrize(
    "reply", ["canberra/sydney", "Canberra? Sydney?", "canberra? or sydney", "canberra / sydney"]
)
def test_answers_offered_in_turn_are_a_hedge(reply: str) -> None:
    grade = grade_answer(AnswerKey("exact", "Canberra"), reply)
    assert not grade.correct and grade.hedged


@pytest.mark.parametrize(
    "reply", ["Sydney? No, Canberra", "Canberra?", "canberra? yes canberra", "is it canberra?"]
)
def test_a_correction_or_a_repeat_is_no_hedge(reply: str) -> None:
    assert grade_answer(AnswerKey("exact", "Canberra"), reply).correct


@pytest.mark.parametrize("reply", ["8 (or maybe 24)", "8 (or 24)", "x = 8 (or 24?)"])
def test_another_number_offered_in_brackets_is_a_hedge(reply: str) -> None:
    grade = grade_answer(AnswerKey("numeric", "8"), reply)
    assert not grade.correct and grade.hedged


def test_a_slash_inside_the_answer_is_no_hedge() -> None:
    assert grade_answer(AnswerKey("exact", "and/or"), "and/or").correct
    assert grade_answer(AnswerKey("exact", "km/h"), "km/h").correct


PRIMES = AnswerKey("pattern", "11", pattern=r"^(11|13|17|19)$")


@pytest.mark.parametrize(
    "reply",
    [
        "13",
        "13.",
        "13 is prime",
        "I'd say 17",
        "13 because only 1 and 13 divide it",
        "thirteen",
        "it's seventeen",
        "maybe 19?",
    ],
)
def test_an_anchored_pattern_reads_the_answer_a_reply_states(reply: str) -> None:
    assert grade_answer(PRIMES, reply).correct


@pytest.mark.parametrize(
    "reply", ["11 or 13", "12", "13 is not prime", "not 13", "13 please", "13 and 15"]
)
def test_an_anchored_pattern_still_wants_one_answer_and_nothing_more(reply: str) -> None:
    assert not grade_answer(PRIMES, reply).correct


def test_the_leak_guard_reads_the_stated_answer_too() -> None:
    prompt = ["Give one prime number between 10 and 20."]
    assert reveals_answer(PRIMES, "It's thirteen.", public_texts=prompt)
    assert not reveals_answer(PRIMES, "Is 12 prime?", public_texts=prompt)


@pytest.mark.parametrize(
    ("reply", "last"), [("11 or 13", "13"), ("11, 13", "13"), ("13 or 12", "12")]
)
def test_pattern_answers_offered_together_are_a_hedge(reply: str, last: str) -> None:
    grade = grade_answer(PRIMES, reply)
    assert not grade.correct and grade.hedged and grade.candidate == last


@pytest.mark.parametrize("reply", ["not 13", "definitely not 15", "it's not 11"])
def test_a_pattern_answer_only_denied_gives_no_answer(reply: str) -> None:
    grade = grade_answer(PRIMES, reply)
    assert not grade.correct and grade.candidate is None


def test_a_reason_after_a_pattern_answer_is_no_second_answer() -> None:
    assert grade_answer(PRIMES, "13, because only 1 and 13 divide it").correct
    code = AnswerKey("pattern", "return x", pattern=r"return\s+x")
    assert grade_answer(code, "return x, so the caller gets the value back").correct
