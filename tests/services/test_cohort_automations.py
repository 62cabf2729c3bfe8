"""The cohort automations on a real database (a SQLite file, and PostgreSQL where one is
reachable) with a fixed clock: the weekly post arrives once at its local time (never twice
after downtime, nor after the end), nudges respect waking hours and caps, stuck flags reach
staff only, congratulations and digests go once, and a sweep's statements stay fixed."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session
from sqlmodel import col

from bot.content.catalog import Catalog
from bot.services import privacy
from bot.services.cohort_automations import CohortAutomations
from bot.services.cohort_desk import CohortDesk, Place
from bot.services.cohort_status import discussion_question
from bot.services.messages import Person, Reply
from bot.store import users as user_store
from bot.store.cohort_models import Cohort
from bot.store.db import Database
from bot.store.models import Attempt, Dialogue, Mastery, OutboxMessage, Turn, User
from tests.conftest import FixedClock
from tests.support.backends import BACKENDS, migrated_database
from tests.support.statements import counting

CREATOR = Person("discord", "creator-maya", "Maya")
ASSISTANT = Person("discord", "assistant-ali", "Ali")
STRANGER = Person("discord", "stranger-eve", "Eve")
ADA, BO, CY = (Person("discord", f"learner-{n}", n) for n in ("Ada", "Bo", "Cy"))
HERE = Place("guild-1", "chan-course")
COURSE = "fractions-and-equations"
PARIS_MONDAY = datetime(2026, 3, 9, 8, 0, tzinfo=UTC)  # 09:00 in Paris, a cohort's first day


@pytest.fixture(params=BACKENDS)
async def database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    """A fresh database migrated to head: a SQLite file, then a blank PostgreSQL database."""
    async with migrated_database(request.param, tmp_path) as db:
        yield db


@pytest.fixture
def desk(database: Database, catalog: Catalog, clock: FixedClock) -> CohortDesk:
    """The cohort service on the test database and clock."""
    return CohortDesk(database, catalog, clock=clock)


@pytest.fixture
def automations(database: Database, catalog: Catalog, clock: FixedClock) -> CohortAutomations:
    """The cohort sweeps on the test database and clock."""
    return CohortAutomations(database, catalog, clock=clock)


def cohort_id_of(reply: Reply) -> int:
    """The cohort number in a create reply."""
    return int(reply.text.split("Cohort #", 1)[1].split(" ", 1)[0])


async def cohort(
    desk: CohortDesk,
    members: tuple[Person, ...] = (),
    start: str = "2026-03-09",
    place: Place = HERE,
    pace: str = "weekly",
) -> int:
    """Maya's cohort of the fractions course in Paris time, with members who consented."""
    created = await desk.create(CREATOR, place, COURSE, start, pace, "Europe/Paris")
    number = cohort_id_of(created)
    for member in members:
        await desk.consent(member, number)
    return number


async def sent(database: Database, kind: str) -> list[OutboxMessage]:
    """The outbox rows of a kind, oldest first."""
    async with database.session() as session:
        found = await session.execute(
            select(OutboxMessage)
            .where(col(OutboxMessage.kind) == kind)
            .order_by(col(OutboxMessage.id))
        )
        return list(found.scalars())


async def uid(database: Database, person: Person) -> int:
    """The stored id of a person."""
    async with database.session() as session:
        found = await session.execute(
            select(col(User.id)).where(col(User.platform_user_id) == person.user_id)
        )
        user_id = found.scalar_one()
        assert user_id is not None
        return user_id


async def practise(database: Database, user_id: int, at: datetime) -> None:
    """Record a dialogue of the course the member worked at `at`."""

    def unit(session: Session) -> None:
        session.add(
            Dialogue(
                user_id=user_id,
                course_id=COURSE,
                exercise_id="add-like",
                started_at=at,
                updated_at=at,
            )
        )

    await database.run(unit)


