"""A creator's cohort through the service API on a real SQLite file: create, staff, join with
consent (nothing stored before it), leave, end; every scoping attempt is refused in words."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.content.catalog import Catalog
from bot.services.cohort_desk import CONSENT_ACTION, CohortDesk, Place
from bot.services.messages import Person, Reply
from bot.store.cohort_models import Cohort, CohortMember
from bot.store.db import Database
from bot.store.models import Enrolment, User
from tests.conftest import FixedClock

CREATOR = Person("discord", "creator-maya", "Maya")
ASSISTANT = Person("discord", "assistant-ali", "Ali")
LEARNERS = [Person("discord", f"learner-{n}", n) for n in ("Ada", "Bo", "Cy")]
STRANGER = Person("discord", "stranger-eve", "Eve")
HERE = Place("guild-1", "chan-course")
ELSEWHERE = Place("guild-2", "chan-course")
COURSE = "fractions-and-equations"
NOT_YOURS = "isn't one of your cohorts"


@pytest.fixture
def desk(database: Database, catalog: Catalog, clock: FixedClock) -> CohortDesk:
    """The cohort service on the test database and clock."""
    return CohortDesk(database, catalog, clock=clock)


async def rows(database: Database, table: type) -> int:
    """How many rows a table holds."""
    async with database.session() as session:
        return int((await session.execute(select(func.count()).select_from(table))).scalar_one())


async def user_id(database: Database, person: Person) -> int:
    """The stored id of a person."""
    async with database.session() as session:
        found = await session.execute(
            select(User.id).where(User.platform_user_id == person.user_id)
        )
        return int(found.scalar_one())


def cohort_id_of(reply: Reply) -> int:
    """The cohort number in a create reply."""
    return int(reply.text.split("Cohort #", 1)[1].split(" ", 1)[0])


async def running_cohort(desk: CohortDesk, members: list[Person] | None = None) -> int:
    """Maya's weekly cohort of the fractions course, with members who consented."""
    created = await desk.create(CREATOR, HERE, COURSE, "2026-02-23", "weekly", "Europe/Paris")
    cohort = cohort_id_of(created)
    for member in LEARNERS if members is None else members:
        await desk.join(member, HERE)
        await desk.consent(member, cohort)
    return cohort


async def test_create_validates_course_start_pace_and_zone(desk: CohortDesk) -> None:
    assert "don't know that course" in (await desk.create(CREATOR, HERE, "nope")).text
    bad_zone = await desk.create(CREATOR, HERE, COURSE, timezone="Mars/Olympus")
    assert "time zone" in bad_zone.text
    assert "YYYY-MM-DD" in (await desk.create(CREATOR, HERE, COURSE, start="someday")).text
    assert "Pace is" in (await desk.create(CREATOR, HERE, COURSE, pace="daily")).text
    no_channel = await desk.create(CREATOR, Place("guild-1"), COURSE)
    assert "channel" in no_channel.text
    created = await desk.create(CREATOR, HERE, "fractions", "2026-02-23", "self", "Asia/Tokyo")
    assert "2026-02-23 (Asia/Tokyo), self-paced" in created.text
    assert [c.label for c in created.choices] == ["Join"]


async def test_join_asks_consent_and_stores_nothing_before_it(
    desk: CohortDesk, database: Database
) -> None:
    cohort = await running_cohort(desk, members=[])
    users_before = await rows(database, User)
    asked = await desk.join(LEARNERS[0], HERE)
    assert "never what you wrote" in asked.text
    assert [c.action for c in asked.choices] == [f"{CONSENT_ACTION}:{cohort}"]
    assert await rows(database, User) == users_before
    assert await rows(database, CohortMember) == 0
    welcome = await desk.consent(LEARNERS[0], cohort)
    assert "Welcome" in welcome.text
    assert await rows(database, CohortMember) == 1
    assert await rows(database, Enrolment) == 1  # the cohort's course is theirs now
    assert "already in" in (await desk.join(LEARNERS[0], HERE)).text
    # a join from another server finds no cohort of this one
    assert "no open cohort" in (await desk.join(LEARNERS[1], ELSEWHERE, cohort)).text


