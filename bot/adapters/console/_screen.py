"""The terminal the learner reads: the tutor's lines, and the prompt between them."""

from __future__ import annotations

import shutil
import threading
from typing import TextIO

CLEAR_LINE = "\r\x1b[K"


class Screen:
    """Print whole lines; on a terminal, never in the middle of the prompt line."""

    def __init__(self, out: TextIO, interactive: bool) -> None:
        self.out = out
        self.interactive = interactive
        self._prompt = ""  # the prompt on the last line of the screen, if any
        self._waiting = False  # a reader waits on that prompt, so it must stay
        self._lock = threading.Lock()

    def width(self) -> int | None:
        """Return the terminal's width to wrap text to, or None (no wrapping) for a pipe."""
        if not self.interactive:
            return None
        return shutil.get_terminal_size().columns

    def write_lines(self, lines: list[str]) -> None:
        """Print lines over a prompt that shows; put it back if a reader still waits on it."""
        with self._lock:
            if self._prompt:
                self.out.write(CLEAR_LINE)
            for line in lines:
                self.out.write(line + "\n")
            if self._prompt and self._waiting:
                self.out.write(self._prompt)
            else:
                self._prompt = ""
            self.out.flush()

    def show_prompt(self, prompt: str, *, waiting: bool, drawn: bool = False) -> None:
        """Show a prompt on a terminal (`drawn`: the line reader draws it itself)."""
        if not self.interactive:
            return
        with self._lock:
            self._prompt, self._waiting = prompt, waiting
            if not drawn:
                self.out.write(prompt)
                self.out.flush()

    def prompt_answered(self) -> None:
        """Forget the prompt: the learner's Enter moved the cursor to a new line."""
        with self._lock:
            self._prompt, self._waiting = "", False

    def prompt_abandoned(self) -> None:
        """Nobody waits on the prompt any more; the next lines replace it."""
        with self._lock:
            self._waiting = False

    def clear_prompt(self) -> None:
        """Take a prompt nobody will answer off the screen (on leaving, or a failed start)."""
        with self._lock:
            if self._prompt and not self._waiting:
                self.out.write(CLEAR_LINE)
                self.out.flush()
                self._prompt = ""
