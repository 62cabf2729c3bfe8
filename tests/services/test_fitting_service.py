"""Parameters fitted from the deployment's own logs, stored, and used from then on.

On a real SQLite file: attempts simulated from known BKT parameters are fitted back; the
next learner's estimate follows the fitted parameters; item ratings steer the next
exercise; FSRS weights are optimised only when asked and only from enough reviews;
`tutor fit` (``run_fit``) does it all from the settings.
"""

from __future__ import annotations

import asyncio
import random
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from fsrs import Rating
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.content.catalog import Catalog
from bot.learning import bkt, memory
from bot.learning.fitting import FittedParams
from bot.services.course_catalog import uploaded_id
from bot.services.course_shelf import CourseShelf
from bot.services.fitting_service import fit_parameters, fit_when_due, run_fit
from bot.services.next_step import choose_next_item
from bot.services.tutor import Tutor
from bot.settings import Settings
from bot.store import fitted as fitted_store
from bot.store import learning as learning_store
from bot.store import users as user_store
from bot.store.db import Database
from bot.store.models import FitRun, FittedMemory, FittedSkill, ItemRating
from tests.conftest import CONTENT, FixedClock
from tests.services.test_course_shelf import CREATOR, HERE, V1
from tests.services.test_learning_flow import joined, open_exercise, send

COURSE = "fractions-and-equations"
RICH = "equivalent-fractions"  # enough data to fit
SPARSE = "one-step-equations"  # too little
TRUTH = FittedParams(prior=0.6, learn=0.1, slip=0.2, guess=0.25)


def learners(session: Session, count: int, prefix: str = "sim") -> list[int]:
    """A unit: consenting learners; return their ids."""
    ids = []
    for n in range(count):
        user = user_store.get_or_create_user(session, "console", f"{prefix}-{n}", f"{prefix} {n}")
        session.flush()
        assert user.id is not None
        ids.append(user.id)
    return ids


def simulated_log(session: Session, ids: list[int], start: datetime, seed: int = 5) -> int:
    """A unit: time-ordered attempts of learners following BKT with TRUTH; return how many.

    Every learner answers 12 items of the rich skill (alternating its two problems), and
    the first five answer 3 items of the sparse one.
    """
    rng = random.Random(seed)
    at, count = start, 0
    for learner in ids:
        known = rng.random() < TRUTH.prior
        for n in range(12):
            right = rng.random() < (1 - TRUTH.slip if known else TRUTH.guess)
            item = ("missing-numerator", "simplest-form")[n % 2]
            at += timedelta(minutes=1)
            row = learning_store.AttemptRow(
                learner, COURSE, RICH, item, "practice", float(right), at
            )
            learning_store.add_attempt(session, row)
            count += 1
            known = known or rng.random() < TRUTH.learn
    for learner in ids[:5]:
        for _ in range(3):
            at += timedelta(minutes=1)
            row = learning_store.AttemptRow(
                learner, COURSE, SPARSE, "one-step-add", "practice", 1.0, at
            )
            learning_store.add_attempt(session, row)
            count += 1
    return count


def stored(session: Session) -> tuple[dict[str, FittedSkill], dict[str, ItemRating]]:
    skills = {r.skill_id: r for r in session.execute(select(FittedSkill)).scalars()}
    items = {r.exercise_id: r for r in session.execute(select(ItemRating)).scalars()}
    return skills, items


async def test_fit_recovers_the_skill_stores_it_with_its_data_and_keeps_the_sparse_one(
    database: Database, catalog: Catalog, clock: FixedClock
) -> None:
    ids = await database.run(learners, 40)
    count = await database.run(simulated_log, ids, clock() - timedelta(days=30))
    report = await fit_parameters(database, catalog, clock())

    skills, items = await database.run(stored)
    assert set(skills) == {RICH}  # the sparse skill keeps the course's parameters
    fit = skills[RICH]
    assert (fit.learners, fit.responses, fit.fitted_at) == (40, 480, clock())
    assert fit.prior == pytest.approx(TRUTH.prior, abs=0.2)
    assert fit.slip == pytest.approx(TRUTH.slip, abs=0.1)
    assert fit.guess == pytest.approx(TRUTH.guess, abs=0.12)
    assert set(items) == {"missing-numerator", "simplest-form", "one-step-add"}
    assert items["missing-numerator"].attempts == 240
    assert report.attempts == count and report.skills_fitted == 1
    text = "\n".join(report.lines())
    assert f"{COURSE}: {count:,} graded attempts" in text
    assert "BKT fitted for 1 of 2 skills with attempts" in text
    assert "(40 learners, 480 answers)" in text
    assert "FIT_MEMORY is off" in text


