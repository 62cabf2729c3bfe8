"""The tutor uses a model's judgements where its offline reading is unsure, through the real
openai client and the fake server; every failure gives exactly the offline move."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from bot.content.catalog import Catalog
from bot.content.loader import load_catalog
from bot.dialogue import moves
from bot.dialogue.wording import offline_text
from bot.llm.client import ModelClient
from bot.llm.judging import ModelJudge
from bot.llm.tutor_judge import TutorJudge
from bot.llm.wording import ModelWording
from bot.services.messages import Incoming
from bot.services.tutor import Tutor
from bot.store import dialogues as dialogue_store
from bot.store.db import Database
from bot.store.models import Dialogue, Turn, User
from tests.conftest import FixedClock
from tests.fakes.fake_openai import Behaviour, FakeOpenAI, Hang, Reply, server_error
from tests.llm.conftest import client_for
from tests.llm.judge_models import JudgingModel

DEMO = Path(__file__).resolve().parent.parent / "demo_courses"
PROBLEM = "What is 1/3 + 1/4? Give a fraction."
WORKED = "1/3 = 4/12 and 1/4 = 3/12, so 1/3 + 1/4 = 4/12 + 3/12 = 7/12."
DIAGNOSIS = {
    "misconception": "adds only one of the two fractions",
    "step": "turning 1/4 into twelfths",
    "confidence": 0.8,
}


@pytest.fixture(scope="module")
def demo() -> Catalog:
    return load_catalog([DEMO])


@pytest.fixture
async def fake() -> AsyncIterator[FakeOpenAI]:
    """A fake server whose judge is never sure, unless a test scripts otherwise."""
    async with FakeOpenAI(JudgingModel()) as server:
        yield server


def judged_tutor(
    database: Database,
    demo: Catalog,
    clock: FixedClock,
    client: ModelClient,
    *,
    words: bool = False,
) -> Tutor:
    """A tutor that consults the model's judge (and words its moves through it, if asked)."""
    return Tutor(
        database,
        demo,
        clock=clock,
        rng=random.Random(3),
        wording=ModelWording(client) if words else None,
        judge=TutorJudge(ModelJudge(client)),
    )


async def say(tutor: Tutor, user: str, text: str) -> str:
    replies = await tutor.handle(Incoming("console", user, text))
    return "\n".join(r.text for r in replies)


async def recorded(database: Database, user: str) -> list[tuple[str | None, str | None]]:
    """The (move, misconception) of every tutor turn the learner was sent, in order."""

    def unit(session: Session) -> list[tuple[str | None, str | None]]:
        query = (
            select(col(Turn.move), col(Turn.misconception))
            .join(Dialogue, col(Dialogue.id) == col(Turn.dialogue_id))
            .join(User, col(User.id) == col(Dialogue.user_id))
            .where(col(User.platform_user_id) == user, col(Turn.role) == "tutor")
            .order_by(col(Turn.id))
        )
        return [(m, c) for m, c in session.execute(query)]

    return await database.run(unit)


# --- each judgement, used -------------------------------------------------------------------


async def test_a_message_the_engine_cannot_place_is_read_by_the_model(
    database: Database, demo: Catalog, clock: FixedClock, fake: FakeOpenAI, client: ModelClient
) -> None:
    tutor = judged_tutor(database, demo, clock, client)
    await say(tutor, "ada", "start demo")
    fake.script(Reply(data={"act": "question", "candidate": None, "confidence": 0.9}))
    reply = await say(tutor, "ada", "je ne comprends pas la question")
    assert reply == offline_text(moves.Clarify(None, PROBLEM))
    (read,) = fake.chat_requests("read")
    assert read.block("learner_message") == "je ne comprends pas la question"
    assert "7/12" not in read.text and WORKED not in read.text
    fake.script(Reply(data={"act": "feeling", "candidate": None, "confidence": 0.9}))
    reply = await say(tutor, "ada", "je suis perdue")
    assert reply.startswith("That's a normal feeling")
    assert [m for m, _ in await recorded(database, "ada")] == [None, "clarify", "encourage"]
    assert client.counters.failures() == 0


