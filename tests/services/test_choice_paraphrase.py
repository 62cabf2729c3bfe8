"""A choice exercise through the service API: lettered, shuffled options, paraphrases read."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from bot.content.catalog import Catalog
from bot.content.loader import load_catalog
from bot.learning.answer_leak import reveals_answer
from bot.learning.grading import AnswerKey
from bot.services.messages import Incoming
from bot.services.tutor import Tutor
from bot.store.db import Database
from tests.conftest import FixedClock

COURSE = Path(__file__).resolve().parent.parent / "demo_courses" / "demo-options"
RIGHT = "They have a denominator of 12"
OPTIONS = (
    "They have a denominator of 7",
    RIGHT,
    "They have a numerator of 12",
    "They cannot be added",
)
SOLVED = "Why do both fractions need the same denominator"  # asked only once it is solved
TARGETED = "Is a half plus a half really a half?"
HEDGED = ("more than one answer", "bet on")


@pytest.fixture(scope="module")
def options_course() -> Catalog:
    return load_catalog([COURSE])


@pytest.fixture
def options_tutor(database: Database, options_course: Catalog, clock: FixedClock) -> Tutor:
    return Tutor(database, options_course, clock=clock, rng=random.Random(11))


async def say(tutor: Tutor, text: str, user: str) -> str:
    replies = await tutor.handle(Incoming("console", user, text))
    return "\n".join(r.text for r in replies)


async def start(tutor: Tutor, user: str) -> tuple[str, dict[str, str]]:
    """Start the exercise; return its opening and the options by letter."""
    opening = await say(tutor, "start demo-options", user)
    letters = dict(re.findall(r"(?m)^([a-d])\) (.+)$", opening))
    assert sorted(letters.values()) == sorted(OPTIONS)
    return opening, letters


def right_letter(letters: dict[str, str]) -> str:
    return next(letter for letter, text in letters.items() if text == RIGHT)


def assert_secret(reply: str, opening: str, letters: dict[str, str]) -> None:
    """The reply says nothing about which option is right."""
    key = AnswerKey("choice", RIGHT, choices=tuple(letters.values()))
    assert not reveals_answer(key, reply, public_texts=(opening,)), reply
    letter = right_letter(letters)
    assert not re.search(rf"(?i)\b(option|choice|answer)\s+\(?{letter}\b|\({letter}\)", reply)
    assert SOLVED not in reply


async def test_the_options_are_lettered_and_shuffled_per_learner(options_tutor: Tutor) -> None:
    places = set()
    for n in range(8):
        _, letters = await start(options_tutor, f"learner-{n}")
        places.add(right_letter(letters))
    assert len(places) > 1


@pytest.mark.parametrize(
    "reply",
    [
        "the denominator is twelve",
        "12 is the denominator",
        "They both have 12 as the denominator",
        "is it the one where the denominator is 12?",
        RIGHT.upper(),
    ],
)
async def test_a_paraphrase_of_the_right_option_solves_it(options_tutor: Tutor, reply: str) -> None:
    await start(options_tutor, "ada")
    assert SOLVED in await say(options_tutor, reply, "ada")


async def test_the_right_letter_still_solves_it(options_tutor: Tutor) -> None:
    _, letters = await start(options_tutor, "ada")
    assert SOLVED in await say(options_tutor, f"I'd go with {right_letter(letters)}", "ada")


async def test_a_paraphrase_of_a_wrong_option_gets_its_targeted_question(
    options_tutor: Tutor,
) -> None:
    opening, letters = await start(options_tutor, "ada")
    reply = await say(options_tutor, "the denominator is 7", "ada")
    assert TARGETED in reply
    assert_secret(reply, opening, letters)


@pytest.mark.parametrize(
    "reply",
    [
        "numerator is 12",
        "the denominator of 12 is wrong",
        "they don't have a denominator of 12",
        "denominator 12 or 7",
        "denominator 12, numerator 12",
        "12",
        "the one with 12 at the bottom",
    ],
)
async def test_other_replies_do_not_solve_it_nor_tell_which_is_right(
    options_tutor: Tutor, reply: str
) -> None:
    opening, letters = await start(options_tutor, "ada")
    answer = await say(options_tutor, reply, "ada")
    assert_secret(answer, opening, letters)


async def test_not_the_right_letter_does_not_solve_it(options_tutor: Tutor) -> None:
    opening, letters = await start(options_tutor, "ada")
    letter = right_letter(letters)
    for reply in (f"not {letter}", f"not {letter}, the denominator is 12"):
        answer = await say(options_tutor, reply, "ada")
        assert_secret(answer, opening, letters)


async def test_naming_two_options_is_a_hedge(options_tutor: Tutor) -> None:
    opening, letters = await start(options_tutor, "ada")
    answer = await say(options_tutor, "a denominator of 7 or 12", "ada")
    assert any(phrase in answer for phrase in HEDGED)
    assert_secret(answer, opening, letters)


@pytest.mark.parametrize(
    "template",
    [
        "what does '{option}' mean?",
        "can you explain '{option}'?",
        "just the answer please: is it '{option}'?",
    ],
)
async def test_a_message_that_is_no_answer_gets_one_reply_whichever_option_it_names(
    database: Database, options_course: Catalog, clock: FixedClock, template: str
) -> None:
    replies = set()
    for n, option in enumerate(OPTIONS):
        # The same seed gives each learner the same order, so only the option named differs.
        tutor = Tutor(database, options_course, clock=clock, rng=random.Random(11))
        opening, letters = await start(tutor, f"asker-{n}")
        reply = await say(tutor, template.format(option=option.lower()), f"asker-{n}")
        assert_secret(reply, opening, letters)
        replies.add(reply)
    assert len(replies) == 1
