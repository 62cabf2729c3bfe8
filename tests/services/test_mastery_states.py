"""Proficient at the gate, mastered after a review on a later day, dropped when it fails.

Through the Tutor on a real SQLite file, as a learner lives it.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.services.tutor import Tutor
from bot.store import learning as learning_store
from bot.store import users as user_store
from tests.conftest import FixedClock
from tests.services.test_learning_flow import joined, open_exercise, send

COURSE = "fractions-and-equations"
SKILL = "equivalent-fractions"
TITLE = "Equivalent fractions"
NEXT_TITLE = "Adding fractions with like denominators"


async def reach_proficiency(tutor: Tutor, user: str) -> str:
    """Solve the first skill's exercises until it is proficient; return what was said."""
    await send(tutor, f"start {COURSE}", user=user)
    await send(tutor, "idk", user=user)  # placement: from the beginning
    said = ""
    for _ in range(8):
        _, purpose, answer = await open_exercise(tutor, user=user)
        assert purpose == "practice"
        said += joined(await send(tutor, answer, user=user))
        said += joined(await send(tutor, "both name the same amount of the whole", user=user))
        if "proficient in" in said:
            return said
        await send(tutor, "next", user=user)
    raise AssertionError("the first skill never became proficient")


async def standing(tutor: Tutor, user: str) -> learning_store.SkillMastery:
    def read(session: Session) -> learning_store.SkillMastery:
        person = user_store.get_user(session, "console", user)
        assert person is not None and person.id is not None
        return learning_store.mastery_states(session, person.id, COURSE)[SKILL]

    return await tutor.database.run(read)


async def open_review(tutor: Tutor, user: str, clock: FixedClock) -> str:
    """Come back ten days later and take the review that is due; return its answer."""
    return (await open_review_with_a_wrong_answer(tutor, user, clock))[0]


async def open_review_with_a_wrong_answer(
    tutor: Tutor, user: str, clock: FixedClock
) -> tuple[str, str]:
    """Take the review due ten days later; return its answer and a wrong one.

    The wrong answer is one of the other options for a choice item (a reply that is
    none of the options is asked to pick one, not graded), a wrong number otherwise.
    """
    clock.advance(days=10)
    assert "Quick review" in joined(await send(tutor, "review", user=user))
    exercise_id, purpose, answer = await open_exercise(tutor, user=user)
    assert purpose == "review"
    course = tutor.catalog.get(COURSE)
    assert course is not None
    exercise = course.exercises[exercise_id]
    assert exercise.skill == SKILL
    choices = getattr(exercise, "choices", None) or ()
    wrong = next((c for c in choices if c != answer), "12345")
    return answer, wrong


async def test_proficient_unlocks_but_is_not_mastered_until_a_later_review(
    tutor: Tutor, clock: FixedClock
) -> None:
    said = await reach_proficiency(tutor, "ada")
    assert f"You're now proficient in {TITLE}. A review on another day will confirm" in said
    assert f"Unlocked: {NEXT_TITLE}." in said
    assert "you've mastered" not in said
    row = await standing(tutor, "ada")
    assert row.status == "proficient" and row.p_known >= 0.95
    assert row.proficient_at == clock() and row.mastered_at is None

    progress = joined(await send(tutor, "progress", user="ada"))
    assert f"proficient · {TITLE}" in progress
    assert f"learning · {NEXT_TITLE}" in progress  # unlocked by proficiency
    assert "0 of 6 skills mastered · 1 proficient, to confirm in review" in progress
    # The same day, nothing is due: no check yet.
    assert "Nothing is due right now" in joined(await send(tutor, "review", user="ada"))

    answer = await open_review(tutor, "ada", clock)
    done = joined(await send(tutor, answer, user="ada"))
    assert f"Confirmed on a later day: you've mastered {TITLE}!" in done
    row = await standing(tutor, "ada")
    assert row.status == "mastered" and row.mastered_at == clock() == row.checked_at
    progress = joined(await send(tutor, "progress", user="ada"))
    assert f"mastered ✓ · {TITLE}" in progress
    assert "1 of 6 skills mastered" in progress


async def test_a_skipped_check_drops_the_skill_back_and_locks_what_needs_it(
    tutor: Tutor, clock: FixedClock
) -> None:
    await reach_proficiency(tutor, "bo")
    await open_review(tutor, "bo", clock)
    done = joined(await send(tutor, "skip", user="bo"))
    assert f"{TITLE} needs a little more practice before it counts as mastered." in done
    row = await standing(tutor, "bo")
    assert row.status == "learning" and row.p_known < 0.95
    assert row.proficient_at is None and row.checked_at == clock()
    progress = joined(await send(tutor, "progress", user="bo"))
    assert f"learning · {TITLE}" in progress
    assert f"locked 🔒 · {NEXT_TITLE}" in progress


async def test_a_wrong_answer_in_the_check_drops_it_even_if_the_answer_follows(
    tutor: Tutor, clock: FixedClock
) -> None:
    await reach_proficiency(tutor, "cy")
    answer, wrong = await open_review_with_a_wrong_answer(tutor, "cy", clock)
    await send(tutor, wrong, user="cy")
    done = joined(await send(tutor, answer, user="cy"))
    assert f"{TITLE} needs a little more practice before it counts as mastered." in done
    assert "mastered!" not in done and "proficient in" not in done
    row = await standing(tutor, "cy")
    assert row.status == "learning" and row.p_known < 0.95
    # practice (not the review) brings it back to proficient, for a new check later
    await send(tutor, "next", user="cy")
    said = ""
    for _ in range(6):
        _, _, answer = await open_exercise(tutor, user="cy")
        said += joined(await send(tutor, answer, user="cy"))
        if f"proficient in {TITLE}" in said:
            break
        await send(tutor, "skip", user="cy")
        await send(tutor, "next", user="cy")
    assert f"You're now proficient in {TITLE}" in said
    row = await standing(tutor, "cy")
    assert row.status == "proficient" and row.proficient_at == clock()
