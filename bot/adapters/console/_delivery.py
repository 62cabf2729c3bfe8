"""Review prompts for the learner at the console, printed while it is open."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.adapters.console._render import note_line, reply_lines
from bot.adapters.console._screen import Screen

if TYPE_CHECKING:
    from bot.scheduling.sender import DeliveryResult
    from bot.store.models import OutboxMessage

REVIEW_WORDS = "Type `review` to start, `snooze` for an hour, or `snooze tomorrow`."
RETRY_SECONDS = 600


class ConsoleDelivery:
    """Print review prompts for the learner at this console; keep other learners' for later."""

    def __init__(self, user: str, screen: Screen) -> None:
        self.user = user
        self.screen = screen

    async def deliver(self, message: OutboxMessage) -> DeliveryResult:
        """Show a prompt to this console's learner, above the line they may be typing."""
        from bot.scheduling.sender import DeliveryResult

        if message.recipient != self.user:
            return DeliveryResult(
                "deferred", retry_after=RETRY_SECONDS, error="learner not at the console"
            )
        text = str(message.payload.get("text", ""))
        lines = reply_lines(text, self.screen.width())
        self.screen.write_lines([*lines, note_line(REVIEW_WORDS)])
        return DeliveryResult("sent")
