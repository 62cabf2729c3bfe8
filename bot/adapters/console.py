"""The terminal adapter: the same tutor, store and engine, one line at a time."""

from __future__ import annotations

import asyncio
import getpass
import logging
import sys
from pathlib import Path
from typing import TextIO

from bot.errors import ContentError
from bot.runtime import print_content_problems, tutor_runtime
from bot.scheduling.jobs import ReviewWorker
from bot.scheduling.sender import DeliveryResult
from bot.scheduling.sweep import SweepPolicy
from bot.services.commands import parse_command
from bot.services.messages import Attachment, Incoming, Reply
from bot.services.tutor import Tutor
from bot.settings import Settings
from bot.store.models import OutboxMessage

log = logging.getLogger(__name__)

PLATFORM = "console"
SORRY = "Something went wrong on my side. Your work is saved; please try that again."


async def run_console(
    settings: Settings,
    *,
    user_name: str | None,
    content: Path | None,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
) -> int:
    """Run a console session until `quit` or end of input; return the exit code."""
    reader = stdin or sys.stdin
    out = stdout or sys.stdout
    user = user_name or _login_name()
    try:
        async with tutor_runtime(settings, content) as tutor:
            worker = ReviewWorker(
                tutor.database,
                {PLATFORM: ConsoleDelivery(user, out)},
                clock=tutor.clock,
                policy=SweepPolicy(daily_cap=settings.daily_review_prompts),
                sweep_seconds=settings.sweep_seconds,
            )
            worker.start()
            try:
                await _session(tutor, user, reader, out, settings.files_dir)
            finally:
                await worker.stop()
    except ContentError as error:
        print_content_problems(error)
        return 1
    return 0


async def _session(tutor: Tutor, user: str, reader: TextIO, out: TextIO, files_dir: Path) -> None:
    """Read learner lines and print the tutor's replies until quit or end of input."""
    interactive = reader.isatty()
    first = Incoming(PLATFORM, user, "", display_name=user)
    await _show(await tutor.greet(first), out, files_dir, user)
    while True:
        if interactive:
            out.write("> ")
            out.flush()
        line = await asyncio.to_thread(reader.readline)
        if line == "":
            break
        text = line.rstrip("\r\n")
        try:
            replies = await tutor.handle(Incoming(PLATFORM, user, text, display_name=user))
        except Exception:
            log.exception("console: failed to handle a message")
            replies = [Reply(SORRY)]
        await _show(replies, out, files_dir, user)
        command = parse_command(text)
        if command is not None and command.name == "quit":
            break


async def _show(replies: list[Reply], out: TextIO, files_dir: Path, user: str) -> None:
    """Print replies: text, saved attachments by path, then the choices as plain words."""
    for reply in replies:
        out.write(f"tutor: {reply.text}\n")
        for attachment in reply.attachments:
            path = await asyncio.to_thread(_save, attachment, files_dir, user)
            out.write(f"       (saved {attachment.filename} to {path})\n")
        if reply.choices:
            out.write("       [" + "] [".join(reply.choices) + "]\n")
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


def _login_name() -> str:
    """Name the console learner after the operating-system account."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "learner"
