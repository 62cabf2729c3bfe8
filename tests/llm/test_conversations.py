"""Whole conversations run the same through a model as offline.

The engine's dialogue-flow suite runs here again, with every move worded through the real
openai client and the fake server (a model that words each move as its draft does), and a
scripted conversation gives the same replies offline and through the model.
"""

from __future__ import annotations

import inspect
import random
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.content.catalog import Catalog
from bot.content.loader import load_catalog
from bot.dialogue.wording import Wording
from bot.llm.wording import ModelWording
from bot.services.messages import Incoming
from bot.services.tutor import Tutor
from bot.store.db import Database
from tests.conftest import FixedClock
from tests.fakes.fake_openai import FakeOpenAI
from tests.llm.conftest import client_for
from tests.services import test_dialogue_flows as flows

DEMO = Path(__file__).resolve().parent.parent / "demo_courses"

# The flow suite's tests that take the tutor as a fixture run here on the model's tutor.
for _name, _test in vars(flows).items():
    if _name.startswith("test_") and "demo_tutor" in inspect.signature(_test).parameters:
        globals()[_name] = _test

SCRIPT = [
    "start demo",
    "idk",
    "what does 'give a fraction' mean?",
    "2/7",
    "I'm so confused",
    "a half is bigger I think",
    "hint",
    "6/12",
    "hint",
    "5/12",
    "because twelfths are pieces of the same size",
    "next",
    "ok",
    "7/12",
    "",
]


@pytest.fixture(scope="module")
def demo() -> Catalog:
    return load_catalog([DEMO])


@pytest.fixture
async def demo_tutor(database: Database, demo: Catalog, clock: FixedClock) -> AsyncIterator[Tutor]:
    """The flow suite's tutor, wording through the fake model."""
    async with FakeOpenAI() as fake:
        client = client_for(fake)
        yield Tutor(database, demo, clock=clock, rng=random.Random(3), wording=ModelWording(client))
        assert client.counters.failures() == 0  # every worded move came from the model
        await client.close()


async def run_script(
    database: Database, demo: Catalog, clock: FixedClock, user: str, wording: Wording | None
) -> list[str]:
    tutor = Tutor(database, demo, clock=clock, rng=random.Random(11), wording=wording)
    replies = []
    for text in SCRIPT:
        answer = await tutor.handle(Incoming("console", user, text))
        replies.append("\n".join(r.text for r in answer))
    return replies


async def test_a_conversation_reads_the_same_offline_and_through_the_model(
    database: Database, demo: Catalog, clock: FixedClock
) -> None:
    offline = await run_script(database, demo, clock, "offline-learner", None)
    async with FakeOpenAI() as fake:
        client = client_for(fake)
        through = await run_script(database, demo, clock, "model-learner", ModelWording(client))
        worded = len(fake.chat_requests("word"))
        await client.close()
    assert through == offline
    assert worded >= 8  # most moves went through the model; the rest are offline by design
