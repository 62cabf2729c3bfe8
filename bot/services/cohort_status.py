"""A cohort's status for its staff: mastery per member, who is stuck, clusters, items, inactive.

`read_status` runs a fixed set of reads (see `bot.store.cohorts_status`), all scoped to the
asking staff member, and puts them together with the course content: skill titles, which
item practises which skill, and each misconception's own targeted question.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy.orm import Session

from bot.content.catalog import Course
from bot.content.models import AnsweredExercise, ReflectionExercise
from bot.content.templates import Variant, pick_variant, render
from bot.learning.difficulty import MIN_ITEM_ATTEMPTS, success_chance
from bot.services.cohort_calendar import week_number, week_skill
from bot.store import cohorts as cohort_store
from bot.store import cohorts_members as member_store
from bot.store import cohorts_status as reads
from bot.store.item_report import MIN_ATTEMPTS, TOO_EASY, TOO_HARD

__all__ = [
    "Cluster",
    "ItemFlag",
    "MemberStatus",
    "StatusReport",
    "StatusRules",
    "Stuck",
    "discussion_question",
    "read_status",
]


@dataclass(frozen=True)
class StatusRules:
    """When a member counts as stuck, and how far back clusters and items look."""

    miss_below: float = 0.5  # an attempt earning less credit is a miss (wrong, or big hints)
    min_misses: int = 3  # misses on one skill since the last good attempt
    stuck_after: timedelta = timedelta(hours=1)  # since the first of them, without progress
    cluster_days: int = 7
    min_item_attempts: int = MIN_ATTEMPTS  # an item is judged on at least this many


@dataclass(frozen=True)
class MemberStatus:
    """One member's row of the status."""

    user_id: int
    name: str
    skills: dict[str, str]  # skill id -> learning, proficient or mastered (absent: not begun)
    last_active: datetime | None
    overdue: int
    stuck: bool


@dataclass(frozen=True)
class Stuck:
    """A member stuck on a skill: since when, how many misses, and what the tutor saw."""

    user_id: int
    name: str
    skill_id: str
    skill_title: str
    since: datetime
    misses: int
    misconception: str | None


@dataclass(frozen=True)
class Cluster:
    """A misconception several members hit lately, with a question to discuss it."""

    misconception: str
    members: int
    skill_title: str
    question: str


@dataclass(frozen=True)
class ItemFlag:
    """An item far too hard or too easy."""

    exercise_id: str
    title: str
    verdict: Literal["too hard", "too easy"]
    success: float  # predicted (from the rated difficulty) or observed success, 0..1
    source: Literal["rated", "observed"]
    attempts: int


@dataclass(frozen=True)
class StatusReport:
    """Everything `/cohort status` shows."""

    cohort_id: int
    title: str
    course_title: str
    timezone: str
    week: int
    focus: str | None  # the week's skill title, for a weekly cohort
    skills: list[tuple[str, str]]  # (skill id, title) in course order
    members: list[MemberStatus]
    stuck: list[Stuck]
    clusters: list[Cluster]
    too_hard: list[ItemFlag]
    too_easy: list[ItemFlag]
    inactive: list[tuple[str, datetime | None]]  # (name, last active), longest idle first
    inactive_days: int
    generated_at: datetime
    # (user id, skill id) -> when it reached the gate and when a check confirmed it
    reached: dict[tuple[int, str], tuple[datetime | None, datetime | None]] = field(
        default_factory=dict
    )


