"""`start fractions` finds fractions-and-equations: ids by unique start, or title words."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from bot.content.catalog import Catalog
from bot.content.loader import load_catalog
from bot.services.commands import Command, parse_command
from bot.services.course_lookup import find_course
from bot.services.messages import Incoming
from bot.services.tutor import Tutor
from bot.store.db import Database
from tests.conftest import FixedClock

CONTENT = Path(__file__).resolve().parents[2] / "content"
DEMO = Path(__file__).resolve().parent.parent / "demo_courses"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog([CONTENT, DEMO])


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("fractions-and-equations", "fractions-and-equations"),
        ("fractions", "fractions-and-equations"),
        ("Python", "python-basics"),
        ("python basics", "python-basics"),
        ("coaching", "coaching-positioning"),
        ("  FRACTIONS  ", "fractions-and-equations"),
    ],
)
def test_a_course_is_found_by_id_start_or_title_words(
    catalog: Catalog, query: str, found: str
) -> None:
    course, _ = find_course(catalog, query)
    assert course is not None and course.id == found


def test_an_ambiguous_query_lists_the_courses_it_could_mean(catalog: Catalog) -> None:
    course, candidates = find_course(catalog, "demo")
    assert course is not None and course.id == "demo"  # an exact id wins
    course, candidates = find_course(catalog, "demo-")
    assert course is None
    assert {c.id for c in candidates} >= {"demo-coaching", "demo-equations"}
    assert find_course(catalog, "astronomy") == (None, [])


def test_start_takes_several_words_of_a_title() -> None:
    assert parse_command("start Python Basics") == Command("start", "python basics")
    assert parse_command("learn fractions and equations") == Command(
        "start", "fractions and equations"
    )
    assert parse_command("next please") is None  # only start and snooze take words...
    assert parse_command("hint please") == Command("hint")  # ...and a hint asked in words


async def test_a_course_named_by_title_words_starts_and_a_start_sentence_is_a_reply(
    database: Database, clock: FixedClock
) -> None:
    shipped = load_catalog([CONTENT])
    tutor = Tutor(database, shipped, clock=clock, rng=random.Random(5))

    async def say(text: str) -> str:
        replies = await tutor.handle(Incoming("console", "ada", text))
        return "\n".join(r.text for r in replies)

    opened = await say("start python basics")
    assert "Python" in opened or "python" in opened
    reply = await say("start by finding what the loop prints first")
    assert "I don't know a course" not in reply  # read as a reply to the exercise
    assert "Which one do you mean" not in reply
