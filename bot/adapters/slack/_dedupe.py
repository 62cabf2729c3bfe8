"""Answer each event once: Slack retries an event it thinks was not received in time.

The event ids seen are kept in memory, a bounded set per process, and recorded in the
database (`handled_events`, keyed by the id), so a retry that reaches another process
behind a load balancer is answered once too. If the database cannot take the record the
event is handled: answering twice is better than never.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.response import BoltResponse

from bot.store import handled_events
from bot.store.db import Database
from bot.store.types import utc_now

log = logging.getLogger(__name__)

SEEN_EVENTS = 20_000


class SeenEvents:
    """The ids of the latest events handled, oldest forgotten first."""

    def __init__(self, size: int = SEEN_EVENTS, database: Database | None = None) -> None:
        self.size = size
        self.database = database
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

    async def first_anywhere(self, event_id: str) -> bool:
        """Tell whether no process on the database has handled this event yet."""
        if not self.first_time(event_id):
            return False
        if self.database is None:
            return True
        try:
            return await self.database.run(
                handled_events.first_time, "slack", event_id[:64], utc_now()
            )
        except Exception:
            log.warning("slack: event %s could not be recorded; handling it", event_id)
            return True

    async def middleware(
        self, body: dict[str, Any], next: Callable[[], Awaitable[None]]
    ) -> BoltResponse | None:
        """Acknowledge a repeated event without handling it again (a bolt global middleware)."""
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if isinstance(event_id, str) and not await self.first_anywhere(event_id):
            log.info("slack: event %s arrived again (a retry); answered once already", event_id)
            return BoltResponse(status=200, body="")
        await next()
        return None
