"""The tutor on Discord: DMs and slash commands in, the tutor service, replies out."""

from __future__ import annotations

import io
import json
import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.adapters.discord import NO_MENTIONS, typing_while_working
from bot.services.account import SettingsChange
from bot.services.data_requests import FORGET_QUESTION
from bot.services.messages import Incoming, Person, Reply, choices_for
from bot.services.tutor import Tutor
from cogs.errors import report_error
from cogs.sending import followup_replies, followup_text, send_replies
from cogs.views import ChoiceView, LongAnswerModal

log = logging.getLogger(__name__)

PLATFORM = "discord"
WORD_COMMANDS = {"hint", "skip", "next", "progress", "review"}
NO_DMS = (
    "I can't send you direct messages. Allow DMs from this server's members (Privacy "
    "settings), then try again; meanwhile here is my reply:"
)


def person(user: discord.abc.User) -> Person:
    """Name a Discord user in the tutor's neutral words."""
    return Person(PLATFORM, str(user.id), user.display_name)


def incoming(user: discord.abc.User, text: str, channel_id: int | None, dm: bool) -> Incoming:
    """Describe a Discord event in the tutor's neutral words."""
    return person(user).says(
        text,
        where="dm" if dm else "channel",
        channel_id=str(channel_id) if channel_id is not None else None,
    )


