"""The one service API every adapter calls: a message in, replies out."""

from __future__ import annotations

import asyncio
import logging
import random
import sqlite3
import weakref
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot.content.catalog import Catalog
from bot.dialogue.judgements import Ask, Judge, Judgement
from bot.dialogue.wording import Wording
from bot.learning.bkt import MASTERY_THRESHOLD
from bot.learning.grading import Grade
from bot.learning.grading_pool import GradeRequest
from bot.services.answer_checks import AnswerChecks, GradingNeeded
from bot.services.coach_flow import CoachingFlow
from bot.services.coach_words import coaching_reply
from bot.services.commands import HELP_TEXT, parse_command
from bot.services.course_access import ensure_courses
from bot.services.data_requests import data_reply, data_request
from bot.services.judge_calls import JUDGE_TIMEOUT, JudgeCalls, JudgementNeeded
from bot.services.known_turns import KnownDialogues, turn_on_known
from bot.services.messages import Incoming, Person, Reply
from bot.services.practice import ExerciseRunner
from bot.services.privacy import (
    CONSENT_CHOICE,
    CONSENT_TEXT,
    give_consent,
)
from bot.services.progress import ProgressReport
from bot.services.reframing import REFRAME_TIMEOUT, Reframer, Retelling
from bot.services.reminders import snooze
from bot.services.turns import STALE, WORDING_TIMEOUT, DialogueTurns, TurnPlan, WordedStep
from bot.services.tutor_account import AccountRequests
from bot.services.tutor_courses import CourseRequests
from bot.store import dialogues as dialogue_store
from bot.store import users as user_store
from bot.store.db import Database
from bot.store.dialogues import OpenDialogue
from bot.store.models import User
from bot.store.types import utc_now

if TYPE_CHECKING:
    from bot.services.coach_desk import CoachDesk

log = logging.getLogger(__name__)

MAX_INPUT_CHARS = 4000
TOO_LONG = "That's a long message: I read the first 4,000 characters."
NOT_SAVED = (
    "I couldn't save that message, so nothing from it was recorded. "
    "Please send it again in a minute."
)
NO_COACHING = "Coaching isn't available here."
# Failures of the store: the database refused or could not take the write.
STORE_ERRORS = (SQLAlchemyError, sqlite3.Error, OSError)
# Runs of the read unit in one turn, at most: grading, a judge's reading, grading the answer
# it found, a diagnosis or summary, and the decision itself.
MAX_READ_ROUNDS = 6