async def test_an_uploaded_course_is_fitted_under_its_own_id(
    database: Database, catalog: Catalog, clock: FixedClock
) -> None:
    shelf = CourseShelf(database, catalog, clock=clock)
    assert "Stored version 1" in (await shelf.upload(CREATOR, HERE, [V1])).text
    course_id = uploaded_id(HERE.platform, HERE.workspace_id, "team-talks")
    ids = await database.run(learners, 30, "up")
    rng = random.Random(9)

    def answers(session: Session) -> None:
        at = clock() - timedelta(days=10)
        for learner in ids:
            for _ in range(8):
                at += timedelta(minutes=1)
                right = float(rng.random() < 0.7)
                row = learning_store.AttemptRow(
                    learner, course_id, "plan", "team-size", "practice", right, at
                )
                learning_store.add_attempt(session, row)

    await database.run(answers)
    report = await fit_parameters(database, catalog, clock())  # the installed catalog only

    assert course_id in {c.course_id for c in report.courses}
    fit = await database.run(fitted_store.skill_bkt, course_id, "plan")
    assert fit is not None  # fitted from its own learners, not left at the course's prior
    skills, items = await database.run(stored)
    assert skills["plan"].learners == 30 and items["team-size"].attempts == 240


async def test_the_next_learner_is_traced_with_the_fitted_parameters(
    tutor: Tutor, catalog: Catalog, clock: FixedClock
) -> None:
    database = tutor.database
    ids = await database.run(learners, 40)
    await database.run(simulated_log, ids, clock() - timedelta(days=30))
    await send(tutor, f"start {COURSE}", user="zoe")  # the course's prior, before the fit
    before = joined(await send(tutor, "progress", user="zoe"))
    assert "30% learning · Equivalent fractions" in before

    await fit_parameters(database, catalog, clock())
    fitted = await database.run(fitted_store.skill_bkt, COURSE, RICH)
    assert fitted is not None and fitted.prior != pytest.approx(0.3, abs=0.01)
    after = joined(await send(tutor, "progress", user="zoe"))
    assert f"{round(fitted.prior * 100)}% learning · Equivalent fractions" in after

    await send(tutor, "idk", user="zoe")  # placement: from the beginning
    _, purpose, answer = await open_exercise(tutor, user="zoe")
    assert purpose == "practice"
    await send(tutor, answer, user="zoe")

    def p_known(session: Session) -> float:
        user = user_store.get_user(session, "console", "zoe")
        assert user is not None and user.id is not None
        return learning_store.mastery_states(session, user.id, COURSE)[RICH].p_known

    assert await database.run(p_known) == pytest.approx(bkt.update(fitted.prior, 1.0, fitted))


async def test_rated_items_steer_the_next_exercise(
    database: Database, catalog: Catalog, clock: FixedClock
) -> None:
    course = catalog.get(COURSE)
    assert course is not None
    (learner,) = await database.run(learners, 1)

    def first_practice(session: Session) -> str | None:
        item = choose_next_item(
            session,
            user_id=learner,
            course=course,
            placement_done=True,
            recent=[],
            rng=random.Random(1),
            now=clock(),
        )
        return None if item is None else item.exercise_id

    # At the prior (0.3, typical item 0.375) the level-1 item is the nearest the band.
    assert await database.run(first_practice) == "missing-numerator"
    ratings = {
        "missing-numerator": fitted_store.ItemEstimate(2.0, 200, 0.2),  # far harder than written
        "simplest-form": fitted_store.ItemEstimate(-2.0, 200, 0.9),  # far easier
    }
    await database.run(fitted_store.save_item_ratings, COURSE, ratings, clock())
    # simplest-form: sigma(logit(0.375) + 2) = 0.82, in the band
    assert await database.run(first_practice) == "simplest-form"


