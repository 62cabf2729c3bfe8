"""Whole conversations run the same with a model's judge as offline, and leak nothing.

The engine's dialogue-flow suite runs here with every move worded through the model and
every unsure reading put to its judge (a judge that answers, but is never sure enough to
change a move). The answer-secrecy suite runs through a model that tries to give the
answer away in every judgement and every wording. No prompt that can reach the learner
holds the answer or the worked step while they are secret.
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
from bot.llm.client import ModelClient
from bot.llm.judging import ModelJudge
from bot.llm.tutor_judge import TutorJudge
from bot.llm.wording import ModelWording
from bot.services.messages import Incoming
from bot.services.tutor import Tutor
from bot.store.db import Database
from tests.conftest import FixedClock
from tests.fakes.fake_openai import FakeOpenAI, LeakyModel
from tests.llm.conftest import client_for
from tests.llm.judge_models import JudgingModel
from tests.services import test_answer_secrecy as secrecy
from tests.services import test_dialogue_flows as flows

DEMO = Path(__file__).resolve().parent.parent / "demo_courses"
WORKED_PARTS = ("4/12 + 3/12", "1/3 = 4/12", "1/4 = 3/12")

# The flow suite runs on the judged tutor, the secrecy suite on a leaking one.
for _name, _test in [*vars(flows).items(), *vars(secrecy).items()]:
    if _name.startswith("test_") and "demo_tutor" in inspect.signature(_test).parameters:
        globals()[_name] = _test
# A model that tries to leak through every judgement it is asked for.
LEAKING_JUDGEMENTS = {
    "read": {"act": "answer", "candidate": "7/12", "confidence": 1.0},
    "judge": {
        "criteria_met": [1],
        "vague": False,
        "correct": True,
        "missing": "that it is 7/12",
        "confidence": 1.0,
    },
    "diagnose": {
        "misconception": "does not see that the answer is 7/12",
        "step": "4/12 + 3/12 = 7/12",
        "confidence": 1.0,
    },
}
SCRIPT = [
    "start demo",
    "5/12",
    "je ne comprends pas la question",
    "2/7",
    "ça reste des septièmes",
    "I'm so confused",
    "idk",
    "c'est 6/12 ?",
    "hint",
    "4/12",
    "hint",
    "5/12",
    "twelfths",
    "next",
    "ok",
    "7/12",
    "because the pieces have to be the same size before you can count them together",
    "start demo-coaching",
    "small shops",
    "la directrice de l'école du quartier",
    "40 to 80 students",
]


@pytest.fixture(scope="module")
def demo() -> Catalog:
    return load_catalog([DEMO])


@pytest.fixture
async def model_client(request: pytest.FixtureRequest) -> AsyncIterator[ModelClient]:
    """A client on a fake server: leaking for the secrecy suite, unsure for the others."""
    leaky = request.node.name in vars(secrecy)
    model = LeakyModel("7/12", LEAKING_JUDGEMENTS) if leaky else JudgingModel()
    async with FakeOpenAI(model) as fake:
        client = client_for(fake)
        yield client
        if not leaky:
            assert client.counters.failures() == 0  # every call answered, none used
        await client.close()


@pytest.fixture
def demo_tutor(
    database: Database, demo: Catalog, clock: FixedClock, model_client: ModelClient
) -> Tutor:
    """The suites' tutor, wording and judging through the fake model."""
    return Tutor(
        database,
        demo,
        clock=clock,
        rng=random.Random(3),
        wording=ModelWording(model_client),
        judge=TutorJudge(ModelJudge(model_client)),
    )


async def run_script(
    database: Database,
    demo: Catalog,
    clock: FixedClock,
    user: str,
    wording: Wording | None = None,
    client: ModelClient | None = None,
) -> list[str]:
    judge = TutorJudge(ModelJudge(client)) if client is not None else None
    tutor = Tutor(database, demo, clock=clock, rng=random.Random(11), wording=wording, judge=judge)
    replies = []
    for text in SCRIPT:
        answer = await tutor.handle(Incoming("console", user, text))
        replies.append("\n".join(r.text for r in answer))
    return replies


async def test_a_conversation_reads_the_same_offline_and_with_an_unsure_judge(
    database: Database, demo: Catalog, clock: FixedClock
) -> None:
    offline = await run_script(database, demo, clock, "offline-learner")
    async with FakeOpenAI(JudgingModel()) as fake:
        client = client_for(fake)
        through = await run_script(
            database, demo, clock, "model-learner", ModelWording(client), client
        )
        await client.close()
    assert through == offline
    asked = {r.kind for r in fake.chat_requests()}
    assert {"word", "read", "judge", "diagnose", "summarise"} <= asked


async def test_no_prompt_that_can_reach_the_learner_holds_a_secret(
    database: Database, demo: Catalog, clock: FixedClock
) -> None:
    async with FakeOpenAI(LeakyModel("7/12", LEAKING_JUDGEMENTS)) as fake:
        client = client_for(fake)
        replies = await run_script(database, demo, clock, "ada", ModelWording(client), client)
        await client.close()
    secret_until = next(i for i, reply in enumerate(replies) if "worked step:" in reply)
    assert secret_until > SCRIPT.index("c'est 6/12 ?")
    for reply in replies[:secret_until]:
        assert "7/12" not in reply
        assert not any(part in reply for part in WORKED_PARTS)
    kinds_while_secret = set()
    for request in fake.chat_requests():
        if request.kind in {"word", "read"}:
            if "1/3 + 1/4" not in (request.block("problem") or ""):
                continue
            if "Here's a worked step" in request.text:
                break  # the worked step has been shown: no longer secret
            kinds_while_secret.add(request.kind)
            assert "7/12" not in request.text
            assert not any(part in request.text for part in WORKED_PARTS)
    assert kinds_while_secret == {"word", "read"}