async def test_the_weekly_post_arrives_once_at_its_local_time(
    desk: CohortDesk,
    automations: CohortAutomations,
    database: Database,
    catalog: Catalog,
    clock: FixedClock,
) -> None:
    number = await cohort(desk, (ADA,))
    assert await automations.post_weekly() == 0  # a week before the start
    clock.now = PARIS_MONDAY - timedelta(minutes=1)
    assert await automations.post_weekly() == 0  # 08:59 in Paris
    clock.now = PARIS_MONDAY
    assert await automations.post_weekly() == 1
    (post,) = await sent(database, "cohort_post")
    creator = await uid(database, CREATOR)
    assert (post.user_id, post.platform, post.recipient) == (creator, "discord", "chan-course")
    assert post.idempotency_key == f"cohort-post:{number}:1"
    assert post.payload["choices"] == [
        {"action": f"cohort-start:{number}", "label": "Start practising"}
    ]
    assert (post.payload["cohort_id"], post.payload["week"]) == (number, 1)
    assert "this week's focus is **Equivalent fractions**" in post.payload["text"]
    assert post.payload["thread"]["title"] == "Week 1: Equivalent fractions"
    assert "Equivalent fractions" in post.payload["thread"]["text"]
    assert await automations.post_weekly() == 0
    restarted = CohortAutomations(database, catalog, clock=clock)
    assert await restarted.post_weekly() == 0
    # Down for three weeks; the cohort met a misconception meanwhile: only week 4 is posted,
    # and its thread discusses that misconception.
    ada = await uid(database, ADA)
    clock.now = PARIS_MONDAY + timedelta(days=21, hours=5)
    await targeted_turn(database, ada, "add-like", "added-denominators", clock.now)
    assert await restarted.post_weekly() == 1
    posts = await sent(database, "cohort_post")
    assert [p.payload["week"] for p in posts] == [1, 4]
    assert "One-step equations" in posts[1].payload["text"]
    course = catalog.get(COURSE)
    assert course is not None
    assert posts[1].payload["thread"]["text"] == discussion_question(course, "added-denominators")
    assert "ended" in (await desk.end(CREATOR, HERE, number)).text
    clock.advance(days=7)
    assert await restarted.post_weekly() == 0


async def test_a_self_paced_cohort_gets_a_weekly_check_in(
    desk: CohortDesk, automations: CohortAutomations, database: Database, clock: FixedClock
) -> None:
    await cohort(desk, pace="self")
    clock.now = PARIS_MONDAY + timedelta(days=7)
    assert await automations.post_weekly() == 1
    (post,) = await sent(database, "cohort_post")
    assert post.payload["week"] == 2 and "weekly check-in" in post.payload["text"]
    assert "Fractions and equations" in post.payload["text"]


async def targeted_turn(
    database: Database, user_id: int, exercise: str, misconception: str, at: datetime
) -> None:
    """Record a dialogue where the tutor asked the targeted question of a misconception."""

    def unit(session: Session) -> None:
        dialogue = Dialogue(
            user_id=user_id, course_id=COURSE, exercise_id=exercise, started_at=at, updated_at=at
        )
        session.add(dialogue)
        session.flush()
        assert dialogue.id is not None
        session.add(
            Turn(
                dialogue_id=dialogue.id,
                seq=1,
                role="tutor",
                text="...",
                move="targeted",
                misconception=misconception,
                created_at=at,
            )
        )

    await database.run(unit)


async def test_an_idle_member_is_nudged_once_per_stretch_awake_and_capped(
    desk: CohortDesk, automations: CohortAutomations, database: Database, clock: FixedClock
) -> None:
    joined = clock.now  # Monday 09:00 UTC; members live on UTC, quiet 21:00-08:00
    number = await cohort(desk, (ADA, BO, CY), start="2026-03-02")
    await desk.leave(BO)
    ada, cy = await uid(database, ADA), await uid(database, CY)
    clock.now = joined + timedelta(days=4)
    assert await automations.sweep_members() == 0
    clock.now = joined + timedelta(days=5, hours=13)  # 22:00: quiet hours
    assert await automations.sweep_members() == 0
    clock.now = joined + timedelta(days=6)  # 09:00
    assert await automations.sweep_members() == 2
    nudges = await sent(database, "cohort_nudge")
    assert sorted(n.user_id for n in nudges) == sorted([ada, cy])
    assert {n.recipient for n in nudges} == {"learner-Ada", "learner-Cy"}
    assert nudges[0].payload["choices"] == [
        {"action": f"cohort-start:{number}", "label": "Continue"}
    ]
    assert await automations.sweep_members() == 0
    # Ada practises, then idles again: a new stretch; Cy's stretch already had its nudge.
    await practise(database, ada, clock.now)
    clock.advance(days=6)
    assert await automations.sweep_members() == 1
    # a third stretch: the cap (two per membership) holds
    await practise(database, ada, clock.now)
    clock.advance(days=6)
    assert await automations.sweep_members() == 0
    assert [n.user_id for n in await sent(database, "cohort_nudge")].count(ada) == 2


