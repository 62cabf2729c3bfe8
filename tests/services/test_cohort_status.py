"""`/cohort status` from recorded work: who is stuck (on which skill, since when, with which
misconception), misconception clusters, items too hard or too easy, the inactive list, the
CSV and the chart; the leaderboard's threshold and opt-out; a fixed number of queries."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from bot.content.catalog import Catalog
from bot.services.cohort_desk import CohortDesk
from bot.services.messages import Person
from bot.store import cohorts_members as member_store
from bot.store import dialogues as dialogue_store
from bot.store import fitted as fitted_store
from bot.store import learning as learning_store
from bot.store.db import Database
from bot.store.models import Mastery, ReviewCard, Turn
from tests.conftest import FixedClock
from tests.services.test_cohort_desk import (
    COURSE,
    CREATOR,
    HERE,
    LEARNERS,
    STRANGER,
    cohort_id_of,
    running_cohort,
    user_id,
)
from tests.store.test_cohort_store import cohort as add_cohort
from tests.store.test_cohort_store import person
from tests.support.statements import counting

ADA, BO, CY = LEARNERS
LIKE = "add-like-fractions"
QUESTION = "Is a half plus a half really a half?"


@pytest.fixture
def desk(database: Database, catalog: Catalog, clock: FixedClock) -> CohortDesk:
    """The cohort service on the test database and clock."""
    return CohortDesk(database, catalog, clock=clock)


def attempt(
    session: Session, who: int, exercise: str, skill: str, credit: float, at: datetime
) -> None:
    """Log one graded attempt."""
    row = learning_store.AttemptRow(who, COURSE, skill, exercise, "practice", credit, at)
    learning_store.add_attempt(session, row)


def targeted(session: Session, who: int, exercise: str, name: str, at: datetime) -> None:
    """A dialogue in which the tutor asked the targeted question of a misconception."""
    dialogue = dialogue_store.start_dialogue(
        session,
        user_id=who,
        course_id=COURSE,
        exercise_id=exercise,
        variant={},
        purpose="practice",
        now=at,
        opening="?",
    )
    session.add(
        Turn(
            dialogue_id=dialogue,
            seq=2,
            role="tutor",
            text="…",
            move="targeted",
            misconception=name,
            created_at=at,
        )
    )


def recorded_work(session: Session, ids: dict[str, int], now: datetime) -> None:
    """Ada is stuck on adding like fractions; Bo hit the same misconception and moved on;
    Cy has not practised for ten days; one item is far too hard, another rated too easy."""
    ada, bo, cy = ids["Ada"], ids["Bo"], ids["Cy"]
    for n in range(4):
        attempt(
            session, ada, "add-like", LIKE, 0.0, now - timedelta(hours=3) + timedelta(minutes=n)
        )
    targeted(session, ada, "add-like", "added-denominators", now - timedelta(hours=3))
    targeted(session, bo, "add-like-trail", "added-denominators", now - timedelta(days=2))
    targeted(session, bo, "simplest-form", "not-simplified", now - timedelta(days=2))
    targeted(session, cy, "simplest-form", "not-simplified", now - timedelta(days=10))
    for n in range(3):
        attempt(session, bo, "add-like", LIKE, 0.0, now - timedelta(days=2, minutes=n))
    attempt(session, bo, "add-like", LIKE, 1.0, now - timedelta(days=1))
    targeted(session, cy, "add-like", "added-denominators", now - timedelta(days=10))
    for n in range(24):  # 20+ observed attempts, mean 1/6: far too hard
        attempt(
            session,
            (ada, bo)[n % 2],
            "add-unlike-general",
            "add-unlike-fractions",
            1.0 if n % 6 == 0 else 0.0,
            now - timedelta(days=1, minutes=n),
        )
    fitted_store.save_item_ratings(
        session, COURSE, {"missing-numerator": fitted_store.ItemEstimate(-4.0, 40, 0.99)}, now
    )
    session.add(
        Mastery(
            user_id=bo,
            course_id=COURSE,
            skill_id="equivalent-fractions",
            p_known=0.97,
            status="mastered",
            proficient_at=now - timedelta(days=5),
            mastered_at=now - timedelta(days=2),
        )
    )
    session.add(Mastery(user_id=ada, course_id=COURSE, skill_id=LIKE, p_known=0.3))
    session.add(
        ReviewCard(
            user_id=bo,
            course_id=COURSE,
            exercise_id="simplest-form",
            card={},
            due=now - timedelta(days=1),
        )
    )


async def cohort_with_work(desk: CohortDesk, database: Database, clock: FixedClock) -> int:
    """Maya's cohort of three, with their recorded work."""
    cohort = await running_cohort(desk)
    ids = {p.display_name: await user_id(database, p) for p in LEARNERS}
    await database.run(recorded_work, ids, clock())
    return cohort


async def test_status_shows_the_stuck_member_clusters_items_and_inactive(
    desk: CohortDesk, database: Database, clock: FixedClock
) -> None:
    await cohort_with_work(desk, database, clock)
    status = await desk.status(CREATOR, HERE)
    text = status.text
    assert (
        "Ada on Adding fractions with like denominators since 3 h ago "
        "(4 misses, misconception: added-denominators)" in text
    )
    assert "Bo on Adding fractions with like" not in text  # a good attempt after: progress
    assert "Bo on Adding fractions with unlike… since 1 d ago (12 misses)" in text
    assert "1. added-denominators: 3 member(s)" not in text  # Cy's hit is 10 days old
    assert "1. added-denominators: 2 member(s)" in text
    assert QUESTION in text
    assert "not-simplified" not in text  # one member this week is no cluster
    assert "Too hard: Finding a common denominator (17% observed)" in text
    assert "Too easy: The missing top (98% rated)" in text
    assert "Inactive 5+ days (1): Cy (10 d ago)" in text
    assert "Reviews overdue: 1 member(s)." in text
    assert "Equivalent fractions: 1 / 0 / 0" in text
    post = status.choices[-1]
    assert post.label == "Post 1" and post.action.endswith(":added-denominators")
    misconception = post.action.split(":", 2)[2]
    posted = await desk.discussion(CREATOR, HERE, misconception)
    assert QUESTION in posted.reply.text and posted.channel_id == HERE.channel_id
    refused = await desk.discussion(ADA, HERE, misconception)
    assert "isn't one of your cohorts" in refused.reply.text and refused.channel_id is None