async def test_the_weekly_job_fits_once_a_week_whatever_the_restarts(
    database: Database, catalog: Catalog, clock: FixedClock
) -> None:
    ids = await database.run(learners, 25)
    await database.run(simulated_log, ids, clock() - timedelta(days=3))
    first = await fit_when_due(database, catalog, clock)
    assert first is not None and first.skills_fitted == 1
    clock.advance(days=3)
    assert await fit_when_due(database, catalog, clock) is None  # a restart: not due yet
    clock.advance(days=4)
    assert await fit_when_due(database, catalog, clock) is not None

    def runs(session: Session) -> int:
        return int(session.execute(select(func.count()).select_from(FitRun)).scalar_one())

    assert await database.run(runs) == 2


def reviewed_cards(session: Session, ids: list[int], start: datetime) -> None:
    """A unit: every learner reviews four items seven times, days apart, some forgotten."""
    rng = random.Random(9)
    items = ["missing-numerator", "simplest-form", "add-like", "one-step-add"]
    for learner in ids:
        for item in items:
            at, card_id, current = start, None, None
            for n in range(8):
                rating = Rating.Good if n == 0 or rng.random() < 0.85 else Rating.Again
                current = memory.review(current, rating, at)
                review = learning_store.CardReview(current.card, current.due, at, int(rating), 9000)
                learning_store.save_review(session, (learner, COURSE, item), card_id, review)
                if card_id is None:
                    found = learning_store.card_state(session, learner, COURSE, item)
                    assert found is not None
                    card_id = found[0]
                at = current.due + timedelta(hours=rng.randint(0, 30))


async def test_memory_is_fitted_only_when_asked_and_then_schedules_the_course(
    database: Database, catalog: Catalog, clock: FixedClock
) -> None:
    ids = await database.run(learners, 50, "rev")
    await database.run(reviewed_cards, ids, clock() - timedelta(days=3000))
    await fit_parameters(database, catalog, clock())
    assert await database.run(fitted_store.memory_parameters, COURSE) is None  # not asked

    report = await fit_parameters(database, catalog, clock(), memory=True)
    weights = await database.run(fitted_store.memory_parameters, COURSE)
    assert weights is not None and len(weights) == memory.PARAMETER_COUNT

    def size(session: Session) -> tuple[int, int, datetime]:
        row = session.execute(select(FittedMemory)).scalar_one()
        return row.reviews, row.cards, row.fitted_at

    reviews, cards, when = await database.run(size)
    assert cards == 200 and reviews == 200 * 7 and when == clock()
    assert "FSRS weights optimised from 1,400 reviews a day apart on 200 cards" in "\n".join(
        report.lines()
    )
    # Courses without enough reviews keep the default weights, and say so.
    assert "default FSRS weights kept" in "\n".join(report.lines())


async def log_into_file(url: str, start: datetime) -> None:
    """Migrate a database file and log the simulated course's attempts into it from ``start``."""
    database = Database(url)
    try:
        await database.upgrade()
        ids = await database.run(learners, 30)
        await database.run(simulated_log, ids, start)
    finally:
        await database.close()


def test_tutor_fit_fits_a_sqlite_file_and_prints_what_it_found(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'tutor.db'}"
    asyncio.run(log_into_file(url, datetime.fromisoformat("2026-02-01T09:00:00+00:00")))
    # the log has a fixed date and `tutor fit` runs now: keep every attempt, however old
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, database_url=url, content_dir=CONTENT, attempts_keep_days=0
    )
    printed: list[str] = []
    assert run_fit(settings, echo=printed.append) == 0
    assert f"{COURSE}: 375 graded attempts" in printed
    assert any(line.startswith(f"    {RICH}: prior ") for line in printed)

    async def fitted() -> dict[str, FittedSkill]:
        database = Database(url)
        try:
            return (await database.run(stored))[0]
        finally:
            await database.close()

    assert set(asyncio.run(fitted())) == {RICH}


def test_tutor_fit_refuses_broken_content(tmp_path: Path) -> None:
    broken = Path(__file__).resolve().parent.parent / "content_fixtures" / "missing-field"
    url = f"sqlite+aiosqlite:///{tmp_path / 'tutor.db'}"
    settings = Settings(_env_file=None, database_url=url, content_dir=broken.parent)  # type: ignore[call-arg]
    printed: list[str] = []
    assert run_fit(settings, echo=printed.append) == 1
    assert printed[-1].endswith("content problem(s); fix them and try again.")
