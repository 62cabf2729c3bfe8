"""The real console, as a subprocess over standard input."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.store.db import Database
from tests.conftest import CONTENT, FIXTURES, ROOT
from tests.support.learners import learner_with_due_cards

DEMO = ROOT / "tests" / "demo_courses"


def console(db: Path, lines: list[str], *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{db}",
        "LOG_LEVEL": "WARNING",
        "FILES_DIR": str(db.parent / "files"),
    }
    env.pop("DISCORD_TOKEN", None)
    env.pop("SLACK_BOT_TOKEN", None)
    return subprocess.run(
        [sys.executable, "-m", "bot", "console", *args],
        input="".join(f"{line}\n" for line in lines),
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
        check=False,
    )


def test_scripted_session_solves_reflects_and_exits_at_end_of_input(tmp_path: Path) -> None:
    result = console(
        tmp_path / "t.db",
        ["start demo", "2/7", "hint", "7/12", "same-size pieces can be added", "progress"],
        "--user",
        "ada",
        "--content",
        str(DEMO),
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "What is 1/3 + 1/4?" in out
    assert "Is a half plus a half really a half?" in out
    assert "same kind of piece" in out
    assert "common denominator" in out
    assert "Adding fractions" in out and "mastery" in out
    chart = tmp_path / "files" / "ada-progress-demo.png"
    assert f"saved progress-demo.png to {chart}" in out
    assert chart.read_bytes().startswith(b"\x89PNG")


def test_quit_mid_exercise_then_resume_where_it_stopped(tmp_path: Path) -> None:
    db = tmp_path / "resume.db"
    first = console(
        db, ["start demo", "hint", "quit", "never read"], "--user", "ada", "--content", str(DEMO)
    )
    assert first.returncode == 0, first.stderr
    assert "Your place is saved" in first.stdout
    assert "never read" not in first.stdout
    second = console(db, ["hint"], "--user", "ada", "--content", str(DEMO))
    assert "Welcome back" in second.stdout
    assert "What is 1/3 + 1/4?" in second.stdout
    assert "twelfths" in second.stdout


def test_full_hint_ladder_in_order(tmp_path: Path) -> None:
    result = console(
        tmp_path / "l.db",
        ["start demo", "hint", "hint", "5/12", "hint"],  # the worked step waits for a try
        "--user",
        "bo",
        "--content",
        str(DEMO),
    )
    out = result.stdout
    nudge, specific, worked = (
        out.index("same kind of piece"),
        out.index("cut into twelfths"),
        out.index("4/12 + 3/12"),
    )
    assert nudge < specific < worked


def test_draft_content_is_checked_first(tmp_path: Path) -> None:
    result = console(tmp_path / "d.db", ["courses"], "--content", str(FIXTURES / "cycle"))
    assert result.returncode == 1
    assert "course.yaml:" in result.stderr
    assert "prerequisite cycle" in result.stderr


def test_default_content_lists_the_starter_courses(tmp_path: Path) -> None:
    result = console(tmp_path / "c.db", ["courses"], "--user", "cy", "--content", str(CONTENT))
    assert result.returncode == 0, result.stderr
    for course in ("fractions-and-equations", "python-basics", "coaching-positioning"):
        assert course in result.stdout


async def test_due_review_prompts_are_printed_while_the_console_is_open(tmp_path: Path) -> None:
    db_file = tmp_path / "prompts.db"
    database = Database(f"sqlite+aiosqlite:///{db_file}")
    await database.upgrade()
    now = datetime.now(UTC)
    await learner_with_due_cards(
        database,
        "ada",
        platform="console",
        quiet=("00:00", "00:00"),
        course="demo",
        exercises=["third-plus-quarter"],
        due=now - timedelta(days=1),
    )
    await database.close()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{db_file}",
        "LOG_LEVEL": "WARNING",
        "FILES_DIR": str(tmp_path / "files"),
    }
    env.pop("DISCORD_TOKEN", None)
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "console",
        "--user",
        "ada",
        "--content",
        str(DEMO),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        cwd=ROOT,
        env=env,
    )
    assert proc.stdin is not None and proc.stdout is not None
    seen = ""
    try:
        async with asyncio.timeout(60):
            while "Time for a quick review" not in seen:
                seen += (await proc.stdout.readline()).decode()
            proc.stdin.write(b"review\n")
            await proc.stdin.drain()
            while "What is 1/3 + 1/4?" not in seen:
                seen += (await proc.stdout.readline()).decode()
            proc.stdin.write(b"quit\n")
            await proc.stdin.drain()
            rest, _ = await proc.communicate()
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    assert proc.returncode == 0
    assert "1 item is ready" in seen
    assert "Quick review" in seen
    assert "Your place is saved" in rest.decode()
