"""One learner's conversation at the terminal: read a message, ask the tutor, show replies."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from bot.adapters.console._input import MessageReader, StreamLines
from bot.adapters.console._render import choices_line, note_line, reply_lines, save_attachment
from bot.adapters.console._screen import Screen
from bot.adapters.console._words import FORGET_QUESTION, NO, SETTINGS_USAGE, YES, console_word
from bot.services.commands import parse_command
from bot.services.messages import Attachment, Incoming, Person, Reply

if TYPE_CHECKING:
    from bot.adapters.console._words import ConsoleWord
    from bot.services.tutor import Tutor

log = logging.getLogger(__name__)


PLATFORM = "console"
SORRY = (
    "Something went wrong on my side, and that message may not have been saved. "
    "Please send it again in a moment."
)
FAREWELL = "Your place is saved. See you soon!"
EXPORT_FILE = "socratic-tutor-export.json"
CONSOLE_HELP = """\
In this console you can also type:
  export           save all your data as a JSON file
  forget           delete all your data (I ask first)
  settings         your time zone, quiet hours and pauses (`settings` alone shows them)
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
        word = console_word(text)
        if word is not None:
            await self.show(await self._attempt(lambda: self._console_word(word)))
            return True
        replies = await self._ask(self.tutor.handle, self.learner.says(text))
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
            timezone=asked.timezone, quiet_hours=asked.quiet_hours, pause_days=asked.pause_days
        )
        text = await self.tutor.change_settings(self.learner, change)
        return [Reply(text if word.settings else f"{text}\n{SETTINGS_USAGE}")]

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
