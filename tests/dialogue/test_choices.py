"""Choice exercises show their options, lettered, in an order drawn per variant."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from bot.content.loader import load_catalog
from bot.content.models import AnsweredExercise
from bot.content.rendering import ORDER, render_exercise
from bot.dialogue import moves, problem
from bot.dialogue.state import DialogueState
from bot.dialogue.wording import offline_text
from bot.services.practice import ExerciseRunner
from tests.dialogue.player import inline_exercise, play

CONTENT = Path(__file__).resolve().parents[2] / "content"
RIGHT = "Multiply both by the same number"


@pytest.fixture(scope="module")
def exercise() -> AnsweredExercise:
    course = load_catalog([CONTENT]).courses["fractions-and-equations"]
    found = next(
        e
        for e in course.exercises.values()
        if isinstance(e, AnsweredExercise) and e.checker == "choice" and e.answer == RIGHT
    )
    return found


def test_options_are_shown_lettered_in_the_variant_order(exercise: AnsweredExercise) -> None:
    rendered = render_exercise(exercise, {ORDER: "1,2,0"})
    assert rendered.prompt.endswith(
        "a) Multiply both by the same number\n"
        "b) Multiply only the bottom\n"
        "c) Add the same number to both"
    )
    assert problem.respond(rendered, DialogueState(), "a").verdict == "correct"
    assert problem.respond(rendered, DialogueState(), "b").verdict == "wrong"
    shuffled = render_exercise(exercise, {ORDER: "0,2,1"})
    assert problem.respond(shuffled, DialogueState(), "c").verdict == "correct"
    assert problem.respond(shuffled, DialogueState(), RIGHT.lower()).verdict == "correct"


def test_the_right_option_does_not_sit_in_one_place(exercise: AnsweredExercise) -> None:
    runner, rng = ExerciseRunner(), random.Random(4)
    places = set()
    for _ in range(30):
        rendered = render_exercise(exercise, runner.choose_variant(exercise, rng))
        places.add(rendered.key.choices.index(RIGHT))
    assert places == {0, 1, 2}


def test_a_letter_answer_key_follows_its_option_when_shuffled() -> None:
    exercise = AnsweredExercise.model_validate(
        {
            "id": "letters",
            "skill": "s",
            "prompt": "Which is a prime?",
            "answer": "b",
            "checker": "choice",
            "choices": ["4", "7", "9"],
            "hints": {"nudge": "n", "specific": "s", "worked": "w"},
            "misconceptions": [{"answer": "c", "question": "Is 9 = 3 x 3?"}],
        }
    )
    rendered = render_exercise(exercise, {ORDER: "2,0,1"})
    assert rendered.key.answer == "7" and rendered.key.choices == ("9", "4", "7")
    assert problem.respond(rendered, DialogueState(), "c").verdict == "correct"
    assert problem.respond(rendered, DialogueState(), "a").move.kind == "targeted"


def test_a_right_answer_without_its_accents_is_praised_with_a_note() -> None:
    exercise = AnsweredExercise.model_validate(
        {
            "id": "accent",
            "skill": "s",
            "prompt": "Yo (hablar) en pasado: ¿cómo se dice 'I spoke'?",
            "answer": "hablé",
            "checker": "exact",
            "hints": {"nudge": "n", "specific": "s", "worked": "w"},
        }
    )
    step = problem.respond(render_exercise(exercise, {}, language="es"), DialogueState(), "hable")
    assert step.verdict == "correct"
    assert "Mind the accent" in offline_text(step.move) and "hablé" in offline_text(step.move)


def test_the_place_named_is_the_place_shown(exercise: AnsweredExercise) -> None:
    rendered = render_exercise(exercise, {ORDER: "1,2,0"})  # the right option shown first
    assert problem.respond(rendered, DialogueState(), "the first one").verdict == "correct"
    assert problem.respond(rendered, DialogueState(), "the last one").verdict == "wrong"
    shuffled = render_exercise(exercise, {ORDER: "0,2,1"})  # now it is shown last
    assert problem.respond(shuffled, DialogueState(), "the last one").verdict == "correct"


def test_ruling_options_out_is_a_way_in_not_a_wrong_attempt(exercise: AnsweredExercise) -> None:
    rendered = render_exercise(exercise, {ORDER: "1,2,0"})
    state, texts = DialogueState(), []
    for message in ("not b", "it isn't adding the same number to both", "a"):
        step = problem.respond(rendered, state, message)
        texts.append(offline_text(step.move))
        state = step.state
    assert step.verdict == "correct" and state.attempts == 1
    assert texts[0] != texts[1]  # worded anew
    # Nothing is said about whether the options were rightly ruled out, nor which is right.
    for text in texts[:2]:
        assert "which" in text.lower() and "multiply" not in text.lower()
    ruled_right = problem.respond(rendered, DialogueState(), "not a")
    assert ruled_right.move.kind == "ruled_out" and ruled_right.state.attempts == 0
    assert offline_text(ruled_right.move) == texts[0]


def test_a_reply_about_the_options_that_picks_none_is_asked_which(
    exercise: AnsweredExercise,
) -> None:
    rendered = render_exercise(exercise, {ORDER: "1,2,0"})
    for message in ("the one about multiplying", "the second option or maybe the third"):
        step = problem.respond(rendered, DialogueState(), message)
        assert step.move.kind == "pick_option" and step.state.attempts == 0, message
        said = offline_text(step.move)
        assert "Which option" in said and "Multiply" not in said
    other = problem.respond(rendered, DialogueState(), "can we talk about football instead")
    assert other.move.kind == "smaller_step"


CONTINENTS = """
id: continents
title: Continents
description: Where countries are.
skills: [{id: where, title: Where}]
exercises:
  - id: peru
    kind: problem
    skill: where
    prompt: "On which continent is Peru?"
    answer: "South America"
    checker: choice
    choices: ["Africa", "South America", "Asia", "Europe"]
    hints:
      nudge: "Think of the Andes."
      specific: "It borders Brazil."
      worked: "Peru is in South America."
    reflection: "Which mountain range runs through it?"