async def test_a_diagnosis_gets_a_question_worded_from_the_diagnosis_alone(
    database: Database, demo: Catalog, clock: FixedClock, fake: FakeOpenAI, client: ModelClient
) -> None:
    tutor = judged_tutor(database, demo, clock, client, words=True)
    await say(tutor, "ada", "start demo")
    fake.script(Reply(data=DIAGNOSIS))
    reply = await say(tutor, "ada", "5/12")
    move = moves.Diagnosed(DIAGNOSIS["misconception"], DIAGNOSIS["step"], 0)
    assert reply == offline_text(move)  # the faithful fake words it as its draft
    assert (await recorded(database, "ada"))[-1] == ("diagnosed", DIAGNOSIS["misconception"])
    since = clock() - timedelta(days=1)
    counts = await database.run(dialogue_store.misconception_counts, "demo", since)
    assert counts == [(DIAGNOSIS["misconception"], 1)]
    (diagnose,) = fake.chat_requests("diagnose")
    assert diagnose.block("learner_message") == "5/12"
    assert diagnose.block("reference") == WORKED  # a judging call gets the solution
    worded = fake.chat_requests("word")[-1]
    move_block = worded.block("move") or ""
    assert DIAGNOSIS["misconception"] in move_block and DIAGNOSIS["step"] in move_block
    for request in fake.chat_requests("word"):
        assert "7/12" not in request.text and "4/12 + 3/12" not in request.text
    # the next message is heard as a reply to that question
    await say(tutor, "ada", "oh, I only changed the third")
    assert (await recorded(database, "ada"))[-1] == ("reply_heard", None)


async def test_a_diagnosis_that_names_the_answer_is_dropped(
    database: Database, demo: Catalog, clock: FixedClock, fake: FakeOpenAI, client: ModelClient
) -> None:
    tutor = judged_tutor(database, demo, clock, client, words=True)
    await say(tutor, "ada", "start demo")
    fake.script(Reply(data={**DIAGNOSIS, "step": "it should come to 7/12"}))
    reply = await say(tutor, "ada", "7/12 no, 5/12 i mean")
    assert "7/12" not in reply
    assert (await recorded(database, "ada"))[-1][0] == "recheck"
    assert client.counters.get("diagnose", "unusable") == 1


async def test_the_why_step_takes_the_models_judgement(
    database: Database, demo: Catalog, clock: FixedClock, fake: FakeOpenAI, client: ModelClient
) -> None:
    tutor = judged_tutor(database, demo, clock, client)
    await say(tutor, "ada", "start demo")
    await say(tutor, "ada", "7/12")
    assert not fake.chat_requests()  # a graded answer needs no judge
    accepted = {
        "criteria_met": [1],
        "vague": False,
        "correct": True,
        "missing": "",
        "confidence": 0.9,
    }
    fake.script(Reply(data=accepted))
    reply = await say(tutor, "ada", "same size pieces")
    assert "next" in reply
    assert (await recorded(database, "ada"))[-1][0] == "close"
    (judge,) = fake.chat_requests("judge")
    assert judge.block("learner_message") == "same size pieces"
    assert "Why did you need a common denominator" in (judge.block("question") or "")
    assert (judge.block("conversation") or "").startswith("Learner: 7/12\nTutor: Correct.")


async def test_a_reflection_is_judged_and_summarised_by_the_model(
    database: Database, demo: Catalog, clock: FixedClock, fake: FakeOpenAI, client: ModelClient
) -> None:
    tutor = judged_tutor(database, demo, clock, client)
    await say(tutor, "ada", "start demo-coaching")
    meets_who = {
        "criteria_met": [1],
        "vague": False,
        "correct": True,
        "missing": "a result",
        "confidence": 0.9,
    }
    fake.script(Reply(data=meets_who))
    reply = await say(tutor, "ada", "la directrice de l'école du quartier")
    assert "in numbers" in reply  # the probe for the second criterion: the first is met
    summary = "- the head of the local school\n- her enrolments, from 40 to 80"
    fake.script(Reply(summary))
    reply = await say(tutor, "ada", "elle veut passer de 40 à 80 inscriptions")
    assert summary in reply and "Here's what you worked out" in reply
    assert [m for m, _ in await recorded(database, "ada")] == [None, "probe", "summary"]
    (judge,) = fake.chat_requests("judge")
    assert "1. a specific person or role" in (judge.block("criteria") or "")
    (summarise,) = fake.chat_requests("summarise")
    assert "passer de 40" in (summarise.block("conversation") or "")


