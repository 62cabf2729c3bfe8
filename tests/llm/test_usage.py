"""Token usage is recorded per learner, course and kind; caps send calls to the offline path."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from bot.dialogue import moves
from bot.dialogue.wording import WordingContext, offline_text
from bot.llm.budget import StoredUsage, TokenCaps, current_scope, usage_scope
from bot.llm.wording import ModelWording
from bot.services import privacy
from bot.store import usage as usage_store
from bot.store import users as user_store
from bot.store.db import Database
from bot.store.models import User
from bot.store.usage import UsageRow
from tests.conftest import FixedClock
from tests.fakes.fake_openai import FakeOpenAI, Reply
from tests.llm.conftest import client_for

NOW = datetime(2026, 3, 14, 15, 0, tzinfo=UTC)
MOVE = moves.Hint(1, "Can you add thirds and quarters directly?")
CONTEXT = WordingContext(prompt="What is 1/3 + 1/4?", learner_text="help")


def add_learner(session: Session, name: str) -> int:
    user = user_store.get_or_create_user(session, "discord", name, name)
    session.flush()
    assert user.id is not None
    return user.id


def row(user_id: int | None, course: str | None, when: datetime, tokens: int = 10) -> UsageRow:
    return UsageRow(user_id, course, "word", tokens, tokens, when)


async def test_a_learners_day_and_a_courses_month_are_summed(database: Database) -> None:
    ada = await database.run(add_learner, "ada")
    bob = await database.run(add_learner, "bob")
    rows = [
        row(ada, "c", NOW),
        row(ada, "c", NOW.replace(hour=0, minute=0)),
        row(ada, "c", NOW - timedelta(days=1)),  # yesterday: not today, still this month
        row(bob, "c", NOW),
        row(bob, "other", NOW),
        row(None, "c", NOW - timedelta(days=20)),  # last month
    ]
    await database.run(usage_store.record_usage, rows)
    assert await database.run(usage_store.learner_tokens_today, ada, NOW) == 40
    assert await database.run(usage_store.learner_tokens_today, bob, NOW) == 40
    assert await database.run(usage_store.course_tokens_this_month, "c", NOW) == 80
    by_kind = await database.run(usage_store.tokens_by_kind, NOW - timedelta(days=30))
    assert by_kind == {"word": (60, 60)}
    with pytest.raises(ValueError, match="naive"):
        await database.run(usage_store.learner_tokens_today, ada, datetime(2026, 3, 14))  # noqa: DTZ001


async def test_a_calls_usage_is_stored_for_its_learner_and_course(
    database: Database, fake: FakeOpenAI, clock: FixedClock
) -> None:
    ada = await database.run(add_learner, "ada")
    ledger = StoredUsage(database, clock=clock)
    client = client_for(fake, ledger=ledger)
    with usage_scope(ada, "fractions"):
        assert current_scope().user_id == ada
        await ModelWording(client).word(MOVE, CONTEXT)
    assert current_scope().user_id is None
    await ledger.flush()
    spent = client.counters.tokens("word")
    assert spent.total > 0
    now = clock()
    assert await database.run(usage_store.learner_tokens_today, ada, now) == spent.total
    assert await database.run(usage_store.course_tokens_this_month, "fractions", now) == (
        spent.total
    )
    await client.close()


async def test_past_a_learners_daily_cap_the_offline_tutor_answers(
    database: Database, fake: FakeOpenAI, clock: FixedClock
) -> None:
    ada = await database.run(add_learner, "ada")
    bob = await database.run(add_learner, "bob")
    ledger = StoredUsage(database, TokenCaps(learner_daily=1), clock=clock)
    client = client_for(fake, ledger=ledger)
    wording = ModelWording(client)
    with usage_scope(ada, "fractions"):
        await wording.word(MOVE, CONTEXT)  # under the cap: the model is asked
        # over it now: usage counts whether it is written yet or still queued
        assert await wording.word(MOVE, CONTEXT) == offline_text(MOVE)
    assert client.counters.get("word", "budget_exhausted") == 1
    assert len(fake.chat_requests()) == 1
    with usage_scope(bob, "fractions"):
        await wording.word(MOVE, CONTEXT)  # another learner has a day of their own
    assert len(fake.chat_requests()) == 2
    clock.advance(days=1)
    await ledger.flush()
    with usage_scope(ada, "fractions"):
        await wording.word(MOVE, CONTEXT)  # a new day, a new allowance
    assert len(fake.chat_requests()) == 3
    await client.close()


async def test_past_a_courses_monthly_cap_every_learner_gets_the_offline_tutor(
    database: Database, fake: FakeOpenAI, clock: FixedClock
) -> None:
    ada = await database.run(add_learner, "ada")
    bob = await database.run(add_learner, "bob")
    ledger = StoredUsage(database, TokenCaps(course_monthly=1), clock=clock)
    client = client_for(fake, ledger=ledger)
    wording = ModelWording(client)
    with usage_scope(ada, "fractions"):
        await wording.word(MOVE, CONTEXT)
    await ledger.flush()
    with usage_scope(bob, "fractions"):
        assert await wording.word(MOVE, CONTEXT) == offline_text(MOVE)
    with usage_scope(bob, "python-basics"):
        await wording.word(MOVE, CONTEXT)
    assert len(fake.chat_requests()) == 2
    assert client.counters.get("word", "budget_exhausted") == 1
    await client.close()


async def test_usage_is_in_the_learners_export_and_goes_when_they_are_forgotten(
    database: Database,
) -> None:
    ada = await database.run(add_learner, "ada")
    bob = await database.run(add_learner, "bob")
    await database.run(usage_store.record_usage, [row(ada, "c", NOW), row(bob, "c", NOW)])
    assert "model_usage" in privacy.tables_about_users()

    def export_and_forget(session: Session) -> dict[str, object]:
        user = session.get_one(User, ada)
        exported = privacy.export_user(session, user)
        privacy.forget_user(session, user)
        return exported

    exported = await database.run(export_and_forget)
    assert [r["user_id"] for r in exported["model_usage"]] == [ada]  # type: ignore[attr-defined]
    assert await database.run(usage_store.learner_tokens_today, ada, NOW) == 0
    assert await database.run(usage_store.learner_tokens_today, bob, NOW) == 20


async def test_usage_of_a_learner_forgotten_meanwhile_is_dropped_not_failed(
    database: Database,
) -> None:
    ada = await database.run(add_learner, "ada")
    bob = await database.run(add_learner, "bob")

    def forget(session: Session) -> None:
        privacy.forget_user(session, session.get_one(User, ada))

    await database.run(forget)
    await database.run(usage_store.record_usage, [row(ada, "c", NOW), row(bob, "c", NOW)])
    assert await database.run(usage_store.course_tokens_this_month, "c", NOW) == 20


async def test_usage_the_server_reports_is_counted_and_estimated_when_it_does_not(
    fake: FakeOpenAI,
) -> None:
    client = client_for(fake)
    fake.script(Reply("Can you add them directly?"))
    await ModelWording(client).word(MOVE, CONTEXT)
    reported = client.counters.tokens("word")
    sent = fake.chat_requests()[0]
    assert reported.prompt_tokens == math.ceil(len(sent.text) / 4)  # the fake's own count
    fake.script(Reply("Can you add them directly?", with_usage=False))
    await ModelWording(client).word(MOVE, CONTEXT)
    estimated = client.counters.tokens("word")
    assert estimated.prompt_tokens > reported.prompt_tokens
    assert estimated.completion_tokens > reported.completion_tokens
    await client.close()
