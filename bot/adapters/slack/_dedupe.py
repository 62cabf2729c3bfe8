"""Answer each event once: Slack retries an event it thinks was not received in time.

The event ids seen are kept in memory, a bounded set per process. Behind a load balancer
with several processes a retry may reach another process: there a shared record (a table
with the event id as its key) would be needed; one process per app, or Socket Mode (one
connection), is covered.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.response import BoltResponse

log = logging.getLogger(__name__)

SEEN_EVENTS = 20_000


class SeenEvents:
    """The ids of the latest events handled, oldest forgotten first."""

    def __init__(self, size: int = SEEN_EVENTS) -> None:
        self.size = size
        self._seen: OrderedDict[str, None] = OrderedDict()

    def first_time(self, event_id: str) -> bool:
        """Record the id; tell whether it is new."""
        if event_id in self._seen:
            self._seen.move_to_end(event_id)
            return False
        self._seen[event_id] = None
        while len(self._seen) > self.size:
            self._seen.popitem(last=False)
        return True

    async def middleware(
        self, body: dict[str, Any], next: Callable[[], Awaitable[None]]
    ) -> BoltResponse | None:
        """Acknowledge a repeated event without handling it again (a bolt global middleware)."""
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if isinstance(event_id, str) and not self.first_time(event_id):
            log.info("slack: event %s arrived again (a retry); answered once already", event_id)
            return BoltResponse(status=200, body="")
        await next()
        return None
