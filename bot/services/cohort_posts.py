"""The weekly channel post of each cohort, and what every cohort automation shares: its
policy, the calendar, waking hours, and recording an automation with its messages.

A cohort's week N is posted on the week's first day at `post_hour` in the cohort's zone.
A sweep posts only the current week: one that runs late (after downtime) still posts it
once, and weeks missed meanwhile are not sent in a burst. The post is recorded in
`cohort_events` in the unit that queues it (and its outbox key names the week), so a
second sweep or a restart never posts a week twice; an ended cohort is never read.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.content.catalog import Catalog, Course
from bot.content.models import ReflectionExercise
from bot.scheduling.rules import Recipient, in_quiet_hours, quiet_ends_at, zone
from bot.services.cohort_access import CohortInfo, info
from bot.services.cohort_calendar import week_number, week_skill
from bot.services.cohort_status import StatusRules, discussion_question
from bot.services.course_access import ensure_courses
from bot.store import cohort_events as event_store
from bot.store import cohorts_sweeps as sweep_reads
from bot.store.cohorts_sweeps import Contact
from bot.store.db import Database

if TYPE_CHECKING:
    from bot.services.cohort_certificate import Certificate
from bot.store.outbox import NewMessage, enqueue

__all__ = [
    "COHORT_POST",
    "POST",
    "START_ACTION",
    "AutomationPolicy",
    "Outgoing",
    "direct_message",
    "due_week",
    "post_due_at",
    "post_payload",
    "post_unit",
    "start_choices",
    "sweep_posts",
    "waking_at",
    "write_outgoing",
]

log = logging.getLogger(__name__)

COHORT_POST = "cohort_post"
POST = "post"  # the event kind: key is the week
START_ACTION = "cohort-start"  # "cohort-start:<cohort id>": open the learner's DM and practise
CLUSTER_DAYS = 7


@dataclass(frozen=True)
class AutomationPolicy:
    """When cohort posts go, how often a member is nudged, and how big a sweep's batches are."""

    post_hour: int = 9  # local hour of the week's first day, in the cohort's zone
    nudge_cap: int = 2  # nudges per membership, ever
    batch: int = 500  # cohorts read per unit of work
    digests_per_unit: int = 20  # a digest reads the cohort's status: a few are done per unit
    rules: StatusRules = field(default_factory=StatusRules)


@dataclass
class Outgoing:
    """One thing to do once (its event) and the messages that say it."""

    event: event_store.NewEvent
    messages: list[NewMessage]
    certificate: Certificate | None = None


def direct_message(
    contact: Contact, kind: str, payload: dict[str, Any], key: str, at: datetime, now: datetime
) -> NewMessage:
    """A DM to one person, ready from `at`."""
    return NewMessage(
        user_id=contact.user_id,
        platform=contact.platform,
        recipient=contact.platform_user_id,
        kind=kind,
        payload=payload,
        idempotency_key=key[:128],
        next_attempt_at=at,
        created_at=now,
    )


def write_outgoing(session: Session, outgoing: list[Outgoing]) -> int:
    """Record the events; queue the messages of those recorded as new; return how many."""
    if not outgoing:
        return 0
    new = event_store.record_new(session, [o.event for o in outgoing])
    messages = [
        m
        for o in outgoing
        if (o.event.cohort_id, o.event.kind, o.event.key) in new
        for m in o.messages
    ]
    enqueue(session, messages)
    return len(messages)


def post_due_at(cohort: CohortInfo, week: int, hour: int) -> datetime:
    """When week `week` of a cohort is posted: its first day at `hour`, in the cohort's zone."""
    tz = ZoneInfo(cohort.timezone)
    first = cohort.starts_on.astimezone(tz).date() + timedelta(days=7 * (week - 1))
    return datetime.combine(first, time(hour), tzinfo=tz).astimezone(UTC)


def due_week(cohort: CohortInfo, now: datetime, hour: int) -> int | None:
    """The current week if its post time has come, else None (before the start, too)."""
    week = week_number(cohort.starts_on, cohort.timezone, now)
    if week < 1 or now < post_due_at(cohort, week, hour):
        return None
    return week


def waking_at(now: datetime, contact: Contact) -> datetime:
    """The first moment from now outside the person's quiet hours."""
    local = now.astimezone(zone(contact.timezone))
    if not in_quiet_hours(local, contact.quiet_start, contact.quiet_end):
        return now
    recipient = Recipient(contact.timezone, contact.quiet_start, contact.quiet_end)
    return quiet_ends_at(now, recipient)


def start_choices(cohort_id: int, label: str) -> list[dict[str, str]]:
    """The one button of a cohort message: open the learner's DM and practise."""
    return [{"action": f"{START_ACTION}:{cohort_id}", "label": label}]


