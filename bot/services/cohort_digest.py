"""The weekly digest to a cohort's creator: who stalled, what the cohort is stuck on, what
needs their attention.

Week N's digest (N >= 2, about the week that ended) is due when week N's post is, and
goes to the creator in their waking hours, once (recorded in `cohort_events`). It is the
creator's own status, read with their scope, so it shows only what they may see. A
digest reads the cohort's status (a fixed set of queries per cohort), so a unit writes at
most `digests_per_unit` of them and the sweep goes on with the next unit.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.orm import Session

from bot.content.catalog import Catalog
from bot.services.cohort_access import CohortInfo, info
from bot.services.cohort_posts import AutomationPolicy, due_week, waking_at
from bot.services.cohort_status import StatusReport, read_status
from bot.services.course_access import ensure_courses
from bot.store import cohort_events as event_store
from bot.store import cohorts_sweeps as reads
from bot.store.cohorts import CREATOR, StaffScope
from bot.store.cohorts_sweeps import Contact
from bot.store.db import Database
from bot.store.outbox import NewMessage, enqueue

__all__ = ["COHORT_DIGEST", "DIGEST", "digest_text", "digest_unit", "sweep_digests"]

log = logging.getLogger(__name__)

COHORT_DIGEST = "cohort_digest"
DIGEST = event_store.DIGEST_KIND
SHOWN = 5


def digest_text(report: StatusReport, week: int) -> str:
    """Word the digest of the week before `week` from the creator's status."""
    lines = [f"**{report.title}**: your digest of week {week - 1} ({len(report.members)} members)."]
    if report.stuck:
        stalled = [
            f"{s.name} on {s.skill_title}" + (f" ({s.misconception})" if s.misconception else "")
            for s in report.stuck[:SHOWN]
        ]
        more = f" and {len(report.stuck) - SHOWN} more" if len(report.stuck) > SHOWN else ""
        lines.append("Stalled: " + "; ".join(stalled) + more + ".")
    else:
        lines.append("Nobody is stuck.")
    if report.clusters:
        tops = [f"{c.misconception} ({c.members} members)" for c in report.clusters[:3]]
        lines.append("The cohort is stuck on: " + "; ".join(tops) + ".")
    attention = [f"{f.title} looks too hard ({f.success:.0%} success)" for f in report.too_hard[:3]]
    if report.inactive:
        attention.append(f"{len(report.inactive)} member(s) idle for {report.inactive_days}+ days")
    if attention:
        lines.append("Needs your attention: " + "; ".join(attention) + ".")
    lines.append("`/cohort status` has the details, and posts a cluster's question in one click.")
    return "\n".join(lines)


async def sweep_digests(
    database: Database, catalog: Catalog, now: datetime, policy: AutomationPolicy
) -> int:
    """Queue the weekly digests that are due; return how many were queued."""
    queued, after = 0, 0
    while True:
        sent, more, after = await database.run(digest_unit, catalog, now, policy, after)
        queued += sent
        if not more:
            break
    if queued:
        log.info("cohort digests: %d queued", queued)
    return queued


def digest_unit(
    session: Session, catalog: Catalog, now: datetime, policy: AutomationPolicy, after: int
) -> tuple[int, bool, int]:
    """One unit: (digests queued, whether cohorts remain, the last cohort id done)."""
    found = [info(c) for c in event_store.active_batch(session, now, after, policy.batch)]
    ensure_courses(session, catalog, None, *sorted({c.course_id for c in found}))
    due: list[tuple[CohortInfo, int]] = [
        (c, week)
        for c in found
        if (week := due_week(c, now, policy.post_hour)) is not None
        and week >= 2
        and catalog.get(c.course_id) is not None
    ]
    sent = {
        (cohort, key)
        for cohort, _, _, key in event_store.events_of(
            session, [c.id for c, _ in due], (DIGEST,), [str(w) for _, w in due]
        )
    }
    todo = [(c, w) for c, w in due if (c.id, str(w)) not in sent]
    more = len(found) == policy.batch or len(todo) > policy.digests_per_unit
    last = found[-1].id if found else after
    if len(todo) > policy.digests_per_unit:
        todo = todo[: policy.digests_per_unit]
        last = todo[-1][0].id
    if not todo:
        return 0, more, last
    creators: dict[int, Contact] = {
        cohort_id: contact
        for cohort_id, role, contact in reads.staff_contacts(session, [c.id for c, _ in todo])
        if role == CREATOR
    }
    events, messages = [], []
    for cohort, week in todo:
        creator, course = creators.get(cohort.id), catalog.get(cohort.course_id)
        events.append(event_store.NewEvent(cohort.id, None, DIGEST, str(week), now))
        if creator is None or course is None or creator.unreachable_at is not None:
            continue
        scope = StaffScope(creator.user_id, cohort.id, cohort.platform, cohort.workspace_id)
        report = read_status(session, scope, course, now, policy.rules)
        messages.append(
            NewMessage(
                user_id=creator.user_id,
                platform=creator.platform,
                recipient=creator.platform_user_id,
                kind=COHORT_DIGEST,
                payload={"text": digest_text(report, week), "cohort_id": cohort.id, "week": week},
                idempotency_key=event_store.digest_key(cohort.id, week),
                next_attempt_at=waking_at(now, creator),
                created_at=now,
            )
        )
    new = event_store.record_new(session, events)
    queued = [
        m for m in messages if (m.payload["cohort_id"], DIGEST, str(m.payload["week"])) in new
    ]
    enqueue(session, queued)
    return len(queued), more, last
