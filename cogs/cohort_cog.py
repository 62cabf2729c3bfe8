"""Cohorts on Discord: a creator's and staff's slash commands, a member's join and leave."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.adapters.discord import NO_MENTIONS
from bot.services.cohort_calendar import Place
from bot.services.cohort_desk import CohortDesk, JoinRole
from bot.services.course_shelf import CourseShelf, ShelfScope
from bot.services.messages import Person, Reply
from bot.services.tutor import Tutor
from cogs.cohort_replies import CANNOT_MANAGE, NO_SERVER, answer, may_manage, place_of, say
from cogs.cohort_roles import role_refusal
from cogs.cohort_views import CohortClicks
from cogs.sending import send_replies
from cogs.tutor_cog import PLATFORM, person

Picks = list[app_commands.Choice[str]]
Ask = Callable[[Person, Place], Awaitable[Reply]]  # a desk request made by someone, somewhere
COHORT = "The cohort's number (only needed when you run several here)"
ROLE = "Whoever gets this role is asked in a DM to join (needs the Server Members intent)"


class CohortCog(commands.Cog):
    """Hands cohort requests to the cohort desk; its buttons come back through `on_choice`."""

    cohort = app_commands.Group(name="cohort", description="Run a course as a cohort here")
    staff = app_commands.Group(
        name="staff", description="Assistants who see a cohort", parent=cohort
    )

    def __init__(
        self, bot: commands.Bot, desk: CohortDesk, tutor: Tutor, shelf: CourseShelf | None = None
    ) -> None:
        self.bot = bot
        self.desk = desk
        self.shelf = shelf  # courses uploaded here are offered too
        self.clicks = CohortClicks(desk, tutor, self.on_choice)

    async def on_choice(self, interaction: discord.Interaction, word: str) -> None:
        """Handle a click on a cohort button (the tutor cog hands `cohort-…` clicks here)."""
        await self.clicks.click(interaction, word)

    async def _defer(self, interaction: discord.Interaction) -> None:
        """Acknowledge within Discord's 3 seconds; in a server only the asker sees the answer."""
        await interaction.response.defer(ephemeral=interaction.guild_id is not None, thinking=True)

    async def _ask(self, interaction: discord.Interaction, ask: Ask) -> None:
        """Defer, then hand the asker and the place to the desk; in a DM, point to the server."""
        await self._defer(interaction)
        place = place_of(interaction)
        reply = Reply(NO_SERVER) if place is None else await ask(person(interaction.user), place)
        await answer(interaction, reply, self.on_choice)

    # A creator's side.

    @cohort.command(name="create", description="Run a course as a cohort in this channel")
    @app_commands.describe(
        course="The course the cohort works through",
        start="The first day: YYYY-MM-DD, today or tomorrow",
        pace="A skill per week, or self-paced",
        timezone="The cohort's time zone, e.g. Europe/Paris",
        title="A name for the cohort (the course's title if empty)",
        role=ROLE,
    )
    async def create(
        self,
        interaction: discord.Interaction,
        course: str,
        start: str = "today",
        pace: Literal["weekly", "self"] = "weekly",
        timezone: str = "UTC",
        title: str = "",
        role: discord.Role | None = None,
    ) -> None:
        """Create a cohort here and post its Join button in the channel."""
        if not may_manage(interaction):
            text = CANNOT_MANAGE if interaction.guild_id is not None else NO_SERVER
            await interaction.response.send_message(
                text, ephemeral=True, allowed_mentions=NO_MENTIONS
            )
            return
        await self._defer(interaction)
        place = place_of(interaction)
        assert place is not None  # may_manage holds only in a server
        refused = role_refusal(self.bot, role) if role is not None else None
        join_role = JoinRole(str(role.id), role.name) if role and not refused else None
        reply = await self.desk.create(
            person(interaction.user), place, course, start, pace, timezone, title, join_role
        )
        if not reply.choices:  # no Join button: the desk said what to fix
            await answer(interaction, reply, self.on_choice)
            return
        channel = interaction.channel
        try:
            assert isinstance(channel, discord.abc.Messageable)
            await send_replies(channel, [reply], self.on_choice)
        except discord.Forbidden:
            note = Reply("I may not post in this channel: give me Send Messages here.")
            await answer(interaction, note, self.on_choice)
            await answer(interaction, reply, self.on_choice)
        else:
            await say(interaction, "The cohort is posted in this channel.", self.on_choice)
        if refused:  # created without the role: say why
            await say(interaction, f"It has no join role. {refused}", self.on_choice)

    @create.autocomplete("course")
    async def pick_course(self, interaction: discord.Interaction, current: str) -> Picks:
        """Suggest the installed courses and those uploaded here as the creator types."""
        needle = current.strip().casefold()
        courses = [(c.id, c.title) for c in self.desk.catalog.courses.values()]
        if self.shelf is not None and interaction.guild_id is not None:
            here = ShelfScope(PLATFORM, str(interaction.guild_id))
            courses += [(c.course_id, c.title) for c in await self.shelf.courses_for(here)]
        return [
            app_commands.Choice(name=f"{title} ({course_id})"[:100], value=course_id[:100])
            for course_id, title in courses
            if needle in course_id.casefold() or needle in title.casefold()
        ][:25]

    @cohort.command(name="role", description="Ask whoever gets a role to join the cohort")
    @app_commands.describe(
        role="Whoever gets it is asked in a DM to join; empty: no join role", cohort=COHORT
    )
    async def join_role(
        self,
        interaction: discord.Interaction,
        role: discord.Role | None = None,
        cohort: int | None = None,
    ) -> None:
        """Set the cohort's join role, or clear it (the creator only)."""
        refused = role_refusal(self.bot, role) if role is not None else None
        if refused:
            await self._defer(interaction)
            await say(interaction, refused, self.on_choice)
            return
        chosen = JoinRole(str(role.id), role.name) if role is not None else None
        await self._ask(
            interaction, lambda who, at: self.desk.set_join_role(who, at, chosen, cohort)
        )

    @staff.command(name="add", description="Let someone see the cohort's status")
    @app_commands.describe(member="The assistant", cohort=COHORT)
    async def staff_add(
        self, interaction: discord.Interaction, member: discord.User, cohort: int | None = None
    ) -> None:
        """Name an assistant (the creator only)."""
        assistant = person(member)
        await self._ask(
            interaction, lambda who, at: self.desk.add_staff(who, at, assistant, cohort)
        )

    @staff.command(name="remove", description="Take an assistant off the cohort")
    @app_commands.describe(member="The assistant", cohort=COHORT)
    async def staff_remove(
        self, interaction: discord.Interaction, member: discord.User, cohort: int | None = None
    ) -> None:
        """Remove an assistant (the creator only)."""
        assistant = person(member)
        await self._ask(
            interaction, lambda who, at: self.desk.remove_staff(who, at, assistant, cohort)
        )

    @cohort.command(name="end", description="End the cohort: no more posts or nudges")
    @app_commands.describe(cohort=COHORT)
    async def end(self, interaction: discord.Interaction, cohort: int | None = None) -> None:
        """End a cohort (the creator only)."""
        await self._ask(interaction, lambda who, at: self.desk.end(who, at, cohort))

    @cohort.command(name="automations", description="Nudges after idle days, certificates")
    @app_commands.describe(
        nudge_days="Nudge a member after this many idle days (0: never)",
        certificates="Send a completion certificate to members who master the course",
        cohort=COHORT,
    )
    async def automations(
        self,
        interaction: discord.Interaction,
        nudge_days: app_commands.Range[int, 0, 60] | None = None,
        certificates: bool | None = None,
        cohort: int | None = None,
    ) -> None:
        """Set the cohort's nudges and certificates (the creator only)."""
        await self._ask(
            interaction,
            lambda who, at: self.desk.set_automation(who, at, nudge_days, certificates, cohort),
        )

    @cohort.command(name="leaderboard", description="Show the leaderboard, or turn it on or off")
    @app_commands.describe(turn="on or off (creators only); leave empty to see it", cohort=COHORT)
    async def leaderboard(
        self,
        interaction: discord.Interaction,
        turn: Literal["on", "off"] | None = None,
        cohort: int | None = None,
    ) -> None:
        """Turn the opt-in leaderboard on or off, or show it."""
        await self._ask(interaction, lambda who, at: self._leaderboard(who, at, turn, cohort))

    async def _leaderboard(
        self, who: Person, place: Place, turn: str | None, cohort: int | None
    ) -> Reply:
        """Switch the leaderboard (creators), or show the one of the asker's cohort here."""
        if turn is not None:
            return await self.desk.set_leaderboard(who, place, turn == "on", cohort)
        number = cohort or await self._member_cohort_here(who, place)
        if number is None:
            return Reply("Which cohort? `/cohort leaderboard cohort:<number>`.")
        return await self.desk.leaderboard(who, number)

    async def _member_cohort_here(self, who: Person, place: Place) -> int | None:
        """The one cohort the member is in here: the channel's, or their only one here."""
        mine = [
            c for c in await self.desk.member_cohorts(who) if c.workspace_id == place.workspace_id
        ]
        in_channel = [c for c in mine if c.channel_id == place.channel_id]
        found = in_channel or mine
        return found[0].id if len(found) == 1 else None

    # Staff reads.

    @cohort.command(name="list", description="The cohorts here you run or assist")
    async def list_cohorts(self, interaction: discord.Interaction) -> None:
        """List the asker's cohorts in this server."""
        await self._ask(interaction, self.desk.list_cohorts)

    @cohort.command(name="status", description="Where the cohort is: who is stuck, and on what")
    @app_commands.describe(cohort=COHORT)
    async def status(self, interaction: discord.Interaction, cohort: int | None = None) -> None:
        """Show the cohort's status, with Chart, CSV and Post buttons (staff only)."""
        await self._ask(interaction, lambda who, at: self.desk.status(who, at, cohort))

    @cohort.command(name="csv", description="The cohort's status as a CSV file")
    @app_commands.describe(cohort=COHORT)
    async def csv(self, interaction: discord.Interaction, cohort: int | None = None) -> None:
        """Send the status as a CSV file (staff only)."""
        await self._ask(interaction, lambda who, at: self.desk.export_csv(who, at, cohort))

    @cohort.command(name="chart", description="The cohort's mastery heatmap and progress")
    @app_commands.describe(cohort=COHORT)
    async def chart(self, interaction: discord.Interaction, cohort: int | None = None) -> None:
        """Send the cohort chart as a picture (staff only)."""
        await self._ask(interaction, lambda who, at: self.desk.chart(who, at, cohort))

    # A member's side.

    @cohort.command(name="join", description="Join the cohort run in this channel")
    @app_commands.describe(cohort=COHORT)
    async def join(self, interaction: discord.Interaction, cohort: int | None = None) -> None:
        """Ask to join; the consent comes in a DM."""
        await self._defer(interaction)
        await self.clicks.join(interaction, cohort)

    @cohort.command(name="leave", description="Leave a cohort; your own progress stays yours")
    @app_commands.describe(cohort=COHORT)
    async def leave(self, interaction: discord.Interaction, cohort: int | None = None) -> None:
        """Leave a cohort."""
        await self._defer(interaction)
        await answer(
            interaction, await self.desk.leave(person(interaction.user), cohort), self.on_choice
        )
