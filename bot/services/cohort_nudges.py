"""A cohort's members, swept: a nudge after N idle days, a stuck flag to staff, congratulations.

Restraint is the point. A member idle for the cohort's `nudge_after_days` (0: off) gets
one DM per idle stretch (the stretch is named by when it began), never more than
`nudge_cap` in their membership, only while awake, and never while paused, snoozed or
unreachable. A member newly stuck on a skill (the status's rules) is flagged once per
stretch to each staff member, in that person's waking hours. A member who masters every
skill of the course is congratulated once (with a certificate, when the cohort gives them).

A sweep reads a batch of cohorts in one unit (a fixed set of queries), draws any
certificates off the event loop, then records and queues in a second unit: only events
recorded as new there are sent, so nothing goes twice.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot.content.catalog import Catalog
from bot.scheduling.rules import Recipient, may_prompt, zone
from bot.services.cohort_access import CohortInfo, info
from bot.services.cohort_certificate import DONE, attach_certificates, plan_done
from bot.services.cohort_posts import (
    AutomationPolicy,
    Outgoing,
    direct_message,
    start_choices,
    waking_at,
    write_outgoing,
)
from bot.services.cohort_status import StatusRules
from bot.services.course_access import ensure_courses
from bot.store import cohort_events as event_store
from bot.store import cohorts_sweeps as reads
from bot.store.cohorts_sweeps import Contact, MemberActivity, MemberRun
from bot.store.db import Database

__all__ = [
    "COHORT_FLAG",
    "COHORT_NUDGE",
    "NUDGE",
    "STUCK",
    "plan_flags",
    "plan_nudge",
    "read_members",
    "sweep_members",
]

log = logging.getLogger(__name__)

COHORT_NUDGE, COHORT_FLAG = "cohort_nudge", "cohort_flag"
NUDGE, STUCK = "nudge", "stuck"  # event kinds
NO_DAILY_CAP = 1_000_000  # the stretch and the cap keep nudges few


@dataclass
class MemberBatch:
    """What one read of a batch of cohorts found to send."""

    outgoing: list[Outgoing] = field(default_factory=list)
    read: int = 0
    last_id: int = 0


def _may_nudge(member: Contact, now: datetime) -> bool:
    """Tell whether a member may get a nudge now (awake, not paused, snoozed or unreachable)."""
    recipient = Recipient(
        timezone=member.timezone,
        quiet_start=member.quiet_start,
        quiet_end=member.quiet_end,
        paused_until=member.paused_until,
        snoozed_until=member.snoozed_until,
        unreachable=member.unreachable_at is not None,
    )
    return may_prompt(now, recipient, NO_DAILY_CAP)


def plan_nudge(
    cohort: CohortInfo,
    course_title: str,
    member: MemberActivity,
    keys: set[str],
    now: datetime,
    cap: int,
) -> Outgoing | None:
    """A nudge for an idle member, once per idle stretch and `cap` in all; else None."""
    # idle since their last practice, or since they joined (or the cohort began) if none
    idle_since = member.last_active or max(member.joined_at, cohort.starts_on)
    days = cohort.nudge_after_days
    if days <= 0 or now - idle_since < timedelta(days=days) or len(keys) >= cap:
        return None
    key = f"{member.contact.user_id}:{int(idle_since.timestamp())}"
    if key in keys or not _may_nudge(member.contact, now):
        return None
    text = (
        f"It's been a few days since you practised {course_title} with {cohort.title}. "
        "Ten minutes keeps it fresh: press Continue when you have them."
    )
    payload = {"text": text, "choices": start_choices(cohort.id, "Continue")}
    event = event_store.NewEvent(cohort.id, member.contact.user_id, NUDGE, key, now)
    outbox_key = f"cohort-nudge:{cohort.id}:{key}"
    return Outgoing(
        event, [direct_message(member.contact, COHORT_NUDGE, payload, outbox_key, now, now)]
    )


def stuck_runs(
    session: Session, ids: list[int], now: datetime, rules: StatusRules
) -> list[MemberRun]:
    """The members' runs of misses that have lasted long enough to count as stuck."""
    runs = reads.stuck_runs(session, ids, rules.miss_below, rules.min_misses)
    return [run for run in runs if now - run.since >= rules.stuck_after]


def stuck_key(run: MemberRun) -> str:
    """The event key of one stuck stretch: the member, when it began, the skill."""
    return f"{run.user_id}:{int(run.since.timestamp())}:{run.skill_id}"[:64]


def flag_text(
    cohort: CohortInfo, name: str, skill: str, since: datetime, misses: int, seen: str | None
) -> str:
    """Word a stuck flag for one staff member (`since` in their zone)."""
    what = f"The tutor noticed: {seen}." if seen else "No misconception was recorded."
    return (
        f"{name} in {cohort.title} seems stuck on {skill}: {misses} misses without a good "
        f"attempt since {since:%a %d %b %H:%M}. {what} `/cohort status` has the details."
    )


