"""Render neutral replies the Discord way: 2,000-character messages, buttons, files, no pings."""

from __future__ import annotations

import io

import discord

from bot.services.messages import Attachment, Choice, Reply

MESSAGE_LIMIT = 2000
# the bot pings no one today; a coach or cohort ping passes its own AllowedMentions
NO_MENTIONS = discord.AllowedMentions.none()
CHOICE_PREFIX = "tutor:"
BUTTON_STYLES = {
    "hint": discord.ButtonStyle.secondary,
    "skip": discord.ButtonStyle.secondary,
    "consent": discord.ButtonStyle.success,
    "forget-confirm": discord.ButtonStyle.danger,
}


def safe_text(text: str) -> str:
    """Defuse @everyone, @here and user or role mentions that learner text may carry."""
    # the tutor's own wording never mentions anyone, so escaping all of it only touches echoes
    return discord.utils.escape_mentions(text)


def split_text(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Split text into messages of at most `limit` characters, at line or word breaks."""
    text = text.strip() or "…"
    chunks: list[str] = []
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit + 1)
        if cut < limit // 2:
            cut = text.rfind(" ", 0, limit + 1)
        if cut < limit // 2:
            cut = limit
        chunks.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text:
        chunks.append(text)
    return chunks


def custom_id_for(choice: Choice) -> str:
    """Return the stable custom id of a choice button (stable across restarts)."""
    return f"{CHOICE_PREFIX}{choice.action}"[:100]


def choice_buttons(choices: tuple[Choice, ...]) -> list[discord.ui.Button[discord.ui.View]]:
    """Build one button per choice, each with its stable custom id."""
    return [
        discord.ui.Button(
            label=choice.label[:80],
            custom_id=custom_id_for(choice),
            style=BUTTON_STYLES.get(choice.action, discord.ButtonStyle.primary),
        )
        for choice in choices[:25]
    ]


def files_for(attachments: tuple[Attachment, ...]) -> list[discord.File]:
    """Turn attachments into Discord files."""
    return [discord.File(io.BytesIO(a.data), filename=a.filename) for a in attachments]


def message_parts(
    reply: Reply, view: discord.ui.View | None
) -> list[tuple[str, discord.ui.View | None, list[discord.File]]]:
    """Lay out one reply as messages: text chunks, with the buttons and files on the last."""
    chunks = split_text(safe_text(reply.text))
    parts: list[tuple[str, discord.ui.View | None, list[discord.File]]] = [
        (chunk, None, []) for chunk in chunks[:-1]
    ]
    parts.append((chunks[-1], view, files_for(reply.attachments)))
    return parts
