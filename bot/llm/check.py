"""`tutor llm check`: a built-in suite run against the configured model, as a scorecard.

Real tutor turns run through the real `Tutor` with the model's wording, on a temporary
SQLite file and a small built-in course: extraction and injection attempts, clarifying
questions, vague explanations and reflections, and a right answer whose working slips. The
judging calls (read, judge, diagnose, reasoning) run on built-in messages whose right
judgement is known. Nothing touches the deployment's database, and no call counts against
a learner's or a course's token cap.
"""

from __future__ import annotations

import asyncio
import random
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO
from urllib.parse import urlsplit, urlunsplit

from sqlalchemy.orm import Session

from bot.content.catalog import Catalog
from bot.content.loader import load_catalog
from bot.content.models import AnsweredExercise
from bot.content.rendering import RenderedExercise, render_exercise
from bot.dialogue.judgements import JudgeContext, ReasoningAsk
from bot.learning.answer_key import AnswerKey
from bot.learning.answer_leak import reveals_answer
from bot.llm.calls import CALL_KINDS, FAILURE_REASONS
from bot.llm.check_scorecard import Scorecard, TurnOutcome
from bot.llm.check_suite import (
    CLARIFYING,
    COURSE_FILES,
    DIAGNOSE,
    EXTRACTION,
    FRACTIONS,
    JUDGED,
    READ,
    REASONED,
    REFLECTION,
    SLIP_RESULT,
    SLIPPED,
    SOLUTION,
    VAGUE_EXPLANATIONS,
    VAGUE_REFLECTIONS,
)
from bot.llm.client import ModelClient
from bot.llm.counters import OK
from bot.llm.judging import ModelJudge, check_endpoint
from bot.llm.tutor_judge import TutorJudge
from bot.llm.wording import ModelWording
from bot.services.messages import Incoming
from bot.services.tutor import Tutor
from bot.settings import Settings
from bot.store import dialogues as dialogue_store
from bot.store import users as user_store
from bot.store.db import Database

__all__ = ["NOT_CONFIGURED", "Scorecard", "Unreachable", "check_model", "run_check", "shown_url"]

PLATFORM = "check"
# The outcomes that end a call: one per call made.
_ENDS = frozenset(FAILURE_REASONS) - {"unusable"} | {OK}
# The client's own deadline ends a call first; this only bounds a judge that hangs.
JUDGE_GRACE_SECONDS = 1.0
OPENAI_URL = "https://api.openai.com/v1"
NOT_CONFIGURED = (
    "No model is configured: set OPENAI_BASE_URL (a local server) or OPENAI_API_KEY (OpenAI), "
    "as .env.example shows."
)
# Failures of the first call that leave no model to check, and what to do about each.
_UNREACHABLE = {
    "connection": "could not be reached: start the server, or correct OPENAI_BASE_URL.",
    "timeout": "did not answer within {timeout:g} s: is the model loaded, or should "
    "LLM_TIMEOUT_SECONDS be longer?",
    "rejected": "refused the request: check OPENAI_MODEL ({model}) and OPENAI_API_KEY.",
    "rate_limited": "kept answering 429 (rate limited): try later, or check the account's limits.",
    "server_error": "kept failing with server errors (5xx): its own log says why.",
}


@dataclass(frozen=True)
class Unreachable:
    """There is no model to check: the one sentence that says why."""

    sentence: str


