"""Learner messages from standard input, each read only when the session asks for one.

A message is one line; a line ending in a backslash goes on to the next. On a terminal
the line editor (readline) takes a pasted block, line breaks included, as one message
sent with Enter (bracketed paste). Lines are read by a daemon thread that never holds a
lock of `sys.stdin`: Ctrl-C or a `quit` leaves at once, even while it waits for a key.
"""

from __future__ import annotations

import asyncio
import codecs
import logging
import os
import queue
import sys
import threading
from abc import ABC, abstractmethod
from typing import Any, TextIO

from bot.adapters.console._screen import Screen

log = logging.getLogger(__name__)

PROMPT = "> "
MORE_PROMPT = "... "
CONTINUES = "\\"
_CHUNK = 65536
_NO_BRACKETED_PASTE = "\x1b[?2004l"

_Request = tuple[str, asyncio.AbstractEventLoop, "asyncio.Future[str | None]"]


class LineSource(ABC):
    """Lines read one at a time by a daemon thread, on request."""

    draws_prompt = False  # True when the reader shows the prompt itself

    def __init__(self) -> None:
        self._requests: queue.SimpleQueue[_Request | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None

    async def next_line(self, prompt: str) -> str | None:
        """Return the next line without its line end, or None at the end of input."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[str | None] = loop.create_future()
        if self._thread is None:
            self._thread = threading.Thread(target=self._serve, name="console-input", daemon=True)
            self._thread.start()
        self._requests.put((prompt, loop, future))
        return await future

    def close(self) -> None:
        """Let the reading thread end once it is idle; a blocked read is left to the exit."""
        self._requests.put(None)

    @abstractmethod
    def read_line(self, prompt: str) -> str | None:
        """Read one line, blocking; None at the end of input."""

    def _serve(self) -> None:
        """Answer each request with a line, in the thread."""
        while (request := self._requests.get()) is not None:
            prompt, loop, future = request
            failure: Exception | None = None
            line: str | None = None
            try:
                line = self.read_line(prompt)
            except OSError:  # the terminal hung up, or standard input was closed
                line = None
            except Exception as exc:  # handed to the session, which must not wait forever
                failure = exc
            try:
                loop.call_soon_threadsafe(_settle, future, line, failure)
            except RuntimeError:  # the event loop is closed: nobody waits any more
                return


def _settle(
    future: asyncio.Future[str | None], line: str | None, failure: Exception | None
) -> None:
    """Hand a line (or the reason there is none) to a session still waiting for it."""
    if future.done():
        return
    if failure is not None:
        future.set_exception(failure)
    else:
        future.set_result(line)


class StreamLines(LineSource):
    """Lines of a text stream (a script, or a test's StringIO)."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self.stream = stream

    def read_line(self, prompt: str) -> str | None:
        """Read a line of the stream."""
        line = self.stream.readline()
        return line.rstrip("\r\n") if line else None


class DescriptorLines(LineSource):
    """Lines of a file descriptor, decoded with bad bytes replaced (a pipe, a file, a tty)."""

    def __init__(self, fd: int, encoding: str) -> None:
        super().__init__()
        self.fd = fd
        self._decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
        self._pending = ""
        self._ended = False

    def read_line(self, prompt: str) -> str | None:
        """Return the next whole line, reading more bytes only when none is buffered."""
        while "\n" not in self._pending and not self._ended:
            chunk = os.read(self.fd, _CHUNK)
            self._ended = not chunk
            self._pending += self._decoder.decode(chunk, final=self._ended)
        if "\n" in self._pending:
            line, self._pending = self._pending.split("\n", 1)
            return line.rstrip("\r")
        line, self._pending = self._pending, ""
        return line or None


class TerminalLines(LineSource):
    """Lines typed or pasted at the terminal, through the line editor (readline)."""

    draws_prompt = True

    def __init__(self, fd: int, out: TextIO) -> None:
        super().__init__()
        self.fd = fd
        self.out = out
        self._saved: list[Any] | None = None

    def read_line(self, prompt: str) -> str | None:
        """Read a line with input(): editing keys, history, and a paste as one line."""
        if self._saved is None:
            self._saved = _terminal_mode(self.fd)
            _enable_bracketed_paste()
        try:
            return input(prompt)
        except EOFError:
            return None

    def close(self) -> None:
        """Leave the terminal as it was, even if the line editor is still waiting for a key."""
        super().close()
        if self._saved:
            import termios

            try:
                termios.tcsetattr(self.fd, termios.TCSADRAIN, self._saved)
                self.out.write(_NO_BRACKETED_PASTE)
                self.out.flush()
            except (OSError, ValueError, termios.error):
                # the terminal is gone (closed window, hung-up session): nothing to give back
                log.debug("the terminal's settings could not be put back", exc_info=True)


def _terminal_mode(fd: int) -> list[Any]:
    """Return the terminal's settings, to put back on leaving ([] when unknown)."""
    try:
        import termios
    except ImportError:
        return []
    try:
        return list(termios.tcgetattr(fd))
    except (OSError, termios.error):
        return []


def _enable_bracketed_paste() -> None:
    """Ask the line editor to take a pasted block as text, line breaks included."""
    try:
        import readline
    except ImportError:  # no line editor: each line is a message
        return
    # Python turns it off (it once broke the REPL); a chat needs it on.
    readline.parse_and_bind("set enable-bracketed-paste on")


def standard_input() -> LineSource:
    """Read the process's standard input: through the line editor when a person types."""
    if _is_terminal(sys.stdin, 0) and _is_terminal(sys.stdout, 1) and _has_line_editor():
        return TerminalLines(0, sys.stdout)
    encoding = getattr(sys.stdin, "encoding", None) or "utf-8"
    return DescriptorLines(0, encoding)


def _is_terminal(stream: TextIO | None, fd: int) -> bool:
    """Tell whether a standard stream is the terminal at its usual descriptor."""
    try:
        return stream is not None and stream.fileno() == fd and os.isatty(fd)
    except (OSError, ValueError):
        return False


def _has_line_editor() -> bool:
    """Tell whether input() can edit lines with readline (without it, it reads sys.stdin)."""
    try:
        import readline  # noqa: F401
    except ImportError:
        return False
    return True


class MessageReader:
    """Whole learner messages: a line, or lines joined by a backslash at their end."""

    def __init__(self, source: LineSource, screen: Screen) -> None:
        self.source = source
        self.screen = screen

    async def read(self) -> str | None:
        """Return the next message, or None at the end of input."""
        parts: list[str] = []
        prompt = PROMPT
        while True:
            self.screen.show_prompt(prompt, waiting=True, drawn=self.source.draws_prompt)
            try:
                line = await self.source.next_line(prompt)
            except asyncio.CancelledError:
                self.screen.prompt_abandoned()
                raise
            self.screen.prompt_answered()
            if line is None:
                return "\n".join(parts) if parts else None
            if line.endswith(CONTINUES):
                parts.append(line[: -len(CONTINUES)])
                prompt = MORE_PROMPT
                continue
            parts.append(line)
            return "\n".join(parts)

    def close(self) -> None:
        """Stop reading and leave the terminal as it was."""
        self.source.close()
