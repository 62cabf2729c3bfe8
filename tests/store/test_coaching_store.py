"""Coaching repository functions on a SQLite file and on PostgreSQL (skipped when away)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlmodel import SQLModel

from bot.services import privacy
from bot.services.coach_reminders import ReminderPolicy, reminder_unit
from bot.store import coaching as coaching_store
from bot.store import coaching_assignments as assignment_store
from bot.store import dialogues
from bot.store import outbox as outbox_store
from bot.store import users as user_store
from bot.store.coaching_models import Assignment, CoachLink
from bot.store.db import Database
from bot.store.models import OutboxMessage, User
from tests.support.backends import BACKENDS, migrated_database

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
COACHING_TABLES = (
    "coach_links",
    "coach_exercises",
    "assignments",
    "assignment_steps",
    "coach_flags",
)


@pytest.fixture(params=BACKENDS)
async def database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    """A fresh database migrated to head: a SQLite file, then a blank PostgreSQL database."""
    async with migrated_database(request.param, tmp_path) as db:
        yield db


def person(session: Session, name: str) -> int:
    """A consenting user; return their id."""
    user = user_store.get_or_create_user(session, "discord", name, name.title())
    user_store.record_consent(session, user, NOW - timedelta(days=1))
    session.flush()
    assert user.id is not None
    return user.id


def linked(session: Session, coach: int, client: int, code: str) -> int:
    """A live link from an accepted invite; return its id."""
    link = coaching_store.add_invite(session, coach, code, NOW, NOW + timedelta(days=14))
    assert link.id is not None
    assert coaching_store.accept_invite(session, link.id, client, NOW)
    return link.id


def assignment(
    session: Session, link_id: int, coach: int, client: int, next_at: datetime | None
) -> int:
    """An open assignment with its next reminder at `next_at`; return its id."""
    exercise = coaching_store.add_exercise(
        session, coach, "T", [{"prompt": "Who?", "plain": [], "criteria": []}], "form", NOW
    )
    given = assignment_store.add_assignment(
        session,
        Assignment(
            link_id=link_id,
            coach_id=coach,
            client_id=client,
            exercise_id=exercise.id,
            title="T",
            steps=exercise.steps,
            due_at=NOW + timedelta(days=4),
            assigned_at=NOW,
            next_reminder_at=next_at,
        ),
    )
    assert given.id is not None
    return given.id


def coaching_rows(session: Session, user_id: int, name: str) -> None:
    """Give a user exactly one row in every coaching table: as a client, and as an author.

    A learner meant to have a row in every table about users needs these as well.
    """
    coach = person(session, f"coach-of-{name}")
    link_id = linked(session, coach, user_id, f"CODE{name.upper()}"[:16])
    exercise = coaching_store.add_exercise(session, user_id, "Mine", [], "form", NOW)
    given = assignment(session, link_id, coach, user_id, NOW)
    session.get_one(Assignment, given).exercise_id = exercise.id
    # The user's open dialogue when they have one, so no table gets a second row.
    found = dialogues.open_dialogue(session, user_id)
    dialogue = (
        found.id
        if found is not None
        else dialogues.start_dialogue(
            session,
            user_id=user_id,
            course_id="_coaching",
            exercise_id=f"a{given}-s1",
            variant={},
            purpose="coaching",
            now=NOW,
            opening="Who?",
        )
    )
    assignment_store.add_step(session, given, 1, dialogue, NOW)
    assert coaching_store.insert_flag(
        session,
        link_id=link_id,
        coach_id=coach,
        client_id=user_id,
        assignment_id=given,
        kind="stuck",
        once_key=f"assignment:{given}",
        now=NOW,
    )


def counts(session: Session) -> dict[str, int]:
    return {
        t.name: int(session.execute(select(func.count()).select_from(t)).scalar_one())
        for t in SQLModel.metadata.sorted_tables
    }


async def test_an_invite_is_accepted_once_and_not_after_it_expires(database: Database) -> None:
    def unit(session: Session) -> tuple[bool, bool, bool]:
        coach, sam, ria = (person(session, n) for n in ("maya", "sam", "ria"))
        link = coaching_store.add_invite(session, coach, "AAAA", NOW, NOW + timedelta(days=1))
        old = coaching_store.add_invite(session, coach, "BBBB", NOW, NOW + timedelta(days=1))
        assert link.id is not None and old.id is not None
        first = coaching_store.accept_invite(session, link.id, sam, NOW)
        second = coaching_store.accept_invite(session, link.id, ria, NOW)
        late = coaching_store.accept_invite(session, old.id, ria, NOW + timedelta(days=2))
        return first, second, late

    assert await database.run(unit) == (True, False, False)


async def test_one_live_link_per_coach_and_client(database: Database) -> None:
    def two_live(session: Session) -> None:
        coach, sam = person(session, "maya"), person(session, "sam")
        linked(session, coach, sam, "AAAA")
        linked(session, coach, sam, "BBBB")

    with pytest.raises(IntegrityError):
        await database.run(two_live)

    def again_after_ending(session: Session) -> int:
        coach, sam = person(session, "maya"), person(session, "sam")
        first = session.get_one(CoachLink, linked(session, coach, sam, "AAAA"))
        coaching_store.end_link(session, first, "client", NOW)
        return linked(session, coach, sam, "BBBB")

    assert await database.run(again_after_ending) > 0


async def test_a_flag_is_stored_once(database: Database) -> None:
    def unit(session: Session) -> list[bool]:
        coach, sam = person(session, "maya"), person(session, "sam")
        link = linked(session, coach, sam, "AAAA")
        return [
            coaching_store.insert_flag(
                session,
                link_id=link,
                coach_id=coach,
                client_id=sam,
                assignment_id=None,
                kind=kind,
                once_key="day:2026-03-02",
                now=NOW,
            )
            for kind in ("asked_for_coach", "asked_for_coach", "distress")
        ]

    assert await database.run(unit) == [True, False, True]


async def test_coach_reads_are_scoped_to_the_coach_and_a_live_link(database: Database) -> None:
    def unit(session: Session) -> list[object]:
        maya, lee, sam = (person(session, n) for n in ("maya", "lee", "sam"))
        link = linked(session, maya, sam, "AAAA")
        given = assignment(session, link, maya, sam, None)
        seen = [
            assignment_store.assignment_for_coach(session, maya, given) is not None,
            assignment_store.assignment_for_coach(session, lee, given),
            coaching_store.link_for_coach(session, lee, link),
            [c.display_name for c in coaching_store.clients_of(session, maya)],
            coaching_store.clients_of(session, lee),
        ]
        coaching_store.end_link(session, session.get_one(CoachLink, link), "client", NOW)
        seen += [
            assignment_store.assignment_for_coach(session, maya, given),
            coaching_store.clients_of(session, maya),
            session.get_one(Assignment, given).state,
        ]
        return seen

    assert await database.run(unit) == [True, None, None, ["Sam"], [], None, [], "cancelled"]


async def test_due_reminders_are_read_by_time_only(database: Database) -> None:
    def unit(session: Session) -> tuple[list[int], list[int]]:
        maya, sam = person(session, "maya"), person(session, "sam")
        link = linked(session, maya, sam, "AAAA")
        later = assignment(session, link, maya, sam, NOW + timedelta(hours=1))
        second = assignment(session, link, maya, sam, NOW - timedelta(minutes=1))
        first = assignment(session, link, maya, sam, NOW - timedelta(hours=1))
        assignment(session, link, maya, sam, None)
        found = [d.assignment_id for d in assignment_store.due_reminders(session, NOW, 10)]
        limited = [d.assignment_id for d in assignment_store.due_reminders(session, NOW, 1)]
        assert later not in found
        assert [first, second] == found
        return found, limited

    found, limited = await database.run(unit)
    assert limited == found[:1]


async def test_the_reminder_read_uses_its_index_on_sqlite(database: Database) -> None:
    if not database.is_sqlite:
        pytest.skip("the plan is checked on SQLite; PostgreSQL plans small tables differently")

    def plan(session: Session) -> str:
        rows = session.execute(
            text(
                "EXPLAIN QUERY PLAN SELECT id FROM assignments WHERE next_reminder_at <= :now "
                "ORDER BY next_reminder_at LIMIT 10"
            ),
            {"now": NOW.replace(tzinfo=None)},
        )
        return " ".join(str(row[-1]) for row in rows)

    assert "ix_assignments_next_reminder" in await database.run(plan)


async def test_the_sweep_writes_reminders_and_next_times_in_one_unit(database: Database) -> None:
    def setup(session: Session) -> int:
        maya, sam = person(session, "maya"), person(session, "sam")
        session.get_one(User, sam).quiet_start = "00:00"
        session.get_one(User, sam).quiet_end = "00:00"
        link = linked(session, maya, sam, "AAAA")
        return assignment(session, link, maya, sam, NOW - timedelta(minutes=5))

    given = await database.run(setup)
    policy = ReminderPolicy()
    assert await database.run(reminder_unit, NOW, policy) == (1, 1)
    assert await database.run(reminder_unit, NOW, policy) == (0, 0)

    def stored(session: Session) -> tuple[object, ...]:
        row = session.get_one(Assignment, given)
        [message] = outbox_store.pending_for_user(session, row.client_id)
        return row.reminders_sent, row.unanswered, row.next_reminder_at, message.kind

    assert await database.run(stored) == (
        1,
        1,
        NOW + timedelta(days=4) + policy.overdue_after,
        "coach_reminder",
    )


async def test_forgetting_a_client_deletes_what_was_queued_about_them(database: Database) -> None:
    def unit(session: Session) -> list[str]:
        maya = person(session, "maya")
        for key in ("coach:1:done:3", "coach:12:done:4", "review:1"):
            outbox_store.enqueue(
                session,
                [
                    outbox_store.NewMessage(
                        maya, "discord", "maya", "coach_notice", {}, key, NOW, NOW
                    )
                ],
            )
        assert coaching_store.forget_client_traces(session, 1) == 1
        return sorted(m.idempotency_key for m in session.execute(select(OutboxMessage)).scalars())

    assert await database.run(unit) == ["coach:12:done:4", "review:1"]


async def test_export_holds_the_coaching_rows_and_forget_removes_them(database: Database) -> None:
    def setup(session: Session) -> None:
        for name in ("keep", "gone"):
            coaching_rows(session, person(session, name), name)

    await database.run(setup)

    def export(session: Session) -> dict[str, object]:
        user = user_store.get_user(session, "discord", "gone")
        assert user is not None
        return privacy.export_user(session, user)

    exported = await database.run(export)
    assert set(COACHING_TABLES) <= set(privacy.tables_about_users())
    assert {t: len(exported[t]) for t in COACHING_TABLES} == dict.fromkeys(  # type: ignore[arg-type]
        COACHING_TABLES, 1
    )
    before = await database.run(counts)

    def forget(session: Session) -> None:
        user = user_store.get_user(session, "discord", "gone")
        assert user is not None
        privacy.forget_user(session, user)

    await database.run(forget)
    after = await database.run(counts)
    assert {t: before[t] - after[t] for t in COACHING_TABLES} == dict.fromkeys(COACHING_TABLES, 1)
    assert after["users"] == before["users"] - 1  # the coach of "gone" stays
