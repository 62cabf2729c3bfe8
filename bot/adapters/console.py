"""The terminal adapter: the same tutor, store and engine, one line at a time."""

from __future__ import annotations

import asyncio
import getpass
import io
import logging
import sys
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import TextIO

from bot.runtime import Root
from bot.scheduling.sender import Delivery, DeliveryResult
from bot.services.commands import parse_command
from bot.services.messages import Attachment, Incoming, Person, Reply
from bot.services.tutor import Tutor
from bot.store.models import OutboxMessage

log = logging.getLogger(__name__)

PLATFORM = "console"
SORRY = (
    "Something went wrong on my side, and that message may not have been saved. "
    "Please send it again in a moment."
)


class ConsoleAdapter:
    """One learner at this terminal, with their review prompts printed while it is open."""

    serves_until_signal = False  # Ctrl-C belongs to the terminal

    def __init__(
        self,
        user_name: str | None = None,
        *,
        stdin: TextIO | None = None,
        stdout: TextIO | None = None,
    ) -> None:
        name = user_name or _login_name()
        self.learner = Person(PLATFORM, name, name)
        self.reader = stdin or _tolerant(sys.stdin)
        self.out = stdout or _tolerant(sys.stdout)
        self.root: Root | None = None

    async def connect(self, root: Root) -> Mapping[str, Delivery]:
        """Nothing to log in to: the console delivers this learner's prompts itself."""
        self.root = root
        return {PLATFORM: ConsoleDelivery(self.learner.user_id, self.out)}

    async def serve(self) -> None:
        """Run the session until `quit` or end of input."""
        assert self.root is not None, "connect() first"
        files_dir = self.root.settings.files_dir
        await run_session(self.root.tutor, self.learner, self.reader, self.out, files_dir)

    async def close(self) -> None:
        """Nothing to disconnect."""


async def run_session(
    tutor: Tutor, learner: Person, reader: TextIO, out: TextIO, files_dir: Path
) -> None:
    """Read learner lines and print the tutor's replies until quit or end of input."""
    interactive = reader.isatty()
    user = learner.user_id
    greeting = await _ask(tutor.greet, learner.says(""))
    await _show(greeting, out, files_dir, user)
    while True:
        if interactive:
            out.write("> ")
            out.flush()
        line = await asyncio.to_thread(reader.readline)
        if line == "":
            break
        text = line.rstrip("\r\n")
        replies = await _ask(tutor.handle, learner.says(text))
        await _show(replies, out, files_dir, user)
        command = parse_command(text)
        if command is not None and command.name == "quit":
            break


async def _ask(
    step: Callable[[Incoming], Awaitable[list[Reply]]], message: Incoming
) -> list[Reply]:
    """Ask the tutor; an unexpected failure is logged once, without the text, and told honestly."""
    try:
        return await step(message)
    except Exception:
        log.exception("console: failed to handle a message")
        return [Reply(SORRY)]


async def _show(replies: list[Reply], out: TextIO, files_dir: Path, user: str) -> None:
    """Print replies: text, saved attachments by path, then the choices as plain words."""
    for reply in replies:
        out.write(f"tutor: {reply.text}\n")
        for attachment in reply.attachments:
            try:
                path = await asyncio.to_thread(_save, attachment, files_dir, user)
            except OSError as exc:  # a full disk or a bad FILES_DIR costs the file, not the session
                log.warning(
                    "console: could not save %s in %s: %s", attachment.filename, files_dir, exc
                )
                out.write(f"       (couldn't save {attachment.filename}: check FILES_DIR)\n")
            else:
                out.write(f"       (saved {attachment.filename} to {path})\n")
        if reply.choices:
            out.write("       [" + "] [".join(c.label for c in reply.choices) + "]\n")
    out.flush()


def _save(attachment: Attachment, files_dir: Path, user: str) -> Path:
    """Write an attachment to the files folder, named after the learner."""
    safe_user = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in user)[:40] or "user"
    files_dir.mkdir(parents=True, exist_ok=True)
    path = files_dir / f"{safe_user}-{Path(attachment.filename).name}"
    path.write_bytes(attachment.data)
    return path


class ConsoleDelivery:
    """Print review prompts for the learner at this console while it is open."""

    def __init__(self, user: str, out: TextIO) -> None:
        self.user = user
        self.out = out

    async def deliver(self, message: OutboxMessage) -> DeliveryResult:
        """Show a prompt to this console's learner; keep other learners' for later."""
        if message.recipient != self.user:
            return DeliveryResult("deferred", retry_after=600, error="learner not at the console")
        text = str(message.payload.get("text", ""))
        self.out.write(f"tutor: {text}\n       Type `review` to start, `snooze` for an hour, ")
        self.out.write("or `snooze tomorrow`.\n")
        self.out.flush()
        return DeliveryResult("sent")


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
