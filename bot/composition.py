"""The parts the composition root builds from the settings: coaching, cohorts, the model.

`bot.runtime.open_root` puts them together; each builder here takes what it needs and
nothing reads a global.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
from datetime import timedelta
from types import ModuleType
from typing import TYPE_CHECKING

from bot.content.catalog import Catalog
from bot.services.coach_desk import CoachDesk
from bot.services.coach_flags import SafetyWords
from bot.services.coach_reminders import ReminderPolicy
from bot.services.cohort_automations import AutomationPolicy, CohortAutomations
from bot.services.cohort_desk import CohortDesk
from bot.services.course_catalog import LiveCatalog
from bot.services.course_shelf import CourseShelf
from bot.services.tutor import Tutor
from bot.settings import Settings
from bot.store.db import Database

if TYPE_CHECKING:
    from bot.llm.setup import ModelLayer

__all__ = ["JUDGE_GRACE_SECONDS", "coach_desk", "cohort_parts", "model_layer"]

log = logging.getLogger(__name__)

# A judge's or a re-telling's own bound: the client's deadline, and this much more.
JUDGE_GRACE_SECONDS = 1.0


def cohort_parts(
    settings: Settings,
    database: Database,
    catalog: Catalog,
    courses: LiveCatalog,
    tutor: Tutor,
    model: ModelLayer | None = None,
) -> tuple[CohortDesk, CourseShelf, CohortAutomations]:
    """Cohorts, the course shelf (which tells the live catalog of each new version, and
    drafts a worksheet with the model when there is one) and the cohort automations, on
    the tutor's clock and defaults."""
    cohorts = CohortDesk(database, courses, clock=tutor.clock, user_defaults=tutor.user_defaults)
    shelf = CourseShelf(
        database,
        catalog,
        clock=tutor.clock,
        user_defaults=tutor.user_defaults,
        on_stored=courses.add_version,
        drafter=model.drafter if model is not None else None,
    )
    policy = AutomationPolicy(
        post_hour=settings.cohort_post_hour, nudge_cap=settings.cohort_nudge_cap
    )
    automations = CohortAutomations(database, courses, clock=tutor.clock, policy=policy)
    return cohorts, shelf, automations


def coach_desk(
    settings: Settings, database: Database, catalog: Catalog, tutor: Tutor, model: ModelLayer | None
) -> CoachDesk:
    """Build coaching on the tutor's clock, with the deployment's pointer to real help."""
    reminders = ReminderPolicy(
        before_due=timedelta(hours=settings.coach_reminder_hours_before),
        overdue_after=timedelta(hours=settings.coach_overdue_after_hours),
        overdue_every=timedelta(hours=settings.coach_overdue_every_hours),
    )
    return CoachDesk(
        database,
        catalog,
        clock=tutor.clock,
        reminders=reminders,
        safety=SafetyWords(settings.safety_pointer) if settings.safety_pointer else SafetyWords(),
        summariser=model.judge if model is not None else None,
        followup_writer=model.judge if model is not None else None,
        criteria_writer=model.judge if model is not None else None,
        user_defaults=tutor.user_defaults,
    )


async def model_layer(settings: Settings, database: Database) -> ModelLayer | None:
    """Build the model layer when a model is configured; offline otherwise."""
    if not settings.llm_configured():
        return None
    # Imported (and its prompts checked) off the event loop, and only when configured: the
    # openai client takes a while to import, and an offline tutor needs none of it.
    setup = await asyncio.to_thread(load_model_setup)
    model = setup.build_model_layer(settings, database)
    if model is not None:
        log.info("language model %s configured", settings.openai_model)
    return model


def load_model_setup() -> ModuleType:
    """Import the model layer and check its prompt files."""
    setup = importlib.import_module("bot.llm.setup")
    setup.prompt_book()
    return setup