"""


@pytest.mark.parametrize("reply", ["Oceania", "Antarctica?", "is it oceania", "banana"])
def test_a_short_answer_that_is_none_of_the_options_is_asked_to_pick_one(
    tmp_path: Path, reply: str
) -> None:
    rendered = inline_exercise(tmp_path, CONTINENTS, "peru")
    (step,) = play(rendered, [reply])
    assert step.move == moves.PickAnOption(unlisted=True) and step.state.attempts == 0
    said = offline_text(step.move)
    assert "isn't one of the options" in said and "America" not in said


@pytest.mark.parametrize("reply", ["Latin America", "Central America"])
def test_another_name_sharing_a_word_with_an_option_is_not_that_option(
    tmp_path: Path, reply: str
) -> None:
    rendered = inline_exercise(tmp_path, CONTINENTS, "peru")
    (step,) = play(rendered, [reply])
    assert step.move.kind == "pick_option" and step.verdict is None


@pytest.mark.parametrize("reply", ["S. America", "south", "the south american continent"])
def test_part_of_an_option_alone_still_names_it(tmp_path: Path, reply: str) -> None:
    rendered = inline_exercise(tmp_path, CONTINENTS, "peru")
    (step,) = play(rendered, [reply])
    assert step.verdict == "correct"


@pytest.mark.parametrize("reply", ["what is a continent", "hello there"])
def test_talk_is_not_taken_for_an_answer_off_the_list(tmp_path: Path, reply: str) -> None:
    rendered = inline_exercise(tmp_path, CONTINENTS, "peru")
    (step,) = play(rendered, [reply])
    assert step.move.kind != "pick_option"