class Tutor(AccountRequests, CourseRequests):
    """Socratic tutoring over one database and one catalog of courses."""

    def __init__(
        self,
        database: Database,
        catalog: Catalog,
        *,
        clock: Callable[[], datetime] = utc_now,
        rng: random.Random | None = None,
        mastery_threshold: float = MASTERY_THRESHOLD,
        consent_platforms: frozenset[str] = frozenset({"discord", "slack"}),
        user_defaults: user_store.UserDefaults | None = None,
        checks: AnswerChecks | None = None,
        wording: Wording | None = None,
        wording_timeout: float = WORDING_TIMEOUT,
        judge: Judge | None = None,
        judge_timeout: float = JUDGE_TIMEOUT,
        reframer: Reframer | None = None,
        reframe_timeout: float = REFRAME_TIMEOUT,
    ) -> None:
        self.database = database
        self.user_defaults = user_defaults or user_store.UserDefaults()
        self.consent_platforms = consent_platforms
        self.catalog = catalog
        self.clock = clock
        self.threshold = mastery_threshold
        self.checks = checks or AnswerChecks()
        # Course exercises and coaches' assignments run through one flow.
        self.flow = CoachingFlow(
            catalog,
            ExerciseRunner(),
            clock,
            rng or random.Random(),
            mastery_threshold,
        )
        self.turns = DialogueTurns(
            self.flow, self.checks, wording, wording_timeout, JudgeCalls(judge, judge_timeout)
        )
        self.known = KnownDialogues()  # what the next turn of a recent learner needs
        self._locks: weakref.WeakValueDictionary[tuple[str, str], asyncio.Lock]
        self._locks = weakref.WeakValueDictionary()
        self.coaching: CoachDesk | None = None
        # Problems re-told in the learner's interests, when a model can do it.
        self.retelling: Retelling | None = None
        if reframer is not None:
            self.flow.reframing = True
            self.retelling = Retelling(
                database, lambda: self.catalog, self.flow.runner, reframer, reframe_timeout
            )

    def use_coaching(self, desk: CoachDesk) -> None:
        """Read clients' coaching words and flags with `desk`, and run assignments' steps."""
        self.coaching = desk
        self.flow.reminders = desk.reminders

    async def handle(self, message: Incoming) -> list[Reply]:
        """Handle one learner message; messages from one learner are handled in order."""
        async with self._lock(message.platform, message.user_id):
            text = message.text
            lead: list[Reply] = []
            if len(text) > MAX_INPUT_CHARS:
                text = text[:MAX_INPUT_CHARS]
                lead.append(Reply(TOO_LONG))
            request = data_request(text)
            if request is not None:  # "delete my data": asked about first, never an answer
                return [*lead, data_reply(request, message.platform)]
            try:
                if self.coaching is not None:
                    coached = await coaching_reply(self.coaching, replace(message, text=text))
                    if coached is not None:
                        self.known.drop(message.platform, message.user_id)
                        return [*lead, *coached]
                answer = await self._handle_stored(message, text)
            except STORE_ERRORS:
                log.exception("a learner message could not be stored")
                return [Reply(NOT_SAVED)]
            if answer is None:
                # Nothing is stored before the learner agrees.
                return [Reply(CONSENT_TEXT, (CONSENT_CHOICE,))]
            replies = [await _finished(r) for r in answer]
            if self.retelling is not None:
                replies = [await self.retelling.finish(r) for r in replies]
            return [*lead, *replies]

    async def _handle_stored(
        self, message: Incoming, text: str
    ) -> Sequence[Reply | ProgressReport] | None:
        """Read and decide, word outside any transaction, then write: a turn in phases.

        With a model, a dialogue this process wrote last is decided without the read unit
        (see `known_turns`); a command, or a dialogue that moved on, takes the long way.
        """
        known = self.known.get(message)
        if known is not None:
            done = await turn_on_known(self.turns, known, text, self._write_if_current)
            if done is not None:
                self.known.written(message, done[0], done[1])
                return done[2]
            self.known.drop(message.platform, message.user_id)
        answer = await self._read_and_decide(message, text)
        if not isinstance(answer, TurnPlan):
            return answer
        worded = await self.turns.word(answer)
        replies = await self._write_if_current(answer, worded)
        if replies is None:
            return [Reply(STALE)]
        if not self.turns.offline:
            self.known.written(message, answer, worded)
        return replies

    async def _write_if_current(self, plan: TurnPlan, worded: WordedStep) -> list[Reply] | None:
        """The write unit of a turn (None: the dialogue moved on; nothing was stored)."""
        return await self.database.run(self.turns.write_if_current, plan, worded)

    async def _read_and_decide(
        self, message: Incoming, text: str
    ) -> Sequence[Reply | ProgressReport] | TurnPlan | None:
        """Run the read unit, grading answers and consulting the judge between its runs."""
        grades: dict[GradeRequest, Grade] = {}
        judged: dict[Ask, Judgement | None] = {}
        for _ in range(MAX_READ_ROUNDS):
            answer = await self.database.run(self._handle_unit, message, text, grades, judged)
            # The unit wrote nothing: grade or consult outside it, then run it again.
            if isinstance(answer, GradingNeeded):
                grades.update(await self.checks.check(answer))
            elif isinstance(answer, JudgementNeeded):
                judged.update(await self.turns.judges.consult(answer))
            else:
                return answer
        # The dialogue moved on between rounds (another process): grade inside the unit,
        # and decide without the judge.
        answer = await self.database.run(self._handle_unit, message, text, None, None)
        if isinstance(answer, GradingNeeded | JudgementNeeded):
            raise RuntimeError("a unit of work asked for what it was told to do without")
        return answer

    def _handle_unit(
        self,
        session: Session,
        message: Incoming,
        text: str,
        grades: Mapping[GradeRequest, Grade] | None,
        judged: Mapping[Ask, Judgement | None] | None = None,
    ) -> Sequence[Reply | ProgressReport] | TurnPlan | GradingNeeded | JudgementNeeded | None:
        """The database work and the dialogue of one message (None: consent is needed)."""
        learner, dialogue = dialogue_store.user_and_open_dialogue(
            session, message.platform, message.user_id
        )
        if learner is None or learner.consent_at is None:
            if message.platform in self.consent_platforms:
                return None
            user = self._agree(session, message)
            assert user.id is not None
            learner = dialogue_store.Learner(user.id, user.consent_at, user.active_course_id)
        ensure_courses(session, self.catalog, dialogue, learner.active_course_id)
        answer = self._dispatch(session, learner, dialogue, text, grades, judged)
        if isinstance(answer, TurnPlan) and self.turns.offline:
            # Offline words need no await: decide, word, guard and write in this one unit.
            return self.turns.write(session, answer, self.turns.word_offline(answer))
        return answer

    async def accept_invite(self, person: Person, code: str) -> list[Reply]:
        """Connect a client with the coach whose invite they read (the Accept button)."""
        if self.coaching is None:
            return [Reply(NO_COACHING)]
        async with self._lock(person.platform, person.user_id):
            return [await self.coaching.accept(person, code)]

    async def start_assignment(self, person: Person, assignment_id: int | None) -> list[Reply]:
        """Start or resume a coach's assignment (the Start button)."""
        if self.coaching is None:
            return [Reply(NO_COACHING)]
        async with self._lock(person.platform, person.user_id):
            self.known.drop(person.platform, person.user_id)
            return await self.coaching.start(person, assignment_id)

    async def consent(self, message: Incoming) -> list[Reply]:
        """Record the learner's consent, then welcome them."""

        def unit(session: Session) -> str:
            return self._courses_for(session, self._agree(session, message).id)

        return [Reply("Thank you! " + await self.database.run(unit))]

    def _agree(self, session: Session, message: Incoming) -> User:
        """Create the learner with this deployment's defaults and record their consent."""
        return give_consent(
            session,
            message.platform,
            message.user_id,
            message.display_name,
            self.clock(),
            self.user_defaults,
        )

    def _lock(self, platform: str, user_id: str) -> asyncio.Lock:
        """Return the lock that keeps one learner's messages in order."""
        key = (platform, user_id)
        lock = self._locks.get(key)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[key] = lock
        return lock

    async def greet(self, message: Incoming) -> list[Reply]:
        """Welcome a learner: resume an open exercise, or list the courses."""

        def unit(session: Session) -> Reply:
            user, dialogue = dialogue_store.user_and_open_dialogue(
                session, message.platform, message.user_id
            )
            if dialogue is None:
                return Reply("Welcome! " + self._courses_for(session, user.id if user else None))
            ensure_courses(session, self.catalog, dialogue)
            return self.flow.resume(session, dialogue)

        return [await self.database.run(unit)]

    def _dispatch(
        self,
        session: Session,
        learner: dialogue_store.Learner,
        dialogue: OpenDialogue | None,
        text: str,
        grades: Mapping[GradeRequest, Grade] | None = None,
        judged: Mapping[Ask, Judgement | None] | None = None,
    ) -> Sequence[Reply | ProgressReport] | TurnPlan | GradingNeeded | JudgementNeeded:
        """Route a message to a command or to the open dialogue."""
        command = parse_command(text)
        if dialogue is not None and self._names_no_course(session, learner.id, command):
            command = None  # "start by finding a common denominator": a reply, not a command
        name = command.name if command is not None else ""
        # The most frequent messages need the open dialogue or the course, not the user's row.
        if dialogue is not None and (command is None or name in {"hint", "skip"}):
            return self.turns.decide(session, learner.id, dialogue, text, name, grades, judged)
        if dialogue is None and (command is None or name == "next"):
            return self._next(session, learner.id, learner.active_course_id)
        assert command is not None
        if name == "help":
            return [Reply(HELP_TEXT)]
        if name == "courses":
            return [Reply(self._courses_for(session, learner.id))]
        if name == "quit":
            return [Reply("Your place is saved. See you soon!")]
        user = session.get(User, learner.id)
        assert user is not None
        if name == "start":
            return self._start(session, user, dialogue, command.argument)
        if name == "progress":
            return [self._progress(session, user)]
        if name == "review":
            return self._review(session, user, dialogue)
        if name == "snooze":
            return [Reply(snooze(session, user, command.argument, self.clock()))]
        if name == "next" and dialogue is not None:
            return [self.flow.resume(session, dialogue, returning=False)]
        return [Reply("There's no exercise open. Type `next` to get one.")]


async def _finished(answer: Reply | ProgressReport) -> Reply:
    """Turn what a unit of work returned into a reply (a progress chart is drawn here)."""
    return await answer.reply() if isinstance(answer, ProgressReport) else answer
