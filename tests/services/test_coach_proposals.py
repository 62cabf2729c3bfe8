"""Criteria a model proposes for a coach's exercise: parsed like the coach's own, reviewed."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.llm.judging import ModelJudge
from bot.services.coach_exercises import ExerciseForm, StepForm, worksheet_form
from bot.services.coach_proposals import proposed_form
from tests.fakes.fake_openai import FaithfulModel, FakeOpenAI, server_error
from tests.llm.conftest import client_for

PROPOSALS = {
    "criteria": [
        {"criterion": "names a person", "probe": "Who exactly was it with?"},
        {"criterion": "a date", "probe": "When was it?"},
        {"criterion": "feels better about life", "probe": "How?"},  # no form: dropped
        {"criterion": "a commitment", "probe": "What will you do? And when?"},  # two questions
    ]
}


@pytest.fixture
async def judge() -> AsyncIterator[tuple[ModelJudge, FakeOpenAI]]:
    """The real judging calls against a fake server that proposes the criteria above."""
    async with FakeOpenAI(FaithfulModel({"propose": PROPOSALS})) as fake:
        client = client_for(fake, retries=0)
        yield ModelJudge(client), fake
        await client.close()


async def test_open_steps_get_the_proposals_the_coachs_parser_reads(
    judge: tuple[ModelJudge, FakeOpenAI],
) -> None:
    model, fake = judge
    form = ExerciseForm(
        "A hard conversation",
        (
            StepForm("Describe the situation: who was it with?"),
            StepForm("What did you do?", ("at least 20 words",)),  # the coach's own: kept
        ),
    )
    proposed = await proposed_form(form, model)
    assert proposed.steps[0].criteria == (
        "names a person | Who exactly was it with?",
        "a date | When was it?",
    )
    assert proposed.steps[1].criteria == ("at least 20 words",)
    assert proposed.notes == (
        "Step 1: the model proposed 'names a person | Who exactly was it with?'; "
        "'a date | When was it?': keep, edit or remove them.",
    )
    [request] = fake.chat_requests("propose")
    assert request.block("question") == "Describe the situation: who was it with?"


async def test_a_worksheets_guesses_are_replaced_and_kept_when_the_model_fails(
    judge: tuple[ModelJudge, FakeOpenAI],
) -> None:
    model, fake = judge
    form = worksheet_form("Weekly review\nWho helped you this week?\nWhat will you try next?")
    proposed = await proposed_form(form, model)
    assert all(s.criteria[0].startswith("names a person") for s in proposed.steps)
    fake.script(server_error(), server_error())
    kept = await proposed_form(form, model)
    assert kept == form  # the guesses, and their notes, as they were
    assert await proposed_form(form, None) == form  # no model: nothing changes
