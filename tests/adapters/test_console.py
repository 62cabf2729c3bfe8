"""The real console, as a subprocess over standard input."""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.content.cache import CatalogCache
from bot.store.db import Database
from tests.conftest import CONTENT, FIXTURES, ROOT
from tests.support.learners import learner_with_due_cards

DEMO = ROOT / "tests" / "demo_courses"


@pytest.fixture(autouse=True)
def demo_checked_once(tmp_path: Path, checked_catalogs: Callable[..., None]) -> None:
    """Start each console from the catalog cache, as every start after the first does."""
    checked_catalogs(tmp_path, DEMO)


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


def test_default_content_lists_the_starter_courses(
    tmp_path: Path, checked_catalogs: Callable[..., None]
) -> None:
    checked_catalogs(tmp_path, CONTENT)
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

    async def read_until(text: str) -> None:
        nonlocal seen
        assert proc.stdout is not None
        while text not in seen:
            line = await proc.stdout.readline()
            assert line, f"the console ended before {text!r}:\n{seen}"
            seen += line.decode()

    try:
        async with asyncio.timeout(60):
            await read_until("Time for a quick review")
            proc.stdin.write(b"review\n")
            await proc.stdin.drain()
            await read_until("What is 1/3 + 1/4?")
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


def rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def test_start_finds_a_course_by_the_start_of_its_id_or_words_of_its_title(
    tmp_path: Path, checked_catalogs: Callable[..., None]
) -> None:
    checked_catalogs(tmp_path, CONTENT)
    db = tmp_path / "p.db"
    result = console(db, ["start fractions"], "--user", "ada", "--content", str(CONTENT))
    assert result.returncode == 0, result.stderr
    assert "tutor: Fractions and equations: " in result.stdout
    other = console(db, ["start basics"], "--user", "bo", "--content", str(CONTENT))
    assert "tutor: Python basics: " in other.stdout
    enrolled = rows(db, "SELECT platform_user_id, active_course_id FROM users ORDER BY id")
    assert enrolled == [("ada", "fractions-and-equations"), ("bo", "python-basics")]


def test_export_saves_every_row_about_the_learner_as_json(tmp_path: Path) -> None:
    db = tmp_path / "e.db"
    result = console(db, ["start demo", "5/12", "export"], "--user", "ada", "--content", str(DEMO))
    assert result.returncode == 0, result.stderr
    saved = tmp_path / "files" / "ada-socratic-tutor-export.json"
    assert "tutor: Here is everything I store about you." in result.stdout
    assert f"(saved socratic-tutor-export.json to {saved})" in result.stdout
    export = json.loads(saved.read_text(encoding="utf-8"))
    assert [u["platform_user_id"] for u in export["users"]] == ["ada"]
    assert [t["text"] for t in export["turns"] if t["role"] == "learner"] == ["5/12"]


def test_export_before_any_work_says_there_is_nothing(tmp_path: Path) -> None:
    result = console(tmp_path / "n.db", ["export"], "--user", "ada", "--content", str(DEMO))
    assert "tutor: I have no data about you." in result.stdout
    assert not (tmp_path / "files").exists()


def test_forget_asks_first_and_deletes_only_after_yes(tmp_path: Path) -> None:
    db = tmp_path / "f.db"
    kept = console(
        db, ["start demo", "5/12", "forget", "no"], "--user", "ada", "--content", str(DEMO)
    )
    assert "Are you sure? Type `yes` to delete everything" in kept.stdout
    assert "tutor: Nothing was deleted." in kept.stdout
    assert rows(db, "SELECT platform_user_id FROM users") == [("ada",)]
    gone = console(db, ["forget", "yes"], "--user", "ada", "--content", str(DEMO))
    assert "tutor: Done: everything about you is deleted." in gone.stdout
    assert rows(db, "SELECT count(*) FROM users") == [(0,)]
    assert rows(db, "SELECT count(*) FROM turns") == [(0,)]


