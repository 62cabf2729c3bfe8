"""Put the engine's questions to a judge between two runs of the read unit, never inside one.

A learner's turn first runs as a unit of work that stops, before writing anything, when
the engine asked a question its judge has not answered (see `bot.dialogue.judgements`).
The tutor then awaits the judge outside any transaction, each question with a time limit,
and runs the unit again with the answers. A question that fails or runs out of time is
answered "no judgement", and the engine takes its offline path.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import dataclass

from bot.dialogue.judgements import (
    NO_JUDGE,
    Ask,
    Judge,
    JudgeContext,
    Judgement,
    Judgements,
    OfflineJudge,
    ask_judge,
)

__all__ = ["JUDGE_TIMEOUT", "JudgeCalls", "JudgementNeeded"]

log = logging.getLogger(__name__)

JUDGE_TIMEOUT = 10.0


@dataclass(frozen=True)
class JudgementNeeded:
    """What a unit of work returns instead of replies when its engine awaits a judgement."""

    asks: tuple[Ask, ...]
    context: JudgeContext


class JudgeCalls:
    """The tutor's judge, with its time limit; the offline judge when none is configured."""

    def __init__(self, judge: Judge | None = None, timeout: float = JUDGE_TIMEOUT) -> None:
        self.judge: Judge = judge or OfflineJudge()
        self.timeout = timeout

    @property
    def active(self) -> bool:
        """True when a judge may be asked: a turn may then take more than one read unit."""
        return not isinstance(self.judge, OfflineJudge)

    def judgements(self, known: Mapping[Ask, Judgement | None] | None) -> Judgements:
        """What the engine may consult for one decision (None: decide offline)."""
        if known is None or not self.active:
            return NO_JUDGE
        return Judgements(known)

    async def consult(self, needed: JudgementNeeded) -> dict[Ask, Judgement | None]:
        """Ask every question at once; a failed or late one is answered None."""
        answers = await asyncio.gather(*(self._one(ask, needed.context) for ask in needed.asks))
        return dict(zip(needed.asks, answers, strict=True))

    async def _one(self, ask: Ask, context: JudgeContext) -> Judgement | None:
        kind = type(ask).__name__
        try:
            return await asyncio.wait_for(ask_judge(self.judge, ask, context), self.timeout)
        except TimeoutError:
            log.warning("a judge took too long on a %s; the offline reading stands", kind)
        except Exception:
            log.exception("a judge failed on a %s; the offline reading stands", kind)
        return None
