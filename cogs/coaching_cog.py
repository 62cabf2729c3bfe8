"""Coaching on Discord: a coach's slash commands and forms, a client's invite and exercises."""

from __future__ import annotations

from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.adapters.discord import NO_MENTIONS, safe_text
from bot.services.coach_desk import CoachDesk
from bot.services.coach_exercises import ExerciseForm
from bot.services.coach_followups import DISCARD_ACTION, EDIT_ACTION
from bot.services.messages import Reply
from cogs.coaching_forms import ExerciseModal, FollowupModal, WorksheetModal
from cogs.coaching_views import WorksheetReview, review_text
from cogs.sending import followup_replies
from cogs.tutor_cog import person
from cogs.views import ChoiceHandler

Picks = list[app_commands.Choice[str]]


def private(interaction: discord.Interaction) -> bool:
    """Answer only the person asking in a server; a DM is private already, and lasts."""
    return interaction.guild is not None


def picks(found: list[tuple[str, str]]) -> Picks:
    """Autocomplete choices from (value, name) pairs."""
    return [app_commands.Choice(name=name[:100], value=value[:100]) for value, name in found]


class CoachingCog(commands.Cog):
    """Hands a coach's and a client's coaching requests to the coaching desk."""

    coach = app_commands.Group(name="coach", description="Coaching: invites, exercises, briefs")

    def __init__(self, bot: commands.Bot, desk: CoachDesk, on_choice: ChoiceHandler) -> None:
        self.bot = bot
        self.desk = desk
        self.on_choice = on_choice  # the tutor cog's handler: Accept and Start go there

    async def _answer(self, interaction: discord.Interaction, reply: Reply) -> None:
        """Send the desk's reply to whoever asked; in a server, only they see it."""
        await followup_replies(interaction, [reply], self.on_choice, ephemeral=private(interaction))

    async def _defer(self, interaction: discord.Interaction) -> None:
        """Acknowledge within Discord's 3 seconds (a DM keeps the answer; a server hides it)."""
        await interaction.response.defer(ephemeral=private(interaction), thinking=True)

    # Connecting.

    @coach.command(name="invite", description="Make an invite code for a client")
    async def invite(self, interaction: discord.Interaction) -> None:
        """Make an invite code."""
        await self._defer(interaction)
        await self._answer(interaction, await self.desk.invite(person(interaction.user)))

    @coach.command(name="accept", description="Read a coach's invite, then accept it")
    @app_commands.describe(code="The invite code your coach gave you")
    async def accept(self, interaction: discord.Interaction, code: str) -> None:
        """Show who invited the client and what they will see, with an Accept button."""
        await self._defer(interaction)
        reply = await self.desk.preview_invite(person(interaction.user), code)
        await self._answer(interaction, reply)

    @coach.command(name="end", description="Stop working with a client, or with your coach")
    @app_commands.describe(who="The client (or your coach) to stop working with")
    async def end(self, interaction: discord.Interaction, who: str = "") -> None:
        """End a link, from either side."""
        await self._defer(interaction)
        await self._answer(interaction, await self.desk.end(person(interaction.user), who))

    # Exercises.

    @coach.command(name="exercise", description="Write a new exercise in a form")
    async def exercise(self, interaction: discord.Interaction) -> None:
        """Open the exercise form."""
        await self._open_form(interaction, None)

    @coach.command(name="worksheet", description="Paste a worksheet: get an exercise to review")
    async def worksheet(self, interaction: discord.Interaction) -> None:
        """Open the worksheet form."""
        modal = WorksheetModal(self._on_worksheet, f"coach:worksheet:{interaction.id}")
        await interaction.response.send_modal(modal)

    @coach.command(name="from", description="Take a reflection from an installed course")
    @app_commands.describe(course="The course", exercise="The course's reflection exercise")
    async def from_course(
        self, interaction: discord.Interaction, course: str, exercise: str
    ) -> None:
        """Store a course's reflection as one of the coach's exercises."""
        await self._defer(interaction)
        coach = person(interaction.user)
        await self._answer(
            interaction, await self.desk.exercise_from_course(coach, course, exercise)
        )

    @coach.command(name="exercises", description="List your exercises")
    async def exercises(self, interaction: discord.Interaction) -> None:
        """List the coach's exercises."""
        await self._defer(interaction)
        await self._answer(interaction, await self.desk.exercises(person(interaction.user)))

    @coach.command(name="edit", description="Change one of your exercises in its form")
    @app_commands.describe(exercise="One of your exercises")
    async def edit(self, interaction: discord.Interaction, exercise: str) -> None:
        """Open one of the coach's exercises in the form; saving changes it in place."""
        number = exercise.strip().lstrip("#")
        found = (
            await self.desk.exercise_form(person(interaction.user), int(number))
            if number.isdigit()
            else Reply("Pick one of your exercises from the list.")
        )
        if isinstance(found, Reply):
            await self._defer(interaction)
            await self._answer(interaction, found)
            return
        exercise_id = int(number)

        async def save(submitted: discord.Interaction, form: ExerciseForm) -> None:
            await self._defer(submitted)
            coach = person(submitted.user)
            await self._answer(submitted, await self.desk.save_exercise(coach, form, exercise_id))

        modal = ExerciseModal(save, f"coach:edit:{interaction.id}", found)
        await interaction.response.send_modal(modal)

    # Assigning and seeing the work.

    @coach.command(name="assign", description="Give a client an exercise, due a date")
    @app_commands.describe(
        client="One of your clients",
        exercise="One of your exercises",
        due='When it is due, in their time: "friday", "in 3 days", "12 March"',
        note="A note your client reads with it",
    )
    async def assign(
        self,
        interaction: discord.Interaction,
        client: str,
        exercise: str,
        due: str,
        note: str = "",
    ) -> None:
        """Assign one of the coach's exercises to one of their clients."""
        await self._defer(interaction)
        coach = person(interaction.user)
        if not exercise.strip().lstrip("#").isdigit():
            await self._answer(interaction, Reply("Pick one of your exercises from the list."))
            return
        number = int(exercise.strip().lstrip("#"))
        await self._answer(interaction, await self.desk.assign(coach, client, number, due, note))

    @coach.command(name="clients", description="Your clients at a glance")
    async def clients(self, interaction: discord.Interaction) -> None:
        """List the coach's clients."""
        await self._defer(interaction)
        await self._answer(interaction, await self.desk.clients(person(interaction.user)))

    @coach.command(name="client", description="One client's work, with transcripts")
    @app_commands.describe(client="One of your clients")
    async def client(self, interaction: discord.Interaction, client: str) -> None:
        """Show one client's assignments and summaries, with the transcripts as a file."""
        await self._defer(interaction)
        await self._answer(interaction, await self.desk.client(person(interaction.user), client))

    @coach.command(name="csv", description="Your clients' assignments as a CSV file")
    async def export(self, interaction: discord.Interaction) -> None:
        """Send the coach's CSV export."""
        await self._defer(interaction)
        await self._answer(interaction, await self.desk.export_csv(person(interaction.user)))

    @coach.command(name="brief", description="The brief for your next session with a client")
    @app_commands.describe(client="One of your clients")
    async def brief(self, interaction: discord.Interaction, client: str) -> None:
        """Build the brief now."""
        await self._defer(interaction)
        await self._answer(interaction, await self.desk.brief(person(interaction.user), client))

    @coach.command(name="next", description="Set the next session with a client")
    @app_commands.describe(client="One of your clients", when='e.g. "tuesday 10:00"')
    async def session(self, interaction: discord.Interaction, client: str, when: str) -> None:
        """Set the next session date (the brief comes the day before)."""
        await self._defer(interaction)
        coach = person(interaction.user)
        await self._answer(interaction, await self.desk.next_session(coach, client, when))

    @coach.command(name="reminders", description="Turn a client's reminders up or down")
    @app_commands.describe(
        client="One of your clients",
        mode="Before the due date and when overdue, only when overdue, or never",
        pause_after="Pause after this many unanswered reminders",
    )
    async def reminders(
        self,
        interaction: discord.Interaction,
        client: str,
        mode: Literal["all", "overdue", "off"],
        pause_after: app_commands.Range[int, 1, 10] | None = None,
    ) -> None:
        """Set a client's reminders."""
        await self._defer(interaction)
        coach = person(interaction.user)
        reply = await self.desk.reminders_for(coach, client, mode, pause_after)
        await self._answer(interaction, reply)

    @coach.command(name="followup", description="Draft a message to a client; you approve it")
    @app_commands.describe(client="One of your clients")
    async def followup(self, interaction: discord.Interaction, client: str) -> None:
        """Draft a follow-up from the client's work, with Send, Edit and Discard."""
        await self._defer(interaction)
        reply = await self.desk.followup(person(interaction.user), client)
        await self._answer(interaction, reply)

    async def on_followup(self, interaction: discord.Interaction, word: str) -> None:
        """A click on a draft's Send, Edit or Discard (the draft is checked to be theirs)."""
        action, _colon, number = word.partition(":")
        if not number.isdigit():
            await interaction.response.send_message("That button is no longer in use.")
            return
        coach, draft_id = person(interaction.user), int(number)
        if action == EDIT_ACTION:
            text = await self.desk.followup_text(coach, draft_id)
            if text is not None:
                modal = FollowupModal(self._send_edited, draft_id, text)
                await interaction.response.send_modal(modal)
                return
        await self._defer(interaction)
        if action == DISCARD_ACTION:
            reply = await self.desk.discard_followup(coach, draft_id)
        else:  # Send, or an Edit of a draft that is gone: the desk says so
            reply = await self.desk.send_followup(coach, draft_id)
        await self._answer(interaction, reply)

    async def _send_edited(
        self, interaction: discord.Interaction, draft_id: int, text: str
    ) -> None:
        """Send the draft as the coach edited it."""
        await self._defer(interaction)
        reply = await self.desk.send_followup(person(interaction.user), draft_id, text)
        await self._answer(interaction, reply)

    # A client's side.

    @coach.command(name="assignments", description="Exercises from your coach")
    async def assignments(self, interaction: discord.Interaction) -> None:
        """List the client's open assignments, each with a Start button."""
        await self._defer(interaction)
        await self._answer(interaction, await self.desk.assignments(person(interaction.user)))

    # Pickers: only the asking coach's own clients and exercises.

    @assign.autocomplete("client")
    @client.autocomplete("client")
    @brief.autocomplete("client")
    @session.autocomplete("client")
    @reminders.autocomplete("client")
    @followup.autocomplete("client")
    @end.autocomplete("who")
    async def pick_client(self, interaction: discord.Interaction, current: str) -> Picks:
        """Suggest the coach's clients as they type."""
        return picks(await self.desk.client_choices(person(interaction.user), current))

    @assign.autocomplete("exercise")
    @edit.autocomplete("exercise")
    async def pick_exercise(self, interaction: discord.Interaction, current: str) -> Picks:
        """Suggest the coach's exercises as they type."""
        found = await self.desk.exercise_choices(person(interaction.user), current)
        return picks([(value, f"#{value} {title}") for value, title in found])

    @from_course.autocomplete("course")
    async def pick_course(self, interaction: discord.Interaction, current: str) -> Picks:
        """Suggest installed courses."""
        needle = current.strip().casefold()
        found = [
            (c.id, f"{c.title} ({c.id})")
            for c in self.desk.catalog.courses.values()
            if needle in c.id.casefold() or needle in c.title.casefold()
        ]
        return picks(found[:25])

    @from_course.autocomplete("exercise")
    async def pick_course_exercise(self, interaction: discord.Interaction, current: str) -> Picks:
        """Suggest the chosen course's reflections."""
        course = str(getattr(interaction.namespace, "course", "") or "")
        return picks(self.desk.course_exercise_choices(course, current))

    # Forms.

    async def _open_form(self, interaction: discord.Interaction, form: ExerciseForm | None) -> None:
        """Open the exercise form (empty, or filled in with a worksheet's steps)."""
        modal = ExerciseModal(self._on_exercise, f"coach:exercise:{interaction.id}", form)
        await interaction.response.send_modal(modal)

    async def _on_exercise(self, interaction: discord.Interaction, form: ExerciseForm) -> None:
        """Save a submitted exercise form; criteria a model proposed are reviewed first."""
        await self._defer(interaction)
        proposed = await self.desk.propose_criteria(form)
        if proposed != form:
            await self._review(interaction, proposed)
            return
        await self._answer(
            interaction, await self.desk.save_exercise(person(interaction.user), form)
        )

    async def _review(self, interaction: discord.Interaction, form: ExerciseForm) -> None:
        """Show an exercise to save or edit (what was guessed or proposed, named)."""
        view = WorksheetReview(interaction.user.id, form, self._save_reviewed, self._open_form)
        await interaction.followup.send(
            safe_text(review_text(form))[:2000],
            view=view,
            ephemeral=private(interaction),
            allowed_mentions=NO_MENTIONS,
        )

    async def _save_reviewed(self, interaction: discord.Interaction, form: ExerciseForm) -> None:
        """Save an exercise the coach reviewed, as it is."""
        await self._defer(interaction)
        await self._answer(
            interaction, await self.desk.save_exercise(person(interaction.user), form)
        )

    async def _on_worksheet(self, interaction: discord.Interaction, text: str, title: str) -> None:
        """Show the exercise made from a pasted worksheet, to save or edit."""
        await self._defer(interaction)
        form = self.desk.worksheet(text, title)
        if isinstance(form, Reply):
            await self._answer(interaction, form)
            return
        # a model's criteria, when there is one, in place of the guesses
        await self._review(interaction, await self.desk.propose_criteria(form))