def test_a_message_after_forget_is_not_taken_as_the_answer(tmp_path: Path) -> None:
    db = tmp_path / "g.db"
    result = console(db, ["start demo", "forget", "7/12"], "--user", "ada", "--content", str(DEMO))
    assert "tutor: Nothing was deleted." in result.stdout
    assert rows(db, "SELECT text FROM turns WHERE role = 'learner'") == [("7/12",)]


def test_settings_show_and_change_like_the_discord_command(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    lines = [
        "settings",
        "settings timezone Europe/Paris quiet 22:00-07:00",
        "settings timezone Mars/Olympus",
        "settings pause 3",
        "settings colour blue",
    ]
    result = console(db, lines, "--user", "ada", "--content", str(DEMO))
    out = result.stdout
    assert "tutor: Time zone: UTC. Quiet hours: 21:00 to 08:00. Review prompts: on." in out
    assert "`settings timezone Europe/Paris`" in out, "the bare word says how to change them"
    assert "tutor: Time zone: Europe/Paris. Quiet hours: 22:00 to 07:00 your time." in out
    assert "I don't know the time zone 'Mars/Olympus'" in out
    assert "tutor: No review prompts until " in out
    assert "I don't know the setting 'colour'" in out
    ((timezone, start, end, paused),) = rows(
        db, "SELECT timezone, quiet_start, quiet_end, paused_until FROM users"
    )
    assert (timezone, start, end) == ("Europe/Paris", "22:00", "07:00")
    assert paused is not None


def test_help_names_the_console_words_too(tmp_path: Path) -> None:
    result = console(tmp_path / "h.db", ["help"], "--user", "ada", "--content", str(DEMO))
    out = result.stdout
    assert "start <course>" in out
    for word in ("export", "forget", "settings"):
        assert f"  {word}  " in out
    assert "End a line with \\ to go on" in out


def test_a_line_ending_in_a_backslash_goes_on_to_the_next(tmp_path: Path) -> None:
    db = tmp_path / "m.db"
    lines = ["start demo", "first I found twelfths \\", "then 4/12 + 3/12 = 7/12"]
    result = console(db, lines, "--user", "ada", "--content", str(DEMO))
    assert result.returncode == 0, result.stderr
    learner = [text for (text,) in rows(db, "SELECT text FROM turns WHERE role = 'learner'")]
    assert learner == ["first I found twelfths \nthen 4/12 + 3/12 = 7/12"]


FENCED_COURSE = """\
id: fenced
title: Fenced code
description: One exercise whose prompt holds a code block.
placement: false
skills:
  - id: reading
    title: Reading code
exercises:
  - id: what-prints
    kind: problem
    skill: reading
    prompt: |
      What does this program print?

      ```python
      def double(n):
          return n * 2

      print(double(4))
      ```
      Type the printed line.
    answer: "8"
    checker: exact
    reflection: Why that number?
    hints:
      nudge: What does double give back?
      specific: double(4) is 4 times 2.
      worked: It prints 4 * 2.
"""


def test_code_fences_show_as_indented_blocks(tmp_path: Path) -> None:
    course = tmp_path / "fenced"
    course.mkdir()
    (course / "course.yaml").write_text(FENCED_COURSE, encoding="utf-8")
    result = console(tmp_path / "c.db", ["start fenced"], "--user", "ada", "--content", str(course))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "```" not in out
    code = [
        "tutor: What does this program print?",
        "",
        "           def double(n):",
        "               return n * 2",
        "",
        "           print(double(4))",
        "       Type the printed line.",
    ]
    assert "\n".join(code) in out


def test_a_first_start_leaves_the_checked_courses_for_the_next(tmp_path: Path) -> None:
    data = tmp_path / "fresh"  # no cache copied in: this start checks the courses itself
    data.mkdir()
    course = tmp_path / "fenced"
    course.mkdir()
    (course / "course.yaml").write_text(FENCED_COURSE, encoding="utf-8")
    result = console(data / "t.db", ["courses"], "--user", "ada", "--content", str(course))
    assert result.returncode == 0, result.stderr
    assert CatalogCache(data / "cache").is_fresh([course])
    assert (data / "tutor.log").exists(), "the console logs to a file beside its data"
