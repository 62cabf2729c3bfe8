"""A number that answers our own "how many" question is a reply, not a wrong answer.

Also: a why-answer meets an authored criterion said with a plural or a number in words.
"""

from __future__ import annotations

import pytest

from bot.content.rendering import RenderedExercise
from bot.dialogue.mentions import mentions_any
from bot.dialogue.replies import asks_for_a_number
from bot.dialogue.wording import offline_text
from tests.dialogue.player import inline_exercise, play

# A course nobody wrote the engine for: a whole-number answer, questions asking for counts.
MOLAR = """\
id: molar
title: Molar mass
description: Adding up atomic masses.
placement: false
skills:
  - id: molar-mass
    title: Molar mass
exercises:
  - id: water
    kind: problem
    skill: molar-mass
    prompt: "What is the molar mass of water (H2O) in g/mol? Use H = 1 and O = 16."
    answer: "18"
    checker: numeric
    hints:
      nudge: How many atoms of each element are in one molecule of water?
      specific: Add the masses of the hydrogen atoms and the oxygen atom.
      worked: 2 × 1 + 16 = 18, so water has a molar mass of 18 g/mol.
    misconceptions:
      - answer: "17"
        question: How many hydrogen atoms does one molecule of H2O have?
      - answer: "32"
        question: Does the small 2 in H2O belong to the hydrogen or to the oxygen?
    reflection: Why do you multiply the hydrogen mass by two?
    explanation_criteria: ["two hydrogen", "atoms of hydrogen"]
"""


@pytest.fixture(scope="module")
def water(tmp_path_factory: pytest.TempPathFactory) -> RenderedExercise:
    return inline_exercise(tmp_path_factory.mktemp("courses"), MOLAR, "water")


@pytest.mark.parametrize("reply", ["two", "2", "there are 2", "2 of them"])
def test_a_count_after_a_how_many_question_is_a_reply(water: RenderedExercise, reply: str) -> None:
    steps = play(water, ["17", reply, "18"])
    assert [s.move.kind for s in steps] == ["targeted", "reply_heard", "praise"]
    assert [s.state.attempts for s in steps] == [1, 1, 2]
    assert steps[1].verdict is None
    assert "18" not in offline_text(steps[1].move)


def test_a_count_after_a_hint_asking_how_many_is_a_reply(water: RenderedExercise) -> None:
    steps = play(water, ["hint", "2 and 1"])
    assert steps[1].move.kind == "reply_heard" and steps[1].state.attempts == 0


def test_only_once_then_numbers_are_answers_again(water: RenderedExercise) -> None:
    steps = play(water, ["17", "2", "2"])
    assert steps[1].move.kind == "reply_heard"
    assert steps[2].verdict == "wrong" and steps[2].state.attempts == 2


def test_a_known_mistake_or_the_right_answer_is_still_graded(water: RenderedExercise) -> None:
    mistake = play(water, ["17", "32"])[1]
    assert mistake.move.kind == "targeted" and mistake.verdict == "wrong"
    right = play(water, ["17", "18"])[1]
    assert right.verdict == "correct"


def test_after_a_question_asking_no_number_a_number_is_an_attempt(
    water: RenderedExercise,
) -> None:
    # "Does the small 2 belong to the hydrogen or to the oxygen?" asks for no count.
    step = play(water, ["32", "34"])[1]
    assert step.verdict == "wrong" and step.state.attempts == 2


@pytest.mark.parametrize(
    ("question", "language", "asks"),
    [
        ("How many hydrogen atoms does H2O have?", "en", True),
        ("How much is left after you subtract 3?", "en", True),
        ("Which number divides both 4 and 28?", "en", True),
        ("¿Cuántos átomos de hidrógeno hay?", "es", True),
        ("Combien d'atomes d'hydrogène y a-t-il ?", "fr", True),
        ("Wie viele Atome hat ein Molekül?", "de", True),
        ("Does the 2 belong to the hydrogen or the oxygen?", "en", False),
        ("What is nitrogen's symbol?", "en", False),
        ("Is there a manyfold answer?", "en", False),
    ],
)
def test_questions_asking_for_a_number(question: str, language: str, asks: bool) -> None:
    assert asks_for_a_number(question, language) is asks


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("because there are two hydrogens", True),
        ("the 2 means 2 hydrogen atoms", True),
        ("it has 2 atoms of hydrogens in it", True),
        ("TWO HYDROGEN", True),
        ("because of the oxygen", False),
        ("twelve hydrogen", False),
        ("2.5 hydrogen", False),
    ],
)
def test_criteria_are_met_in_the_plural_and_with_numbers_in_words(text: str, found: bool) -> None:
    assert mentions_any(text, ["two hydrogen", "atoms of hydrogen"]) is found


def test_apostrophes_may_be_left_out() -> None:
    assert mentions_any("no it doesnt", ["doesn't"])
    assert mentions_any("it doesn’t", ["doesnt"])
    assert not mentions_any("it does", ["doesn't"])


def test_a_why_answer_in_the_plural_closes_the_reflection(water: RenderedExercise) -> None:
    steps = play(water, ["18", "because there are two hydrogens"])
    assert steps[-1].closed and steps[-1].move.kind == "close"


def test_the_questions_own_numbers_talked_about_are_a_reply(water: RenderedExercise) -> None:
    # "Does the small 2 in H2O belong to the hydrogen or to the oxygen?" "the 2 is hydrogen"
    steps = play(water, ["32", "the 2 goes with the hydrogen", "18"])
    assert [s.move.kind for s in steps] == ["targeted", "reply_heard", "praise"]
    assert [s.state.attempts for s in steps] == [1, 1, 2]


def test_an_operation_said_alone_asks_what_it_gives(water: RenderedExercise) -> None:
    steps = play(water, ["hint", "times 2", "by 2 then add 16"])
    assert [s.move.kind for s in steps[1:]] == ["reply_heard", "reply_heard"]
    assert steps[-1].state.attempts == 0


def test_a_long_word_misspelled_by_one_letter_still_meets_a_criterion() -> None:
    assert mentions_any("you need a common denominater", ["common denominator"])
    assert mentions_any("it is proportinal", ["proportional"])
    assert not mentions_any("a multiple of it", ["multiply"])  # short words: other words
    assert not mentions_any("a comon denominator", ["common denominator"])


def test_other_endings_of_a_word_meet_a_criterion() -> None:
    assert mentions_any("they had promised to defend it", ["promise"])
    assert mentions_any("we multiplied both", ["multiply"])
    assert mentions_any("dividing both sides", ["divide"])
    assert not mentions_any("a promissory note", ["promise"])


def test_a_word_of_the_same_meaning_meets_a_criterion() -> None:
    assert mentions_any("all faces have an equal chance", ["same chance"])
    assert mentions_any("each outcome is equally probable", ["equally likely"])
    assert mentions_any("split the total by 3", ["divide"])
    assert mentions_any("the inverse operation", ["opposite operation"])
    assert not mentions_any("the total is bigger", ["divide"])
    assert not mentions_any("an equal sign", ["same chance"])  # one word of two


def test_the_right_sum_written_out_is_asked_to_be_worked_out(water: RenderedExercise) -> None:
    steps = play(water, ["2 × 1 + 16", "18"])
    assert [s.move.kind for s in steps] == ["on_the_way", "praise"]
    said = offline_text(steps[0].move)
    assert "2 × 1 + 16" in said and "come to" in said and "18" not in said
    assert steps[0].verdict is None and steps[-1].state.attempts == 1
    wrong = play(water, ["2 × 2 + 16"])[0]  # 20: a sum, and the wrong one
    assert wrong.verdict == "wrong"
