"""Caps are checked against a tally, not a database read per call; usage is written in batches."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.orm import Session

from bot.dialogue import moves
from bot.dialogue.wording import WordingContext, offline_text
from bot.llm.budget import StoredUsage, TokenCaps, UsageScope, usage_scope
from bot.llm.calls import Usage
from bot.llm.wording import ModelWording
from bot.store import usage as usage_store
from bot.store.db import Database
from bot.store.usage import UsageRow
from tests.conftest import FixedClock
from tests.fakes.fake_openai import FakeOpenAI
from tests.llm.conftest import client_for
from tests.llm.test_usage import add_learner

MOVE = moves.Hint(1, "Can you add thirds and quarters directly?")
CONTEXT = WordingContext(prompt="What is 1/3 + 1/4?", learner_text="help")


@contextmanager
def usage_statements(database: Database) -> Iterator[list[str]]:
    """The SQL the database thread runs on the usage table meanwhile, as it runs it."""
    assert database.units is not None
    engine = database.units.engine
    seen: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if "model_usage" in statement:
            seen.append(statement.split()[0].upper())

    event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", note)


async def test_a_learners_calls_are_checked_against_one_read_not_one_per_call(
    database: Database, fake: FakeOpenAI, clock: FixedClock
) -> None:
    ada = await database.run(add_learner, "ada")
    ledger = StoredUsage(database, TokenCaps(learner_daily=10_000, course_monthly=10**6), clock)
    client = client_for(fake, ledger=ledger)
    wording = ModelWording(client)
    with usage_statements(database) as statements, usage_scope(ada, "fractions"):
        for _ in range(5):
            await wording.word(MOVE, CONTEXT)
    # One read of the learner's day and the course's month; nothing written yet.
    assert statements == ["SELECT", "SELECT"]
    assert ledger.reads == 1
    assert len(fake.chat_requests()) == 5
    await ledger.close()
    await client.close()


async def test_the_tally_counts_this_processs_calls_at_once(
    database: Database, fake: FakeOpenAI, clock: FixedClock
) -> None:
    ada = await database.run(add_learner, "ada")
    ledger = StoredUsage(database, TokenCaps(learner_daily=1), clock, write_every=3600)
    client = client_for(fake, ledger=ledger)
    wording = ModelWording(client)
    with usage_scope(ada, "fractions"):
        await wording.word(MOVE, CONTEXT)  # under the cap when asked
        # Not written yet (the writer waits an hour), and still counted.
        assert await database.run(usage_store.learner_tokens_today, ada, clock()) == 0
        assert await wording.word(MOVE, CONTEXT) == offline_text(MOVE)
    assert client.counters.get("word", "budget_exhausted") == 1
    await ledger.close()
    await client.close()


async def test_what_another_process_used_counts_once_the_tally_is_read_again(
    database: Database, fake: FakeOpenAI, clock: FixedClock
) -> None:
    ada = await database.run(add_learner, "ada")
    ledger = StoredUsage(database, TokenCaps(learner_daily=5_000), clock, refresh_seconds=60)
    client = client_for(fake, ledger=ledger)
    wording = ModelWording(client)
    with usage_scope(ada, "fractions"):
        await wording.word(MOVE, CONTEXT)
        # Another worker on the same database spends the rest of ada's day.
        spent = UsageRow(ada, "fractions", "word", 5_000, 0, clock())
        await database.run(usage_store.record_usage, [spent])
        await wording.word(MOVE, CONTEXT)  # the tally is a few seconds old: still asked
        clock.advance(seconds=61)
        assert await wording.word(MOVE, CONTEXT) == offline_text(MOVE)
    assert len(fake.chat_requests()) == 2
    assert ledger.reads == 2
    await ledger.close()
    await client.close()


async def test_a_tally_that_cannot_be_read_sends_the_call_offline(
    database: Database, clock: FixedClock
) -> None:
    ledger = StoredUsage(database, TokenCaps(learner_daily=100), clock)
    assert await ledger.allows(UsageScope(1, "fractions"))  # read: nothing used yet

    def lose_the_table(session: Session) -> None:
        session.execute(text("DROP TABLE model_usage"))

    await database.run(lose_the_table)  # the next read fails as a broken database's would
    assert await ledger.allows(UsageScope(1, "fractions"))  # the day's tally is still fresh
    clock.advance(days=1)  # a new day must be read, and cannot be
    assert not await ledger.allows(UsageScope(1, "fractions"))
    assert ledger.reads == 1


async def test_usage_that_came_in_together_is_written_in_one_insert(
    database: Database, clock: FixedClock
) -> None:
    ada = await database.run(add_learner, "ada")
    ledger = StoredUsage(database, clock=clock, write_every=3600)
    with usage_statements(database) as statements:
        for _ in range(50):
            ledger.record(UsageScope(ada, "fractions"), "word", Usage(10, 5))
        await ledger.close()  # closing writes what waits, without the hour
    assert statements == ["INSERT"]  # one statement for all 50 rows
    assert await database.run(usage_store.learner_tokens_today, ada, clock()) == 50 * 15


async def test_usage_is_written_without_a_flush_after_a_moment(
    database: Database, clock: FixedClock
) -> None:
    ada = await database.run(add_learner, "ada")
    ledger = StoredUsage(database, clock=clock, write_every=0.05)
    ledger.record(UsageScope(ada, "fractions"), "word", Usage(10, 5))
    writer = ledger.writer
    assert writer is not None
    await asyncio.wait_for(asyncio.shield(writer), timeout=60)  # the writer ends by itself
    assert await database.run(usage_store.learner_tokens_today, ada, clock()) == 15
