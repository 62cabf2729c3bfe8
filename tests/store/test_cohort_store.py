"""Cohort storage on a SQLite file and on PostgreSQL: staff reads are scoped in the store
(another server, another cohort, a member who left, someone who is not staff get nothing);
sweeps read the active cohorts; export and forget cover cohort rows."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.services import privacy
from bot.store import cohorts as cohort_store
from bot.store import cohorts_members as member_store
from bot.store import cohorts_status as reads
from bot.store import users as user_store
from bot.store.cohort_models import Cohort, CohortMember, CohortStaff
from bot.store.db import Database
from bot.store.models import Mastery
from tests.support.backends import BACKENDS, migrated_database

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
COURSE = "fractions-and-equations"


@pytest.fixture(params=BACKENDS)
async def database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    """A SQLite file, then a blank PostgreSQL database (skipped when unreachable)."""
    async with migrated_database(request.param, tmp_path) as db:
        yield db


def person(session: Session, name: str, platform: str = "discord") -> int:
    """A unit step: a user who consented; return their id."""
    user = user_store.get_or_create_user(session, platform, name, name)
    user_store.record_consent(session, user, NOW - timedelta(days=1))
    session.flush()
    assert user.id is not None
    return user.id


def cohort(
    session: Session,
    creator: int,
    workspace: str = "guild-1",
    channel: str = "chan-1",
    **extra: object,
) -> int:
    """A unit step: a cohort of the fractions course; return its id."""
    values: dict[str, object] = {"starts_on": NOW - timedelta(days=10), **extra}
    row = Cohort(
        creator_id=creator,
        platform="discord",
        workspace_id=workspace,
        channel_id=channel,
        course_id=COURSE,
        title=f"Cohort in {channel}",
        created_at=NOW,
        **values,
    )
    cohort_store.add_cohort(session, row, NOW)
    assert row.id is not None
    return row.id


def cohort_rows(session: Session, user_id: int, name: str) -> None:
    """Give a user exactly one row in every cohort table: as a creator, and as a member.

    A learner meant to have a row in every table about users needs these as well.
    """
    cohort(session, user_id, channel=f"own-{name}")
    other = cohort(session, person(session, f"creator-of-{name}"), channel=f"other-{name}")
    member_store.add_member(session, other, user_id, NOW)


def world(session: Session) -> dict[str, int]:
    """Two servers' cohorts, their staff and members (one member left); return the ids."""
    ids = {name: person(session, name) for name in ("maya", "ali", "eve", "sam", "ria", "tom")}
    ids["c1"] = cohort(session, ids["maya"])
    ids["c2"] = cohort(session, ids["eve"], workspace="guild-2", channel="chan-9")
    cohort_store.add_staff(session, ids["c1"], ids["ali"], NOW)
    for member in ("sam", "ria"):
        member_store.add_member(session, ids["c1"], ids[member], NOW)
    member_store.add_member(session, ids["c2"], ids["tom"], NOW)
    for member in ("sam", "ria", "tom"):
        session.add(
            Mastery(
                user_id=ids[member], course_id=COURSE, skill_id="add-like-fractions", p_known=0.5
            )
        )
    member_store.leave_cohort(session, ids["c1"], ids["ria"], NOW)
    return ids


def scope(
    ids: dict[str, int], who: str, cohort_key: str, workspace: str = "guild-1"
) -> cohort_store.StaffScope:
    """The scope of `who` asking about a cohort from a server."""
    return cohort_store.StaffScope(ids[who], ids[cohort_key], "discord", workspace)


async def test_staff_see_their_cohorts_current_members_only(database: Database) -> None:
    ids = await database.run(world)

    def read(session: Session, s: cohort_store.StaffScope) -> tuple[object, ...]:
        return (
            cohort_store.cohort_for_staff(session, s) is not None,
            sorted(m.display_name for m in member_store.members_for_staff(session, s)),
            sorted(r.user_id for r in reads.mastery_rows(session, s, COURSE)),
        )

    assert await database.run(read, scope(ids, "maya", "c1")) == (True, ["sam"], [ids["sam"]])
    assert await database.run(read, scope(ids, "ali", "c1")) == (True, ["sam"], [ids["sam"]])
    refused = (False, [], [])
    # another server's cohort, asked from this server or with its own server's id
    assert await database.run(read, scope(ids, "maya", "c2")) == refused
    assert await database.run(read, scope(ids, "maya", "c2", "guild-2")) == refused
    # the right cohort asked from another server
    assert await database.run(read, scope(ids, "maya", "c1", "guild-2")) == refused
    # a member, the member who left, and the other cohort's creator are not staff of c1
    for who in ("sam", "ria", "eve"):
        assert await database.run(read, scope(ids, who, "c1")) == refused, who


