"""Buttons and modals that survive a restart: stable custom ids, one handler."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import discord

from bot.adapters.discord_render import CHOICE_PREFIX, CHOICE_WORDS, choice_buttons

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

    def __init__(self, handler: ChoiceHandler, choices: tuple[str, ...] | None = None) -> None:
        super().__init__(timeout=None)
        for button in choice_buttons(choices if choices is not None else tuple(CHOICE_WORDS)):
            self.add_item(ChoiceButton(button, handler))


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
