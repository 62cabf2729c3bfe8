"""Uploaded courses: checked, stored for their server only, and replaced keeping progress."""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from bot.content.catalog import Catalog
from bot.content.loader import load_catalog
from bot.services.course_shelf import CourseShelf, ShelfScope, UploadedFile
from bot.services.messages import Incoming, Person
from bot.services.tutor import Tutor
from bot.store import dialogues as dialogue_store
from bot.store import learning as learning_store
from bot.store import users as user_store
from bot.store.db import Database
from bot.store.models import ReviewCard
from bot.store.upload_models import CourseUpload
from tests.conftest import FixedClock

DEMO = Path(__file__).resolve().parent.parent / "demo_courses"
CREATOR = Person("discord", "creator-1", "Rosa")
HERE = ShelfScope("discord", "server-a")
ELSEWHERE = ShelfScope("discord", "server-b")
COURSE = "team-talks"

HEADER = """\
id: team-talks
title: Team talks
description: Plan the conversations you have been putting off.
placement: false
skills:
  - id: plan
    title: Plan one conversation
  - id: follow
    title: Follow it through
    prerequisites: [plan]
exercises:
  - id: team-size
    kind: problem
    skill: plan
    prompt: Your team has 3 people and 4 more join. How many people are on the team now?
    answer: "7"
    checker: numeric
    hints:
      nudge: Who was there before, and who came?
      specific: Put the two groups together.
      worked: 3 + 4 = 7 people.
    reflection: Why does adding the two groups give the team's size?
"""
FIRST_STEP = """\
exercises:
  - id: first-step
    kind: reflection
    skill: follow
    prompt: What is the first thing you will say?
    criteria:
      - check: min_words
        min: 8
        label: the words you will use
"""
# Version 2 drops `first-step` and brings `check-back`; `team-size` is unchanged.
CHECK_BACK = FIRST_STEP.replace("first-step", "check-back").replace(
    "What is the first thing you will say?", "When will you check that it changed something?"
)


