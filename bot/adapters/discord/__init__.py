"""The Discord adapter: the gateway bot, review prompts by DM, and the rendering the cogs use."""

from bot.adapters.discord._bot import DiscordBotAdapter, TutorBot
from bot.adapters.discord._delivery import DiscordDelivery, nonce_for
from bot.adapters.discord._render import (
    CHOICE_PREFIX,
    NO_MENTIONS,
    choice_buttons,
    message_parts,
    safe_text,
    split_text,
)
from bot.adapters.discord._typing import typing_while_working
from bot.adapters.discord._worker import DiscordWorkerAdapter, buttons_only

__all__ = [
    "CHOICE_PREFIX",
    "NO_MENTIONS",
    "DiscordBotAdapter",
    "DiscordDelivery",
    "DiscordWorkerAdapter",
    "TutorBot",
    "buttons_only",
    "choice_buttons",
    "message_parts",
    "nonce_for",
    "safe_text",
    "split_text",
    "typing_while_working",
]