def read_status(
    session: Session,
    scope: cohort_store.StaffScope,
    course: Course,
    now: datetime,
    rules: StatusRules | None = None,
) -> StatusReport:
    """Read and assemble the cohort's status (the caller checked the asker is staff)."""
    rules = rules or StatusRules()
    cohort = cohort_store.require_staff(session, scope)
    members = member_store.members_for_staff(session, scope)
    names = {m.user_id: m.display_name or f"member {m.user_id}" for m in members}
    rows = reads.mastery_rows(session, scope, course.id)
    active = reads.last_active(session, scope, course.id)
    overdue = reads.overdue_reviews(session, scope, course.id, now)
    runs = [
        run
        for run in reads.stuck_runs(session, scope, course.id, rules.miss_below, rules.min_misses)
        if now - run.since >= rules.stuck_after and run.user_id in names
    ]
    cluster_since = now - timedelta(days=rules.cluster_days)
    since = min([cluster_since, *(run.since for run in runs)])
    hits = reads.misconception_hits(session, scope, course.id, since)
    counts = reads.item_counts(session, scope, course.id)
    rated = reads.item_difficulties(session, course.id)

    skills_of: dict[int, dict[str, str]] = defaultdict(dict)
    reached: dict[tuple[int, str], tuple[datetime | None, datetime | None]] = {}
    for row in rows:
        if row.skill_id in course.skills:
            skills_of[row.user_id][row.skill_id] = row.status
            reached[(row.user_id, row.skill_id)] = (row.proficient_at, row.mastered_at)
    stuck = _stuck(runs, hits, course, names, skills_of)
    stuck_ids = {s.user_id for s in stuck}
    member_rows = [
        MemberStatus(
            m.user_id,
            names[m.user_id],
            dict(skills_of.get(m.user_id, {})),
            active.get(m.user_id),
            overdue.get(m.user_id, 0),
            m.user_id in stuck_ids,
        )
        for m in members
    ]
    # Idle since their last practice, or since they joined if they never practised.
    idle_since = now - timedelta(days=cohort.nudge_after_days)
    joined = {m.user_id: m.joined_at for m in members}
    inactive = sorted(
        (
            (m.name, m.last_active)
            for m in member_rows
            if (m.last_active or joined[m.user_id]) <= idle_since
        ),
        key=lambda item: (item[1] is not None, item[1] or now, item[0]),
    )
    too_hard, too_easy = _item_flags(course, counts, rated, rules)
    week = week_number(cohort.starts_on, cohort.timezone, now)
    focus = week_skill(course, cohort.pace, week)
    return StatusReport(
        cohort_id=scope.cohort_id,
        title=cohort.title,
        course_title=course.title,
        timezone=cohort.timezone,
        week=week,
        focus=course.skills[focus].title if focus else None,
        skills=[(s, course.skills[s].title) for s in course.skill_order()],
        members=member_rows,
        stuck=stuck,
        clusters=_clusters(hits, course, cluster_since),
        too_hard=too_hard,
        too_easy=too_easy,
        inactive=inactive,
        inactive_days=cohort.nudge_after_days,
        generated_at=now,
        reached=reached,
    )


def _skill_of(course: Course, exercise_id: str) -> str | None:
    exercise = course.exercises.get(exercise_id)
    return exercise.skill if exercise is not None else None


def _stuck(
    runs: list[reads.StuckRun],
    hits: list[reads.MisconceptionHit],
    course: Course,
    names: dict[int, str],
    skills_of: dict[int, dict[str, str]],
) -> list[Stuck]:
    """Members with misses and no progress on a skill, with the misconception seen most."""
    seen: dict[tuple[int, str], list[reads.MisconceptionHit]] = defaultdict(list)
    for hit in hits:
        skill = _skill_of(course, hit.exercise_id)
        if skill is not None:
            seen[(hit.user_id, skill)].append(hit)
    found = []
    for run in runs:
        if run.skill_id not in course.skills:
            continue
        if skills_of.get(run.user_id, {}).get(run.skill_id, "learning") != "learning":
            continue  # reached the gate anyway: progress
        recent = Counter[str]()
        for hit in seen.get((run.user_id, run.skill_id), []):
            if hit.last >= run.since:
                recent[hit.misconception] += hit.hits
        top = min(recent.items(), key=lambda kv: (-kv[1], kv[0]))[0] if recent else None
        title = course.skills[run.skill_id].title
        found.append(
            Stuck(run.user_id, names[run.user_id], run.skill_id, title, run.since, run.misses, top)
        )
    found.sort(key=lambda s: (s.since, s.name))
    return found


