"""A client's coaching buttons: an invite's Accept and an assignment's Start.

Each button's action id carries what it acts on (`coach-accept:<code>`,
`assignment-start:<id>`), so one posted before a restart still works after it.
"""

from __future__ import annotations

from bot.adapters.slack._send import Place
from bot.adapters.slack._turns import DM_MOVED, SlackTurns, person
from bot.services.account import SettingsChange
from bot.services.coach_desk import ACCEPT_ACTION
from bot.services.coach_followups import DISCARD_ACTION, EDIT_ACTION, SEND_ACTION
from bot.services.coach_messages import START_ACTION

FOLLOWUP_ACTIONS = (SEND_ACTION, EDIT_ACTION, DISCARD_ACTION)
COACH_BUTTONS = (f"{ACCEPT_ACTION}:", f"{START_ACTION}:", *(f"{a}:" for a in FOLLOWUP_ACTIONS))
RETIRED = "That button is no longer in use."


async def coach_click(turns: SlackTurns, user_id: str, word: str, clicked: Place | None) -> None:
    """Accept an invite where it was shown, or start an assignment in the client's DM."""
    kind, _, value = word.partition(":")
    dm = Place(await turns.sender.dm_channel(user_id))
    shown_at = clicked if clicked is not None else dm
    if kind == ACCEPT_ACTION and value:
        await accept(turns, user_id, value, shown_at)
    elif kind == START_ACTION and value.isdigit():
        client = person(user_id)
        replies = await turns.tutor.start_assignment(client, int(value))
        await turns.sender.send(dm, replies)
        assert dm.channel is not None
        await turns.tutor.remember_dm_channel(client, dm.channel)
        if shown_at.channel != dm.channel:
            await turns.sender.send_text(shown_at, DM_MOVED)
        turns.home.refresh(client)
    elif kind in FOLLOWUP_ACTIONS and value.isdigit():
        await followup_click(turns, user_id, kind, int(value), shown_at)
    else:
        await turns.sender.send_text(shown_at, RETIRED)


async def followup_click(
    turns: SlackTurns, user_id: str, kind: str, draft_id: int, shown_at: Place
) -> None:
    """Send or discard a coach's draft; Edit shows it to rewrite with `/coach send`."""
    desk = turns.tutor.coaching
    if desk is None:
        await turns.sender.send_text(shown_at, RETIRED)
        return
    coach = person(user_id)
    if kind == EDIT_ACTION:
        text = await desk.followup_text(coach, draft_id)
        if text is not None:
            await turns.sender.send_text(
                shown_at,
                f"Rewrite it, then send it: `/coach send {draft_id}` followed by your text."
                f"\n\n{text}",
            )
            return
    if kind == DISCARD_ACTION:
        reply = await desk.discard_followup(coach, draft_id)
    else:
        reply = await desk.send_followup(coach, draft_id)
    # the draft's buttons go with it once it is sent or discarded
    await turns.sender.send_text(shown_at, reply.text, replace=shown_at.private)


async def accept(turns: SlackTurns, user_id: str, code: str, shown_at: Place) -> None:
    """Connect the client; one new here starts with their Slack name and time zone."""
    name, timezone = await turns.profile(user_id)  # what the coach calls the client
    client = person(user_id, name)
    new = not (await turns.home.state(client)).consented
    replies = await turns.tutor.accept_invite(client, code)
    if new and timezone and (await turns.home.state(client)).consented:
        # due dates and waking hours are the client's; a zone unknown here is left out
        await turns.tutor.change_settings(client, SettingsChange(timezone=timezone))
    # an ephemeral preview is replaced, so its Accept button goes with it
    await turns.sender.send_text(shown_at, replies[0].text, replace=shown_at.private)