async def test_members_and_strangers_cannot_read_the_status(desk: CohortDesk) -> None:
    cohort = await running_cohort(desk)
    assert "3 member(s)" in (await desk.status(CREATOR, HERE)).text
    for asker in (LEARNERS[0], STRANGER):
        for read in (desk.status, desk.export_csv, desk.chart):
            refused = await read(asker, HERE, cohort)
            assert NOT_YOURS in refused.text and not refused.attachments
    # the creator asking from another server, and about a cohort number that is not theirs
    assert NOT_YOURS in (await desk.status(CREATOR, ELSEWHERE, cohort)).text
    other = cohort_id_of(await desk.create(STRANGER, Place("guild-1", "chan-2"), COURSE))
    assert NOT_YOURS in (await desk.status(CREATOR, HERE, other)).text


async def test_assistants_see_the_status_until_removed_and_cannot_manage(
    desk: CohortDesk,
) -> None:
    cohort = await running_cohort(desk)
    assert "as an assistant" in (await desk.add_staff(CREATOR, HERE, ASSISTANT)).text
    assert "3 member(s)" in (await desk.status(ASSISTANT, HERE, cohort)).text
    only_creator = "Only the cohort's creator"
    assert only_creator in (await desk.end(ASSISTANT, HERE, cohort)).text
    assert only_creator in (await desk.add_staff(ASSISTANT, HERE, STRANGER, cohort)).text
    listed = (await desk.list_cohorts(ASSISTANT, HERE)).text
    assert f"#{cohort} Fractions and equations (active, you are assistant)" in listed
    assert "run no cohort here" in (await desk.list_cohorts(ASSISTANT, ELSEWHERE)).text
    assert "no longer see" in (await desk.remove_staff(CREATOR, HERE, ASSISTANT)).text
    assert NOT_YOURS in (await desk.status(ASSISTANT, HERE, cohort)).text


async def test_a_member_who_left_is_not_shown(desk: CohortDesk) -> None:
    await running_cohort(desk)
    assert "left" in (await desk.leave(LEARNERS[0])).text
    status = await desk.status(CREATOR, HERE)
    assert "2 member(s)" in status.text
    csv_text = (await desk.export_csv(CREATOR, HERE)).attachments[0].data.decode()
    assert "Ada" not in csv_text and "Bo" in csv_text
    assert "aren't in that cohort" in (await desk.leave(LEARNERS[0])).text


async def test_ending_closes_joining_and_the_sweeps_lists(
    desk: CohortDesk, database: Database, clock: FixedClock
) -> None:
    cohort = await running_cohort(desk)
    later = cohort_id_of(await desk.create(CREATOR, Place("guild-1", "c2"), COURSE, "tomorrow"))
    assert [c.id for c in await desk.active_cohorts()] == [cohort]
    assert [m.display_name for m in await desk.members(cohort)] == ["Ada", "Bo", "Cy"]
    info = (await desk.member_cohorts(LEARNERS[0]))[0]
    assert desk.week_of(info, clock()) == 2  # started Monday 23 February, now 2 March
    assert desk.week_of(info, clock() - timedelta(days=8)) == 0
    assert "has ended" in (await desk.end(CREATOR, HERE, cohort)).text
    assert "isn't open" in (await desk.consent(STRANGER, cohort)).text
    clock.advance(days=2)
    assert [c.id for c in await desk.active_cohorts()] == [later]
    async with database.session() as session:
        ended = await session.get(Cohort, cohort)
        assert ended is not None and ended.state == "ended" and ended.ended_at is not None
    assert "3 member(s)" in (await desk.status(CREATOR, HERE, cohort)).text


async def test_an_empty_cohort_still_has_a_status_a_csv_and_a_chart(desk: CohortDesk) -> None:
    await running_cohort(desk, members=[])
    assert "0 member(s)" in (await desk.status(CREATOR, HERE)).text
    csv_file = (await desk.export_csv(CREATOR, HERE)).attachments[0]
    assert csv_file.data.decode().splitlines()[0].startswith("member,skill,status")
    assert len(csv_file.data.decode().splitlines()) == 1
    chart = (await desk.chart(CREATOR, HERE)).attachments[0]
    assert chart.data.startswith(b"\x89PNG")
