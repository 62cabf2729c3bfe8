"""A coach and a client at two consoles on one SQLite file: the whole coaching loop."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import ROOT

DEMO = ROOT / "tests" / "demo_courses"


@pytest.fixture(autouse=True)
def demo_checked_once(tmp_path: Path, checked_catalogs: Callable[..., None]) -> None:
    """Start each console from the catalog cache."""
    checked_catalogs(tmp_path, DEMO)


def environment(db: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{db}",
        "LOG_LEVEL": "WARNING",
        "FILES_DIR": str(db.parent / "files"),
        # no quiet hours: a coach's message is ready at once, whatever the hour of the run
        "QUIET_HOURS_START": "00:00",
        "QUIET_HOURS_END": "00:00",
    }
    env.pop("DISCORD_TOKEN", None)
    env.pop("SLACK_BOT_TOKEN", None)
    return env


def console(db: Path, user: str, lines: list[str]) -> str:
    """Run a console to the end of its input; return what it showed."""
    result = subprocess.run(
        [sys.executable, "-m", "bot", "console", "--user", user, "--content", str(DEMO)],
        input="".join(f"{line}\n" for line in lines),
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=environment(db),
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


class LiveConsole:
    """A console left open, typed at after what it shows."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.seen = ""

    async def wait_for(self, text: str) -> str:
        """Read until `text` shows; return everything shown so far."""
        assert self.process.stdout is not None
        while text not in self.seen:
            line = await self.process.stdout.readline()
            assert line, f"the console ended before {text!r}:\n{self.seen}"
            self.seen += line.decode()
        return self.seen

    async def type(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(f"{line}\n".encode())
        await self.process.stdin.drain()

    async def finish(self) -> str:
        """End the input; return everything shown."""
        assert self.process.stdin is not None
        self.process.stdin.close()
        rest, _ = await self.process.communicate()
        assert self.process.returncode == 0
        return self.seen + rest.decode()


async def open_console(db: Path, user: str) -> LiveConsole:
    process = await asyncio.create_subprocess_exec(
        *[sys.executable, "-m", "bot", "console", "--user", user, "--content", str(DEMO)],
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        cwd=ROOT,
        env=environment(db),
    )
    return LiveConsole(process)


async def in_time(live: LiveConsole, steps: Callable[[LiveConsole], object]) -> str:
    try:
        async with asyncio.timeout(90):
            await steps(live)  # type: ignore[misc]
            return await live.finish()
    except TimeoutError as exc:
        raise AssertionError(f"the console stopped short; it showed:\n{live.seen}") from exc
    finally:
        if live.process.returncode is None:
            live.process.kill()
            await live.process.wait()


async def test_invite_join_write_assign_work_and_the_coach_is_told(tmp_path: Path) -> None:
    db = tmp_path / "coaching.db"
    invited = await asyncio.to_thread(console, db, "maya", ["coach invite"])
    code = re.search(r"coach join (\S+)`", invited)
    assert code is not None, invited

    joined = await asyncio.to_thread(console, db, "sam", [f"coach join {code[1]}", "yes"])
    assert "maya will see your work" in joined and "[yes]" in joined
    assert "You're connected with maya" in joined

    written = await asyncio.to_thread(
        console,
        db,
        "maya",
        [
            "coach exercise",
            "A hard conversation",
            "Describe the situation: who was it with?",
            "names a person",
            "What will you do differently, and by when?",
            "a commitment; a date",
            "done",
            "coach assign sam 1 in 3 days Bring one example",
            "coach clients",
            "coach next sam in 7 days",
            "coach reminders sam overdue pause after 2",
            "coach from demo-coaching ideal-client",
            "coach csv",
            "coach edit 2",
            "Ideal client, again",
            "Who is your ideal client?",
            "names a person",
            "done",
        ],
    )
    assert 'Saved exercise #1 "A hard conversation", 2 step(s)' in written
    assert 'Assigned "A hard conversation"' in written
    assert "#1 sam, 1 open, 0 done" in written
    assert "Next session:" in written and "a brief the day before" in written
    assert "only when overdue, paused after 2 go unanswered" in written
    assert "Saved exercise #2" in written
    saved_csv = re.search(r"(\S+clients\.csv)", written)
    assert saved_csv is not None, written
    rows = (await asyncio.to_thread(Path(saved_csv[1]).read_text, encoding="utf-8")).splitlines()
    assert len(rows) == 2 and rows[1].startswith("sam,") and "A hard conversation" in rows[1]
    assert 'Exercise #2 "' in written and "Write it anew" in written
    assert 'Saved exercise #2 "Ideal client, again", 1 step(s)' in written

    async def work(client: LiveConsole) -> None:
        await client.wait_for("[assignment 1]")  # the assignment, delivered at the console
        await client.type("assignment 1")
        await client.wait_for("who was it with?")
        await client.type("it was hard")
        await client.wait_for("Who exactly do you have in mind?")
        await client.type("With Alex, my manager, in Monday's planning meeting")
        await client.wait_for("by when?")
        await client.type("I will ask Alex for a 1:1 and agree the scope by 12 December")
        await client.wait_for('That\'s all of "A hard conversation"')
        await client.type("I want to talk to my coach")
        await client.wait_for("I've let your coach know")

    worked = await in_time(await open_console(db, "sam"), work)
    assert "Bring one example" in worked

    async def read(coach: LiveConsole) -> None:
        await coach.wait_for('sam finished "A hard conversation"')
        await coach.wait_for("sam asked to talk to you")
        await coach.type("coach brief sam")
        await coach.wait_for("A first question")

    told = await in_time(await open_console(db, "maya"), read)
    assert 'sam: "it was hard"' in told
    assert "I probed: Who exactly do you have in mind?" in told
    assert "Flags: asked to talk to you" in told
