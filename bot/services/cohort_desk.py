"""The one cohort API adapters call: a creator's, staff's and member's requests in, replies out.

Each method takes the person asking (`Person`) and, for requests made in a server or
workspace, where (`Place`); it runs one unit of work, and every staff read is scoped to
that person, that cohort and that place in the store. A member is stored only once they
consent. Errors a person can cause come back as a plain sentence; nothing here knows a
platform.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.services.cohort_access import CohortInfo, info, staff_scope
from bot.services.cohort_calendar import (
    PACES,
    CohortInputError,
    Place,
    parse_pace,
    parse_start,
    parse_zone,
    week_number,
)
from bot.services.cohort_membership import CONSENT_ACTION
from bot.services.cohort_render import csv_bytes, status_text
from bot.services.cohort_settings import CohortSettings, JoinRole
from bot.services.cohort_status import StatusReport, discussion_question, read_status
from bot.services.course_access import course_for_place, ensure_courses
from bot.services.messages import Attachment, Choice, Person, Reply
from bot.store import cohorts as cohort_store
from bot.store import cohorts_members as member_store
from bot.store import users as user_store
from bot.store.cohort_models import Cohort

__all__ = [
    "CHART_ACTION",
    "CONSENT_ACTION",
    "CSV_ACTION",
    "DISCUSS_ACTION",
    "JOIN_ACTION",
    "CohortDesk",
    "CohortInfo",
    "Discussion",
    "JoinRole",
    "Place",
]

JOIN_ACTION = "cohort-join"  # "cohort-join:<cohort id>": the Join button in the channel
CHART_ACTION, CSV_ACTION = "cohort-chart", "cohort-csv"
# "cohort-discuss:<cohort id>:<misconception>": post that cluster's question in the channel
DISCUSS_ACTION = "cohort-discuss"


@dataclass(frozen=True)
class Discussion:
    """A misconception's question to post in the cohort's channel, or why not."""

    reply: Reply  # the question to post, or a plain sentence for the asker alone
    channel_id: str | None = None  # the cohort's channel; None: nothing is to be posted


class CohortDesk(CohortSettings):
    """Cohorts over one database: create, staff, join with consent, status, CSV, chart."""

    # A creator's side.

    async def create(
        self,
        creator: Person,
        place: Place,
        course: str,
        start: str = "today",
        pace: str = "weekly",
        timezone: str = "UTC",
        title: str = "",
        join_role: JoinRole | None = None,
    ) -> Reply:
        """Start a cohort of a course in the channel it was asked from (`place.channel_id`)."""
        now = self.clock()
        found, near = await self.database.run(
            course_for_place, self.catalog, creator.platform, place.workspace_id, course
        )
        if found is None:
            names = ", ".join(f"`{c.shown_id}`" for c in near[:5]) or "`/courses` lists them"
            return Reply(f"I don't know that course. Did you mean: {names}?")
        if place.channel_id is None:
            return Reply("Create a cohort in the channel it will run in.")
        try:
            zone = parse_zone(timezone)
            starts_on, pace_id = parse_start(start, zone, now), parse_pace(pace)
        except CohortInputError as exc:
            return Reply(str(exc))
        channel_id, name = place.channel_id, (title.strip() or found.title)[:100]
        by_role = f" or the role {join_role.name}" if join_role is not None else ""

        def work(session: Session) -> Reply:
            creator_id = self._store(session, creator).id
            assert creator_id is not None
            cohort = Cohort(
                creator_id=creator_id,
                platform=creator.platform,
                workspace_id=place.workspace_id,
                channel_id=channel_id,
                course_id=found.id,
                title=name,
                starts_on=starts_on,
                pace=pace_id,
                timezone=zone,
                join_role_id=join_role.id if join_role is not None else None,
                created_at=now,
            )
            cohort_store.add_cohort(session, cohort, now)
            return Reply(
                f"Cohort #{cohort.id} **{name}** runs {found.title} in this channel from "
                f"{starts_on.astimezone(ZoneInfo(zone)):%Y-%m-%d} ({zone}), "
                f"{PACES[pace_id]}. Members join with the button{by_role} and consent in a DM; "
                "`/cohort status` shows where they are. I keep the cohort and who staffs it "
                "for this server; `/forget` deletes yours.",
                (Choice(f"{JOIN_ACTION}:{cohort.id}", "Join"),),
            )

        return await self._reply(work)

    async def add_staff(
        self, creator: Person, place: Place, assistant: Person, cohort_id: int | None = None
    ) -> Reply:
        """Name an assistant who sees the cohort's status (the creator only)."""
        now = self.clock()

        def work(session: Session) -> Reply:
            _, cohort = staff_scope(session, creator, place, cohort_id, cohort_store.CREATOR)
            if assistant.platform != creator.platform:
                raise CohortInputError("An assistant is someone in this server.")
            user = user_store.get_or_create_user(
                session,
                assistant.platform,
                assistant.user_id,
                assistant.display_name,
                self.user_defaults,
            )
            session.flush()
            assert cohort.id is not None and user.id is not None
            added = cohort_store.add_staff(session, cohort.id, user.id, now)
            who = assistant.display_name or "They"
            if not added:
                return Reply(f"{who} already sees {cohort.title}.")
            return Reply(f"{who} now sees {cohort.title}'s status, as an assistant.")

        return await self._reply(work)

    async def remove_staff(
        self, creator: Person, place: Place, assistant: Person, cohort_id: int | None = None
    ) -> Reply:
        """Take an assistant off the cohort (the creator only)."""

        def work(session: Session) -> Reply:
            _, cohort = staff_scope(session, creator, place, cohort_id, cohort_store.CREATOR)
            user = user_store.get_user(session, assistant.platform, assistant.user_id)
            assert cohort.id is not None
            if user is None or user.id is None:
                return Reply("They aren't an assistant of this cohort.")
            if not cohort_store.remove_staff(session, cohort.id, user.id):
                return Reply("They aren't an assistant of this cohort.")
            return Reply(f"{assistant.display_name or 'They'} no longer see {cohort.title}.")

        return await self._reply(work)

    async def end(self, creator: Person, place: Place, cohort_id: int | None = None) -> Reply:
        """End a cohort: no more posts or nudges; staff keep its last status."""
        now = self.clock()

        def work(session: Session) -> Reply:
            _, cohort = staff_scope(session, creator, place, cohort_id, cohort_store.CREATOR)
            if cohort.state == cohort_store.ENDED:
                return Reply(f"{cohort.title} has already ended.")
            cohort_store.end_cohort(session, cohort, now)
            return Reply(f"{cohort.title} has ended. Its status stays readable.")

        return await self._reply(work)

    # Staff reads.

    async def list_cohorts(self, person: Person, place: Place) -> Reply:
        """The cohorts here the person is staff of, with their role and state."""

        def work(session: Session) -> Reply:
            user = user_store.get_user(session, person.platform, person.user_id)
            mine = (
                cohort_store.staff_cohorts(session, user.id, person.platform, place.workspace_id)
                if user is not None and user.id is not None
                else []
            )
            if not mine:
                return Reply("You run no cohort here. `/cohort create` starts one.")
            lines = ["Your cohorts here:"]
            lines += [f"  #{c.id} {c.title} ({c.state}, you are {role})" for c, role in mine]
            return Reply("\n".join(lines))

        return await self._reply(work)

    async def _report(
        self, staff: Person, place: Place, cohort_id: int | None
    ) -> StatusReport | Reply:
        """Read the cohort's status for a staff member, or say why not."""
        now = self.clock()

        def work(session: Session) -> StatusReport | Reply:
            scope, cohort = staff_scope(session, staff, place, cohort_id)
            ensure_courses(session, self.catalog, cohort.course_id)  # stored by another process
            course = self.catalog.get(cohort.course_id)
            if course is None:
                return Reply(f"The course of {cohort.title} is no longer installed.")
            return read_status(session, scope, course, now, self.rules)

        return await self._run(work)

    async def status(self, staff: Person, place: Place, cohort_id: int | None = None) -> Reply:
        """Where the cohort is: mastery, who is stuck and on what, clusters, items, idle."""
        report = await self._report(staff, place, cohort_id)
        if isinstance(report, Reply):
            return report
        choices = (
            Choice(f"{CHART_ACTION}:{report.cohort_id}", "Chart"),
            Choice(f"{CSV_ACTION}:{report.cohort_id}", "CSV"),
            *(
                Choice(f"{DISCUSS_ACTION}:{report.cohort_id}:{c.misconception}", f"Post {n}")
                for n, c in enumerate(report.clusters[:3], 1)
            ),
        )
        return Reply(status_text(report), choices)

    async def discussion(
        self, staff: Person, place: Place, misconception: str, cohort_id: int | None = None
    ) -> Discussion:
        """The question to post in the cohort's channel about a misconception (staff only)."""

        def work(session: Session) -> Discussion:
            _, cohort = staff_scope(session, staff, place, cohort_id)
            ensure_courses(session, self.catalog, cohort.course_id)
            course = self.catalog.get(cohort.course_id)
            if course is None:
                return Discussion(Reply(f"The course of {cohort.title} is no longer installed."))
            if cohort.state != "active":
                return Discussion(Reply(f"{cohort.title} has ended: nothing is posted there."))
            question = Reply(discussion_question(course, misconception))
            return Discussion(question, cohort.channel_id)

        found = await self._run(work)
        return found if isinstance(found, Discussion) else Discussion(found)

    async def export_csv(self, staff: Person, place: Place, cohort_id: int | None = None) -> Reply:
        """The status as a CSV file: one row per member and skill."""
        report = await self._report(staff, place, cohort_id)
        if isinstance(report, Reply):
            return report
        data = csv_bytes(report)
        name = f"cohort-{report.cohort_id}-{report.generated_at:%Y%m%d}.csv"
        return Reply(
            f"{report.title}: {len(report.members)} member(s) × {len(report.skills)} skill(s).",
            attachments=(Attachment(name, data, "text/csv"),),
        )

    async def chart(self, staff: Person, place: Place, cohort_id: int | None = None) -> Reply:
        """The members × skills heatmap and mastery over time, as a PNG (drawn off the loop)."""
        report = await self._report(staff, place, cohort_id)
        if isinstance(report, Reply):
            return report
        png = await asyncio.to_thread(_render, report)
        name = f"cohort-{report.cohort_id}.png"
        return Reply(f"{report.title}", attachments=(Attachment(name, png, "image/png"),))

    # For the scheduled posts, nudges and digests (other modules run them).

    async def active_cohorts(self, now: datetime | None = None) -> list[CohortInfo]:
        """The cohorts not ended that have started by now."""
        moment = now or self.clock()
        return await self.database.run(
            lambda s: [info(c) for c in cohort_store.active_cohorts(s, moment)]
        )

    async def members(self, cohort_id: int) -> list[member_store.MemberRow]:
        """A cohort's current members (no scope: for the sweeps, never for a person)."""
        return await self.database.run(member_store.current_members, cohort_id)

    async def member_cohorts(self, person: Person) -> list[CohortInfo]:
        """The active cohorts a person is in (their DM says which course it works in)."""

        def unit(session: Session) -> list[CohortInfo]:
            user = user_store.get_user(session, person.platform, person.user_id)
            if user is None or user.id is None:
                return []
            return [info(c) for c in member_store.cohorts_of_member(session, user.id)]

        return await self.database.run(unit)

    async def staff_places(self, person: Person) -> list[str]:
        """The servers or workspaces where the person creates or staffs a running cohort."""

        def unit(session: Session) -> list[str]:
            user = user_store.get_user(session, person.platform, person.user_id)
            if user is None or user.id is None:
                return []
            return cohort_store.staff_places(session, user.id, person.platform)

        return await self.database.run(unit)

    @staticmethod
    def week_of(cohort: CohortInfo, moment: datetime) -> int:
        """The cohort week (1 = first, 0 before the start) a moment falls in, in its zone."""
        return week_number(cohort.starts_on, cohort.timezone, moment)


def _render(report: StatusReport) -> bytes:
    """Draw the cohort chart (matplotlib loads on first use, in the worker thread)."""
    from bot.services.cohort_charts import render_cohort_chart

    return render_cohort_chart(report)