def course_zip(*files: tuple[str, str]) -> UploadedFile:
    """The course files zipped in a folder, as a creator uploads them."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files:
            archive.writestr(f"team-talks/{name}", text)
    return UploadedFile("team-talks.zip", buffer.getvalue())


V1 = course_zip(("course.yaml", HEADER), ("follow.yaml", FIRST_STEP))
V2 = course_zip(("course.yaml", HEADER), ("follow.yaml", CHECK_BACK))


@pytest.fixture(scope="module")
def installed() -> Catalog:
    return load_catalog([DEMO])


@pytest.fixture
def shelf(database: Database, installed: Catalog, clock: FixedClock) -> CourseShelf:
    return CourseShelf(database, installed, clock=clock)


async def test_an_error_is_reported_then_the_fixed_course_is_stored(shelf: CourseShelf) -> None:
    broken = course_zip(("course.yaml", HEADER), ("follow.yaml", FIRST_STEP.replace("min: 8", "")))
    reply = await shelf.upload(CREATOR, HERE, [broken])
    assert "team-talks/follow.yaml:7: missing field 'criteria.0.min'" in reply.text
    assert "1 problem(s) found." in reply.text
    assert "nothing was stored" in reply.text
    assert await shelf.courses_for(HERE) == []
    stored = await shelf.upload(CREATOR, HERE, [V1])
    assert "OK: 1 course(s), 2 skill(s), 2 exercise(s)." in stored.text
    assert "Stored version 1 of Team talks (team-talks)" in stored.text
    listed = await shelf.courses_for(HERE)
    assert [(c.course_id, c.title, c.version) for c in listed] == [(COURSE, "Team talks", 1)]


async def test_a_course_is_seen_only_where_it_was_uploaded(
    shelf: CourseShelf, installed: Catalog
) -> None:
    await shelf.upload(CREATOR, HERE, [V1])
    here = await shelf.catalog_for([HERE])
    assert COURSE in here.courses
    assert set(installed.courses) < set(here.courses)
    assert set(here.courses["team-talks"].exercises) == {"team-size", "first-step"}
    elsewhere = await shelf.catalog_for([ELSEWHERE])
    assert COURSE not in elsewhere.courses
    assert set(elsewhere.courses) == set(installed.courses)
    assert await shelf.courses_for(ELSEWHERE) == []
    assert await shelf.courses_for(ShelfScope("slack", "server-a")) == []


async def test_an_installed_course_id_is_refused(shelf: CourseShelf) -> None:
    taken = (DEMO / "demo-reflection-path" / "course.yaml").read_bytes()
    reply = await shelf.upload(CREATOR, HERE, [UploadedFile("course.yaml", taken)])
    assert "'demo-reflection-path' is taken by a course installed on this tutor" in reply.text
    assert await shelf.courses_for(HERE) == []


async def test_a_worksheet_comes_back_as_a_draft_and_its_zip_can_be_stored(
    shelf: CourseShelf,
) -> None:
    sheet = (
        b"# Week one\n## Plans\n1. Who will you ask for feedback?\n2. What is 2 + 3? Answer: 5\n"
    )
    draft = await shelf.upload(CREATOR, HERE, [UploadedFile("week.md", sheet)])
    assert "draft course, Week one (week-one): 1 skill(s), 2 exercise(s)" in draft.text
    assert "It is not published" in draft.text
    assert await shelf.courses_for(HERE) == []
    (attachment,) = draft.attachments
    assert attachment.filename == "week-one.zip"
    stored = await shelf.upload(CREATOR, HERE, [UploadedFile("week-one.zip", attachment.data)])
    assert "Stored version 1 of Week one (week-one)" in stored.text


async def say(tutor: Tutor, text: str) -> str:
    replies = await tutor.handle(Incoming("console", "ada", text))
    return "\n".join(r.text for r in replies)


def _progress(session: Session) -> tuple[int, dict[str, float], list[str]]:
    user = user_store.get_user(session, "console", "ada")
    assert user is not None and user.id is not None
    levels = learning_store.mastery_levels(session, user.id, COURSE)
    cards = session.execute(
        select(col(ReviewCard.exercise_id)).where(col(ReviewCard.user_id) == user.id)
    )
    return user.id, levels, sorted(cards.scalars())


async def test_a_new_version_keeps_progress_and_closes_a_removed_exercise(
    shelf: CourseShelf, database: Database, clock: FixedClock
) -> None:
    await shelf.upload(CREATOR, HERE, [V1])
    tutor = Tutor(database, await shelf.catalog_for([HERE]), clock=clock, rng=random.Random(3))
    assert "How many people" in await say(tutor, f"start {COURSE}")
    assert "Why does adding" in await say(tutor, "7")
    await say(tutor, "because the 4 who joined are added to the 3 who were already there")
    user_id, levels, cards = await database.run(_progress)
    assert levels["plan"] > 0.2 and cards == ["team-size"]
    # The learner is in the middle of the exercise version 2 removes, and has it due.
    gone = ReviewCard(user_id=user_id, course_id=COURSE, exercise_id="first-step", due=clock())
    await database.run(lambda s: s.add(gone))
    await database.run(
        lambda s: dialogue_store.start_dialogue(
            s,
            user_id=user_id,
            course_id=COURSE,
            exercise_id="first-step",
            variant={},
            purpose="practice",
            now=clock(),
            opening="What is the first thing you will say?",
        )
    )

    clock.advance(days=2)
    stored = await shelf.upload(CREATOR, HERE, [V2])
    assert "Stored version 2 of Team talks" in stored.text
    catalog = await shelf.catalog_for([HERE])
    assert set(catalog.courses[COURSE].exercises) == {"team-size", "check-back"}
    assert [c.version for c in await shelf.courses_for(HERE)] == [2]
    assert await database.run(_progress) == (user_id, levels, ["first-step", *cards])

    tutor = Tutor(database, catalog, clock=clock, rng=random.Random(3))
    reply = await say(tutor, "I will say that the rota is not working for me")
    assert "That exercise was removed from the course" in reply
    assert "Plan one conversation" in await say(tutor, "progress")
    assert await say(tutor, "review")  # the card of the removed exercise is passed over
    assert await database.run(_progress) == (user_id, levels, ["first-step", *cards])


async def test_forgetting_the_uploader_keeps_the_course_for_its_server(
    shelf: CourseShelf, database: Database, installed: Catalog, clock: FixedClock
) -> None:
    await shelf.upload(CREATOR, HERE, [V1])
    tutor = Tutor(database, installed, clock=clock)
    exported = await tutor.export(CREATOR)
    assert exported is not None and len(exported["course_uploads"]) == 1
    assert await tutor.forget(CREATOR)

    def uploaders(session: Session) -> list[int | None]:
        return list(session.execute(select(col(CourseUpload.uploaded_by))).scalars())

    assert await database.run(uploaders) == [None]
    assert COURSE in (await shelf.catalog_for([HERE])).courses
