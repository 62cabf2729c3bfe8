"""Uploaded courses run in the tutor, seen only in their server, progress never mixed.

Everything runs on a real SQLite file: two servers upload a course both call `habits`,
their cohorts' members work their own, people elsewhere are told it does not exist, a new
version keeps progress, and a second tutor process on the same file finds the course.
"""

from __future__ import annotations

import io
import random
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session
from sqlmodel import col

from bot.content.catalog import Catalog
from bot.content.loader import load_catalog
from bot.services.cohort_desk import CohortDesk, Place
from bot.services.course_access import place_choices, shown_to
from bot.services.course_catalog import LiveCatalog, uploaded_id
from bot.services.course_shelf import CourseShelf, ShelfScope, UploadedFile
from bot.services.messages import Incoming, Person, Reply
from bot.services.tutor import Tutor
from bot.store import dialogues as dialogue_store
from bot.store import learning as learning_store
from bot.store import users as user_store
from bot.store.cohort_models import Cohort
from bot.store.db import Database
from bot.store.models import Attempt, ReviewCard
from tests.conftest import FixedClock

DEMO = Path(__file__).resolve().parent.parent / "demo_courses"
ROSA = Person("discord", "rosa", "Rosa")  # creator in server A
BEN = Person("discord", "ben", "Ben")  # creator in server B
ADA = Person("discord", "ada", "Ada")  # member of A's cohort
BO = Person("discord", "bo", "Bo")  # member of B's cohort
EVE = Person("discord", "eve", "Eve")  # in no cohort
SERVER_A, SERVER_B = ShelfScope("discord", "server-a"), ShelfScope("discord", "server-b")
PLACE_A, PLACE_B = Place("server-a", "chan-a"), Place("server-b", "chan-b")
ID_A = uploaded_id("discord", "server-a", "habits")
ID_B = uploaded_id("discord", "server-b", "habits")
UNKNOWN = "I don't know a course called 'habits'"

HEADER = """\
id: habits
title: Habits
description: Small habits, counted.
placement: false
skills:
  - id: count
    title: Count the days
  - id: keep
    title: Keep it going
    prerequisites: [count]
exercises:
  - id: weeks
    kind: problem
    skill: count
    prompt: {prompt}
    answer: "{answer}"
    checker: numeric
    hints:
      nudge: How many days are in one week?
      specific: Put the days together.
      worked: Multiply and count.
    reflection: Why does multiplying give the total?
"""
KEEP = """\
exercises:
  - id: first-step
    kind: reflection
    skill: keep
    prompt: What will remind you to do it tomorrow?
    criteria:
      - check: min_words
        min: 8
        label: the reminder you will use
"""
A_HEADER = HEADER.format(prompt="You walk every day for 2 weeks. How many walks?", answer=14)
B_HEADER = HEADER.format(prompt="You read 3 pages a day for 5 days. How many pages?", answer=15)


def course_zip(header: str, keep: str = KEEP) -> UploadedFile:
    """A course folder zipped, as a creator uploads it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("habits/course.yaml", header)
        archive.writestr("habits/keep.yaml", keep)
    return UploadedFile("habits.zip", buffer.getvalue())


@dataclass
class Process:
    """One tutor process: its database objects, catalog, tutor, shelf and cohort desk."""

    database: Database
    courses: LiveCatalog
    tutor: Tutor
    shelf: CourseShelf
    desk: CohortDesk

    async def say(self, person: Person, text: str) -> str:
        """What the tutor answers a person's DM."""
        replies = await self.tutor.handle(Incoming(person.platform, person.user_id, text))
        return "\n".join(r.text for r in replies)


