"""One learner's conversation at the terminal: read a message, ask the tutor, show replies."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from bot.adapters.console._coach import (
    NO_COACHING,
    TITLE_QUESTION,
    ExerciseFormAtConsole,
    run_coach_word,
    save_form,
    save_worksheet,
)
from bot.adapters.console._input import MessageReader, StreamLines
from bot.adapters.console._render import choices_line, note_line, reply_lines, save_attachment
from bot.adapters.console._screen import Screen
from bot.adapters.console._words import (
    COACH_USAGE,
    FORGET_QUESTION,
    NO,
    SETTINGS_USAGE,
    YES,
    coach_word,
    console_word,
)
from bot.services.coach_desk import ACCEPT_ACTION
from bot.services.commands import parse_command
from bot.services.messages import Attachment, Incoming, Person, Reply

if TYPE_CHECKING:
    from bot.adapters.console._words import CoachWord, ConsoleWord
    from bot.services.tutor import Tutor

log = logging.getLogger(__name__)


PLATFORM = "console"
SORRY = (
    "Something went wrong on my side, and that message may not have been saved. "
    "Please send it again in a moment."
)
NOT_JOINED = "Not connected: type `coach join <code>` again if you change your mind."
FAREWELL = "Your place is saved. See you soon!"
EXPORT_FILE = "socratic-tutor-export.json"
CONSOLE_HELP = """\
In this console you can also type:
  export           save all your data as a JSON file
  forget           delete all your data (I ask first)
  settings         your time zone, quiet hours and pauses (`settings` alone shows them)
