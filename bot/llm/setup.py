"""Build the model layer from the settings: the client, its usage ledger, wording, judging.

`wording`, `tutor_judge` and `reframer` are what the tutor plugs in; `judge` holds the raw judging
calls (for checks, and the coach and cohort features).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from bot.llm.budget import StoredUsage, TokenCaps
from bot.llm.client import ModelClient
from bot.llm.counters import CallCounters
from bot.llm.drafting import ModelDrafter
from bot.llm.judging import ModelJudge, ProblemReframer
from bot.llm.prompts import prompt_book
from bot.llm.tutor_judge import TutorJudge
from bot.llm.wording import ModelWording
from bot.settings import Settings
from bot.store.db import Database
from bot.store.types import utc_now

__all__ = ["ModelLayer", "build_model_layer", "prompt_book"]


@dataclass
class ModelLayer:
    """What the tutor uses of a configured model, and what closes with it."""

    client: ModelClient
    usage: StoredUsage
    wording: ModelWording = field(init=False)
    judge: ModelJudge = field(init=False)
    tutor_judge: TutorJudge = field(init=False)
    reframer: ProblemReframer = field(init=False)
    drafter: ModelDrafter = field(init=False)

    def __post_init__(self) -> None:
        self.wording = ModelWording(self.client)
        self.judge = ModelJudge(self.client)
        self.tutor_judge = TutorJudge(self.judge)
        self.reframer = ProblemReframer(self.judge)
        self.drafter = ModelDrafter(self.client)

    @property
    def counters(self) -> CallCounters:
        """How the calls went, per kind and outcome, since the process started."""
        return self.client.counters

    async def close(self) -> None:
        """Store the usage still queued, then close the connections."""
        await self.usage.close()
        await self.client.close()


def build_model_layer(
    settings: Settings, database: Database, clock: Callable[[], datetime] = utc_now
) -> ModelLayer | None:
    """Return the model layer the settings configure, or None to stay offline."""
    if not settings.llm_configured():
        return None
    prompt_book()  # a broken prompt file stops the start, with its file and line
    caps = TokenCaps(
        learner_daily=settings.llm_learner_daily_tokens,
        course_monthly=settings.llm_course_monthly_tokens,
    )
    usage = StoredUsage(database, caps, clock)
    return ModelLayer(ModelClient.from_settings(settings, ledger=usage), usage)