def run_check(settings: Settings, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Check the configured model and print the scorecard; return the exit code.

    1 when an answer leaked, when the endpoint cannot be used, or when no model is set.
    """
    out, err = out or sys.stdout, err or sys.stderr
    if not settings.llm_configured():
        print(NOT_CONFIGURED, file=err)
        return 1
    result = asyncio.run(check_model(settings))
    if isinstance(result, Unreachable):
        print(result.sentence, file=err)
        return 1
    print(result.report(), file=out)
    return 0 if result.passed else 1


async def check_model(settings: Settings, *, seed: int = 7) -> Scorecard | Unreachable:
    """Run the whole suite against the model the settings name."""
    endpoint = shown_url(settings.openai_base_url or OPENAI_URL)
    client = ModelClient.from_settings(settings)
    try:
        reached = await check_endpoint(client)
        reason = _failure(client.counters.snapshot(), "check")
        if not reached and reason in _UNREACHABLE:
            said = _UNREACHABLE[reason].format(
                timeout=settings.llm_timeout_seconds, model=settings.openai_model
            )
            return Unreachable(f"The model endpoint {endpoint} {said}")
        card = Scorecard(settings.openai_model, endpoint, settings.llm_timeout_seconds)
        card.endpoint_note = "" if reached else _endpoint_note(reason)
        folder = Path(await asyncio.to_thread(tempfile.mkdtemp, prefix="tutor-llm-check-"))
        try:
            await _run_suite(client, card, folder, seed, settings.llm_timeout_seconds)
        finally:
            await asyncio.to_thread(shutil.rmtree, folder, True)
        card.mode = client.mode
        return card
    finally:
        await client.close()


def shown_url(url: str) -> str:
    """The endpoint as it may be printed: no user name, password or query in it."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    host = f"[{host}]" if ":" in host else host  # an IPv6 address
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def _failure(counts: Mapping[tuple[str, str], int], kind: str) -> str:
    """The failure reason calls of ``kind`` ended in ("" when none failed)."""
    return next((o for (k, o), n in counts.items() if k == kind and n and o in FAILURE_REASONS), "")


def _endpoint_note(reason: str) -> str:
    if reason in {"invalid_json", "schema_mismatch"}:
        return "answered, but not with the JSON it was asked for"
    if reason:
        return f"answered, but the check call failed ({reason})"
    return "answered, but did not echo the word it was asked to"


async def _run_suite(
    client: ModelClient, card: Scorecard, folder: Path, seed: int, call_seconds: float
) -> None:
    """Tutor turns on a temporary database, then the judging calls."""
    catalog = await asyncio.to_thread(_write_courses, folder / "courses")
    database = Database(f"sqlite+aiosqlite:///{folder / 'check.db'}")
    await database.upgrade()
    # The tutor as the runtime builds it with a model: its wording and its judge.
    tutor = Tutor(
        database,
        catalog,
        rng=random.Random(seed),
        wording=ModelWording(client),
        judge=TutorJudge(ModelJudge(client)),
        judge_timeout=call_seconds + JUDGE_GRACE_SECONDS,
    )
    try:
        learners = _Learners(tutor, client, _secrets(catalog))
        await learners.run(card)
        await _judge(ModelJudge(client), learners.secrets[FRACTIONS], card)
        card.judging(client.counters)
    finally:
        tutor.checks.close()
        await database.close()


def _write_courses(folder: Path) -> Catalog:
    """Write the built-in courses into ``folder`` and load them as any course is loaded."""
    for course_id, text in COURSE_FILES.items():
        (folder / course_id).mkdir(parents=True)
        (folder / course_id / "course.yaml").write_text(text, encoding="utf-8")
    return load_catalog([folder])


def _secrets(catalog: Catalog) -> dict[str, RenderedExercise]:
    """Each answered course's exercise as learners see it (the courses fix every value)."""
    return {
        course.id: render_exercise(exercise, {})
        for course in catalog.courses.values()
        for exercise in course.exercises.values()
        if isinstance(exercise, AnsweredExercise)
    }


@dataclass(frozen=True)
class _Kept:
    """What a reply may not give away, and the texts that already say what they say."""

    key: AnswerKey
    public: tuple[str, ...]


class _Learners:
    """Learners of the built-in courses, one message at a time, each turn measured."""

    def __init__(
        self, tutor: Tutor, client: ModelClient, secrets: dict[str, RenderedExercise]
    ) -> None:
        self.tutor = tutor
        self.counters = client.counters
        self.secrets = secrets
        self._count = 0

    async def run(self, card: Scorecard) -> None:
        """Extraction attempts, clarifying questions, vague explanations and reflections."""
        for course_id, attempts in EXTRACTION.items():
            for attempt in attempts:
                user = await self._new(course_id)
                for _ in range(2):  # twice: still before the hint ladder's last rung
                    card.turn(await self.say(user, attempt, self._kept(course_id)), secret=True)
        for course_id, questions in CLARIFYING.items():
            user = await self._new(course_id)
            for question in questions:
                card.clarifying_turn(await self.say(user, question, self._kept(course_id)))
        asked_why_again = frozenset({"why_follow_up", "ask_why_again"})
        for text in VAGUE_EXPLANATIONS:
            user = await self._new(FRACTIONS)
            card.turn(await self.say(user, SOLUTION), secret=False)
            card.vague_turn(await self.say(user, text), asked_why_again)
        for text in VAGUE_REFLECTIONS:
            user = await self._new(REFLECTION)
            card.vague_turn(await self.say(user, text), frozenset({"probe"}))
        # The right answer, with a step that slips: the step's real result stays unsaid.
        user = await self._new(FRACTIONS)
        slip = _Kept(AnswerKey("numeric", SLIP_RESULT), (self.secrets[FRACTIONS].prompt, SLIPPED))
        card.slip_turn(await self.say(user, SLIPPED, slip))

    async def _new(self, course_id: str) -> str:
        """A new learner who has just started ``course_id``."""
        self._count += 1
        user = f"learner-{self._count}"
        await self.tutor.handle(Incoming(PLATFORM, user, f"start {course_id}"))
        return user

    def _kept(self, course_id: str) -> _Kept:
        """The answer of ``course_id``'s exercise, to be kept out of its replies."""
        secret = self.secrets[course_id]
        return _Kept(secret.key, (secret.prompt,))

    async def say(self, user: str, text: str, kept: _Kept | None = None) -> TurnOutcome:
        """Send one message; with ``kept``, check the replies for what they may not say."""
        before, tokens = self.counters.snapshot(), self._tokens()
        started = time.perf_counter()
        replies = await self.tutor.handle(Incoming(PLATFORM, user, text))
        seconds = time.perf_counter() - started
        made = Counter(self.counters.snapshot())
        made.subtract(before)
        leaked = kept is not None and any(
            reveals_answer(kept.key, r.text, public_texts=kept.public) for r in replies
        )
        return TurnOutcome(
            move=await self.tutor.database.run(_last_move, user),
            leaked=leaked,
            words=+Counter({outcome: n for (kind, outcome), n in made.items() if kind == "word"}),
            model_calls=sum(n for (_, outcome), n in made.items() if outcome in _ENDS),
            seconds=seconds,
            tokens=self._tokens() - tokens,
        )

    def _tokens(self) -> int:
        """Tokens every call so far used."""
        return sum(self.counters.tokens(kind).total for kind in CALL_KINDS)


def _last_move(session: Session, user: str) -> str | None:
    """The move of the tutor's latest reply in the learner's open dialogue."""
    learner = user_store.get_user(session, PLATFORM, user)
    if learner is None or learner.id is None:
        return None
    dialogue = dialogue_store.open_dialogue(session, learner.id)
    if dialogue is None:
        return None
    said = [t.move for t in dialogue_store.transcript(session, dialogue.id) if t.role == "tutor"]
    return said[-1] if said else None


async def _judge(judge: ModelJudge, fractions: RenderedExercise, card: Scorecard) -> None:
    """Read messages, judge explanations and working, diagnose wrong answers; time each call."""

    def timed(started: float) -> None:
        card.call_seconds.append(time.perf_counter() - started)

    problem = fractions.prompt
    for text, act in READ:
        started = time.perf_counter()
        reading = await judge.read_act(text, problem=problem)
        timed(started)
        card.read_right.append(reading is not None and reading.act == act)
    for item in JUDGED:
        started = time.perf_counter()
        judgement = await judge.judge_explanation(
            item.text, question=item.question, criteria=item.criteria
        )
        timed(started)
        card.judged_right.append(judgement is not None and judgement.vague == item.vague)
    # As the tutor asks: a step that would give something away is dropped, so judged wrong.
    tutor_judge = TutorJudge(judge)
    for reasoned in REASONED:
        ask = ReasoningAsk(problem, fractions.hints[-1], reasoned.text, fractions.key)
        started = time.perf_counter()
        found = await tutor_judge.reasoning(ask, JudgeContext())
        timed(started)
        step = found.step.casefold() if found is not None else ""
        card.reasoning_right.append(
            found is not None
            and found.sound == reasoned.sound
            and (reasoned.sound or any(mark in step for mark in reasoned.marks))
        )
    for wrong in DIAGNOSE:
        started = time.perf_counter()
        await judge.diagnose(
            problem=problem, reference=fractions.hints[-1], wrong_answer=wrong, key=fractions.key
        )
        timed(started)
