"""The bolt app: signature checks on, retries answered once, one error handler, listeners."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack import (
    _actions,
    _assistant,
    _coach,
    _cohort,
    _commands,
    _forms,
    _home_events,
    _messages,
)
from bot.adapters.slack._cohort_buttons import CohortButtons
from bot.adapters.slack._connect import Mode, library_log
from bot.adapters.slack._dedupe import SeenEvents
from bot.adapters.slack._errors import report_error
from bot.adapters.slack._turns import SlackTurns
from bot.services.coach_desk import CoachDesk
from bot.services.cohort_desk import CohortDesk
from bot.services.course_shelf import CourseShelf


def build_app(
    client: AsyncWebClient,
    turns: SlackTurns,
    *,
    mode: Mode,
    signing_secret: str | None,
    seen: SeenEvents | None = None,
    coaching: CoachDesk | None = None,
    cohorts: CohortDesk | None = None,
    shelf: CourseShelf | None = None,
) -> AsyncApp:
    """Build the bolt app with every listener group registered.

    In HTTP mode bolt checks each request's signature and timestamp (older than five
    minutes is refused) before anything else; Socket Mode needs no signature.
    """
    app = AsyncApp(
        client=client,
        signing_secret=signing_secret or "",
        request_verification_enabled=mode == "http",
        logger=library_log,
    )
    # bolt logs a refused request's whole body at INFO: a learner's words
    logging.getLogger("slack_bolt.RequestVerification").setLevel(logging.WARNING)
    app.use((seen or SeenEvents(database=turns.tutor.database)).middleware)

    @app.error
    async def on_error(error: Exception, body: dict[str, Any]) -> None:
        """Every listener's unexpected failure: one log record, one plain sentence."""
        await report_error(error, body, client)

    buttons = CohortButtons(turns, cohorts) if cohorts is not None else None
    _cohort.register(app, turns, cohorts, shelf, buttons)  # its middleware takes course files
    _assistant.register(app, turns)  # a middleware: it takes assistant threads first
    _messages.register(app, turns)
    _commands.register(app, turns)
    _coach.register(app, turns, coaching)  # `/coach` and the coach's forms
    _actions.register(app, turns, buttons)
    _forms.register(app, turns)
    _home_events.register(app, turns)
    return app
