"""Review prompts and coaching messages for the person at the console, printed while it is open."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.adapters.console._render import choices_line, note_line, reply_lines
from bot.adapters.console._screen import Screen
from bot.services.messages import Reply, choice_from_payload

if TYPE_CHECKING:
    from bot.scheduling.sender import DeliveryResult
    from bot.store.models import OutboxMessage

COACHING_KINDS = "coach_"  # coach_assignment, coach_reminder, coach_notice, coach_brief, coach_flag
REVIEW_WORDS = "Type `review` to start, `snooze` for an hour, or `snooze tomorrow`."
RETRY_SECONDS = 600  # only if another person's row reached this console anyway


class ConsoleDelivery:
    """Print review prompts for the learner at this console; keep other learners' for later."""

    def __init__(self, user: str, screen: Screen) -> None:
        self.user = user
        self.screen = screen
        self.recipients = frozenset({user})  # the worker claims only this person's rows

    async def deliver(self, message: OutboxMessage) -> DeliveryResult:
        """Show a prompt to this console's learner, above the line they may be typing."""
        from bot.scheduling.sender import DeliveryResult

        if message.recipient != self.user:
            return DeliveryResult(
                "deferred", retry_after=RETRY_SECONDS, error="learner not at the console"
            )
        text = str(message.payload.get("text", ""))
        lines = reply_lines(text, self.screen.width())
        if message.kind.startswith(COACHING_KINDS):
            # a coach's message or one about an assignment: its Start as the word to type
            stored = message.payload.get("choices", [])
            found = (choice_from_payload(c) for c in stored) if isinstance(stored, list) else ()
            shown = choices_line(Reply(text, tuple(c for c in found if c is not None)))
            self.screen.write_lines([*lines, *([shown] if shown is not None else [])])
        else:
            self.screen.write_lines([*lines, note_line(REVIEW_WORDS)])
        return DeliveryResult("sent")
