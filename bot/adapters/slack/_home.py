"""App Home: published when the learner opens it, and again when their progress changes."""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict

from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack._pacing import SlackPacing
from bot.adapters.slack._surfaces import home_view
from bot.adapters.slack._tasks import RunningWork
from bot.services.messages import Person
from bot.services.standing import Standing
from bot.services.tutor import Tutor

MAX_HOMES = 10_000  # learners whose last published view this process remembers


class HomePublisher:
    """Publish a learner's App Home; publish again only when what it shows has changed."""

    def __init__(
        self, client: AsyncWebClient, tutor: Tutor, pacing: SlackPacing, running: RunningWork
    ) -> None:
        self.client = client
        self.tutor = tutor
        self.pacing = pacing
        self.running = running
        self._published: OrderedDict[str, str] = OrderedDict()

    async def state(self, person: Person) -> Standing:
        """Read the learner's standing (nothing is written)."""
        return await self.tutor.standing(person)

    async def publish(self, person: Person, *, force: bool = False) -> bool:
        """Publish the learner's home when it changed (or always, with `force`)."""
        view = home_view(await self.state(person))
        digest = hashlib.sha256(json.dumps(view, sort_keys=True).encode("utf-8")).hexdigest()
        if not force and self._published.get(person.user_id) == digest:
            return False
        await self.pacing.method("views.publish")
        await self.client.views_publish(user_id=person.user_id, view=view)
        self._published[person.user_id] = digest
        self._published.move_to_end(person.user_id)
        while len(self._published) > MAX_HOMES:
            self._published.popitem(last=False)
        return True

    def refresh(self, person: Person) -> None:
        """After a turn: publish again in the background if the learner has a home open here.

        A learner who never opened App Home in this process gets theirs when they do.
        """
        if person.user_id in self._published:
            self.running.spawn(self.publish(person), "publishing App Home")
