"""Consent before storage, export of every row, deletion of every row, learner settings."""

from __future__ import annotations

import json
import random

import pytest
from sqlalchemy import func, select
from sqlmodel import SQLModel

from bot.content.catalog import Catalog
from bot.services.account import SettingsChange
from bot.services.messages import Incoming, Person
from bot.services.privacy import tables_about_users
from bot.services.tutor import Tutor
from bot.store.db import Database
from tests.conftest import FixedClock


def discord_tutor(database: Database, catalog: Catalog, clock: FixedClock) -> Tutor:
    return Tutor(database, catalog, clock=clock, rng=random.Random(2))


async def count_rows(database: Database) -> dict[str, int]:
    async with database.session() as session:
        return {
            table.name: (
                await session.execute(select(func.count()).select_from(table))
            ).scalar_one()
            for table in SQLModel.metadata.sorted_tables
            if table.name != "alembic_version"
        }


async def test_nothing_is_stored_before_consent(
    database: Database, catalog: Catalog, clock: FixedClock
) -> None:
    tutor = discord_tutor(database, catalog, clock)
    replies = await tutor.handle(Incoming("discord", "111", "start python-basics"))
    assert "Is that OK?" in replies[0].text
    assert [c.label for c in replies[0].choices] == ["I agree"]
    assert [c.action for c in replies[0].choices] == ["consent"]
    assert set((await count_rows(database)).values()) == {0}
    welcome = await tutor.consent(Incoming("discord", "111", "", display_name="Ada"))
    assert "python-basics" in welcome[0].text
    started = await tutor.handle(Incoming("discord", "111", "start python-basics"))
    assert "Python" in started[0].text


async def test_export_holds_every_row_and_forget_removes_them(
    database: Database, catalog: Catalog, clock: FixedClock
) -> None:
    tutor = discord_tutor(database, catalog, clock)
    for person in ("111", "222"):
        await tutor.consent(Incoming("discord", person, ""))
        await tutor.handle(Incoming("discord", person, "start fractions-and-equations"))
        await tutor.handle(Incoming("discord", person, "idk"))
        await tutor.handle(Incoming("discord", person, "hint"))
        await tutor.handle(Incoming("discord", person, "skip"))
    before = await count_rows(database)
    exported = await tutor.export(Person("discord", "111"))
    assert exported is not None
    json.dumps(exported)  # plain JSON
    for table in tables_about_users():
        assert table in exported, table
    assert len(exported["users"]) == 1
    assert exported["users"][0]["platform_user_id"] == "111"
    assert len(exported["turns"]) * 2 == before["turns"]
    assert len(exported["dialogues"]) * 2 == before["dialogues"]
    assert exported["mastery"], "mastery rows are part of the export"
    assert await tutor.forget(Person("discord", "111"))
    after = await count_rows(database)
    for table, total in before.items():
        assert after[table] * 2 == total or total == 0, table
    assert await tutor.export(Person("discord", "111")) is None
    assert not await tutor.forget(Person("discord", "111"))


async def test_settings_are_validated_and_applied(
    database: Database, catalog: Catalog, clock: FixedClock
) -> None:
    tutor = discord_tutor(database, catalog, clock)
    await tutor.consent(Incoming("discord", "9", ""))
    learner = Person("discord", "9")
    ok = await tutor.change_settings(
        learner, SettingsChange(timezone="Asia/Tokyo", quiet_hours="22:30-07:00")
    )
    assert "Asia/Tokyo" in ok and "22:30 to 07:00" in ok
    assert "don't know the time zone" in await tutor.change_settings(
        learner, SettingsChange(timezone="Mars/Olympus")
    )
    assert "HH:MM-HH:MM" in await tutor.change_settings(learner, SettingsChange(quiet_hours="late"))
    paused = await tutor.change_settings(learner, SettingsChange(pause_days=7))
    assert "2026-03-09" in paused
    assert "paused until" in await tutor.change_settings(learner, SettingsChange())
    assert "DM first" in await tutor.change_settings(
        Person("discord", "nobody"), SettingsChange(timezone="UTC")
    )


def test_a_language_tag_is_read() -> None:
    from bot.services.account import parse_locale

    assert parse_locale("fr-FR") == "fr-FR"
    assert parse_locale("pt_BR") == "pt-BR"
    assert parse_locale(" ") == ""


@pytest.mark.parametrize("bad", ["english please", "x", "fr-FR-Paris-Left", "en'; DROP users"])
def test_anything_else_is_refused_as_a_language_tag(bad: str) -> None:
    from bot.services.account import SettingsInputError, parse_locale

    with pytest.raises(SettingsInputError):
        parse_locale(bad)
