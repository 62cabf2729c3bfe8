"""The model reads unsure placement replies and weighs a right answer's shown working,
through the real openai client and the fake server; every failure gives the offline move."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from bot.content.catalog import Catalog
from bot.content.loader import load_catalog
from bot.dialogue import moves, phrases
from bot.dialogue.wording import offline_text
from bot.llm.client import ModelClient
from bot.llm.judging import ModelJudge
from bot.services.tutor import Tutor
from bot.store.db import Database
from bot.store.models import Attempt, Dialogue, Turn, User
from tests.conftest import FixedClock
from tests.fakes.fake_openai import (
    Behaviour,
    FakeOpenAI,
    Hang,
    Reply,
    SensibleModel,
    server_error,
)
from tests.llm.conftest import client_for
from tests.llm.judge_models import JudgingModel
from tests.llm.test_judged_turns import judged_tutor, say

DEMO = Path(__file__).resolve().parent.parent / "demo_courses"
PLACED = "fractions-and-equations"  # a shipped course that opens with placement
WORKED = "1/3 = 4/12 and 1/4 = 3/12, so 1/3 + 1/4 = 4/12 + 3/12 = 7/12."
SLIPPED = "1/3 is 4/12 and 1/4 is 2/12, so 7/12"
SLIP = {"sound": False, "step": "turning 1/4 into twelfths", "confidence": 0.8}
LOST = "je ne comprends pas la question"


@pytest.fixture(scope="module")
def demo() -> Catalog:
    return load_catalog([DEMO])


@pytest.fixture
async def fake() -> AsyncIterator[FakeOpenAI]:
    """A fake server whose judge is never sure, unless a test scripts otherwise."""
    async with FakeOpenAI(JudgingModel()) as server:
        yield server


async def recorded(database: Database, user: str) -> list[tuple[str | None, str | None]]:
    """The (move, verdict) of every turn row of the learner, in order."""

    def unit(session: Session) -> list[tuple[str | None, str | None]]:
        query = (
            select(col(Turn.move), col(Turn.verdict))
            .join(Dialogue, col(Dialogue.id) == col(Turn.dialogue_id))
            .join(User, col(User.id) == col(Dialogue.user_id))
            .where(col(User.platform_user_id) == user)
            .order_by(col(Turn.id))
        )
        return [(m, v) for m, v in session.execute(query)]

    return await database.run(unit)


async def credits(database: Database, user: str) -> list[tuple[float, str]]:
    """The mastery evidence recorded for the learner: (credit, purpose), in order."""

    def unit(session: Session) -> list[tuple[float, str]]:
        query = (
            select(col(Attempt.credit), col(Attempt.purpose))
            .join(User, col(User.id) == col(Attempt.user_id))
            .where(col(User.platform_user_id) == user)
            .order_by(col(Attempt.id))
        )
        return [(c, p) for c, p in session.execute(query)]

    return await database.run(unit)


def moves_of(rows: list[tuple[str | None, str | None]]) -> list[str]:
    return [m for m, _ in rows if m is not None]


# --- placement ------------------------------------------------------------------------------


@pytest.mark.parametrize("words", [False, True])
async def test_an_unsure_placement_reply_is_read_by_the_model(
    database: Database,
    catalog: Catalog,
    clock: FixedClock,
    fake: FakeOpenAI,
    client: ModelClient,
    words: bool,
) -> None:
    tutor = judged_tutor(database, catalog, clock, client, words=words)
    opening = await say(tutor, "ada", f"start {PLACED}")
    assert "3/8 = ?/48" in opening
    fake.script(Reply(data={"act": "question", "candidate": None, "confidence": 0.9}))
    reply = await say(tutor, "ada", LOST)
    assert reply == phrases.PLACEMENT_HELP  # not noted as a wrong answer: the item is open
    (read,) = fake.chat_requests("read")
    assert read.block("learner_message") == LOST
    assert "18" not in read.text  # the item's answer never goes to the model
    assert "Right." in await say(tutor, "ada", "18")  # a sure answer needs no model
    assert len(fake.chat_requests("read")) == 1
    assert moves_of(await recorded(database, "ada")) == ["placement_help", "placement"]
    assert [p for _, p in await credits(database, "ada")] == ["placement"]
    assert client.counters.failures() == 0


async def test_a_dont_know_read_by_the_model_is_noted_without_a_verdict(
    database: Database, catalog: Catalog, clock: FixedClock, fake: FakeOpenAI, client: ModelClient
) -> None:
    tutor = judged_tutor(database, catalog, clock, client, words=False)
    await say(tutor, "ada", f"start {PLACED}")
    fake.script(Reply(data={"act": "dont_know", "candidate": None, "confidence": 0.9}))
    reply = await say(tutor, "ada", "aucune idée franchement")
    assert reply.startswith(phrases.PLACEMENT_NOTED)
    rows = await recorded(database, "ada")
    assert ("placement", None) in rows and all(v is None for _, v in rows)


# --- the working shown with a right answer --------------------------------------------------


@pytest.mark.parametrize("words", [False, True])
async def test_right_answer_unsound_working_gets_the_step_question_and_keeps_the_verdict(
    database: Database,
    demo: Catalog,
    clock: FixedClock,
    fake: FakeOpenAI,
    client: ModelClient,
    words: bool,
) -> None:
    tutor = judged_tutor(database, demo, clock, client, words=words)
    await say(tutor, "ada", "start demo")
    fake.script(Reply(data=SLIP))
    reply = await say(tutor, "ada", SLIPPED)
    assert reply == offline_text(moves.CheckStep(False, 1, SLIP["step"]))
    assert "Why did you need a common denominator" not in reply
    (asked,) = fake.chat_requests("reasoning")
    assert asked.block("learner_message") == SLIPPED
    assert asked.block("reference") == WORKED  # a judging call gets the solution
    assert [r.kind for r in fake.chat_requests()] == ["reasoning", *(["word"] if words else [])]
    for worded in fake.chat_requests("word"):  # the model words the look at that step
        assert f"step to look at: {SLIP['step']}" in worded.text
    rows = await recorded(database, "ada")
    assert moves_of(rows) == ["check_step"]
    assert ("correct" in {v for _, v in rows}) and "wrong" not in {v for _, v in rows}
    assert await credits(database, "ada") == [(1.0, "practice")]  # the evidence is unchanged
    # the learner's look at the step is taken as their explanation, as after any praise
    accepted = {
        "criteria_met": [1],
        "vague": False,
        "correct": True,
        "missing": "",
        "confidence": 0.9,
    }
    fake.script(Reply(data=accepted))
    assert "next" in await say(tutor, "ada", "oh, 1/4 is 3/12, so I had two slips that cancelled")
    assert moves_of(await recorded(database, "ada"))[-1] == "close"


async def test_sound_working_gets_the_usual_praise_and_why_question(
    database: Database, demo: Catalog, clock: FixedClock, fake: FakeOpenAI, client: ModelClient
) -> None:
    tutor = judged_tutor(database, demo, clock, client)
    await say(tutor, "ada", "start demo")
    fake.script(Reply(data={"sound": True, "step": "", "confidence": 0.9}))
    reply = await say(tutor, "ada", "I made both twelfths, 4/12 + 3/12 = 7/12")
    assert phrases.WORKING_SOUND in reply and "Why did you need a common denominator" in reply
    assert moves_of(await recorded(database, "ada")) == ["praise"]


@pytest.mark.parametrize(
    "step",
    [
        "it should come to 7/12 anyway",  # the answer
        "1/4 is 3/12, not 2/12",  # a step's right result the learner never wrote
    ],
)
async def test_a_step_that_would_give_something_away_is_dropped(
    database: Database,
    demo: Catalog,
    clock: FixedClock,
    fake: FakeOpenAI,
    client: ModelClient,
    step: str,
) -> None:
    offline = Tutor(database, demo, clock=clock, rng=random.Random(3))
    tutor = judged_tutor(database, demo, clock, client, words=True)
    for name, who in (("off", offline), ("on", tutor)):
        await say(who, name, "start demo")
    expected = await say(offline, "off", SLIPPED)
    fake.script(Reply(data={**SLIP, "step": step}))
    assert await say(tutor, "on", SLIPPED) == expected
    assert moves_of(await recorded(database, "on")) == ["praise"]
    assert client.counters.get("reasoning", "unusable") == 1


# --- each failure: exactly the offline move -------------------------------------------------

SCENARIOS = {
    # course, the message judged, the call kind
    "placement": (PLACED, LOST, "read"),
    "working": ("demo", SLIPPED, "reasoning"),
}
FAILURES: dict[str, Behaviour] = {
    "timeout": Hang(),
    "500": server_error(),
    "bad-json": Reply(content='{"sound": false, "confidence": '),
    "schema": Reply(data={"sound": "maybe", "act": 3}),
}


@pytest.mark.parametrize("failure", list(FAILURES))
@pytest.mark.parametrize("scenario", list(SCENARIOS))
async def test_a_failed_judgement_gives_exactly_the_offline_move(
    database: Database,
    catalog: Catalog,
    demo: Catalog,
    clock: FixedClock,
    fake: FakeOpenAI,
    scenario: str,
    failure: str,
) -> None:
    course, message, kind = SCENARIOS[scenario]
    shelf = catalog if course == PLACED else demo
    offline = Tutor(database, shelf, clock=clock, rng=random.Random(3))
    client = client_for(fake, deadline=0.5, retries=0)
    tutor = judged_tutor(database, shelf, clock, client, words=True)
    await say(offline, "off", f"start {course}")
    await say(tutor, "on", f"start {course}")
    expected = await say(offline, "off", message)
    fake.script(FAILURES[failure])
    assert await say(tutor, "on", message) == expected
    assert await recorded(database, "on") == await recorded(database, "off")
    assert await credits(database, "on") == await credits(database, "off")
    assert [r.kind for r in fake.chat_requests() if r.kind != "word"] == [kind]
    assert client.counters.failures(kind) == 1
    await client.close()


# --- the sensible fake, for benches and other suites ----------------------------------------


async def test_the_sensible_model_finds_shown_working_sound() -> None:
    async with FakeOpenAI(SensibleModel()) as server:
        client = client_for(server)
        judged = await ModelJudge(client).judge_reasoning(
            SLIPPED, problem="What is 1/3 + 1/4? Give a fraction.", reference=WORKED
        )
        await client.close()
    assert judged is not None and judged.sound and judged.step == ""
