"""Shared fixtures: a real SQLite file migrated to head, the shipped catalog, a fixed clock."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.content.catalog import Catalog
from bot.content.loader import load_catalog
from bot.services.tutor import Tutor
from bot.store.db import Database

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
FIXTURES = Path(__file__).resolve().parent / "content_fixtures"


class FixedClock:
    """A clock that stands still until a test moves it."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        """Move the clock forward."""
        self.now += timedelta(**kwargs)


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    """Every course shipped under content/."""
    return load_catalog([CONTENT])


@pytest.fixture
def clock() -> FixedClock:
    """A clock fixed at a known UTC instant."""
    return FixedClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[Database]:
    """A fresh SQLite file with every migration applied."""
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'tutor.db'}")
    await db.upgrade()
    yield db
    await db.close()


@pytest.fixture
def tutor(database: Database, catalog: Catalog, clock: FixedClock) -> Tutor:
    """The tutor service on a real database, with a fixed clock and seeded randomness."""
    return Tutor(database, catalog, clock=clock, rng=random.Random(7))