def _authored(course: Course, name: str) -> tuple[AnsweredExercise, str] | None:
    """The exercise and question of an authored misconception so named, plain ones first."""
    found = [
        (exercise, misconception.question)
        for exercise in course.exercises.values()
        if not isinstance(exercise, ReflectionExercise)
        for misconception in exercise.misconceptions
        if misconception.name == name
    ]
    found.sort(key=lambda pair: bool(pair[0].parameters))  # stable: file order otherwise
    return found[0] if found else None


def _example(exercise: AnsweredExercise) -> Variant:
    """One fixed variant of a parameterised exercise, so a posted question reads concretely."""
    if not exercise.parameters:
        return {}
    return pick_variant(exercise.parameters, exercise.where, random.Random(0))


def _question_for(course: Course, name: str) -> tuple[str, str] | None:
    """Return (skill title, targeted question with its fields filled) of a misconception."""
    authored = _authored(course, name)
    if authored is None:
        return None
    exercise, question = authored
    return course.skills[exercise.skill].title, render(question, _example(exercise))


def discussion_question(course: Course, misconception: str) -> str:
    """What to post to discuss a misconception: the problem it came up in and its own
    targeted question (a general question for a misconception no author named)."""
    authored = _authored(course, misconception)
    if authored is None:
        return f"Some of us have been thinking: {misconception}. When does that work, and when not?"
    exercise, question = authored
    variant = _example(exercise)
    return f"{render(exercise.prompt, variant).strip()}\n\n{render(question, variant)}"


def _clusters(hits: list[reads.MisconceptionHit], course: Course, since: datetime) -> list[Cluster]:
    """Misconceptions hit lately, by how many distinct members hit each (at least two)."""
    who: dict[str, set[int]] = defaultdict(set)
    skills: dict[str, str] = {}
    for hit in hits:
        if hit.last >= since:
            who[hit.misconception].add(hit.user_id)
            skill = _skill_of(course, hit.exercise_id)
            if skill is not None and skill in course.skills:
                skills.setdefault(hit.misconception, course.skills[skill].title)
    clusters = []
    for name, members in who.items():
        if len(members) < 2:
            continue
        authored = _question_for(course, name)
        skill_title, question = authored or (
            skills.get(name, ""),
            discussion_question(course, name),
        )
        clusters.append(Cluster(name, len(members), skill_title, question))
    clusters.sort(key=lambda c: (-c.members, c.misconception))
    return clusters


def _item_flags(
    course: Course,
    counts: list[reads.ItemCount],
    rated: dict[str, tuple[float, int]],
    rules: StatusRules,
) -> tuple[list[ItemFlag], list[ItemFlag]]:
    """Items far too hard or easy: by rated difficulty when trusted, else by observed success."""
    observed = {c.exercise_id: c for c in counts}
    hard: list[ItemFlag] = []
    easy: list[ItemFlag] = []
    for item in sorted(set(observed) | set(rated)):
        exercise = course.exercises.get(item)
        if exercise is None:
            continue
        flag: ItemFlag | None = None
        if item in rated and rated[item][1] >= MIN_ITEM_ATTEMPTS:
            chance = success_chance(0.0, rated[item][0])  # an average learner of the skill
            flag = _flag(item, exercise.title or item, chance, "rated", rated[item][1])
        elif item in observed and observed[item].attempts >= rules.min_item_attempts:
            count = observed[item]
            flag = _flag(
                item, exercise.title or item, count.mean_credit, "observed", count.attempts
            )
        if flag is not None:
            (hard if flag.verdict == "too hard" else easy).append(flag)
    hard.sort(key=lambda f: f.success)
    easy.sort(key=lambda f: -f.success)
    return hard, easy


def _flag(
    item: str, title: str, success: float, source: Literal["rated", "observed"], n: int
) -> ItemFlag | None:
    if success < TOO_HARD:
        return ItemFlag(item, title, "too hard", success, source, n)
    if success > TOO_EASY:
        return ItemFlag(item, title, "too easy", success, source, n)
    return None
