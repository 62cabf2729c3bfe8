"""Judging calls return parsed, checked results, or None so the engine takes the offline path."""

from __future__ import annotations

from bot.learning.grading import AnswerKey
from bot.llm.client import ModelClient
from bot.llm.conversation import Exchange
from bot.llm.judging import ModelJudge
from tests.fakes.fake_openai import FakeOpenAI, Reply

PROBLEM = "A recipe needs 3/4 cup of sugar for 12 cookies. How much for 24 cookies?"
KEY = AnswerKey(answer="3/2", checker="numeric")


async def test_reading_an_unsure_message(fake: FakeOpenAI, client: ModelClient) -> None:
    fake.script(Reply(data={"act": "answer", "candidate": "1.5 cups", "confidence": 0.7}))
    reading = await ModelJudge(client).read_act(
        "hmm so like 1.5 cups i guess", problem=PROBLEM, asked="What do you double?"
    )
    assert reading is not None
    assert (reading.act, reading.candidate) == ("answer", "1.5 cups")
    sent = fake.chat_requests("read")[0]
    assert sent.block("tutor_question") == "What do you double?"


async def test_judging_an_explanation_against_numbered_criteria(
    fake: FakeOpenAI, client: ModelClient
) -> None:
    judgement = {
        "criteria_met": [1],
        "vague": False,
        "correct": True,
        "missing": "why the amount doubles",
        "confidence": 0.8,
    }
    fake.script(Reply(data=judgement))
    judge = ModelJudge(client)
    result = await judge.judge_explanation(
        "twice the cookies so twice the sugar",
        question="Why does it work?",
        criteria=["names the ratio", "says why it doubles"],
        turns=[Exchange("tutor", "Why does it work?")],
    )
    assert result is not None and result.criteria_met == [1] and result.correct
    assert "2. says why it doubles" in (fake.chat_requests("judge")[0].block("criteria") or "")
    fake.script(Reply(data={**judgement, "criteria_met": [3]}))  # no criterion 3
    assert await judge.judge_explanation("x", question="q", criteria=["a", "b"]) is None
    assert client.counters.get("judge", "unusable") == 1


async def test_a_diagnosis_that_would_give_the_answer_away_is_dropped(
    fake: FakeOpenAI, client: ModelClient
) -> None:
    judge = ModelJudge(client)
    fake.script(
        Reply(
            data={"misconception": "adds instead of doubling", "step": "scaling", "confidence": 0.6}
        )
    )
    found = await judge.diagnose(
        problem=PROBLEM,
        reference="24 is 2 x 12, so 2 x 3/4 = 3/2",
        wrong_answer="3/4 + 24",
        key=KEY,
    )
    assert found is not None and found.step == "scaling"
    fake.script(
        Reply(data={"misconception": "should get 3/2", "step": "scaling", "confidence": 0.6})
    )
    leaked = await judge.diagnose(
        problem=PROBLEM, reference="2 x 3/4 = 3/2", wrong_answer="1", key=KEY
    )
    assert leaked is None
    assert client.counters.get("diagnose", "unusable") == 1


async def test_a_reframe_is_kept_only_with_exactly_the_original_numbers(
    fake: FakeOpenAI, client: ModelClient
) -> None:
    judge = ModelJudge(client)
    kept = "A pit crew uses 3/4 of a tank for 12 laps. How much for 24 laps?"
    fake.script(Reply(data={"text": kept}))
    assert await judge.reframe(PROBLEM, "motor racing") == kept
    fake.script(Reply(data={"text": "A pit crew uses 3/4 of a tank for 12 laps: 3/2 for 24."}))
    assert await judge.reframe(PROBLEM, "motor racing") is None
    assert client.counters.get("reframe", "unusable") == 1
    assert fake.chat_requests("reframe")[0].block("interest") == "motor racing"


async def test_summaries_for_the_learner_and_for_a_coach(
    fake: FakeOpenAI, client: ModelClient
) -> None:
    judge = ModelJudge(client)
    turns = [
        Exchange("tutor", "Who is the conversation with?"),
        Exchange("learner", "With Sam, my direct report, on Friday"),
    ]
    fake.script(Reply("- You will talk to Sam on Friday."), Reply("The client plans a talk."))
    mine = await judge.summarise_for_learner(turns, problem="Plan one conversation.")
    theirs = await judge.summarise_for_coach(turns, problem="Plan one conversation.")
    assert mine == "- You will talk to Sam on Friday."
    assert theirs == "The client plans a talk."
    assert [r.kind for r in fake.chat_requests()] == ["summarise", "summarise"]
    fake.script(Reply("x" * 5000))
    assert await judge.summarise_for_coach(turns, problem="Plan one conversation.") is None
