"""A client's coaching words and flags, read before a message is tutored."""

from __future__ import annotations

from bot.services.coach_desk import CoachDesk
from bot.services.commands import parse_coaching_word
from bot.services.messages import Incoming, Reply

__all__ = ["coaching_reply"]


async def coaching_reply(desk: CoachDesk, message: Incoming) -> list[Reply] | None:
    """Answer a client's coaching word, or a message that needs a human; None: tutor it."""
    word = parse_coaching_word(message.text)
    person = message.person
    if word is None:
        screened = await desk.screen(message)
        return None if screened is None else [screened]
    if word.name == "join":
        return [await desk.preview_invite(person, word.argument)]
    if word.name == "assignments":
        return [await desk.assignments(person)]
    if word.name == "assignment":
        return await desk.start(person, int(word.argument))
    return [await desk.end(person, word.argument)]