async def start_process(
    database: Database, installed: Catalog, clock: FixedClock, *, load: bool = True
) -> Process:
    """Build a process as the runtime does (`load=False`: it started before the uploads)."""
    courses = LiveCatalog(installed)
    if load:
        await database.run(courses.load_all)
    shelf = CourseShelf(database, installed, clock=clock, on_stored=courses.add_version)
    tutor = Tutor(database, courses, clock=clock, rng=random.Random(3))
    return Process(database, courses, tutor, shelf, CohortDesk(database, courses, clock=clock))


@pytest.fixture(scope="module")
def installed() -> Catalog:
    return load_catalog([DEMO])


@pytest.fixture
async def one(database: Database, installed: Catalog, clock: FixedClock) -> Process:
    return await start_process(database, installed, clock)


def cohort_of(reply: Reply) -> int:
    """The cohort number in a create reply."""
    assert "Cohort #" in reply.text, reply.text
    return int(reply.text.split("Cohort #", 1)[1].split(" ", 1)[0])


async def member_of(process: Process, creator: Person, place: Place, course: str) -> int:
    """A cohort of `course` created by `creator` in `place`."""
    return cohort_of(await process.desk.create(creator, place, course, "2026-03-02", "self"))


async def joins(process: Process, person: Person, place: Place, cohort: int) -> None:
    """A person joins a cohort with the button and consents."""
    await process.desk.join(person, place, cohort)
    assert "Welcome to" in (await process.desk.consent(person, cohort)).text


def work_of(session: Session, person: Person) -> tuple[set[str], dict[str, float], list[str]]:
    """A person's attempts' course ids, mastery in A's course, and review cards."""
    user = user_store.get_user(session, person.platform, person.user_id)
    assert user is not None and user.id is not None
    courses = session.execute(
        select(col(Attempt.course_id)).where(col(Attempt.user_id) == user.id)
    ).scalars()
    cards = session.execute(
        select(col(ReviewCard.course_id), col(ReviewCard.exercise_id)).where(
            col(ReviewCard.user_id) == user.id
        )
    )
    levels = learning_store.mastery_levels(session, user.id, ID_A)
    return set(courses), levels, sorted(f"{c}/{e}" for c, e in cards)


async def test_an_uploaded_course_is_seen_and_started_only_in_its_server(one: Process) -> None:
    assert ID_A != ID_B and ID_A.startswith("habits~") and len(ID_A) <= 64
    assert (
        "Stored version 1 of Habits (habits)"
        in (await one.shelf.upload(ROSA, SERVER_A, [course_zip(A_HEADER)])).text
    )
    # The uploader tries it before any cohort exists; B's creator knows no such course.
    assert "habits: Habits" in await one.say(ROSA, "courses")
    refused = await one.desk.create(BEN, PLACE_B, "habits")
    assert "I don't know that course" in refused.text
    assert "I don't know that course" in (await one.desk.create(BEN, PLACE_B, ID_A)).text
    here = await one.database.run(place_choices, one.courses, "discord", "server-a", "hab")
    there = await one.database.run(place_choices, one.courses, "discord", "server-b", "hab")
    assert (here, there) == ([("habits", "Habits")], [])
    cohort_a = await member_of(one, ROSA, PLACE_A, "habits")
    cohort_b = await member_of(one, BEN, PLACE_B, "demo")
    await joins(one, ADA, PLACE_A, cohort_a)
    await joins(one, BO, PLACE_B, cohort_b)
    await one.tutor.consent(Incoming("discord", "eve", "yes"))

    listed = await one.say(ADA, "courses")
    assert "habits: Habits" in listed and ID_A not in listed
    assert await one.tutor.course_choices_for(ADA, "hab") == [("habits", "Habits")]
    assert "2 weeks" in await one.say(ADA, "start habits")
    assert "Why does multiplying" in await one.say(ADA, "14")

    for outsider in (BO, EVE):
        assert "habits" not in await one.say(outsider, "courses")
        assert UNKNOWN in await one.say(outsider, "start habits")
        assert "I don't know a course called" in await one.say(outsider, f"start {ID_A}")
        assert await one.tutor.course_choices_for(outsider, "hab") == []
    welcome = await one.tutor.greet(Incoming("discord", "eve", "hi"))
    assert "Demo fractions" in welcome[0].text and "Habits" not in welcome[0].text
    assert one.tutor.course_choices("hab") == []  # no person: the installed courses only
    saved = await one.database.run(lambda s: s.execute(select(Cohort.course_id)).scalars().all())
    assert sorted(saved) == sorted([ID_A, "demo"])

    # Leaving the cohort is leaving the server's courses (the progress stays the learner's).
    await one.desk.leave(ADA, cohort_a)
    assert UNKNOWN in await one.say(ADA, "start habits")


