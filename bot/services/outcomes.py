"""Turn graded attempts into learning evidence: mastery per skill, memory per item.

Every graded attempt is one observation of the skill (``bot.learning.mastery``):

- a wrong answer that leaves the exercise open is recorded as it is given
  (``record_attempt``, from the write phase of the turn);
- the answer that ends or solves the exercise is recorded with the exercise's outcome
  (``record_outcome``): a solve keeps the credit its hints left it, the miss that ran
  the hint ladder out is a miss, a skip without any attempt is a miss, a reflection
  counts for the criteria it met;
- a placement answer is an observation capped below the gate.

So no attempt counts twice. Each observation is also logged (``attempts``), the data the
parameters are fitted from; the parameters themselves are the fitted ones once a skill
has been fitted (``bot.store.fitted``), the course's own until then.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.orm import Session

from bot.content.catalog import Course
from bot.content.models import Exercise, ReflectionExercise
from bot.dialogue import reflection
from bot.dialogue.state import DialogueState, Step
from bot.learning import bkt, memory
from bot.learning.mastery import Observation, SkillState, Status, Transition, observe
from bot.store import fitted as fitted_store
from bot.store import learning as learning_store
from bot.store.dialogues import OpenDialogue
from bot.store.models import User

RECALL_FIRST_DUE = timedelta(days=1)
PLACEMENT = "placement"
REVIEW = "review"


@dataclass
class LearningNews:
    """What changed for the learner: skills newly proficient, mastered, dropped, unlocked."""

    proficient: list[str] = field(default_factory=list)
    mastered: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    unlocked: list[str] = field(default_factory=list)

    def text(self, course: Course) -> str:
        """Say it in a sentence or two (empty when nothing changed)."""

        def names(skills: list[str]) -> str:
            return ", ".join(course.skills[s].title for s in skills)

        parts = []
        if self.mastered:
            parts.append(f"Confirmed on a later day: you've mastered {names(self.mastered)}!")
        if self.proficient:
            parts.append(
                f"You're now proficient in {names(self.proficient)}. "
                "A review on another day will confirm it's mastered."
            )
        if self.dropped:
            verb = "needs" if len(self.dropped) == 1 else "need"
            parts.append(
                f"{names(self.dropped)} {verb} a little more practice before it counts as mastered."
            )
        if self.unlocked:
            parts.append(f"Unlocked: {names(self.unlocked)}.")
        return " ".join(parts)


def record_attempt(
    session: Session,
    *,
    user_id: int,
    course: Course,
    exercise: Exercise,
    dialogue: OpenDialogue,
    step: Step,
    now: datetime,
    threshold: float,
) -> LearningNews:
    """Record one graded learner turn that ``record_outcome`` will not see.

    A wrong answer that leaves the exercise open is an observation (credit 0); so is a
    placement answer (credit 1 or 0, its estimate kept below the gate). A turn that ends
    or solves a practice or review exercise (``step.answered``) is recorded with the
    outcome; a turn that was not graded (a hint, an unclear or hedged answer) is no
    evidence. Call it once per written turn, before the outcome is recorded.
    """
    if step.verdict not in ("correct", "wrong"):
        return LearningNews()
    placement = dialogue.purpose == PLACEMENT
    if step.answered and not placement:
        return LearningNews()
    credit = bkt.evidence_credit(step.verdict == "correct", step.state.hint_rung)
    review = False if dialogue.purpose == REVIEW else None
    return _observe(
        session,
        user_id,
        course,
        exercise,
        dialogue.purpose,
        Observation(credit, now, review=review, placement=placement),
        threshold,
        solved=step.verdict == "correct",
    )


def record_outcome(
    session: Session,
    *,
    user_id: int,
    course: Course,
    exercise: Exercise,
    dialogue: OpenDialogue,
    state: DialogueState,
    now: datetime,
    threshold: float,
) -> LearningNews:
    """Record a finished (or solved) exercise: its closing evidence and the item's card."""
    solved = state.outcome == "solved"
    skipped = state.outcome == "skipped"
    review = dialogue.purpose == REVIEW
    credit: float | None
    if isinstance(exercise, ReflectionExercise):
        # A reflection is evidence in proportion to the criteria the learner met, less for
        # each probe a criterion took (see reflection.evidence); a skipped one is a miss.
        credit = 0.0 if skipped else reflection.evidence(exercise, state)
    elif skipped:
        # Skipped without trying is a miss; after tries, those were the observations.
        credit = 0.0 if state.attempts == 0 else None
    else:
        credit = bkt.evidence_credit(solved, state.hint_rung)
    # A check this review failed on an earlier answer is told now, with the outcome.
    since = dialogue.started_at if review else None
    if credit is None:
        news = _failed_check_since(session, user_id, course, exercise.skill, since)
    else:
        recalled = solved and state.hint_rung == 0 and state.attempts <= 1
        observation = Observation(credit, now, review=recalled if review else None)
        news = _observe(
            session,
            user_id,
            course,
            exercise,
            dialogue.purpose,
            observation,
            threshold,
            solved=solved,
            since=since,
        )
    if not isinstance(exercise, ReflectionExercise):
        seconds = (now - dialogue.started_at).total_seconds()
        _review_card(session, user_id, course, exercise.id, state, solved, seconds, now)
    return news