def week_question(course: Course, skill_id: str | None, misconception: str | None) -> str:
    """The week's discussion question: the focus skill's reflection prompt, else the
    misconception the cohort met most lately, else a general question."""
    if skill_id is not None:
        for exercise in course.exercises.values():
            if isinstance(exercise, ReflectionExercise) and exercise.skill == skill_id:
                return exercise.prompt.strip()
    if misconception is not None:
        return discussion_question(course, misconception)
    if skill_id is not None:
        title = course.skills[skill_id].title
        return f"What is one thing about {title} that clicked for you, and one that hasn't yet?"
    return "What did you practise this week, and what would you explain differently now?"


def post_payload(
    cohort: CohortInfo, course: Course, week: int, misconception: str | None
) -> dict[str, Any]:
    """The week's post: its focus, the Start practising button and the thread's question."""
    skill_id = week_skill(course, cohort.pace, week)
    if skill_id is not None:
        skill = course.skills[skill_id]
        about = f" {skill.description.strip()}" if skill.description.strip() else ""
        text = f"**{cohort.title}**, week {week}: this week's focus is **{skill.title}**.{about}"
        focus = skill.title
    elif cohort.pace == "weekly":
        text = (
            f"**{cohort.title}**, week {week}: every skill of {course.title} is open now. "
            "This week, finish what you started and answer the reviews that are due."
        )
        focus = "review week"
    else:
        text = (
            f"**{cohort.title}**, week {week}: a weekly check-in. Keep going with "
            f"{course.title} at your own pace; ten minutes this week is enough."
        )
        focus = course.title
    text += " Press Start practising: your work stays private, in a DM with me."
    return {
        "text": text,
        "choices": start_choices(cohort.id, "Start practising"),
        "thread": {
            "title": f"Week {week}: {focus}"[:100],
            "text": week_question(course, skill_id, misconception),
        },
        "cohort_id": cohort.id,
        "week": week,
    }


def top_misconceptions(hits: list[tuple[int, int, str, str, int, datetime]]) -> dict[int, str]:
    """Each cohort's misconception met by the most members (then most often, then by name)."""
    members: dict[tuple[int, str], set[int]] = defaultdict(set)
    counts: dict[tuple[int, str], int] = defaultdict(int)
    for cohort, user, _item, name, n, _last in hits:
        members[(cohort, name)].add(user)
        counts[(cohort, name)] += n
    best: dict[int, tuple[int, int, str]] = {}
    for (cohort, name), who in members.items():
        rank = (-len(who), -counts[(cohort, name)], name)
        if cohort not in best or rank < best[cohort]:
            best[cohort] = rank
    return {cohort: rank[2] for cohort, rank in best.items()}


async def sweep_posts(
    database: Database, catalog: Catalog, now: datetime, policy: AutomationPolicy
) -> int:
    """Queue the weekly posts whose time has come; return how many were queued."""
    queued, after = 0, 0
    while True:
        sent, read, after = await database.run(post_unit, catalog, now, policy, after)
        queued += sent
        if read < policy.batch:
            break
    if queued:
        log.info("cohort posts: %d queued", queued)
    return queued


def post_unit(
    session: Session, catalog: Catalog, now: datetime, policy: AutomationPolicy, after: int
) -> tuple[int, int, int]:
    """One batch of cohorts as a unit of work: (posts queued, cohorts read, last id read)."""
    batch = [info(c) for c in event_store.active_batch(session, now, after, policy.batch)]
    last = batch[-1].id if batch else after
    ensure_courses(session, catalog, None, *sorted({c.course_id for c in batch}))
    due = [
        (cohort, week)
        for cohort in batch
        if (week := due_week(cohort, now, policy.post_hour)) is not None
        and catalog.get(cohort.course_id) is not None
    ]
    weeks = [str(w) for _, w in due]
    posted = {
        (cohort_id, key)
        for cohort_id, _, _, key in event_store.events_of(
            session, [c.id for c, _ in due], (POST,), weeks
        )
    }
    todo = [(c, w) for c, w in due if (c.id, str(w)) not in posted]
    if not todo:
        return 0, len(batch), last
    new = event_store.record_new(
        session, [event_store.NewEvent(c.id, None, POST, str(w), now) for c, w in todo]
    )
    chosen = [(c, w) for c, w in todo if (c.id, POST, str(w)) in new]
    if not chosen:
        return 0, len(batch), last
    since = now - timedelta(days=CLUSTER_DAYS)
    top = top_misconceptions(
        sweep_reads.misconception_hits(session, [c.id for c, _ in chosen], since)
    )
    messages = []
    for cohort, week in chosen:
        course = catalog.get(cohort.course_id)
        assert course is not None
        messages.append(
            NewMessage(
                user_id=cohort.creator_id,
                platform=cohort.platform,
                recipient=cohort.channel_id,
                kind=COHORT_POST,
                payload=post_payload(cohort, course, week, top.get(cohort.id)),
                idempotency_key=f"cohort-post:{cohort.id}:{week}",
                next_attempt_at=now,
                created_at=now,
            )
        )
    enqueue(session, messages)
    return len(messages), len(batch), last
