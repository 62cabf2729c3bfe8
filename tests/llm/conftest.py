"""Fixtures for the model layer: a fake OpenAI-compatible server and clients pointed at it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.llm.budget import UsageLedger
from bot.llm.client import ModelClient
from bot.settings import Settings
from tests.fakes.fake_openai import MODEL_ID, FakeOpenAI


def settings_for(fake: FakeOpenAI, **overrides: object) -> Settings:
    """Settings that point the tutor at the fake server (no key: a local server needs none)."""
    values: dict[str, Any] = {
        "openai_base_url": fake.base_url,
        "openai_api_key": None,
        "openai_model": MODEL_ID,
        "llm_timeout_seconds": 5.0,
        "llm_max_retries": 2,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)


def client_for(
    fake: FakeOpenAI,
    *,
    deadline: float = 5.0,
    retries: int = 2,
    ledger: UsageLedger | None = None,
) -> ModelClient:
    """A model client on the real openai package, talking to the fake server."""
    settings = settings_for(fake, llm_timeout_seconds=deadline, llm_max_retries=retries)
    return ModelClient.from_settings(settings, ledger=ledger)


@pytest.fixture
async def fake() -> AsyncIterator[FakeOpenAI]:
    """A fake server whose model words every move as the offline draft does."""
    async with FakeOpenAI() as server:
        yield server


@pytest.fixture
async def client(fake: FakeOpenAI) -> AsyncIterator[ModelClient]:
    """A client on the fake server."""
    model = client_for(fake)
    yield model
    await model.close()