async def test_a_member_who_never_practised_is_inactive_once_the_days_since_joining_pass(
    desk: CohortDesk, database: Database, clock: FixedClock
) -> None:
    cohort = await cohort_with_work(desk, database, clock)
    now = clock()
    clock.now = now - timedelta(days=6)
    await desk.consent(STRANGER, cohort)  # joined six days ago, never practised
    clock.now = now
    await desk.consent(Person("discord", "learner-dee", "Dee"), cohort)  # joined just now
    text = (await desk.status(CREATOR, HERE)).text
    assert "Inactive 5+ days (2): Eve (never), Cy (10 d ago)" in text


async def test_csv_has_a_row_per_member_and_skill_with_the_stuck_flag(
    desk: CohortDesk, database: Database, clock: FixedClock, catalog: Catalog
) -> None:
    await cohort_with_work(desk, database, clock)
    reply = await desk.export_csv(CREATOR, HERE)
    attachment = reply.attachments[0]
    assert attachment.mime_type == "text/csv"
    table = list(csv.DictReader(io.StringIO(attachment.data.decode())))
    course = catalog.get(COURSE)
    assert course is not None
    assert len(table) == 3 * len(course.skills)
    ada_like = next(r for r in table if r["member"] == "Ada" and r["skill"] == LIKE)
    assert ada_like["stuck"] == "yes" and ada_like["misconception"] == "added-denominators"
    assert ada_like["status"] == "learning"
    bo_first = next(
        r for r in table if r["member"] == "Bo" and r["skill"] == "equivalent-fractions"
    )
    assert bo_first["status"] == "mastered" and bo_first["mastered_at"].startswith("2026-02-28")
    assert bo_first["reviews_overdue"] == "1" and bo_first["stuck"] == "no"
    stuck = {(r["member"], r["skill"]) for r in table if r["stuck"] == "yes"}
    assert stuck == {("Ada", LIKE), ("Bo", "add-unlike-fractions")}


async def test_chart_is_a_png(desk: CohortDesk, database: Database, clock: FixedClock) -> None:
    await cohort_with_work(desk, database, clock)
    reply = await desk.chart(CREATOR, HERE)
    png = reply.attachments[0]
    assert png.mime_type == "image/png" and png.data.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(png.data) > 5_000


def proficient(session: Session, who: int, skill: str, status: str = "proficient") -> None:
    """A skill at the goal for a member."""
    session.add(Mastery(user_id=who, course_id=COURSE, skill_id=skill, p_known=0.96, status=status))


async def test_leaderboard_needs_three_scorers_and_respects_opt_out(
    desk: CohortDesk, database: Database, clock: FixedClock
) -> None:
    cohort = await running_cohort(desk)
    ids = [await user_id(database, p) for p in LEARNERS]
    assert "no leaderboard" in (await desk.leaderboard(ADA, cohort)).text
    assert "is on" in (await desk.set_leaderboard(CREATOR, HERE, True)).text
    await database.run(proficient, ids[0], "equivalent-fractions", "mastered")
    await database.run(proficient, ids[1], "equivalent-fractions")
    assert "shows once 3 members" in (await desk.leaderboard(ADA, cohort)).text
    await database.run(proficient, ids[2], "equivalent-fractions")
    await database.run(proficient, ids[2], LIKE)
    board = (await desk.leaderboard(ADA, cohort)).text
    assert board.index("1. Ada: 1 (0)") < board.index("2. Cy: 0 (2)") < board.index("3. Bo: 0 (1)")
    assert "off the leaderboard" in (await desk.leaderboard_opt_out(BO, cohort)).text
    assert "shows once 3 members" in (await desk.leaderboard(ADA, cohort)).text
    assert "aren't in that cohort" in (await desk.leaderboard(STRANGER, cohort)).text


def other_cohorts(session: Session, many: int, now: datetime) -> None:
    """Cohorts elsewhere, each with a member and some work."""
    for n in range(many):
        creator = person(session, f"other-creator-{n}")
        other = add_cohort(session, creator, workspace=f"guild-x{n}", channel="c")
        member = person(session, f"other-member-{n}")
        member_store.add_member(session, other, member, now)
        attempt(session, member, "add-like", LIKE, 0.0, now - timedelta(hours=5))
        targeted(session, member, "add-like", "added-denominators", now - timedelta(hours=5))


async def test_status_runs_the_same_queries_however_many_cohorts_exist(
    desk: CohortDesk, database: Database, clock: FixedClock
) -> None:
    await cohort_with_work(desk, database, clock)
    with counting(database) as few:
        before = (await desk.status(CREATOR, HERE)).text
    await database.run(other_cohorts, 30, clock())
    with counting(database) as many:
        after = (await desk.status(CREATOR, HERE)).text
    assert len(few) == len(many) and 5 <= len(few) <= 15
    assert before == after  # the other cohorts' members never reach this status
    created = await desk.create(CREATOR, HERE, COURSE)
    assert cohort_id_of(created) > 1
