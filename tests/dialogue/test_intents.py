"""Reading a message's dialogue act: "I don't know" as people write it, and what it is not."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content.loader import load_catalog
from bot.content.rendering import render_exercise
from bot.dialogue import moves, problem
from bot.dialogue.intents import classify
from bot.dialogue.state import DialogueState
from bot.dialogue.wording import offline_text

DEMO = Path(__file__).resolve().parent.parent / "demo_courses"

SAYS_IT_DOES_NOT_KNOW = [
    "idk",
    "I don't know",
    "no idea honestly",
    "honestly no idea",
    "sorry, no idea",
    "idk sorry",
    "nope, no idea",
    "no, I don't know",
    "um I don't know",
    "I honestly don't know",
    "Sorry I really have no idea",
    "I'm not sure",
    "im not sure",
    "I am not sure",
    "not sure tbh",
    "no clue at all",
    "not a clue",
    "haven't got a clue",
    "dunno mate",
    "I'm clueless",
    "beats me",
    "I can't remember",
    "I forgot",
    "still no idea",
    "I don't know yet",
    "I don't know how to start",
    "i don't remember how",
    "I have no idea what this does",
    "no idea what to do here",
    "not sure what the answer is",
    "not sure how loops work",
    # The course languages' own, with or without their accents.
    "no sé",
    "No lo sé.",
    "no se",
    "ni idea",
    "no tengo ni idea",
    "je ne sais pas",
    "aucune idée",
    "Keine Ahnung",
    "weiß nicht",
    "não sei",
    "non lo so",
]

OFFERS_SOMETHING = [
    "I don't know, 5?",
    "no idea, maybe 5",
    "not sure but 7/12",
    "I'm not sure, but denominator 12",
    "not sure, maybe people who are stressed?",
    "I don't know why but it prints hello",
    "no idea why it is 4",
    "I don't know if it's x",
    "I don't think so, it is 4",
    "they don't have a denominator of 12",
    "I think it is 3",
    "pass",  # a Python keyword, and an answer there
]


@pytest.mark.parametrize("text", SAYS_IT_DOES_NOT_KNOW)
def test_not_knowing_is_read_however_it_is_put(text: str) -> None:
    assert classify(text) == "dont_know"


@pytest.mark.parametrize("text", OFFERS_SOMETHING)
def test_a_hedge_around_an_answer_is_still_an_answer(text: str) -> None:
    assert classify(text) == "answer"


@pytest.mark.parametrize(
    ("text", "act"),
    [
        ("I can't do this", "feeling"),
        ("what do you mean?", "question"),
        ("ok", "chitchat"),
        ("no idea what a denominator is", "question"),  # a word to explain
        ("I don't know what simplest form means", "question"),
    ],
)
def test_other_acts_keep_their_reading(text: str, act: str) -> None:
    assert classify(text) == act


def test_not_knowing_gets_a_smaller_step_and_is_no_wrong_attempt() -> None:
    catalog = load_catalog([DEMO])
    exercise = render_exercise(catalog.courses["demo"].exercises["third-plus-quarter"], {})  # type: ignore[arg-type]
    for text in ["no idea honestly", "sorry, I'm not sure", "I have no idea how to start"]:
        step = problem.respond(exercise, DialogueState(), text)
        assert isinstance(step.move, moves.SmallerStep), text
        assert step.move.reason == "dont_know"
        assert step.verdict is None  # not graded: no wrong attempt, no evidence of one
        assert step.state.attempts == 0
        assert "not quite" not in offline_text(step.move).lower()


@pytest.mark.parametrize(
    ("text", "act"),
    [
        ("I dont know what to do with the 2", "dont_know"),  # a number of the problem
        ("I have no idea what the 12 means", "question"),  # asks about the problem
        ("no idea why it is 4", "answer"),  # a number offered as the result
        ("no idea why x = 4", "answer"),
    ],
)
def test_a_number_named_in_not_knowing_is_not_an_answer(text: str, act: str) -> None:
    assert classify(text) == act


def test_an_answer_that_is_itself_a_dont_know_is_graded(tmp_path: Path) -> None:
    folder = tmp_path / "phrases"
    folder.mkdir()
    (folder / "course.yaml").write_text(
        """\
id: phrases
title: Useful phrases
description: Everyday Spanish.
language: es
placement: false
skills:
  - id: phrases
    title: Phrases
exercises:
  - id: i-dont-know
    kind: problem
    skill: phrases
    prompt: How do you say "I don't know" in Spanish?
    answer: no sé
    checker: exact
    hints:
      nudge: It starts with the word for "no".
      specific: The verb is saber, in the first person.
      worked: Saber for yo is "sé", so it is "no sé".
    reflection: Why does the verb carry an accent here?
""",
        encoding="utf-8",
    )
    course = load_catalog([tmp_path]).courses["phrases"]
    exercise = render_exercise(course.exercises["i-dont-know"], {}, language="es")  # type: ignore[arg-type]
    assert problem.respond(exercise, DialogueState(), "no sé").verdict == "correct"
    assert problem.respond(exercise, DialogueState(), "No se").verdict == "correct"
    # Any other way of not knowing is still not knowing.
    step = problem.respond(exercise, DialogueState(), "ni idea")
    assert isinstance(step.move, moves.SmallerStep) and step.move.reason == "dont_know"
    assert step.verdict is None


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("👍", "chitchat"),
        ("👍🏽", "chitchat"),
        ("🙂 🙂", "chitchat"),
        ("🤷", "dont_know"),
        ("🤷‍♀️", "dont_know"),
        ("😭", "feeling"),
        ("👍😭", "empty"),  # they disagree: nothing to go on
        ("12 👍", "answer"),
        ("ok 👍", "chitchat"),
    ],
)
def test_emoji_on_their_own_say_something(text: str, intent: str) -> None:
    assert classify(text) == intent