async def test_paused_and_unreachable_members_are_not_nudged(
    desk: CohortDesk, automations: CohortAutomations, database: Database, clock: FixedClock
) -> None:
    await cohort(desk, (ADA, CY), start="2026-03-02")
    later = clock.now + timedelta(days=30)

    def hold(session: Session) -> None:
        session.execute(
            update(User)
            .where(col(User.platform_user_id) == "learner-Ada")
            .values(paused_until=later)
        )
        session.execute(
            update(User)
            .where(col(User.platform_user_id) == "learner-Cy")
            .values(unreachable_at=later)
        )

    await database.run(hold)
    clock.advance(days=6)
    assert await automations.sweep_members() == 0

    def release(session: Session, days: int) -> None:
        session.execute(update(User).values(paused_until=None, unreachable_at=None))
        session.execute(update(Cohort).values(nudge_after_days=days))

    await database.run(release, 0)  # nudges off
    assert await automations.sweep_members() == 0
    await database.run(release, 5)
    assert await automations.sweep_members() == 2


async def test_a_stuck_member_is_flagged_once_to_the_creator_and_assistant(
    desk: CohortDesk, automations: CohortAutomations, database: Database, clock: FixedClock
) -> None:
    await cohort(desk, (ADA, BO), start="2026-03-02")
    await desk.add_staff(CREATOR, HERE, ASSISTANT)
    await desk.consent(STRANGER, await cohort(desk, place=Place("guild-1", "other")))
    ada = await uid(database, ADA)
    first = clock.now - timedelta(hours=3)
    await misses(database, ada, "two-step-equations", "two-step", first, 3)
    await targeted_turn(database, ada, "two-step", "sign-error", first)
    clock.now = clock.now.replace(hour=23)  # the staff's quiet hours (UTC, 21:00-08:00)
    assert await automations.sweep_members() == 2
    flags = await sent(database, "cohort_flag")
    staff = {await uid(database, CREATOR), await uid(database, ASSISTANT)}
    assert {f.user_id for f in flags} == staff
    assert {f.recipient for f in flags} == {CREATOR.user_id, ASSISTANT.user_id}
    text = flags[0].payload["text"]
    assert "Ada" in text and "Two-step equations" in text and "sign-error" in text
    assert "Mon 02 Mar 06:00" in text  # since when, in the staff member's zone
    morning = (clock.now + timedelta(days=1)).replace(hour=8)
    assert {f.next_attempt_at for f in flags} == {morning}
    assert await automations.sweep_members() == 0
    # a good attempt ends the stretch; new misses start another, flagged again
    await misses(database, ada, "two-step-equations", "two-step", clock.now, 1, credit=1.0)
    clock.advance(hours=1)
    await misses(database, ada, "two-step-equations", "two-step", clock.now, 3)
    clock.advance(hours=2)
    assert await automations.sweep_members() == 2
    # the flags describe Ada: her forget removes them from the staff's outbox
    assert len(await sent(database, "cohort_flag")) == 4

    def forget_ada(session: Session) -> None:
        user = user_store.get_user(session, "discord", ADA.user_id)
        assert user is not None
        privacy.forget_user(session, user)

    await database.run(forget_ada)
    assert await sent(database, "cohort_flag") == []


async def misses(
    database: Database,
    user_id: int,
    skill: str,
    exercise: str,
    at: datetime,
    count: int,
    credit: float = 0.0,
) -> None:
    """Record `count` graded attempts a minute apart from `at`."""

    def unit(session: Session) -> None:
        for i in range(count):
            session.add(
                Attempt(
                    user_id=user_id,
                    course_id=COURSE,
                    skill_id=skill,
                    exercise_id=exercise,
                    purpose="practice",
                    credit=credit,
                    created_at=at + timedelta(minutes=i),
                )
            )

    await database.run(unit)


async def master_everything(database: Database, catalog: Catalog, user_id: int) -> None:
    """Mark every skill of the course mastered for a member."""
    course = catalog.get(COURSE)
    assert course is not None

    def unit(session: Session) -> None:
        for skill in course.skills:
            session.add(
                Mastery(
                    user_id=user_id,
                    course_id=COURSE,
                    skill_id=skill,
                    p_known=0.99,
                    status="mastered",
                )
            )

    await database.run(unit)


async def test_a_member_who_masters_the_course_is_congratulated_once(
    desk: CohortDesk,
    automations: CohortAutomations,
    database: Database,
    catalog: Catalog,
    clock: FixedClock,
) -> None:
    plain = await cohort(desk, (ADA,), start="2026-03-02")
    with_certificates = await cohort(desk, (BO,), start="2026-03-02", place=Place("guild-1", "c2"))
    refused = await desk.set_automation(ASSISTANT, HERE, certificates=True, cohort_id=plain)
    assert "isn't one of your cohorts" in refused.text
    said = await desk.set_automation(
        CREATOR, HERE, nudge_after_days=9, certificates=True, cohort_id=with_certificates
    )
    assert "after 9 idle day(s)" in said.text and "certificates on" in said.text
    assert "0 for no nudges" in (await desk.set_automation(CREATOR, HERE, 99, None, plain)).text
    for person in (ADA, BO):
        await master_everything(database, catalog, await uid(database, person))
    assert await automations.sweep_members() == 2
    assert await automations.sweep_members() == 0
    done = {m.recipient: m.payload for m in await sent(database, "cohort_done")}
    assert "Congratulations" in done["learner-Ada"]["text"]
    assert "attachment" not in done["learner-Ada"]
    attachment = done["learner-Bo"]["attachment"]
    assert (attachment["filename"], attachment["content_type"]) == (
        "certificate.png",
        "image/png",
    )
    png = base64.b64decode(attachment["data_b64"])
    assert png.startswith(b"\x89PNG") and len(png) < 100_000
    assert await sent(database, "cohort_nudge") == []  # a finisher is not nudged