async def test_two_servers_courses_of_one_name_never_mix(one: Process) -> None:
    await one.shelf.upload(ROSA, SERVER_A, [course_zip(A_HEADER)])
    await one.shelf.upload(BEN, SERVER_B, [course_zip(B_HEADER)])
    await joins(one, ADA, PLACE_A, await member_of(one, ROSA, PLACE_A, "habits"))
    await joins(one, BO, PLACE_B, await member_of(one, BEN, PLACE_B, "habits"))

    assert "2 weeks" in await one.say(ADA, "start habits")
    assert "3 pages" in await one.say(BO, "start habits")
    assert "Why does multiplying" in await one.say(ADA, "14")
    assert "Why does multiplying" not in await one.say(BO, "14")  # B's answer is 15
    assert "Why does multiplying" in await one.say(BO, "15")
    ada, bo = await one.database.run(work_of, ADA), await one.database.run(work_of, BO)
    assert ada[0] == {ID_A} and bo[0] == {ID_B}
    assert ada[1]["count"] > 0.2 and bo[1] == {}  # B's work is not in A's course
    assert "I don't know a course called" in await one.say(ADA, f"start {ID_B}")
    saved = await one.database.run(lambda s: s.execute(select(Cohort.course_id)).scalars().all())
    assert sorted(saved) == sorted([ID_A, ID_B])


async def test_a_new_version_keeps_progress_on_unchanged_exercises(
    one: Process, clock: FixedClock
) -> None:
    await one.shelf.upload(ROSA, SERVER_A, [course_zip(A_HEADER)])
    await joins(one, ADA, PLACE_A, await member_of(one, ROSA, PLACE_A, "habits"))
    await one.say(ADA, "start habits")
    await one.say(ADA, "14")
    await one.say(ADA, "because two weeks of seven days each are fourteen days of walking")
    before = await one.database.run(work_of, ADA)
    assert before[1]["count"] > 0.2 and before[2] == [f"{ID_A}/weeks"]

    clock.advance(days=2)
    changed = KEEP.replace("first-step", "check-back")
    stored = await one.shelf.upload(ROSA, SERVER_A, [course_zip(A_HEADER, changed)])
    assert "Stored version 2 of Habits" in stored.text
    # This process runs version 2 at once, under the same id.
    running = one.courses.get(ID_A)
    assert running is not None and set(running.exercises) == {"weeks", "check-back"}
    assert await one.database.run(work_of, ADA) == before
    assert "Count the days" in await one.say(ADA, "progress")
    assert "Habits" in await one.say(ADA, "start habits")
    assert await one.database.run(work_of, ADA) == before


