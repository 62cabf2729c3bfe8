"""The one service API every adapter calls: a message in, replies out."""

from __future__ import annotations

import asyncio
import logging
import random
import weakref
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.content.catalog import Catalog, Course
from bot.content.models import Exercise
from bot.dialogue.state import DialogueState, Step
from bot.services.commands import HELP_TEXT, parse_command
from bot.services.messages import Incoming, Reply
from bot.services.practice import ExerciseRunner
from bot.services.progress import next_in_order, progress_text
from bot.store import dialogues as dialogue_store
from bot.store import users as user_store
from bot.store.db import Database
from bot.store.models import Dialogue, User
from bot.store.types import utc_now

log = logging.getLogger(__name__)

MAX_INPUT_CHARS = 4000
TOO_LONG = "That's a long message: I read the first 4,000 characters."


class Tutor:
    """Socratic tutoring over one database and one catalog of courses."""

    def __init__(
        self,
        database: Database,
        catalog: Catalog,
        *,
        clock: Callable[[], datetime] = utc_now,
        rng: random.Random | None = None,
    ) -> None:
        self.database = database
        self.catalog = catalog
        self.clock = clock
        self.rng = rng or random.Random()
        self.runner = ExerciseRunner()
        self._locks: weakref.WeakValueDictionary[tuple[str, str], asyncio.Lock]
        self._locks = weakref.WeakValueDictionary()

    async def handle(self, message: Incoming) -> list[Reply]:
        """Handle one learner message; messages from one learner are handled in order."""
        key = (message.platform, message.user_id)
        lock = self._locks.get(key)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[key] = lock
        async with lock:
            text = message.text
            replies: list[Reply] = []
            if len(text) > MAX_INPUT_CHARS:
                text = text[:MAX_INPUT_CHARS]
                replies.append(Reply(TOO_LONG))
            async with self.database.session() as session:
                user, dialogue = await dialogue_store.user_and_open_dialogue(
                    session, message.platform, message.user_id
                )
                if user is None:
                    user = await user_store.get_or_create_user(
                        session, message.platform, message.user_id, message.display_name
                    )
                if user.consent_at is None:
                    await user_store.record_consent(session, user, self.clock())
                replies.extend(await self._dispatch(session, user, dialogue, text))
            return replies

    async def greet(self, message: Incoming) -> list[Reply]:
        """Welcome a learner: resume an open exercise, or list the courses."""
        async with self.database.session() as session:
            user = await user_store.get_user(session, message.platform, message.user_id)
            dialogue = None
            if user is not None and user.id is not None:
                dialogue = await dialogue_store.open_dialogue(session, user.id)
            if dialogue is None:
                return [Reply("Welcome! " + self._courses_text())]
            return [await self._resume(session, dialogue)]

    async def _dispatch(
        self, session: AsyncSession, user: User, dialogue: Dialogue | None, text: str
    ) -> list[Reply]:
        """Route a message to a command or to the open dialogue."""
        command = parse_command(text)
        if command is None:
            if dialogue is None:
                return await self._next(session, user)
            return [await self._turn(session, dialogue, text)]
        name = command.name
        if name == "help":
            return [Reply(HELP_TEXT)]
        if name == "courses":
            return [Reply(self._courses_text())]
        if name == "quit":
            return [Reply("Your place is saved. See you soon!")]
        if name == "start":
            return await self._start(session, user, dialogue, command.argument)
        if name == "progress":
            return [Reply(await self._progress(session, user))]
        if name == "review":
            return [Reply("Nothing is due for review yet. Keep practising!")]
        if dialogue is not None and name in {"hint", "skip"}:
            return [await self._command_turn(session, dialogue, text, name)]
        if name == "next":
            if dialogue is not None:
                return [await self._resume(session, dialogue)]
            return await self._next(session, user)
        return [Reply("There's no exercise open. Type `next` to get one.")]

    def _courses_text(self) -> str:
        """List the courses with how to start one."""
        if not self.catalog.courses:
            return "No courses are installed yet."
        lines = ["Courses:"]
        lines += [f"  {c.id}: {c.title}" for c in self.catalog.courses.values()]
        lines.append(
            f"Type `start <course>` to begin, e.g. `start {next(iter(self.catalog.courses))}`."
        )
        return "\n".join(lines)

    async def _start(
        self, session: AsyncSession, user: User, dialogue: Dialogue | None, course_id: str
    ) -> list[Reply]:
        """Enrol in a course and continue where the learner stopped."""
        if not course_id:
            return [Reply(self._courses_text())]
        course = self.catalog.get(course_id)
        if course is None:
            return [
                Reply(f"I don't know a course called {course_id[:64]!r}. " + self._courses_text())
            ]
        await user_store.enrol(session, user, course.id)
        if dialogue is not None and dialogue.course_id == course.id:
            return [await self._resume(session, dialogue)]
        if dialogue is not None:
            await self._close(session, dialogue, DialogueState.from_json(dialogue.state), "closed")
        intro = Reply(f"{course.title}: {course.description.strip()}")
        return [intro, *await self._next(session, user)]

    async def _next(self, session: AsyncSession, user: User) -> list[Reply]:
        """Open the next exercise of the learner's active course."""
        assert user.id is not None
        course = self.catalog.get(user.active_course_id or "")
        if course is None:
            return [Reply("Pick a course first. " + self._courses_text())]
        outcomes = await dialogue_store.exercise_outcomes(session, user.id, course.id)
        exercise = next_in_order(course, outcomes)
        if exercise is None:
            return [
                Reply(
                    f"You've worked through every exercise in {course.title}. "
                    "Type `progress` to see where you stand."
                )
            ]
        return [await self._open(session, user, course, exercise.id)]

    async def _open(
        self,
        session: AsyncSession,
        user: User,
        course: Course,
        exercise_id: str,
        purpose: str = "practice",
    ) -> Reply:
        """Start a dialogue on one exercise and ask its opening question."""
        assert user.id is not None
        exercise = course.exercises[exercise_id]
        previous = await dialogue_store.last_variant(session, user.id, course.id, exercise_id)
        variant = self.runner.choose_variant(exercise, self.rng, avoid=previous)
        now = self.clock()
        dialogue = await dialogue_store.start_dialogue(
            session,
            user_id=user.id,
            course_id=course.id,
            exercise_id=exercise_id,
            variant=variant,
            purpose=purpose,
            now=now,
        )
        text = self.runner.opening(course, exercise, variant)
        await dialogue_store.add_turn(session, dialogue, "tutor", text, now)
        return Reply(text, ("Hint", "Skip") if exercise.kind != "reflection" else ("Skip",))

    async def _resume(self, session: AsyncSession, dialogue: Dialogue) -> Reply:
        """Show an open exercise again, with the tutor's last question."""
        assert dialogue.id is not None
        turns = await dialogue_store.transcript(session, dialogue.id)
        tutor_turns = [t.text for t in turns if t.role == "tutor"]
        opening = tutor_turns[0] if tutor_turns else ""
        last = tutor_turns[-1] if len(tutor_turns) > 1 else ""
        text = "Welcome back! We were working on this:\n" + opening
        if last:
            text += "\n\nWhere we left off: " + last
        return Reply(text, ("Hint", "Skip"))

    async def _turn(self, session: AsyncSession, dialogue: Dialogue, text: str) -> Reply:
        """Run one learner answer through the open dialogue."""
        course, exercise = self._exercise_of(dialogue)
        if course is None or exercise is None:
            return await self._orphan(session, dialogue)
        state = DialogueState.from_json(dialogue.state)
        step = self.runner.respond(course, exercise, dialogue.variant, state, text)
        return await self._record(session, dialogue, text, step)

    async def _command_turn(
        self, session: AsyncSession, dialogue: Dialogue, text: str, name: str
    ) -> Reply:
        """Run `hint` or `skip` on the open dialogue."""
        course, exercise = self._exercise_of(dialogue)
        if course is None or exercise is None:
            return await self._orphan(session, dialogue)
        state = DialogueState.from_json(dialogue.state)
        if name == "hint":
            step = self.runner.hint(course, exercise, dialogue.variant, state)
        else:
            step = self.runner.skip(exercise, state)
        return await self._record(session, dialogue, text, step)

    async def _record(
        self, session: AsyncSession, dialogue: Dialogue, text: str, step: Step
    ) -> Reply:
        """Store both turns and the new state in one transaction."""
        now = self.clock()
        await dialogue_store.add_turn(session, dialogue, "learner", text, now)
        await dialogue_store.add_turn(session, dialogue, "tutor", step.text, now)
        dialogue.state = step.state.to_json()
        dialogue.stage = step.state.stage
        dialogue.hint_rung = step.state.hint_rung
        dialogue.attempts = step.state.attempts
        dialogue.updated_at = now
        if step.closed:
            dialogue.outcome = step.state.outcome
            dialogue.closed_at = now
        session.add(dialogue)
        return Reply(step.text, step.choices)

    async def _close(
        self, session: AsyncSession, dialogue: Dialogue, state: DialogueState, outcome: str
    ) -> None:
        """Close a dialogue without a learner turn (course switched, content removed)."""
        now = self.clock()
        dialogue.outcome = state.outcome if state.outcome == "solved" else outcome
        dialogue.stage = "closed"
        dialogue.closed_at = now
        dialogue.updated_at = now
        session.add(dialogue)

    async def _orphan(self, session: AsyncSession, dialogue: Dialogue) -> Reply:
        """Close a dialogue whose exercise is no longer in the course content."""
        log.warning(
            "closing dialogue %s: exercise %s/%s no longer exists",
            dialogue.id,
            dialogue.course_id,
            dialogue.exercise_id,
        )
        await self._close(session, dialogue, DialogueState.from_json(dialogue.state), "closed")
        return Reply("That exercise was removed from the course. Type `next` for another one.")

    def _exercise_of(self, dialogue: Dialogue) -> tuple[Course | None, Exercise | None]:
        """Find the course and exercise of a dialogue in the current catalog."""
        course = self.catalog.get(dialogue.course_id)
        if course is None:
            return None, None
        return course, course.exercises.get(dialogue.exercise_id)

    async def _progress(self, session: AsyncSession, user: User) -> str:
        """Describe the learner's progress in their active course."""
        assert user.id is not None
        course = self.catalog.get(user.active_course_id or "")
        if course is None:
            return "You haven't started a course yet. " + self._courses_text()
        outcomes = await dialogue_store.exercise_outcomes(session, user.id, course.id)
        return progress_text(course, {e for e, o in outcomes.items() if "solved" in o})