A coach types `coach invite`, `coach exercise` (a form, or a pasted worksheet),
`coach assign <client> <exercise number> <due> [note]`, `coach clients`,
`coach client <name>` and `coach brief <name>`.
End a line with \\ to go on to the next line; a pasted block is sent as one message.
Ctrl-C leaves at any time; your place is saved."""


class ConsoleSession:
    """The console's side of a conversation: its own words, the tutor for everything else."""

    def __init__(
        self, tutor: Tutor, learner: Person, reader: MessageReader, screen: Screen, files_dir: Path
    ) -> None:
        self.tutor = tutor
        self.learner = learner
        self.reader = reader
        self.screen = screen
        self.files_dir = files_dir
        self.confirming_forget = False
        self.invite_code: str | None = None  # an invite shown, waiting for yes
        self.exercise_form: ExerciseFormAtConsole | None = None

    async def run(self) -> None:
        """Greet, then answer each message until quit or the end of input."""
        await self.show(await self._ask(self.tutor.greet, self.learner.says("")))
        while (text := await self.reader.read()) is not None:
            if not await self.handle(text):
                return

    async def handle(self, text: str) -> bool:
        """Answer one message; return False when the learner leaves."""
        if self.confirming_forget:
            self.confirming_forget = False
            answer = " ".join(text.lower().split()).strip(".!")
            if answer in YES:
                await self.show(await self._attempt(self._forget))
                return True
            await self.show([Reply("Nothing was deleted.")])
            if answer in NO:
                return True
        if self.exercise_form is not None:
            await self.show(await self._attempt(lambda: self._exercise_field(text)))
            return True
        if self.invite_code is not None:
            code, self.invite_code = self.invite_code, None
            answer = " ".join(text.lower().split()).strip(".!")
            if answer in YES:
                accepted = await self._attempt(lambda: self.tutor.accept_invite(self.learner, code))
                await self.show(accepted)
                return True
            await self.show([Reply(NOT_JOINED)])
            if answer in NO:
                return True
        word = console_word(text)
        if word is not None:
            await self.show(await self._attempt(lambda: self._console_word(word)))
            return True
        coaching = coach_word(text)
        if coaching is not None:
            await self.show(await self._attempt(lambda: self._coach_word(coaching)))
            return True
        replies = await self._ask(self.tutor.handle, self.learner.says(text))
        self.invite_code = _invite_shown(replies)
        command = parse_command(text)
        if command is not None and command.name == "help":
            replies.append(Reply(CONSOLE_HELP))
        await self.show(replies)
        return command is None or command.name != "quit"

    async def show(self, replies: list[Reply]) -> None:
        """Print replies: text, saved attachments by path, then the choices as plain words."""
        for reply in replies:
            lines = reply_lines(reply.text, self.screen.width())
            for attachment in reply.attachments:
                lines.append(note_line(await self._saved(attachment)))
            choices = choices_line(reply)
            if choices is not None:
                lines.append(choices)
            self.screen.write_lines(lines)

    def farewell(self) -> None:
        """Say goodbye on Ctrl-C: every answered message is already stored."""
        self.screen.write_lines(reply_lines(FAREWELL, self.screen.width()))

    async def _console_word(self, word: ConsoleWord) -> list[Reply]:
        """Run `export`, `forget` or `settings` as the Discord commands do."""
        if word.name == "export":
            data = await self.tutor.export(self.learner)
            if data is None:
                return [Reply("I have no data about you.")]
            payload = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
            export = Attachment(EXPORT_FILE, payload, "application/json")
            return [Reply("Here is everything I store about you.", attachments=(export,))]
        if word.name == "forget":
            self.confirming_forget = True
            return [Reply(FORGET_QUESTION)]
        if word.problem is not None:
            return [Reply(word.problem)]
        from bot.services.account import SettingsChange  # the store's models: loaded when used

        # At the console, a learner agrees by typing; settings may come before any answer.
        await self.tutor.consent(self.learner.says(""))
        asked = word.settings
        change = SettingsChange(
            timezone=asked.timezone,
            quiet_hours=asked.quiet_hours,
            pause_days=asked.pause_days,
            interests=asked.interests,
        )
        text = await self.tutor.change_settings(self.learner, change)
        return [Reply(text if word.settings else f"{text}\n{SETTINGS_USAGE}")]

    async def _coach_word(self, word: CoachWord) -> list[Reply]:
        """Run a coach's word; `coach exercise` opens the form (or saves a pasted worksheet)."""
        desk = self.tutor.coaching
        if word.name not in {"exercise", "edit"}:
            return await run_coach_word(desk, self.learner, word)
        if desk is None:
            return [Reply(NO_COACHING)]
        if word.name == "edit":
            found = await desk.exercise_form(self.learner, word.exercise)
            if isinstance(found, Reply):
                return [found]
            self.exercise_form = ExerciseFormAtConsole(editing=word.exercise)
            steps = "\n".join(f"  {n}. {s.prompt}" for n, s in enumerate(found.steps, 1))
            lead = f'Exercise #{word.exercise} "{found.title}" now asks:\n{steps}\nWrite it anew.'
            return [Reply(f"{lead} {TITLE_QUESTION}")]
        if word.worksheet:
            return [await save_worksheet(desk, self.learner, word.worksheet)]
        self.exercise_form = ExerciseFormAtConsole()
        return [Reply(TITLE_QUESTION)]

    async def _exercise_field(self, text: str) -> list[Reply]:
        """Take one field of the exercise form; save the exercise when it is complete."""
        form, desk = self.exercise_form, self.tutor.coaching
        assert form is not None and desk is not None
        if form.pasted_worksheet(text):
            self.exercise_form = None
            return [await save_worksheet(desk, self.learner, text, form.title)]
        step = form.take(text)
        if isinstance(step, str):
            return [Reply(step)]
        self.exercise_form = None
        if step is None:
            return [Reply("The form is closed; nothing was saved. " + COACH_USAGE)]
        return [await save_form(desk, self.learner, step, form.editing)]

    async def _forget(self) -> list[Reply]:
        """Delete everything about the learner, once they said yes."""
        removed = await self.tutor.forget(self.learner)
        return [Reply("Done: everything about you is deleted." if removed else "I had no data.")]

    async def _saved(self, attachment: Attachment) -> str:
        """Save an attachment in the files folder; say where, or that it could not be."""
        try:
            path = await asyncio.to_thread(
                save_attachment, attachment, self.files_dir, self.learner.user_id
            )
        except OSError as exc:  # a full disk or a bad FILES_DIR costs the file, not the session
            log.warning(
                "console: could not save %s in %s: %s", attachment.filename, self.files_dir, exc
            )
            return f"(couldn't save {attachment.filename}: check FILES_DIR)"
        return f"(saved {attachment.filename} to {path})"

    async def _ask(
        self, step: Callable[[Incoming], Awaitable[list[Reply]]], message: Incoming
    ) -> list[Reply]:
        """Ask the tutor; an unexpected failure is logged once, without the text, and told."""
        return await self._attempt(lambda: step(message))

    async def _attempt(self, work: Callable[[], Awaitable[list[Reply]]]) -> list[Reply]:
        """Run one piece of work for the learner; a failure is logged and told honestly."""
        try:
            return await work()
        except Exception:
            log.exception("console: failed to handle a message")
            return [Reply(SORRY)]


def _invite_shown(replies: list[Reply]) -> str | None:
    """The code of an invite the tutor just showed, which `yes` accepts."""
    for reply in replies:
        for choice in reply.choices:
            if choice.action.startswith(ACCEPT_ACTION + ":"):
                return choice.action.split(":", 1)[1]
    return None


async def run_session(
    tutor: Tutor, learner: Person, reader: TextIO, out: TextIO, files_dir: Path
) -> None:
    """Read learner lines from a text stream and print the tutor's replies (scripts, tests)."""
    screen = Screen(out, interactive=False)
    messages = MessageReader(StreamLines(reader), screen)
    try:
        await ConsoleSession(tutor, learner, messages, screen, files_dir).run()
    finally:
        messages.close()