def plan_flags(
    session: Session,
    catalog: Catalog,
    cohorts: dict[int, CohortInfo],
    members: list[MemberActivity],
    runs: list[MemberRun],
    now: datetime,
) -> list[Outgoing]:
    """A flag per new stuck stretch to each reachable staff member, in their waking hours,
    naming the misconception the tutor met most in it."""
    ids = sorted({run.cohort_id for run in runs})
    hits: dict[tuple[int, int], list[tuple[str, str, int, datetime]]] = defaultdict(list)
    since = min(run.since for run in runs)
    for cohort_id, user_id, item, name, n, last in reads.misconception_hits(session, ids, since):
        hits[(cohort_id, user_id)].append((item, name, n, last))
    staff: dict[int, list[Contact]] = defaultdict(list)
    for cohort_id, _role, contact in reads.staff_contacts(session, ids):
        if contact.unreachable_at is None:
            staff[cohort_id].append(contact)
    who = {(m.cohort_id, m.contact.user_id): m.contact for m in members}
    planned = []
    for run in runs:
        cohort, member = cohorts[run.cohort_id], who.get((run.cohort_id, run.user_id))
        course = catalog.get(cohort.course_id)
        if member is None or course is None or run.skill_id not in course.skills:
            continue
        seen = Counter[str]()
        for item, name, n, last in hits[(run.cohort_id, run.user_id)]:
            exercise = course.exercises.get(item)
            if last >= run.since and exercise is not None and exercise.skill == run.skill_id:
                seen[name] += n
        top = min(seen.items(), key=lambda kv: (-kv[1], kv[0]))[0] if seen else None
        title = course.skills[run.skill_id].title
        name = member.display_name or f"member {member.user_id}"
        stamp = int(run.since.timestamp())
        prefix = event_store.flag_key_prefix(member.user_id)
        messages = [
            direct_message(
                person,
                COHORT_FLAG,
                {
                    "text": flag_text(
                        cohort,
                        name,
                        title,
                        run.since.astimezone(zone(person.timezone)),
                        run.misses,
                        top,
                    ),
                    "cohort_id": cohort.id,
                },
                f"{prefix}{cohort.id}:{person.user_id}:{stamp}:{run.skill_id}",
                waking_at(now, person),
                now,
            )
            for person in staff[cohort.id]
        ]
        event = event_store.NewEvent(cohort.id, member.user_id, STUCK, stuck_key(run), now)
        planned.append(Outgoing(event, messages))
    return planned


def read_members(
    session: Session, catalog: Catalog, now: datetime, policy: AutomationPolicy, after: int
) -> MemberBatch:
    """Read a batch of cohorts and plan their nudges, flags and congratulations."""
    found = event_store.active_batch(session, now, after, policy.batch)
    batch = MemberBatch(read=len(found), last_id=(found[-1].id or after) if found else after)
    ensure_courses(session, catalog, None, *sorted({c.course_id for c in found}))
    cohorts = {c.id: c for c in map(info, found) if catalog.get(c.course_id) is not None}
    ids = sorted(cohorts)
    members = reads.member_activity(session, ids)
    if not members:
        return batch
    reached = reads.reached_skills(session, ids)
    runs = stuck_runs(session, ids, now, policy.rules)
    keys: dict[tuple[int, int | None, str], set[str]] = defaultdict(set)
    for cohort_id, user_id, kind, key in event_store.events_of(session, ids, (NUDGE, STUCK, DONE)):
        keys[(cohort_id, user_id, kind)].add(key)
    for m in members:
        cohort, uid = cohorts[m.cohort_id], m.contact.user_id
        course = catalog.get(cohort.course_id)
        assert course is not None
        skills = reached.get((m.cohort_id, uid), {})
        if course.skills and all(skills.get(s) == "mastered" for s in course.skills):
            if not keys[(cohort.id, uid, DONE)]:
                batch.outgoing += filter(None, [plan_done(cohort, course.title, m.contact, now)])
            continue  # done: no nudge, no flag
        nudge = plan_nudge(
            cohort, course.title, m, keys[(cohort.id, uid, NUDGE)], now, policy.nudge_cap
        )
        if nudge is not None:
            batch.outgoing.append(nudge)
    fresh = [
        run
        for run in runs
        if run.skill_id not in reached.get((run.cohort_id, run.user_id), {})  # else: progress
        and stuck_key(run) not in keys[(run.cohort_id, run.user_id, STUCK)]
    ]
    if fresh:
        batch.outgoing += plan_flags(session, catalog, cohorts, members, fresh, now)
    return batch


async def sweep_members(
    database: Database, catalog: Catalog, now: datetime, policy: AutomationPolicy
) -> int:
    """Nudge idle members, flag stuck ones, congratulate finishers; return messages queued."""
    queued, after = 0, 0
    while True:
        batch = await database.run(read_members, catalog, now, policy, after)
        await attach_certificates(batch.outgoing)
        queued += await database.run(write_outgoing, batch.outgoing)
        if batch.read < policy.batch:
            break
        after = batch.last_id
    if queued:
        log.info("cohort members: %d message(s) queued", queued)
    return queued
