"""Structured output degrades: JSON schema, then JSON mode, then JSON read from plain text."""

from __future__ import annotations

import pytest

from bot.llm.client import ModelClient
from bot.llm.judging import ModelJudge, check_endpoint
from bot.llm.schemas import ActReading
from bot.llm.structured import extract_json, json_schema, response_format
from tests.fakes.fake_openai import FaithfulModel, FakeOpenAI
from tests.llm.conftest import client_for

READING = {"act": "question", "candidate": None, "confidence": 0.8}


async def read(client: ModelClient) -> ActReading | None:
    return await ModelJudge(client).read_act("what does 'sum' mean?", problem="What is 2 + 3?")


async def test_json_schema_is_used_where_the_server_takes_it(
    fake: FakeOpenAI, client: ModelClient
) -> None:
    fake.model = FaithfulModel({"read": READING})
    reading = await read(client)
    assert reading is not None and reading.act == "question"
    sent = fake.chat_requests("read")
    assert [r.format_type for r in sent] == ["json_schema"]
    schema = sent[0].body["response_format"]["json_schema"]
    assert schema["name"] == "read" and schema["strict"] is True
    assert schema["schema"]["additionalProperties"] is False


@pytest.mark.parametrize(
    ("json_schema_ok", "json_object_ok", "tried", "then"),
    [
        (False, True, ["json_schema", "json_object"], ["json_object"]),
        (False, False, ["json_schema", "json_object", None], [None]),
    ],
    ids=["json-mode", "plain-text"],
)
async def test_a_server_without_it_degrades_and_the_client_remembers(
    json_schema_ok: bool, json_object_ok: bool, tried: list[str | None], then: list[str | None]
) -> None:
    model = FaithfulModel({"read": READING})
    async with FakeOpenAI(model, json_schema=json_schema_ok, json_object=json_object_ok) as fake:
        client = client_for(fake)
        first = await read(client)
        assert first is not None and first.act == "question"
        assert [r.format_type for r in fake.chat_requests()] == tried
        second = await read(client)  # no second refusal: the working mode is remembered
        assert second == first
        assert [r.format_type for r in fake.chat_requests()][len(tried) :] == then
        assert client.counters.get("read", "ok") == 2
        assert client.counters.failures() == 0
        # the schema still reaches the model, in the static part of the prompt
        assert '"candidate"' in fake.chat_requests()[-1].messages[0]["content"]
        await client.close()


async def test_the_endpoint_check_passes_through_every_mode() -> None:
    for supports in (True, False):
        model = FaithfulModel({"check": {"ok": True, "echo": "socratic"}})
        async with FakeOpenAI(model, json_schema=supports, json_object=supports) as fake:
            client = client_for(fake)
            assert await check_endpoint(client)
            await client.close()


@pytest.mark.parametrize(
    "reply",
    [
        '{"a": 1}',
        'Sure! ```json\n{"a": 1}\n```',
        'Here you go: {"a": 1} Hope that helps {not json}',
        '```\n{"a": 1}\n```',
    ],
)
def test_json_is_read_from_prose_and_fences(reply: str) -> None:
    assert extract_json(reply) == {"a": 1}


def test_text_without_an_object_is_no_json() -> None:
    with pytest.raises(ValueError):
        extract_json("[1, 2] and no object")


def test_every_object_in_a_strict_schema_is_closed_and_fully_required() -> None:
    schema = json_schema(ActReading)
    assert schema["required"] == ["act", "candidate", "confidence"]
    assert schema["additionalProperties"] is False
    assert response_format("text", "read", ActReading) is None
    assert response_format("json_object", "read", ActReading) == {"type": "json_object"}


async def test_the_server_lists_its_model(fake: FakeOpenAI, client: ModelClient) -> None:
    models = await client.client.models.list()
    assert [m.id for m in models.data] == ["fake-tutor-model"]
