"""Courses uploaded in Discord: `/course upload` checks and stores, `/course import` drafts."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.adapters.discord import NO_MENTIONS
from bot.content.upload_archive import MAX_UPLOAD_BYTES
from bot.content.uploads import UploadedFile, is_worksheet
from bot.content.worksheet_import import WORKSHEET_SUFFIXES
from bot.services.cohort_desk import CohortDesk
from bot.services.course_shelf import CourseShelf, ShelfScope
from bot.services.messages import Reply
from cogs.cohort_replies import CANNOT_MANAGE, NO_SERVER, answer, may_manage
from cogs.sending import send_replies
from cogs.tutor_cog import PLATFORM, person
from cogs.views import ChoiceHandler

TOO_BIG = f"That file is too big: a course upload is at most {MAX_UPLOAD_BYTES // 1_000_000} MB."
IN_THE_SERVER = (
    "Upload a course or a worksheet with `/course upload` (or `/course import`) in your "
    "server: it is stored for that server only. Here in our DM I take it when you run "
    "cohorts in one server only, and you run them in {count}."
)
NOT_A_WORKSHEET = "Import a worksheet as a .md or .txt file; upload a course with `/course upload`."


class CourseCog(commands.Cog):
    """Hands a creator's uploaded files to the course shelf, for this server only."""

    course = app_commands.Group(
        name="course", description="Courses for this server", guild_only=True
    )

    def __init__(
        self,
        bot: commands.Bot,
        shelf: CourseShelf,
        handler: ChoiceHandler,
        cohorts: CohortDesk | None = None,
    ) -> None:
        self.bot = bot
        self.shelf = shelf
        self.handler = handler
        self.cohorts = cohorts

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        """Files alone in a DM: a course for the one server where the person runs cohorts."""
        if message.author.bot or message.guild is not None or not message.attachments:
            return
        if message.content.strip():
            return  # words with a file are for the tutor
        uploader = person(message.author)
        places = await self.cohorts.staff_places(uploader) if self.cohorts is not None else []
        if len(places) != 1:
            text = IN_THE_SERVER.format(count=len(places) or "none")
            await message.channel.send(text, allowed_mentions=NO_MENTIONS)
            return
        if sum(a.size for a in message.attachments) > MAX_UPLOAD_BYTES:
            await message.channel.send(TOO_BIG, allowed_mentions=NO_MENTIONS)
            return
        files = [UploadedFile(a.filename, await a.read()) for a in message.attachments]
        reply = await self.shelf.upload(uploader, ShelfScope(PLATFORM, places[0]), files)
        await send_replies(message.channel, [reply], self.handler)

    @course.command(name="upload", description="Check a course (zip or YAML) and store it here")
    @app_commands.describe(file="The course as a zip, or course.yaml; a worksheet makes a draft")
    async def upload(self, interaction: discord.Interaction, file: discord.Attachment) -> None:
        """Check an uploaded course; store it for this server when it has no error."""
        await self._check(interaction, file, worksheet_only=False)

    @course.command(name="import", description="Turn a worksheet (.md or .txt) into a draft course")
    @app_commands.describe(file="The worksheet: headings become skills, questions exercises")
    async def import_worksheet(
        self, interaction: discord.Interaction, file: discord.Attachment
    ) -> None:
        """Return the draft course made from a worksheet, as a zip to review."""
        await self._check(interaction, file, worksheet_only=True)

    async def _check(
        self, interaction: discord.Interaction, file: discord.Attachment, *, worksheet_only: bool
    ) -> None:
        """Download the attachment and hand it to the shelf; answer only the asker."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        if interaction.guild_id is None:
            await answer(interaction, Reply(NO_SERVER), self.handler)
            return
        if not may_manage(interaction):
            await answer(interaction, Reply(CANNOT_MANAGE), self.handler)
            return
        if worksheet_only and not file.filename.lower().endswith(WORKSHEET_SUFFIXES):
            await answer(interaction, Reply(NOT_A_WORKSHEET), self.handler)
            return
        if file.size > MAX_UPLOAD_BYTES:
            await answer(interaction, Reply(TOO_BIG), self.handler)
            return
        uploaded = UploadedFile(file.filename, await file.read())
        if worksheet_only and not is_worksheet([uploaded]):
            await answer(interaction, Reply(NOT_A_WORKSHEET), self.handler)
            return
        scope = ShelfScope(PLATFORM, str(interaction.guild_id))
        reply = await self.shelf.upload(person(interaction.user), scope, [uploaded])
        await answer(interaction, reply, self.handler)