async def test_a_second_process_finds_a_course_the_first_stored(
    one: Process, database: Database, installed: Catalog, clock: FixedClock
) -> None:
    other_database = Database(database.url)
    try:
        # The second process started before the upload: it has never read the course.
        two = await start_process(other_database, installed, clock, load=False)
        await one.shelf.upload(ROSA, SERVER_A, [course_zip(A_HEADER)])
        assert two.courses.get(ID_A) is None
        await joins(one, ADA, PLACE_A, await member_of(one, ROSA, PLACE_A, "habits"))
        assert "2 weeks" in await one.say(ADA, "start habits")
        assert "Why does multiplying" in await one.say(ADA, "14")
        # The dialogue continues in the second process: it reads the course from the store.
        reply = await two.say(ADA, "because two weeks of seven days each are fourteen days")
        assert "removed from the course" not in reply
        assert two.courses.get(ID_A) is not None
        assert (await two.database.run(work_of, ADA))[2] == [f"{ID_A}/weeks"]

        # A third process reads it at start; B's new course is found when it is listed.
        three = await start_process(other_database, installed, clock, load=True)
        assert three.courses.get(ID_A) is not None
        await one.shelf.upload(BEN, SERVER_B, [course_zip(B_HEADER)])
        await joins(one, BO, PLACE_B, await member_of(one, BEN, PLACE_B, "habits"))
        assert "3 pages" in await three.say(BO, "start habits")
        # A cohort on A's course can be created from A in any process, never from B.
        assert "Cohort #" in (await three.desk.create(ROSA, PLACE_A, "habits")).text
        from_b = await three.desk.create(BEN, PLACE_B, ID_A)
        assert "I don't know that course" in from_b.text
    finally:
        await other_database.close()


async def test_a_process_on_an_old_version_reads_the_new_one_before_closing_a_dialogue(
    one: Process, database: Database, installed: Catalog, clock: FixedClock
) -> None:
    await one.shelf.upload(ROSA, SERVER_A, [course_zip(A_HEADER)])
    other_database = Database(database.url)
    try:
        two = await start_process(other_database, installed, clock)
        changed = KEEP.replace("first-step", "check-back")
        await one.shelf.upload(ROSA, SERVER_A, [course_zip(A_HEADER, changed)])
        await joins(one, ADA, PLACE_A, await member_of(one, ROSA, PLACE_A, "habits"))
        running = two.courses.get(ID_A)
        assert running is not None and "check-back" not in running.exercises

        def open_new_exercise(session: Session) -> None:
            user = user_store.get_user(session, "discord", "ada")
            assert user is not None and user.id is not None
            dialogue_store.start_dialogue(
                session,
                user_id=user.id,
                course_id=ID_A,
                exercise_id="check-back",
                variant={},
                purpose="practice",
                now=clock(),
                opening="What will remind you to do it tomorrow?",
            )

        await one.database.run(open_new_exercise)
        reply = await two.say(ADA, "I will put my walking shoes by the door every evening")
        assert "removed from the course" not in reply
        running = two.courses.get(ID_A)
        assert running is not None and "check-back" in running.exercises
    finally:
        await other_database.close()


def queries_to_show(session: Session, courses: LiveCatalog, person: Person) -> tuple[int, int]:
    """How many statements deciding a person's courses runs, and how many uploaded it shows."""
    user = user_store.get_user(session, person.platform, person.user_id)
    assert user is not None
    counted: list[Any] = []
    listener = lambda state: counted.append(state)  # noqa: E731
    event.listen(session, "do_orm_execute", listener)
    try:
        shown = shown_to(session, courses, user.id)
    finally:
        event.remove(session, "do_orm_execute", listener)
    return len(counted), sum("~" in course_id for course_id in shown.courses)


async def test_the_rule_reads_the_same_queries_whatever_the_number_of_places(
    one: Process,
) -> None:
    await one.shelf.upload(ROSA, SERVER_A, [course_zip(A_HEADER)])
    await joins(one, ADA, PLACE_A, await member_of(one, ROSA, PLACE_A, "habits"))
    for n in range(5):
        scope, place = ShelfScope("discord", f"many-{n}"), Place(f"many-{n}", "chan")
        await one.shelf.upload(BEN, scope, [course_zip(B_HEADER)])
        await member_of(one, BEN, place, "habits")
    few = await one.database.run(queries_to_show, one.courses, ADA)
    many = await one.database.run(queries_to_show, one.courses, BEN)
    assert few == (2, 1) and many == (2, 5)
