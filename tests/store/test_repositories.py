"""Repository functions on a real SQLite file."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlmodel import SQLModel

from bot.store import dialogues, learning, users
from bot.store.db import Database
from bot.store.models import ReviewCard, User

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


async def test_users_are_unique_per_platform_identity(database: Database) -> None:
    async with database.session() as session:
        first = await session.run_sync(users.get_or_create_user, "discord", "42", "Ada")
        again = await session.run_sync(users.get_or_create_user, "discord", "42", "Ada L.")
        other = await session.run_sync(users.get_or_create_user, "slack", "42", "Ada")
    assert first.id == again.id
    assert other.id != first.id


async def test_datetimes_come_back_utc_aware(database: Database) -> None:
    async with database.session() as session:
        user = await session.run_sync(users.get_or_create_user, "console", "ada")
        await session.run_sync(users.record_consent, user, NOW)
    async with database.session() as session:
        stored = await session.run_sync(users.get_user, "console", "ada")
    assert stored is not None and stored.consent_at == NOW
    assert stored.consent_at.tzinfo is not None


async def test_naive_datetimes_are_refused(database: Database) -> None:
    with pytest.raises(Exception, match="naive datetime"):
        async with database.session() as session:
            user = await session.run_sync(users.get_or_create_user, "console", "bob")
            user.paused_until = datetime(2026, 1, 1)  # noqa: DTZ001 (the point of the test)
            session.add(user)


async def test_transcript_keeps_order_and_open_dialogue_is_found(database: Database) -> None:
    async with database.session() as session:
        user = await session.run_sync(users.get_or_create_user, "console", "cy")
        assert user.id is not None
        dialogue = await session.run_sync(
            dialogues.start_dialogue,
            user_id=user.id,
            course_id="c",
            exercise_id="e",
            variant={"a": 1},
            purpose="practice",
            now=NOW,
            opening="t0",
        )
        opened = await session.run_sync(dialogues.open_dialogue, user.id)
        assert opened is not None and opened.id == dialogue
        state = {"stage": "reflecting", "hint_rung": 1}
        record = dialogues.TurnRecord("t1", "t2", move="hint", rung=1, verdict="wrong")
        saved = await session.run_sync(dialogues.save_turn, opened, state, record, NOW)
        assert saved and opened.turn_count == 3 and opened.stage == "reflecting"
    async with database.session() as session:
        found = await session.run_sync(dialogues.open_dialogue, user.id)
        assert found is not None and found.variant == {"a": 1}
        assert (found.turn_count, found.stage, found.hint_rung) == (3, "reflecting", 1)
        assert found.id is not None
        turns = await session.run_sync(dialogues.transcript, found.id)
    assert [(t.seq, t.role, t.text, t.move, t.rung, t.verdict) for t in turns] == [
        (1, "tutor", "t0", None, None, None),
        (2, "learner", "t1", None, None, "wrong"),
        (3, "tutor", "t2", "hint", 1, None),
    ]


async def test_a_turn_decided_on_a_stale_dialogue_is_not_written(database: Database) -> None:
    async with database.session() as session:
        user = await session.run_sync(users.get_or_create_user, "console", "di")
        assert user.id is not None
        await session.run_sync(
            dialogues.start_dialogue,
            user_id=user.id,
            course_id="c",
            exercise_id="e",
            variant={},
            purpose="practice",
            now=NOW,
            opening="t0",
        )
        first = await session.run_sync(dialogues.open_dialogue, user.id)
        second = await session.run_sync(dialogues.open_dialogue, user.id)
        assert first is not None and second is not None
        record = dialogues.TurnRecord("a", "b", move="recheck")
        assert await session.run_sync(dialogues.save_turn, first, {}, record, NOW)
        # `second` was read before `first` was written: its decision is stale.
        assert not await session.run_sync(dialogues.save_turn, second, {}, record, NOW)
        assert first.id is not None
        turns = await session.run_sync(dialogues.transcript, first.id)
    assert [t.seq for t in turns] == [1, 2, 3]


async def test_due_cards_are_found_by_the_indexed_due_column(database: Database) -> None:
    async with database.session() as session:
        user = await session.run_sync(users.get_or_create_user, "console", "dee")
        assert user.id is not None
        for i, hours in enumerate([-2, -1, 5]):
            session.add(
                ReviewCard(
                    user_id=user.id,
                    course_id="c",
                    exercise_id=f"e{i}",
                    due=NOW + timedelta(hours=hours),
                )
            )
    async with database.session() as session:
        due = await session.run_sync(learning.due_cards, user.id, "c", NOW)
    assert [c.exercise_id for c in due] == ["e0", "e1"]


async def test_deleting_a_user_removes_every_row_about_them(database: Database) -> None:
    async with database.session() as session:
        keep = await session.run_sync(users.get_or_create_user, "console", "keep")
        gone = await session.run_sync(users.get_or_create_user, "console", "gone")
        for person in (keep, gone):
            assert person.id is not None
            await session.run_sync(users.enrol, person, "c")
            await session.run_sync(
                dialogues.start_dialogue,
                user_id=person.id,
                course_id="c",
                exercise_id="e",
                variant={},
                purpose="practice",
                now=NOW,
                opening="hello",
            )
            await session.run_sync(learning.get_mastery, person.id, "c", "s", 0.2)
            session.add(ReviewCard(user_id=person.id, course_id="c", exercise_id="e", due=NOW))
    async with database.session() as session:
        assert gone.id is not None
        await session.run_sync(users.delete_user, gone.id)
    async with database.session() as session:
        for table in SQLModel.metadata.sorted_tables:
            if table.name == "users":
                continue
            total = (await session.execute(select(func.count()).select_from(table))).scalar_one()
            assert total in (0, 1), table.name
        remaining = (await session.execute(select(User.platform_user_id))).scalars().all()
    assert remaining == ["keep"]
