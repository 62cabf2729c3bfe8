"""Text and ids are cleaned once at the edge, so SQLite and PostgreSQL store the same."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlmodel import col

from bot.content.loader import load_catalog
from bot.services.messages import ID_LIMIT, Incoming, clean_id, clean_text
from bot.services.tutor import Tutor
from bot.store import users as user_store
from bot.store.db import Database
from bot.store.models import Turn, User
from tests.conftest import FixedClock

DEMO = Path(__file__).resolve().parent.parent / "demo_courses"


def test_clean_text_drops_controls_and_keeps_lines_and_tabs() -> None:
    assert clean_text("1/2\x00") == "1/2"
    assert clean_text("a\x07b\x1bc\x7fd\x85e\x9ff") == "abcdef"
    assert clean_text("line one\r\nline two\rthree\n\tindented") == (
        "line one\nline two\nthree\n\tindented"
    )
    assert clean_text("é 7/12 ✔ 🙂") == "é 7/12 ✔ 🙂"


def test_clean_text_replaces_lone_surrogates_and_joins_pairs() -> None:
    # \udcff is what surrogateescape makes of a stray 0xFF byte from a terminal
    assert clean_text("7/12\udcff") == "7/12\ufffd"
    assert clean_text("\ud800 x \udfff") == "\ufffd x \ufffd"
    assert clean_text("\ud83d\ude42") == "🙂"
    assert clean_text("\udcff" * 3).encode("utf-8") == "\ufffd".encode() * 3


def test_clean_text_does_not_truncate() -> None:
    assert len(clean_text("x" * 100_000)) == 100_000


def test_clean_id_fits_the_column_and_keeps_long_ids_apart() -> None:
    assert clean_id("700000000000000001") == "700000000000000001"
    assert clean_id("a\x00d\na") == "ada"
    first, second = "u" * 200 + "1", "u" * 200 + "2"
    assert len(clean_id(first)) == ID_LIMIT
    assert clean_id(first) != clean_id(second)
    assert clean_id(first) == clean_id(first)  # stable across calls and processes
    assert clean_id(clean_id(first)) == clean_id(first)  # cleaning twice changes nothing
    assert clean_id("\udcff" * 100).encode("utf-8")


def test_incoming_is_cleaned_for_every_adapter() -> None:
    message = Incoming(
        "discord",
        "9" * 300,
        "1/2\x00\r\n",
        channel_id="c\x00" * 100,
        display_name="Ada\x00\n" + "L" * 300,
    )
    assert message.text == "1/2\n"
    assert len(message.user_id) == ID_LIMIT
    assert message.channel_id is not None and len(message.channel_id) == ID_LIMIT
    assert message.display_name.startswith("AdaL") and len(message.display_name) == 100


@pytest.fixture(params=["sqlite", "postgresql"])
async def any_database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    """A migrated database on each backend; PostgreSQL skips with the reason when away."""
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'edge.db'}"
    else:
        from tests.support.postgres import create_database_or_skip

        url = await create_database_or_skip()
    database = Database(url)
    try:
        await database.upgrade()
        yield database
    finally:
        await database.close()
        if request.param == "postgresql":
            from tests.support.postgres import drop_database

            await drop_database(url)


async def say(tutor: Tutor, text: str, user: str, name: str = "") -> str:
    replies = await tutor.handle(Incoming("console", user, text, display_name=name))
    return "\n".join(r.text for r in replies)


async def test_a_nul_answer_is_stored_alike_on_both_backends(
    any_database: Database, clock: FixedClock
) -> None:
    tutor = Tutor(any_database, load_catalog([DEMO]), clock=clock, rng=random.Random(3))
    await say(tutor, "start demo", "ada")
    reply = await say(tutor, "1/2\x00", "ada")
    assert "1/2" in reply and "\x00" not in reply
    assert "may not have been saved" not in reply and "couldn't save" not in reply
    async with any_database.session() as session:
        turns = (await session.execute(select(Turn).order_by(col(Turn.id)))).scalars().all()
    assert [t.text for t in turns if t.role == "learner"] == ["1/2"]


async def test_over_long_user_ids_and_names_work_on_both_backends(
    any_database: Database, clock: FixedClock
) -> None:
    tutor = Tutor(any_database, load_catalog([DEMO]), clock=clock, rng=random.Random(3))
    first, second = "learner-" + "x" * 300 + "-1", "learner-" + "x" * 300 + "-2"
    assert "What is 1/3 + 1/4?" in await say(tutor, "start demo", first, name="N\x00" * 300)
    assert "What is 1/3 + 1/4?" in await say(tutor, "start demo", second)
    assert "1/2" in await say(tutor, "1/2", first)
    async with any_database.session() as session:
        users = (await session.execute(select(User).order_by(col(User.id)))).scalars().all()
        found = await session.run_sync(user_store.get_user, "console", clean_id(first))
    assert [u.platform_user_id for u in users] == [clean_id(first), clean_id(second)]
    assert found is not None and found.display_name == "N" * 100
