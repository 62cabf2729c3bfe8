"""Every way a model call can fail falls back to the offline path, and is counted and logged."""

from __future__ import annotations

import logging

import pytest

from bot.dialogue import moves
from bot.dialogue.wording import WordingContext, offline_text
from bot.llm.client import ModelClient
from bot.llm.judging import ModelJudge
from bot.llm.wording import ModelWording
from tests.fakes.fake_openai import (
    Fail,
    FakeOpenAI,
    Garbled,
    Hang,
    Reply,
    rate_limited,
    server_error,
)
from tests.llm.conftest import client_for

MOVE = moves.Hint(rung=1, text="Can thirds and quarters be added directly?")
CONTEXT = WordingContext(prompt="What is 1/3 + 1/4?", learner_text="hint please, my words 4711")


async def word(client: ModelClient) -> str:
    return await ModelWording(client).word(MOVE, CONTEXT)


async def test_a_working_model_words_the_move_and_counts_ok(
    fake: FakeOpenAI, client: ModelClient
) -> None:
    fake.script(Reply("Try this: can thirds and quarters be added directly?"))
    assert await word(client) == "Try this: can thirds and quarters be added directly?"
    assert client.counters.get("word", "ok") == 1
    assert client.counters.failures() == 0
    assert client.counters.tokens("word").prompt_tokens > 0
    assert fake.chat_requests("word")[0].body["model"] == "fake-tutor-model"


@pytest.mark.parametrize(
    ("behaviours", "reason", "requests"),
    [
        ([rate_limited()] * 3, "rate_limited", 3),
        ([server_error()] * 3, "server_error", 3),
        ([Fail(503, "overloaded", {"retry-after-ms": "1"})] * 3, "server_error", 3),
        ([Reply(refusal="I can't help with that.")], "refused", 1),
        ([Reply(content="   ")], "empty", 1),
        ([Reply("fine", finish_reason="content_filter")], "refused", 1),
        ([Fail(404, "The model `fake-tutor-model` does not exist")], "rejected", 1),
        ([Fail(401, "Incorrect API key provided")], "rejected", 1),
        ([Garbled('{"id": "chatcmpl-1", "choi')], "invalid_json", 1),
        ([Garbled("<html>502 Bad Gateway</html>", "text/html")], "invalid_json", 1),
        ([Garbled('{"id": "chatcmpl-1", "choices": []}')], "empty", 1),
        ([Garbled('{"choices": [{"message": {"content": 7}}]}')], "empty", 1),
    ],
    ids=[
        *("429", "500", "503", "refusal", "empty", "content-filter", "404", "401"),
        *("cut-off-json", "html-page", "no-choices", "content-not-text"),
    ],
)
async def test_a_failed_call_gives_the_offline_words(
    fake: FakeOpenAI,
    client: ModelClient,
    behaviours: list[Reply | Fail],
    reason: str,
    requests: int,
    caplog: pytest.LogCaptureFixture,
) -> None:
    fake.script(*behaviours)
    with caplog.at_level(logging.WARNING, logger="bot.llm"):
        assert await word(client) == offline_text(MOVE)
    assert client.counters.get("word", reason) == 1
    assert client.counters.get("word", "ok") == 0
    assert len(fake.chat_requests()) == requests  # the client's own retries, then give up
    logged = caplog.text
    assert "word" in logged and reason in logged
    assert "4711" not in logged and "thirds" not in logged  # no learner words, no prompt


async def test_a_rate_limit_that_clears_is_retried_and_succeeds(
    fake: FakeOpenAI, client: ModelClient
) -> None:
    fake.script(rate_limited("0.01"), Reply("Can thirds and quarters be added directly?"))
    assert await word(client) == "Can thirds and quarters be added directly?"
    assert [r.retry_count for r in fake.chat_requests()] == [0, 1]
    assert client.counters.get("word", "ok") == 1
    assert client.counters.failures() == 0


async def test_retry_after_is_honoured_even_past_the_deadline(fake: FakeOpenAI) -> None:
    # A client that ignored Retry-After would retry at once and fail as rate-limited;
    # honouring 30 s, it is still waiting when the call's deadline ends it.
    client = client_for(fake, deadline=0.5, retries=2)
    fake.script(rate_limited("30"), rate_limited("30"), rate_limited("30"))
    assert await word(client) == offline_text(MOVE)
    assert client.counters.get("word", "timeout") == 1
    assert len(fake.chat_requests()) == 1
    await client.close()


async def test_a_slow_model_times_out_into_the_offline_words(fake: FakeOpenAI) -> None:
    client = client_for(fake, deadline=0.3, retries=0)
    fake.script(Hang())
    assert await word(client) == offline_text(MOVE)
    assert fake.hanging.is_set()  # the request was held, not refused
    assert client.counters.get("word", "timeout") == 1
    await client.close()


async def test_an_unreachable_server_is_a_connection_failure() -> None:
    async with FakeOpenAI() as gone:
        pass  # started and stopped: its port now refuses connections
    client = client_for(gone, retries=0)
    assert await word(client) == offline_text(MOVE)
    assert client.counters.get("word", "connection") == 1
    await client.close()


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        (Reply(content='{"act": "answer", "candidate": '), "invalid_json"),
        (Reply(content="I think it is an answer."), "invalid_json"),
        (Reply(data={"act": "dance", "candidate": None, "confidence": 0.9}), "schema_mismatch"),
        (Reply(data={"act": "answer", "candidate": "2", "confidence": 7}), "schema_mismatch"),
        (Reply(data={"act": "answer", "confidence": 0.5}), "schema_mismatch"),
        (
            Reply(data={"act": "answer", "candidate": None, "confidence": 0.5, "extra": 1}),
            "schema_mismatch",
        ),
    ],
    ids=["cut-off", "prose", "unknown-act", "confidence", "missing-key", "extra-key"],
)
async def test_bad_structured_output_means_the_offline_reading(
    fake: FakeOpenAI, client: ModelClient, reply: Reply, reason: str
) -> None:
    fake.script(reply)
    judge = ModelJudge(client)
    assert await judge.read_act("maybe 5?", problem="What is 2 + 3?") is None
    assert client.counters.get("read", reason) == 1


async def test_a_wording_that_fails_its_checks_is_not_used(
    fake: FakeOpenAI, client: ModelClient
) -> None:
    fake.script(Reply("Is it 7/12? Or maybe 5/12? What do you think?"))
    assert await word(client) == offline_text(MOVE)
    assert client.counters.get("word", "unusable") == 1


async def test_a_server_that_wants_max_completion_tokens_gets_it(
    fake: FakeOpenAI, client: ModelClient
) -> None:
    refusal = "Unsupported parameter: 'max_tokens'. Use 'max_completion_tokens' instead."
    fake.script(Fail(400, refusal), Reply("Can thirds and quarters be added directly?"))
    assert await word(client) == "Can thirds and quarters be added directly?"
    first, second = fake.chat_requests()
    assert "max_tokens" in first.body and "max_completion_tokens" in second.body
    await word(client)  # remembered: no second refusal
    assert "max_completion_tokens" in fake.chat_requests()[-1].body
    assert len(fake.chat_requests()) == 3


async def test_a_guard_intervention_on_model_words_is_counted(client: ModelClient) -> None:
    ModelWording(client).withheld("hint")
    assert client.counters.get("word", "leak_withheld") == 1
