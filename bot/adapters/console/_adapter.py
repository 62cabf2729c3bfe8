"""The console as the composition root runs it: connect, serve one learner, close."""

from __future__ import annotations

import asyncio
import getpass
import io
import os
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, TextIO

from bot.adapters.console._delivery import ConsoleDelivery
from bot.adapters.console._input import PROMPT, MessageReader, StreamLines, standard_input
from bot.adapters.console._render import reply_lines
from bot.adapters.console._screen import Screen
from bot.adapters.console._session import FAREWELL, PLATFORM, ConsoleSession
from bot.services.messages import Person

if TYPE_CHECKING:
    from bot.runtime import Root
    from bot.scheduling.sender import Delivery

BANNER = "Socratic Tutor: type `help` for the words I know. Ctrl-C leaves; your place is saved."
CHECKING = "Checking the courses first (they changed since the last start): a moment, please."


class ConsoleAdapter:
    """One learner at this terminal, with their review prompts printed while it is open."""

    # Ctrl-C belongs to the learner: it ends the session at once, with a goodbye.
    serves_until_signal = False

    def __init__(
        self,
        user_name: str | None = None,
        *,
        stdin: TextIO | None = None,
        stdout: TextIO | None = None,
    ) -> None:
        name = user_name or _login_name()
        self.learner = Person(PLATFORM, name, name)
        self.out = stdout or _tolerant(sys.stdout)
        self._stdin = stdin
        interactive = stdin is None and stdout is None and _at_terminal()
        self.screen = Screen(self.out, interactive)
        self.root: Root | None = None
        self._reader: MessageReader | None = None
        self._goodbye_said = False

    def welcome(self, *, checking: bool = False) -> None:
        """On a terminal, show a prompt at once, before the tutor is loaded.

        What the learner types meanwhile waits in the terminal and is read in turn.
        """
        if not self.screen.interactive:
            return
        self.screen.write_lines([BANNER, *([CHECKING] if checking else [])])
        self.screen.show_prompt(PROMPT, waiting=False)

    async def connect(self, root: Root) -> Mapping[str, Delivery]:
        """Nothing to log in to: the console delivers this learner's prompts itself."""
        self.root = root
        return {PLATFORM: ConsoleDelivery(self.learner.user_id, self.screen)}

    async def serve(self) -> None:
        """Run the session until `quit`, the end of input, or Ctrl-C."""
        assert self.root is not None, "connect() first"
        session = ConsoleSession(
            self.root.tutor,
            self.learner,
            self._messages(),
            self.screen,
            self.root.settings.files_dir,
        )
        try:
            await session.run()
        except asyncio.CancelledError:
            self.farewell()
            raise

    async def close(self) -> None:
        """Stop reading and leave the terminal as it was."""
        self.leave()

    def farewell(self) -> None:
        """Say goodbye once, when the learner leaves with Ctrl-C."""
        if not self._goodbye_said:
            self._goodbye_said = True
            self.screen.write_lines(reply_lines(FAREWELL, self.screen.width()))

    def leave(self) -> None:
        """Take an unanswered prompt off the screen and give the terminal back."""
        self.screen.clear_prompt()
        if self._reader is not None:
            self._reader.close()

    def _messages(self) -> MessageReader:
        """Return the reader of the learner's messages, made on first use."""
        if self._reader is None:
            source = StreamLines(self._stdin) if self._stdin is not None else standard_input()
            self._reader = MessageReader(source, self.screen)
        return self._reader


def _at_terminal() -> bool:
    """Tell whether a person reads and types at this process's terminal."""
    try:
        return os.isatty(0) and os.isatty(1)
    except OSError:
        return False


def _tolerant(stream: TextIO) -> TextIO:
    """Make a terminal stream replace bytes it cannot decode or encode instead of raising."""
    if isinstance(stream, io.TextIOWrapper):
        # undecodable input becomes U+FFFD and unprintable output "?": the learner gets an
        # answer, never a traceback from the terminal's encoding
        stream.reconfigure(errors="replace")
    return stream


def _login_name() -> str:
    """Name the console learner after the operating-system account."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "learner"