async def test_the_creator_gets_one_digest_a_week(
    desk: CohortDesk, automations: CohortAutomations, database: Database, clock: FixedClock
) -> None:
    # started a week ago in Paris: week 2 opens today (Monday) at 09:00 Paris, 08:00 UTC
    number = await cohort(desk, (ADA, BO, CY), start="2026-02-23")
    await desk.add_staff(CREATOR, HERE, ASSISTANT)
    ada, bo = await uid(database, ADA), await uid(database, BO)
    for who in (ada, bo):
        await misses(
            database, who, "two-step-equations", "two-step", clock.now - timedelta(hours=5), 3
        )
        await targeted_turn(database, who, "two-step", "sign-error", clock.now - timedelta(hours=4))
    await practise(database, await uid(database, CY), clock.now)
    assert await automations.send_digests() == 1
    (digest,) = await sent(database, "cohort_digest")
    assert digest.user_id == await uid(database, CREATOR)
    assert digest.idempotency_key == f"cohort-digest:{number}:2"
    text = digest.payload["text"]
    assert "week 1" in text and "Ada on Two-step equations (sign-error)" in text
    assert "sign-error (2 members)" in text
    assert await automations.send_digests() == 0
    clock.advance(days=6)
    assert await automations.send_digests() == 0
    clock.advance(days=1)
    assert await automations.send_digests() == 1
    assert [d.payload["week"] for d in await sent(database, "cohort_digest")] == [2, 3]


async def test_a_digest_not_sent_yet_is_read_again_without_a_member_who_is_forgotten(
    desk: CohortDesk, automations: CohortAutomations, database: Database, clock: FixedClock
) -> None:
    await cohort(desk, (ADA, BO, CY), start="2026-02-23")
    for who in (await uid(database, ADA), await uid(database, BO)):
        await misses(
            database, who, "two-step-equations", "two-step", clock.now - timedelta(hours=5), 3
        )
        await targeted_turn(database, who, "two-step", "sign-error", clock.now - timedelta(hours=4))
    assert await automations.send_digests() == 1
    (queued,) = await sent(database, "cohort_digest")
    assert "Ada on Two-step equations" in queued.payload["text"]

    def forget_ada(session: Session) -> None:
        user = user_store.get_user(session, "discord", ADA.user_id)
        assert user is not None
        privacy.forget_user(session, user)

    await database.run(forget_ada)
    assert await sent(database, "cohort_digest") == []
    assert await automations.send_digests() == 1, "the week's digest is queued again"
    (again,) = await sent(database, "cohort_digest")
    assert (
        "Ada" not in again.payload["text"] and "Bo on Two-step equations" in again.payload["text"]
    )
    assert await automations.send_digests() == 0


async def sweep_statements(
    automations: CohortAutomations, database: Database, clock: FixedClock
) -> tuple[int, int, int, int]:
    """(posts queued, their statements, member messages queued, their statements)."""
    with counting(database) as posts:
        posted = await automations.post_weekly()
    with counting(database) as members:
        nudged = await automations.sweep_members()
    return posted, len(posts), nudged, len(members)


async def test_a_sweeps_statements_do_not_grow_with_the_number_of_cohorts(
    desk: CohortDesk, database: Database, catalog: Catalog, clock: FixedClock
) -> None:
    learners = [Person("discord", f"l-{n}", f"L{n}") for n in range(30)]
    for n in range(3):
        await cohort(desk, (learners[n],), start="2026-03-02", place=Place("g", f"c{n}"))
    clock.advance(days=6)
    few = await sweep_statements(CohortAutomations(database, catalog, clock=clock), database, clock)
    for n in range(3, 30):
        await cohort(desk, (learners[n],), start="2026-03-02", place=Place("g", f"c{n}"))
    clock.advance(days=7)
    many = await sweep_statements(
        CohortAutomations(database, catalog, clock=clock), database, clock
    )
    assert (few[0], few[2], many[0], many[2]) == (3, 3, 30, 27)  # 3 already had their nudge
    assert (few[1], few[3]) == (many[1], many[3])
