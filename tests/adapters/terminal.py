"""A program in a pseudo-terminal, read and typed at as a person at a keyboard would.

The program gets the terminal as its controlling terminal, so Ctrl-C typed here reaches
it as SIGINT from the terminal, and it sees a terminal on standard input and output.
Waits are for text to appear, with a deadline only as a guard against a hang.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import subprocess
import termios
import time
from collections.abc import Sequence
from pathlib import Path
from typing import IO

ROWS, COLUMNS = 40, 160


def _take_terminal() -> None:
    """In the child, after setsid: make standard input the controlling terminal."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class Terminal:
    """Run a program at a terminal; read its screen, type keys, wait for it to end."""

    def __init__(
        self,
        args: Sequence[str],
        *,
        env: dict[str, str],
        cwd: Path,
        stderr: IO[bytes] | None = None,
    ) -> None:
        self.master, slave = pty.openpty()
        termios.tcsetwinsize(slave, (ROWS, COLUMNS))
        self.started = time.perf_counter()
        try:
            self.process = subprocess.Popen(
                list(args),
                stdin=slave,
                stdout=slave,
                stderr=stderr if stderr is not None else slave,
                cwd=cwd,
                env=env,
                start_new_session=True,
                preexec_fn=_take_terminal,
            )
        finally:
            os.close(slave)
        self.output = b""  # everything the program wrote to the terminal
        self._read_up_to = 0
        self._closed = False

    @property
    def text(self) -> str:
        """Everything shown so far, decoded."""
        return self.output.decode("utf-8", "replace")

    def wait_for(self, text: str, timeout: float = 120.0) -> str:
        """Wait until `text` shows after what earlier waits consumed; return what came before."""
        wanted = text.encode()
        deadline = time.monotonic() + timeout
        while (found := self.output.find(wanted, self._read_up_to)) < 0:
            if not self._read(deadline):
                raise AssertionError(f"{text!r} never appeared; the screen shows:\n{self.text}")
        before = self.output[self._read_up_to : found].decode("utf-8", "replace")
        self._read_up_to = found + len(wanted)
        return before

    def type(self, keys: str) -> None:
        """Type keys, as they would arrive from a keyboard or a paste."""
        os.write(self.master, keys.encode())

    def wait_exit(self, timeout: float = 60.0) -> int:
        """Wait for the program to end, reading what it still shows; return its exit code."""
        deadline = time.monotonic() + timeout
        while self._read(deadline):
            pass
        return self.process.wait(max(0.0, deadline - time.monotonic()))

    def close(self) -> None:
        """Stop the program if it still runs, and release the terminal."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        if not self._closed:
            os.close(self.master)
            self._closed = True

    def _read(self, deadline: float) -> bool:
        """Read what the program wrote; False at the end of output or at the deadline."""
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return False
        ready, _, _ = select.select([self.master], [], [], remaining)
        if not ready:
            return False
        try:
            data = os.read(self.master, 65536)
        except OSError:  # EIO: the program closed its side of the terminal
            return False
        self.output += data
        return bool(data)

    def __enter__(self) -> Terminal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
