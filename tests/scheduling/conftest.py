"""Scheduling tests run on a real SQLite file and, where reachable, on PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.store.db import Database
from tests.support.backends import BACKENDS, migrated_database
from tests.support.learners import T0, learner_with_due_cards

__all__ = ["T0", "learner_with_due_cards"]


@pytest.fixture(params=BACKENDS)
async def database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    """A fresh database migrated to head: a SQLite file, then a blank PostgreSQL database."""
    async with migrated_database(request.param, tmp_path) as db:
        yield db
