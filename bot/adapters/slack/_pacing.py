"""Pace calls under Slack's limits: about one message per second per channel, method tiers.

Each key (a channel, or a method) has a theoretical arrival time that every call moves on
by one interval; a call waits until it is at most `burst - 1` intervals early. Slack lets a
short burst through, so a turn's two or three replies go out at once, while a stream of
review prompts into one channel is spaced a second apart.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Callable

# Web API tiers: calls per minute per workspace (Slack allows a little more than these).
TIER_PER_MINUTE = {1: 1, 2: 20, 3: 50, 4: 100}
METHOD_TIERS = {
    "conversations.open": 4,
    "conversations.history": 3,
    "conversations.info": 3,
    "users.info": 4,
    "views.publish": 4,
    "views.open": 4,
    "files.getUploadURLExternal": 4,
    "files.completeUploadExternal": 4,
}
MESSAGES_PER_SECOND = 1.0  # per channel, for chat.postMessage
MAX_KEYS = 50_000  # channels remembered; the oldest are forgotten (they are paced afresh)


class Pacer:
    """Space calls per key at `per_second`, allowing `burst` calls at once."""

    def __init__(self, per_second: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.interval = 1.0 / per_second
        self._clock = clock
        self._due: OrderedDict[str, float] = OrderedDict()

    def delay(self, key: str, burst: int = 1) -> float:
        """How long the key's next call would wait (nothing is reserved)."""
        now = self._clock()
        return max(0.0, self._due.get(key, now) - now - (burst - 1) * self.interval)

    def reserve(self, key: str, burst: int = 1) -> float:
        """Take the key's next slot; return how long to wait for it (0: go now)."""
        now = self._clock()
        due = max(self._due.get(key, now), now)
        wait = max(0.0, due - now - (burst - 1) * self.interval)
        self._due[key] = due + self.interval
        self._due.move_to_end(key)
        while len(self._due) > MAX_KEYS:
            self._due.popitem(last=False)
        return wait

    def reserve_within(self, key: str, burst: int, longest: float) -> float | None:
        """Take the key's next slot if it comes within `longest` seconds (None: it doesn't)."""
        if self.delay(key, burst) > longest:
            return None
        return self.reserve(key, burst)

    async def wait(self, key: str, burst: int = 1) -> None:
        """Wait for the key's next slot."""
        wait = self.reserve(key, burst)
        if wait > 0:
            await asyncio.sleep(wait)

    def pause(self, key: str, seconds: float) -> None:
        """Hold the key's calls back for `seconds` (Slack answered 429 with Retry-After)."""
        self._due[key] = max(self._due.get(key, 0.0), self._clock() + seconds)


def tier_burst(per_minute: int) -> int:
    """Calls a tier lets through at once: a fifth of its minute."""
    return max(1, per_minute // 5)


class SlackPacing:
    """The pacers one Slack process shares: channels for messages, methods for tiers.

    A tier's calls go at (limit - burst) a minute with bursts of `burst`, so no rolling
    minute ever holds more than the tier's limit.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.channels = Pacer(MESSAGES_PER_SECOND, clock=clock)
        self._methods = {
            tier: Pacer(max(1, per_minute - tier_burst(per_minute)) / 60.0, clock=clock)
            for tier, per_minute in TIER_PER_MINUTE.items()
        }

    async def message(self, channel: str, burst: int = 1) -> None:
        """Wait before posting into `channel`."""
        await self.channels.wait(channel, burst)

    async def method(self, name: str) -> None:
        """Wait before calling a tiered Web API method (untiered methods go at once)."""
        slot = self.method_pacer(name)
        if slot is not None:
            pacer, burst = slot
            await pacer.wait(name, burst)

    def method_pacer(self, name: str) -> tuple[Pacer, int] | None:
        """The pacer of a tiered method and its burst (None: the method has no tier here)."""
        tier = METHOD_TIERS.get(name)
        if tier is None:
            return None
        return self._methods[tier], tier_burst(TIER_PER_MINUTE[tier])

    def pause_method(self, name: str, seconds: float) -> None:
        """Hold calls of a method back after a 429."""
        tier = METHOD_TIERS.get(name)
        if tier is not None:
            self._methods[tier].pause(name, seconds)
