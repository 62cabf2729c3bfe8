"""A creator's settings of a cohort (nudges, certificates, the leaderboard, a join role), and
the invitations a join role brings.

A join role is a role of the server, named by the platform's id for it: whoever is given
it later is asked to join, in a DM, with the same consent question as the Join button;
nothing is stored about them before they agree, and someone already in is not asked again.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.services.cohort_access import staff_scope
from bot.services.cohort_calendar import Place
from bot.services.cohort_membership import MemberRequests
from bot.services.messages import Person, Reply
from bot.store import cohorts as cohort_store

__all__ = ["MAX_NUDGE_DAYS", "CohortSettings", "JoinRole"]

MAX_NUDGE_DAYS = 60


@dataclass(frozen=True)
class JoinRole:
    """A role in the server whose new holders are asked to join: its id and its name."""

    id: str
    name: str


class CohortSettings(MemberRequests):
    """What a creator sets on their cohort, and who a join role invites."""

    async def set_leaderboard(
        self, creator: Person, place: Place, on: bool, cohort_id: int | None = None
    ) -> Reply:
        """Turn the cohort's leaderboard (skills mastered, opt-out per member) on or off."""

        def work(session: Session) -> Reply:
            _, cohort = staff_scope(session, creator, place, cohort_id, cohort_store.CREATOR)
            cohort.leaderboard = on
            session.add(cohort)
            state = "on: members see it with `cohort leaderboard`" if on else "off"
            return Reply(f"The leaderboard of {cohort.title} is {state}.")

        return await self._reply(work)

    async def set_automation(
        self,
        creator: Person,
        place: Place,
        nudge_after_days: int | None = None,
        certificates: bool | None = None,
        cohort_id: int | None = None,
    ) -> Reply:
        """Set the days of idleness before a nudge (0: none) and certificates (creator only)."""
        if nudge_after_days is not None and not 0 <= nudge_after_days <= MAX_NUDGE_DAYS:
            return Reply(f"Nudge after 1 to {MAX_NUDGE_DAYS} idle days, or 0 for no nudges.")

        def work(session: Session) -> Reply:
            _, cohort = staff_scope(session, creator, place, cohort_id, cohort_store.CREATOR)
            if nudge_after_days is not None:
                cohort.nudge_after_days = nudge_after_days
            if certificates is not None:
                cohort.certificates = certificates
            session.add(cohort)
            days = cohort.nudge_after_days
            nudges = f"after {days} idle day(s), once per idle stretch" if days else "off"
            return Reply(
                f"{cohort.title}: nudges {nudges}; completion certificates "
                f"{'on' if cohort.certificates else 'off'}."
            )

        return await self._reply(work)

    async def set_join_role(
        self, creator: Person, place: Place, role: JoinRole | None, cohort_id: int | None = None
    ) -> Reply:
        """Set the role whose new holders are asked to join, or clear it (the creator only)."""

        def work(session: Session) -> Reply:
            _, cohort = staff_scope(session, creator, place, cohort_id, cohort_store.CREATOR)
            cohort.join_role_id = role.id if role is not None else None
            session.add(cohort)
            if role is None:
                return Reply(f"{cohort.title} has no join role now: members join with its button.")
            return Reply(
                f"Whoever gets the role {role.name} from now on is asked in a DM to join "
                f"{cohort.title}; nothing is stored before they agree. Those who have it "
                "already join with the cohort's button."
            )

        return await self._reply(work)

    async def role_invitations(
        self, person: Person, workspace_id: str, role_ids: Collection[str]
    ) -> list[Reply]:
        """The consent questions of the cohorts here that the person's new roles join them to.

        A cohort they are in already asks nothing; nothing is stored.
        """
        if not role_ids:
            return []

        def work(session: Session) -> list[Reply]:
            cohorts = cohort_store.cohorts_joined_by_role(
                session, person.platform, workspace_id, role_ids
            )
            asked = [self._invitation(session, person, cohort) for cohort in cohorts]
            return [reply for reply in asked if reply.choices]

        return await self.database.run(work)