async def test_only_the_creator_is_creator_and_assistants_can_be_removed(
    database: Database,
) -> None:
    ids = await database.run(world)

    def check(session: Session) -> tuple[object, ...]:
        creator = cohort_store.cohort_for_staff(session, scope(ids, "maya", "c1"), "creator")
        assistant = cohort_store.cohort_for_staff(session, scope(ids, "ali", "c1"), "creator")
        never_creator = cohort_store.remove_staff(session, ids["c1"], ids["maya"])
        removed = cohort_store.remove_staff(session, ids["c1"], ids["ali"])
        after = member_store.members_for_staff(session, scope(ids, "ali", "c1"))
        return creator is not None, assistant, never_creator, removed, after

    assert await database.run(check) == (True, None, False, True, [])


async def test_sweeps_read_active_started_cohorts_and_current_members(
    database: Database,
) -> None:
    ids = await database.run(world)

    def later_and_ended(session: Session) -> None:
        cohort(session, ids["maya"], channel="later", starts_on=NOW + timedelta(days=3))
        ended = session.get_one(Cohort, ids["c2"])
        cohort_store.end_cohort(session, ended, NOW)

    await database.run(later_and_ended)
    active = await database.run(cohort_store.active_cohorts, NOW)
    assert [c.id for c in active] == [ids["c1"]]
    members = await database.run(member_store.current_members, ids["c1"])
    assert [m.display_name for m in members] == ["sam"]
    of_sam = await database.run(member_store.cohorts_of_member, ids["sam"])
    assert [c.id for c in of_sam] == [ids["c1"]]
    assert await database.run(member_store.cohorts_of_member, ids["ria"]) == []


async def test_a_member_can_come_back_after_leaving(database: Database) -> None:
    ids = await database.run(world)
    later = NOW + timedelta(days=2)
    assert await database.run(member_store.add_member, ids["c1"], ids["ria"], later)
    assert not await database.run(member_store.add_member, ids["c1"], ids["ria"], later)
    members = await database.run(member_store.members_for_staff, scope(ids, "maya", "c1"))
    assert [m.display_name for m in members] == ["ria", "sam"]


async def count(database: Database, table: type) -> int:
    """How many rows a table holds."""
    async with database.session() as session:
        return int((await session.execute(select(func.count()).select_from(table))).scalar_one())


async def test_export_and_forget_cover_cohort_rows(database: Database) -> None:
    ids = await database.run(world)

    def export(session: Session, name: str) -> dict[str, object]:
        user = user_store.get_user(session, "discord", name)
        assert user is not None
        return privacy.export_user(session, user)

    maya, sam = await database.run(export, "maya"), await database.run(export, "sam")
    assert [c["id"] for c in maya["cohorts"]] == [ids["c1"]]  # type: ignore[index]
    assert [s["role"] for s in maya["cohort_staff"]] == ["creator"]  # type: ignore[index]
    assert [m["cohort_id"] for m in sam["cohort_members"]] == [ids["c1"]]  # type: ignore[index]
    assert {"cohorts", "cohort_members", "cohort_staff"} <= set(privacy.tables_about_users())

    def forget(session: Session, name: str) -> None:
        user = user_store.get_user(session, "discord", name)
        assert user is not None
        privacy.forget_user(session, user)

    members_before = await count(database, CohortMember)
    await database.run(forget, "sam")
    assert await count(database, CohortMember) == members_before - 1
    await database.run(forget, "maya")  # the creator: their cohort goes, with its rows
    assert await count(database, Cohort) == 1
    assert await database.run(member_store.current_members, ids["c1"]) == []
    staff = await count(database, CohortStaff)
    assert staff == 1  # eve, creator of the other server's cohort


async def test_cohort_rows_gives_one_row_per_cohort_table(database: Database) -> None:
    def build(session: Session) -> dict[str, object]:
        user_id = person(session, "solo")
        cohort_rows(session, user_id, "solo")
        user = session.get(user_store.User, user_id)
        assert user is not None
        return privacy.export_user(session, user)

    exported = await database.run(build)
    for table in ("cohorts", "cohort_members", "cohort_staff"):
        assert len(exported[table]) == 1, table  # type: ignore[arg-type]