async def test_a_summary_that_adds_what_the_learner_never_said_is_dropped(
    database: Database, demo: Catalog, clock: FixedClock, fake: FakeOpenAI, client: ModelClient
) -> None:
    tutor = judged_tutor(database, demo, clock, client)
    await say(tutor, "ada", "start demo-coaching")
    fake.script(Reply("- Maria\n- triple sales in 6 months"))
    reply = await say(tutor, "ada", "Maria, a bakery owner, to double sales within 3 months")
    assert "- Maria, a bakery owner, to double sales within 3 months" in reply  # offline
    assert "triple" not in reply
    assert client.counters.get("summarise", "unusable") == 1


# --- each failure: exactly the offline move -------------------------------------------------

SCENARIOS = {
    # course, what comes before, the message judged, the call kind
    "read": ("demo", [], "je ne comprends pas la question", "read"),
    "diagnose": ("demo", [], "5/12", "diagnose"),
    "why-step": ("demo", ["7/12"], "same size pieces", "judge"),
    "reflection": ("demo-coaching", [], "la directrice de l'école du quartier", "judge"),
    "summary": (
        "demo-coaching",
        [],
        "Maria, a bakery owner, to double sales within 3 months",
        "summarise",
    ),
}
FAILURES: dict[str, Behaviour] = {
    "timeout": Hang(),
    "500": server_error(),
    "bad-json": Reply(content='{"act": "question", "confidence": '),
}


@pytest.mark.parametrize("failure", list(FAILURES))
@pytest.mark.parametrize("scenario", list(SCENARIOS))
async def test_a_failed_judgement_gives_exactly_the_offline_move(
    database: Database,
    demo: Catalog,
    clock: FixedClock,
    fake: FakeOpenAI,
    scenario: str,
    failure: str,
) -> None:
    course, before, message, kind = SCENARIOS[scenario]
    offline = Tutor(database, demo, clock=clock, rng=random.Random(3))
    client = client_for(fake, deadline=0.5, retries=0)
    tutor = judged_tutor(database, demo, clock, client)
    for text in [f"start {course}", *before]:
        await say(offline, "off", text)
        await say(tutor, "on", text)
    expected = await say(offline, "off", message)
    fake.script(FAILURES[failure])
    got = await say(tutor, "on", message)
    assert got == expected
    assert await recorded(database, "on") == await recorded(database, "off")
    assert [r.kind for r in fake.chat_requests()] == [kind]
    assert client.counters.failures(kind) == 1
    await client.close()


# --- no model call inside a unit of work ----------------------------------------------------


async def test_a_held_judgement_holds_up_no_other_learner(
    database: Database, demo: Catalog, clock: FixedClock, fake: FakeOpenAI, client: ModelClient
) -> None:
    tutor = judged_tutor(database, demo, clock, client)
    await say(tutor, "ada", "start demo")
    await say(tutor, "bob", "start demo")
    events: list[str] = []

    async def ada() -> None:
        await say(tutor, "ada", "5/12")
        events.append("ada answered")

    fake.script(Hang(Reply(data=DIAGNOSIS)))
    waiting = asyncio.create_task(ada())
    await fake.wait_for_requests(1)  # ada's diagnosis is with the model
    assert fake.hanging.is_set()
    assert "Is a half plus a half" in await say(tutor, "bob", "2/7")
    events.append("bob answered")
    assert "common denominator" in await say(tutor, "bob", "7/12")
    events.append("bob answered again")
    fake.release()
    await waiting
    assert events == ["bob answered", "bob answered again", "ada answered"]
    assert (await recorded(database, "ada"))[-1][0] == "diagnosed"


# --- the conversation in the wording prompt -------------------------------------------------


async def test_the_wording_prompt_holds_the_recent_turns_and_stays_flat(
    database: Database, demo: Catalog, clock: FixedClock, fake: FakeOpenAI, client: ModelClient
) -> None:
    tutor = judged_tutor(database, demo, clock, client, words=True)
    await say(tutor, "ada", "start demo")
    sizes: dict[int, int] = {}
    for turn in range(1, 51):
        await say(tutor, "ada", f"what does the word fraction mean in question number {turn}?")
        sizes[turn] = len(fake.chat_requests("word")[-1].text)
    last = fake.chat_requests("word")[-1].block("conversation") or ""
    assert "question number 49" in last  # the recent turns, word for word
    assert last.startswith("Earlier, in short: ")  # the earlier ones, summarised
    assert "question number 1?" not in last
    assert sizes[50] <= 1.5 * sizes[5], (sizes[5], sizes[20], sizes[50])
    assert sizes[50] <= 1.05 * sizes[20]  # flat once the recent window is full
    assert all(r.kind == "word" for r in fake.chat_requests())  # a question needs no judge
