"""Coaching buttons: Start and Accept that outlive a restart, and a worksheet's review."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

import discord
from discord.ext import commands

from bot.adapters.discord import CHOICE_PREFIX
from bot.services.coach_exercises import ExerciseForm
from cogs.errors import report_error

TUTOR_COG = "TutorCog"
# a choice whose action carries an argument: an assignment's Start, an invite's Accept
ARGUMENT_TEMPLATE = re.escape(CHOICE_PREFIX) + r"(?P<word>[a-z][a-z-]*:[A-Za-z0-9-]{1,40})"
FormAction = Callable[[discord.Interaction, ExerciseForm], Awaitable[None]]


class ChoiceWithArgument(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=ARGUMENT_TEMPLATE
):
    """A button whose id names one thing ("assignment-start:12"): read from its id on click.

    A persistent view only matches fixed ids; this template matches every such id, so a
    Start button delivered before a restart still starts the assignment after it.
    """

    def __init__(self, button: discord.ui.Button[Any]) -> None:
        super().__init__(button)
        self.word = (button.custom_id or "").removeprefix(CHOICE_PREFIX)

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction,
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> ChoiceWithArgument:
        """Rebuild the button from the clicked message, label and all."""
        assert isinstance(item, discord.ui.Button)
        return cls(item)

    @classmethod
    def wrapping(cls, button: discord.ui.Button[Any]) -> ChoiceWithArgument | None:
        """This kind of button for a choice with an argument; None for any other choice."""
        matched = cls.__discord_ui_compiled_template__.fullmatch(button.custom_id or "")
        return cls(button) if matched is not None else None

    async def callback(self, interaction: discord.Interaction) -> None:  # type: ignore[override]
        """Hand the click to the tutor cog's one button handler."""
        client = interaction.client
        cog = client.get_cog(TUTOR_COG) if isinstance(client, commands.Bot) else None
        handler = getattr(cog, "on_choice", None)
        try:
            if handler is None:
                raise RuntimeError("no tutor cog to take the click")
            await handler(interaction, self.word)
        except Exception as exc:  # one handler: log once, tell the person plainly
            await report_error(interaction, exc)


class WorksheetReview(discord.ui.View):
    """Save, edit or drop the exercise made from a pasted worksheet (the coach's only)."""

    def __init__(
        self, coach_id: int, form: ExerciseForm, save: FormAction, edit: FormAction
    ) -> None:
        super().__init__(timeout=1800)
        self.coach_id = coach_id
        self.form = form
        self._save = save
        self._edit = edit

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        """Only the coach who pasted it decides."""
        return interaction.user.id == self.coach_id

    @discord.ui.button(label="Save", style=discord.ButtonStyle.success)
    async def save(self, interaction: discord.Interaction, _: discord.ui.Button[Any]) -> None:
        """Save the exercise as shown."""
        self.stop()
        await self._save(interaction, self.form)

    @discord.ui.button(label="Edit", style=discord.ButtonStyle.secondary)
    async def edit(self, interaction: discord.Interaction, _: discord.ui.Button[Any]) -> None:
        """Open the exercise form filled in with the worksheet's steps."""
        await self._edit(interaction, self.form)

    @discord.ui.button(label="Discard", style=discord.ButtonStyle.danger)
    async def discard(self, interaction: discord.Interaction, _: discord.ui.Button[Any]) -> None:
        """Drop it."""
        self.stop()
        await interaction.response.edit_message(content="Discarded.", view=None)

    async def on_error(
        self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item[Any], /
    ) -> None:
        """Send a failed click to the one error handler."""
        await report_error(interaction, error)


def review_text(form: ExerciseForm) -> str:
    """Show an exercise made from a worksheet, with what was guessed, before it is saved."""
    lines = [f'"{form.title}", {len(form.steps)} step(s):']
    for number, step in enumerate(form.steps, 1):
        checks = ", ".join(step.criteria) or "at least 12 words"
        lines.append(f"  {number}. {step.prompt} (checks: {checks})")
    lines += form.notes
    lines.append("Save it as it is, or Edit it in the form first.")
    return "\n".join(lines)