class TutorCog(commands.Cog):
    """Receives DMs, slash commands and button clicks, and hands each to the tutor."""

    def __init__(self, bot: commands.Bot, tutor: Tutor) -> None:
        self.bot = bot
        self.tutor = tutor

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        """Tutor plain DM messages (servers carry no message content, so only DMs)."""
        if message.author.bot or message.guild is not None:
            return
        if message.attachments and not message.content.strip() and self.bot.get_cog("CourseCog"):
            return  # a file alone in a DM: the course cog says where courses are uploaded
        try:
            event = incoming(message.author, message.content, message.channel.id, dm=True)
            async with typing_while_working(message.channel):
                replies = await self.tutor.handle(event)
            await send_replies(message.channel, replies, self.on_choice)
            await self.tutor.remember_dm_channel(event.person, str(message.channel.id))
        except Exception as exc:  # one handler: log once, tell the learner plainly
            await report_error(None, exc, channel=message.channel)

    @app_commands.command(name="learn", description="Start or continue a course")
    @app_commands.describe(course="The course to work on")
    async def learn(self, interaction: discord.Interaction, course: str) -> None:
        """Start or continue a course."""
        await self._run(interaction, f"start {course}")

    @learn.autocomplete("course")
    async def learn_course(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """Suggest the courses this learner may start as they type."""
        found = await self.tutor.course_choices_for(person(interaction.user), current)
        return [
            app_commands.Choice(name=f"{title} ({course_id})"[:100], value=course_id)
            for course_id, title in found
        ]

    @app_commands.command(name="hint", description="Get the next hint for your exercise")
    async def hint(self, interaction: discord.Interaction) -> None:
        """Climb the hint ladder."""
        await self._run(interaction, "hint")

    @app_commands.command(name="skip", description="Skip the current exercise")
    async def skip(self, interaction: discord.Interaction) -> None:
        """Skip the exercise."""
        await self._run(interaction, "skip")

    @app_commands.command(name="progress", description="See your mastery, with a chart")
    async def progress(self, interaction: discord.Interaction) -> None:
        """Show mastery per skill."""
        await self._run(interaction, "progress")

    @app_commands.command(name="review", description="Practise what is due for review")
    async def review(self, interaction: discord.Interaction) -> None:
        """Run the due reviews."""
        await self._run(interaction, "review")

    @app_commands.command(name="answer", description="Write a long answer in a form")
    async def answer(self, interaction: discord.Interaction) -> None:
        """Open a form for a long or multi-line answer."""
        await interaction.response.send_modal(LongAnswerModal(self.on_long_answer))

    @app_commands.command(
        name="settings", description="Time zone, quiet hours, pause reviews, interests"
    )
    @app_commands.describe(
        timezone="Your time zone, e.g. Europe/Paris",
        quiet_hours="No prompts between these hours, e.g. 21:00-08:00",
        pause_days="Pause review prompts for this many days (0 to resume)",
        interests="What you care about, for problems set in it, e.g. football, cooking",
    )
    async def settings(
        self,
        interaction: discord.Interaction,
        timezone: str | None = None,
        quiet_hours: str | None = None,
        pause_days: app_commands.Range[int, 0, 365] | None = None,
        interests: app_commands.Range[str, 0, 200] | None = None,
    ) -> None:
        """Change or show the learner's settings."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        change = SettingsChange(
            timezone=timezone, quiet_hours=quiet_hours, pause_days=pause_days, interests=interests
        )
        text = await self.tutor.change_settings(person(interaction.user), change)
        await followup_text(interaction, text, ephemeral=True)

    @app_commands.command(name="export", description="Get all your data as a JSON file")
    async def export(self, interaction: discord.Interaction) -> None:
        """Send the learner every row about them, to them only."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        data = await self.tutor.export(person(interaction.user))
        if data is None:
            await followup_text(interaction, "I have no data about you.", ephemeral=True)
            return
        payload = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
        file = discord.File(io.BytesIO(payload), filename="socratic-tutor-export.json")
        await followup_text(
            interaction, "Here is everything I store about you.", file=file, ephemeral=True
        )

    @app_commands.command(name="forget", description="Delete all your data")
    async def forget(self, interaction: discord.Interaction) -> None:
        """Ask for confirmation before deleting everything about the learner."""
        view = ChoiceView(self.on_choice, choices_for(("forget-confirm",)))
        await interaction.response.send_message(
            FORGET_QUESTION,
            view=view,
            ephemeral=True,
            allowed_mentions=NO_MENTIONS,
        )

    async def on_choice(self, interaction: discord.Interaction, word: str) -> None:
        """Handle a click on any of the tutor's buttons."""
        if word == "long-answer":
            await interaction.response.send_modal(LongAnswerModal(self.on_long_answer))
        elif word == "consent":
            await self._run(interaction, "", consent=True)
        elif word == "forget-confirm":
            await interaction.response.defer(ephemeral=True, thinking=True)
            removed = await self.tutor.forget(person(interaction.user))
            text = "Done: everything about you is deleted." if removed else "I had no data."
            await followup_text(interaction, text, ephemeral=True)
        elif word in {"snooze-hour", "snooze-tomorrow"}:
            await interaction.response.defer(ephemeral=interaction.guild is not None)
            until = "tomorrow" if word == "snooze-tomorrow" else "hour"
            text = await self.tutor.snooze(person(interaction.user), until)
            await followup_text(interaction, text, ephemeral=interaction.guild is not None)
        elif word == "start-review":
            await self._run(interaction, "review")
        elif word in WORD_COMMANDS:
            await self._run(interaction, word)
        elif word.startswith("assignment-start:") and word.partition(":")[2].isdigit():
            # a coach's assignment: the tutor starts it under the client's lock
            await self._run(interaction, f"assignment {word.partition(':')[2]}")
        elif word.startswith("coach-accept:"):
            await interaction.response.defer(ephemeral=interaction.guild is not None)
            replies = await self.tutor.accept_invite(
                person(interaction.user), word.partition(":")[2]
            )
            await followup_text(
                interaction, replies[0].text, ephemeral=interaction.guild is not None
            )
        elif word.startswith("coach-followup-") and (
            followups := getattr(self.bot.get_cog("CoachingCog"), "on_followup", None)
        ):
            await followups(interaction, word)  # a coach's draft: Send, Edit or Discard
        elif word.startswith("cohort-") and (
            cohorts := getattr(self.bot.get_cog("CohortCog"), "on_choice", None)
        ):
            await cohorts(interaction, word)  # a cohort's Join, I agree, Start: its cog answers
        else:
            await interaction.response.send_message(
                "That button is no longer in use.", ephemeral=True, allowed_mentions=NO_MENTIONS
            )

    async def on_long_answer(self, interaction: discord.Interaction, text: str) -> None:
        """Treat a submitted form as the learner's answer."""
        await self._run(interaction, text)

    async def _run(
        self, interaction: discord.Interaction, text: str, consent: bool = False
    ) -> None:
        """Acknowledge within Discord's 3 seconds, ask the tutor, then follow up."""
        in_server = interaction.guild is not None
        await interaction.response.defer(ephemeral=in_server, thinking=True)
        try:
            event = incoming(interaction.user, text, interaction.channel_id, dm=not in_server)
            replies = await (self.tutor.consent(event) if consent else self.tutor.handle(event))
            if in_server:
                replies = await self._continue_in_dm(interaction, replies)
            await followup_replies(interaction, replies, self.on_choice, ephemeral=in_server)
        except Exception as exc:
            await report_error(interaction, exc)

    async def _continue_in_dm(
        self, interaction: discord.Interaction, replies: list[Reply]
    ) -> list[Reply]:
        """Move a server conversation into DMs; say so, or why not."""
        try:
            channel = await interaction.user.create_dm()
            await send_replies(channel, replies, self.on_choice)
        except discord.Forbidden as exc:
            if exc.code == 50007:
                await self.tutor.mark_unreachable(person(interaction.user))
                return [Reply(NO_DMS), *replies]
            raise
        await self.tutor.remember_dm_channel(person(interaction.user), str(channel.id))
        return [Reply("I've sent you a DM: let's continue there.")]