def _observe(
    session: Session,
    user_id: int,
    course: Course,
    exercise: Exercise,
    purpose: str,
    observation: Observation,
    threshold: float,
    *,
    solved: bool,
    since: datetime | None = None,
) -> LearningNews:
    """Apply one observation to the skill's standing, log the attempt, and say what changed.

    ``since``: also tell a spaced check that failed at or after this time.
    """
    skill = exercise.skill
    fitted = fitted_store.skill_bkt(session, course.id, skill)
    params = course.bkt_for(skill, {skill: fitted} if fitted is not None else None)
    states = learning_store.mastery_states(session, user_id, course.id)
    old = states.get(skill)
    current = _standing(old, params.prior)
    zone = _zone(session, user_id) if observation.review is not None else UTC
    transition = observe(current, observation, params, threshold, zone)
    new = transition.state
    mastery = learning_store.SkillMastery(
        p_known=new.p_known,
        attempts=(old.attempts if old else 0) + 1,
        correct=(old.correct if old else 0) + int(solved),
        status=new.status,
        proficient_at=new.proficient_at,
        mastered_at=new.mastered_at,
        checked_at=new.checked_at,
    )
    key = (user_id, course.id, skill)
    learning_store.save_mastery(session, key, mastery, observation.at, exists=old is not None)
    learning_store.add_attempt(
        session,
        learning_store.AttemptRow(
            user_id, course.id, skill, exercise.id, purpose, observation.credit, observation.at
        ),
    )
    if transition.event == "proficient":
        _schedule_recall(session, user_id, course, skill, observation.at)
    before = {s for s, m in states.items() if s in course.skills and m.status != "learning"}
    news = _news(course, skill, transition, before)
    if transition.event is None and _failed_since(current, since):
        news.dropped.append(skill)
    return news


def _failed_check_since(
    session: Session, user_id: int, course: Course, skill: str, since: datetime | None
) -> LearningNews:
    """Tell a spaced check of the skill that failed at or after ``since``, if one did."""
    if since is None:
        return LearningNews()
    row = learning_store.mastery_states(session, user_id, course.id).get(skill)
    failed = row is not None and _failed_since(_standing(row, 0.0), since)
    return LearningNews(dropped=[skill] if failed else [])


def _failed_since(standing: SkillState, since: datetime | None) -> bool:
    """Tell whether the skill is learning after a spaced check at or after ``since``."""
    checked = standing.checked_at
    return (
        since is not None
        and standing.status == "learning"
        and checked is not None
        and checked >= since
    )


_STATUSES: dict[str, Status] = {
    "learning": "learning",
    "proficient": "proficient",
    "mastered": "mastered",
}


def _standing(row: learning_store.SkillMastery | None, prior: float) -> SkillState:
    """Read a stored row as the learning model's standing (a new skill starts at the prior)."""
    if row is None:
        return SkillState(prior)
    return SkillState(
        min(1.0, max(0.0, row.p_known)),
        _STATUSES.get(row.status, "learning"),
        proficient_at=row.proficient_at,
        mastered_at=row.mastered_at,
        checked_at=row.checked_at,
    )


def _news(course: Course, skill: str, transition: Transition, before: set[str]) -> LearningNews:
    """Say what one transition changed: the skill's standing and what it unlocks."""
    news = LearningNews()
    if transition.event == "proficient":
        news.proficient.append(skill)
    elif transition.event == "mastered":
        news.mastered.append(skill)
    elif transition.event == "dropped":
        news.dropped.append(skill)
    after = set(before)
    if transition.state.unlocks:
        after.add(skill)
    else:
        after.discard(skill)
    news.unlocked = [s for s in newly_unlocked(course, before, after) if s != skill]
    return news


def _zone(session: Session, user_id: int) -> tzinfo:
    """Return the learner's time zone (UTC if unknown): it decides what a later day is."""
    user = session.get(User, user_id)
    try:
        return ZoneInfo(user.timezone) if user is not None and user.timezone else UTC
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def unlocked(course: Course, proficient: set[str]) -> set[str]:
    """Return the skills whose prerequisites are all proficient (or mastered)."""
    return {
        skill_id
        for skill_id, skill in course.skills.items()
        if all(p in proficient for p in skill.prerequisites)
    }


def newly_unlocked(course: Course, before: set[str], after: set[str]) -> list[str]:
    """Return skills that the change from `before` to `after` proficient sets unlocks."""
    opened = unlocked(course, after) - unlocked(course, before)
    return [s for s in course.skill_order() if s in opened]


def _review_card(
    session: Session,
    user_id: int,
    course: Course,
    exercise_id: str,
    state: DialogueState,
    solved: bool,
    seconds: float,
    now: datetime,
) -> None:
    """Review the item's card (creating it on the first solve) with a rating from the dialogue."""
    found = learning_store.card_state(session, user_id, course.id, exercise_id)
    if found is None and not solved:
        return
    card_id, stored = found if found is not None else (None, {})
    rating = memory.rating_for(solved, state.hint_rung, max(state.attempts, 1), seconds)
    current = memory.memory_from_card(stored) if stored else None
    weights = fitted_store.memory_parameters(session, course.id)
    updated = memory.review(current, rating, now, course.desired_retention, weights)
    review = learning_store.CardReview(
        card=updated.card,
        due=updated.due,
        reviewed_at=now,
        rating=int(rating),
        duration_ms=int(seconds * 1000),
    )
    learning_store.save_review(session, (user_id, course.id, exercise_id), card_id, review)


def _schedule_recall(
    session: Session, user_id: int, course: Course, skill_id: str, now: datetime
) -> None:
    """Give the learner a card for each recall item of a skill that just became proficient."""
    for exercise in course.exercises_for(skill_id):
        if exercise.kind != "recall":
            continue
        if learning_store.card_state(session, user_id, course.id, exercise.id) is None:
            fresh = memory.new_memory(now + RECALL_FIRST_DUE)
            key = (user_id, course.id, exercise.id)
            learning_store.add_card(session, key, fresh.card, fresh.due)
