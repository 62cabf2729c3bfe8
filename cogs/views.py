"""Buttons and modals that survive a restart: stable custom ids, one handler."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import discord

from bot.adapters.discord import CHOICE_PREFIX, choice_buttons
from bot.services.messages import CHOICES, Choice
from cogs.coaching_views import ChoiceWithArgument
from cogs.errors import report_error

ChoiceHandler = Callable[[discord.Interaction, str], Awaitable[None]]
AnswerHandler = Callable[[discord.Interaction, str], Awaitable[None]]


class ChoiceButton(discord.ui.Button["ChoiceView"]):
    """One choice under a tutor message; a click hands its word to the handler."""

    def __init__(
        self, template: discord.ui.Button[discord.ui.View], handler: ChoiceHandler
    ) -> None:
        super().__init__(label=template.label, custom_id=template.custom_id, style=template.style)
        self._handler = handler
        self.word = (template.custom_id or "").removeprefix(CHOICE_PREFIX)

    async def callback(self, interaction: discord.Interaction) -> None:
        """Pass the click on."""
        await self._handler(interaction, self.word)


class ChoiceView(discord.ui.View):
    """Buttons under the tutor's messages; a click calls the handler with the choice's word."""

    def __init__(self, handler: ChoiceHandler, choices: tuple[Choice, ...] | None = None) -> None:
        super().__init__(timeout=None)
        for button in choice_buttons(choices if choices is not None else CHOICES):
            # a choice naming one thing ("assignment-start:12") is matched by a template,
            # so its clicks still route after a restart
            self.add_item(ChoiceWithArgument.wrapping(button) or ChoiceButton(button, handler))

    async def on_error(
        self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item[Any], /
    ) -> None:
        """Send a failed click to the one error handler, so the learner is not left waiting."""
        await report_error(interaction, error)


def persistent_views(handler: ChoiceHandler) -> list[discord.ui.View]:
    """Return the views to register at start-up, so old buttons still work."""
    return [ChoiceView(handler)]


class LongAnswerModal(discord.ui.Modal, title="Your answer"):
    """A form for answers too long or too many lines for a chat message."""

    answer: discord.ui.TextInput[LongAnswerModal] = discord.ui.TextInput(
        label="Your answer",
        style=discord.TextStyle.paragraph,
        max_length=4000,
        custom_id="tutor:long-answer-text",
    )

    def __init__(self, handler: AnswerHandler) -> None:
        super().__init__(custom_id="tutor:long-answer-modal")
        self._handler = handler

    async def on_submit(self, interaction: discord.Interaction) -> None:
        """Hand the answer to the tutor."""
        await self._handler(interaction, self.answer.value)

    async def on_error(  # type: ignore[override]  # discord.py narrows it for modals
        self, interaction: discord.Interaction, error: Exception, /
    ) -> None:
        """Send a failed answer to the one error handler, so the learner is not left waiting."""
        await report_error(interaction, error)
