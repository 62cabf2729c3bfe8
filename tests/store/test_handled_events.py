"""A platform event is handled once across processes: the first to record its id wins."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.store import handled_events
from bot.store.db import Database
from tests.support.backends import BACKENDS, migrated_database

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(params=BACKENDS)
async def database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    async with migrated_database(request.param, tmp_path) as found:
        yield found


async def test_an_event_is_first_once_and_its_record_is_forgotten_after_a_day(
    database: Database,
) -> None:
    first = await database.run(handled_events.first_time, "slack", "Ev1", NOW)
    again = await database.run(handled_events.first_time, "slack", "Ev1", NOW)
    other = await database.run(handled_events.first_time, "discord", "Ev1", NOW)
    assert (first, again, other) == (True, False, True)
    later = NOW + handled_events.EVENT_RETENTION + timedelta(minutes=1)
    await database.run(handled_events.first_time, "slack", "Ev2", later)
    assert await database.run(handled_events.forget_before, later - timedelta(hours=1)) == 2
    assert not await database.run(handled_events.first_time, "slack", "Ev2", later)
    assert await database.run(handled_events.first_time, "slack", "Ev1", later)
