"""Whole conversations through the service API, on a real SQLite file."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from bot.content.catalog import Catalog
from bot.content.loader import load_catalog
from bot.services.commands import Command, parse_command
from bot.services.messages import Incoming
from bot.services.tutor import Tutor
from bot.store import dialogues as dialogue_store
from bot.store import users as user_store
from bot.store.db import Database
from tests.conftest import FixedClock

DEMO = Path(__file__).resolve().parent.parent / "demo_courses"


@pytest.fixture(scope="module")
def demo() -> Catalog:
    return load_catalog([DEMO])


@pytest.fixture
def demo_tutor(database: Database, demo: Catalog, clock: FixedClock) -> Tutor:
    return Tutor(database, demo, clock=clock, rng=random.Random(3))


async def say(tutor: Tutor, text: str, user: str = "ada") -> str:
    replies = await tutor.handle(Incoming("console", user, text))
    return "\n".join(r.text for r in replies)


async def test_correct_path_then_reflection_closes_the_exercise(demo_tutor: Tutor) -> None:
    opening = await say(demo_tutor, "start demo")
    assert "What is 1/3 + 1/4?" in opening
    reply = await say(demo_tutor, "I changed both to twelfths and got 7/12, so 7/12")
    assert "right" in reply.lower() or "correct" in reply.lower()
    assert "common denominator" in reply
    closing = await say(demo_tutor, "because you can only add pieces of the same size")
    assert "next" in closing.lower()
    second = await say(demo_tutor, "next")
    assert "What is 1/3 + 1/4?" in second


async def test_misconception_gets_its_targeted_question(demo_tutor: Tutor) -> None:
    await say(demo_tutor, "start demo")
    reply = await say(demo_tutor, "2/7")
    assert "Is a half plus a half really a half?" in reply
    assert "7/12" not in reply


async def test_plain_wrong_answer_gets_a_question_not_a_verdict(demo_tutor: Tutor) -> None:
    await say(demo_tutor, "start demo")
    reply = await say(demo_tutor, "5/12")
    assert "?" in reply
    assert reply.strip().lower() not in {"wrong", "wrong.", "incorrect", "incorrect."}
    assert "7/12" not in reply


async def test_hint_ladder_climbs_in_order_and_then_stops(demo_tutor: Tutor) -> None:
    await say(demo_tutor, "start demo")
    first = await say(demo_tutor, "hint")
    second = await say(demo_tutor, "hint")
    waiting = await say(demo_tutor, "hint")  # the worked step waits for a try
    await say(demo_tutor, "6/12")
    third = await say(demo_tutor, "hint")
    fourth = await say(demo_tutor, "hint")
    assert "same kind of piece" in first
    assert "twelfths" in second and "7/12" not in second
    assert "have a go" in waiting.lower() and "7/12" not in waiting
    assert "4/12 + 3/12 = 7/12" in third
    assert "last hint" in fourth


@pytest.mark.parametrize(
    "asked",
    ["can I have a hint?", "give me a hint pls", "I need help", "another clue please", "help me"],
)
async def test_a_hint_asked_for_in_words_is_a_hint(demo_tutor: Tutor, asked: str) -> None:
    await say(demo_tutor, "start demo")
    first = await say(demo_tutor, asked)
    assert "same kind of piece" in first and "Let's stay with this problem" not in first


@pytest.mark.parametrize("asked", ["can I skip?", "can I skip this one?", "let me skip this"])
async def test_skipping_asked_for_in_words_skips(demo_tutor: Tutor, asked: str) -> None:
    await say(demo_tutor, "start demo")
    reply = await say(demo_tutor, asked)
    assert "What is 1/3 + 1/4?" not in reply and "Good question" not in reply
    assert "7/12" not in reply  # skipping is no way round the ladder
    async with demo_tutor.database.session() as session:
        person = await session.run_sync(user_store.get_user, "console", "ada")
        assert person is not None and person.id is not None
        assert await session.run_sync(dialogue_store.open_dialogue, person.id) is None


def test_what_is_no_skip_request() -> None:
    for text in ("skip counting by 2s", "I skip breakfast", "can I skip to chapter 3 and do that"):
        assert parse_command(text) != Command("skip"), text


@pytest.mark.parametrize("said", ["how do I start", "where do I even begin?"])
async def test_asking_how_to_start_gets_the_first_step(demo_tutor: Tutor, said: str) -> None:
    await say(demo_tutor, "start demo")
    reply = await say(demo_tutor, said)
    assert "same kind of piece" in reply and "Let's stay with this problem" not in reply


@pytest.mark.parametrize("said", ["huh", "is it asking for the total?"])
async def test_confusion_about_the_question_gets_it_restated(demo_tutor: Tutor, said: str) -> None:
    await say(demo_tutor, "start demo")
    reply = await say(demo_tutor, said)
    assert "1/3" in reply and "1/4" in reply and "Let's stay with this problem" not in reply


def test_what_is_no_hint_request() -> None:
    for text in ("help", "hint: it is 7/12", "the hint was useless", "I need 7/12 hints"):
        assert parse_command(text) != Command("hint"), text
    assert parse_command("help") == Command("help")


async def test_repeated_misses_climb_the_ladder(demo_tutor: Tutor) -> None:
    await say(demo_tutor, "start demo")
    await say(demo_tutor, "5/12")
    reply = await say(demo_tutor, "1/2")
    assert "same kind of piece" in reply


async def test_reaching_the_answer_after_hints_is_stored_with_the_rung(
    demo_tutor: Tutor, database: Database
) -> None:
    await say(demo_tutor, "start demo")
    await say(demo_tutor, "hint")
    await say(demo_tutor, "hint")
    await say(demo_tutor, "7/12")
    async with database.session() as session:
        user = await session.run_sync(user_store.get_user, "console", "ada")
        assert user is not None and user.id is not None
        dialogue = await session.run_sync(dialogue_store.open_dialogue, user.id)
    assert dialogue is not None
    assert dialogue.hint_rung == 2
    assert dialogue.stage == "reflecting"


async def test_dont_know_and_empty_get_a_smaller_step(demo_tutor: Tutor) -> None:
    opening = await say(demo_tutor, "start demo")
    reply = await say(demo_tutor, "I don't know")
    assert "smaller" in reply and "same kind of piece" in reply
    assert reply != opening
    empty = await say(demo_tutor, "   ")
    assert "twelfths" in empty


async def test_blank_reflection_is_asked_once_more(demo_tutor: Tutor) -> None:
    await say(demo_tutor, "start demo")
    await say(demo_tutor, "7/12")
    again = await say(demo_tutor, "idk")
    assert "common denominator" in again
    closed = await say(demo_tutor, "idk")
    assert "next" in closed.lower()


async def test_a_step_on_the_way_comes_back_from_the_grading_pool(demo_tutor: Tutor) -> None:
    await say(demo_tutor, "start demo-equations")
    reply = await say(demo_tutor, "first I get 2x = 8")
    assert "Right so far: 2x = 8 holds" in reply
    assert "x = 4" not in reply


async def test_expression_answers_accept_equivalent_forms(demo_tutor: Tutor) -> None:
    await say(demo_tutor, "start demo-equations")
    sign_error = await say(demo_tutor, "x = 7")
    assert "did it stay +3" in sign_error
    reply = await say(demo_tutor, "so x=4")
    assert "check your answer" in reply


async def test_vague_reflection_is_probed_until_specific(demo_tutor: Tutor) -> None:
    opening = await say(demo_tutor, "start demo-coaching")
    assert "ideal client" in opening
    first = await say(demo_tutor, "everyone who wants to grow their business")
    assert "What's their name or role?" in first
    second = await say(demo_tutor, "Maria, who runs a small bakery")
    assert "in numbers" in second
    summary = await say(demo_tutor, "she would double her weekday sales within 3 months")
    assert "Maria, who runs a small bakery" in summary
    assert "specific enough" in summary


async def test_an_open_reflection_shown_again_keeps_its_own_choices(demo_tutor: Tutor) -> None:
    await say(demo_tutor, "start demo-coaching")
    assert "name or role" in await say(demo_tutor, "people who want to grow their business")
    [shown] = await demo_tutor.handle(Incoming("console", "ada", "next"))
    assert shown.text.startswith("This one is still open, in ")
    assert "ideal client" in shown.text
    assert [c.label for c in shown.choices] == ["Skip"]  # a reflection has no hint ladder
    [greeted] = await demo_tutor.greet(Incoming("console", "ada", ""))
    assert greeted.text.startswith("Welcome back!")
    assert [c.label for c in greeted.choices] == ["Skip"]


async def test_an_exercise_shown_again_offers_only_what_is_left(demo_tutor: Tutor) -> None:
    await say(demo_tutor, "start demo")
    [climbing] = await demo_tutor.handle(Incoming("console", "ada", "next"))
    assert [c.label for c in climbing.choices] == ["Hint", "Skip"]
    for message in ["hint", "5/7", "hint", "6/7", "hint"]:
        await say(demo_tutor, message)
    [worked] = await demo_tutor.handle(Incoming("console", "ada", "next"))
    assert "Where we left off" in worked.text
    assert [c.label for c in worked.choices] == ["Skip"]  # the ladder is climbed
    await say(demo_tutor, "7/12")
    [explaining] = await demo_tutor.handle(Incoming("console", "ada", "next"))
    assert "common denominator" in explaining.text  # the why-step, still open
    assert [c.label for c in explaining.choices] == ["Skip"]


async def test_reflection_closes_after_bounded_probes(demo_tutor: Tutor) -> None:
    await say(demo_tutor, "start demo-coaching")
    replies = [await say(demo_tutor, "people who want to grow") for _ in range(4)]
    assert "Here's what you worked out" in replies[3]
    assert "Still worth sharpening" in replies[3]


async def test_resume_after_quitting_keeps_variant_rung_and_transcript(
    database: Database, demo: Catalog, clock: FixedClock
) -> None:
    first = Tutor(database, demo, clock=clock, rng=random.Random(1))
    await say(first, "start demo")
    await say(first, "hint")
    await say(first, "quit")
    second = Tutor(database, demo, clock=clock, rng=random.Random(2))
    greeting = "\n".join(r.text for r in await second.greet(Incoming("console", "ada", "")))
    assert "What is 1/3 + 1/4?" in greeting and "same kind of piece" in greeting
    assert "twelfths" in await say(second, "hint")


async def test_learners_do_not_see_each_others_work(demo_tutor: Tutor) -> None:
    await say(demo_tutor, "start demo", user="ada")
    await say(demo_tutor, "hint", user="ada")
    await say(demo_tutor, "hint", user="ada")
    other = await say(demo_tutor, "start demo", user="bob")
    assert "Welcome back" not in other
    assert "twelfths" not in other


async def test_unknown_course_and_commands_without_exercise(demo_tutor: Tutor) -> None:
    assert "don't know a course" in await say(demo_tutor, "start nope")
    assert "Pick a course first" in await say(demo_tutor, "hello")
    assert "courses" in (await say(demo_tutor, "help")).lower()


async def test_huge_and_unicode_input_is_answered(demo_tutor: Tutor) -> None:
    await say(demo_tutor, "start demo")
    reply = await say(demo_tutor, "🙂" * 10_000)
    assert "first 4,000 characters" in reply
    reply = await say(demo_tutor, "é\x00\u202e 7/12 ✔")
    assert "common denominator" in reply


async def test_the_same_conversation_runs_on_postgresql(demo: Catalog, clock: FixedClock) -> None:
    """On PostgreSQL a unit of work runs through the async session's run_sync."""
    from tests.support.postgres import create_database_or_skip, drop_database

    url = await create_database_or_skip()
    database = Database(url)
    try:
        await database.upgrade()
        assert database.units is None  # no database thread: asyncpg is async already
        tutor = Tutor(database, demo, clock=clock, rng=random.Random(3))
        assert "What is 1/3 + 1/4?" in await say(tutor, "start demo")
        assert "7/12" not in await say(tutor, "hint")
        reply = await say(tutor, "7/12")
        assert "why" in reply.lower()
        async with database.session() as session:
            user = await session.run_sync(user_store.get_user, "console", "ada")
            assert user is not None and user.id is not None
            dialogue = await session.run_sync(dialogue_store.open_dialogue, user.id)
        assert dialogue is not None
        assert (dialogue.stage, dialogue.hint_rung) == ("reflecting", 1)
        await say(tutor, "both parts had to be twelfths before adding them")
        async with database.session() as session:
            assert await session.run_sync(dialogue_store.open_dialogue, user.id) is None
    finally:
        await database.close()
        await drop_database(url)
