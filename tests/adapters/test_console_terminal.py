"""The real console at a real (pseudo-)terminal: as a person starts it, types, pastes, leaves."""

from __future__ import annotations

import os
import re
import sqlite3
import sys
import termios
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.adapters.console._adapter import BANNER
from tests.adapters.terminal import Terminal
from tests.conftest import ROOT

DEMO = ROOT / "tests" / "demo_courses"
# A record as the log handlers write it: "2026-03-02T09:00:00+0000 INFO bot.x: ..."
LOG_RECORD = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4} [A-Z]+ [\w.]+: ")


@pytest.fixture(autouse=True)
def demo_checked_once(tmp_path: Path, checked_catalogs: Callable[..., None]) -> None:
    """Start each console from the catalog cache, as every start after the first does."""
    checked_catalogs(tmp_path, DEMO)


def environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    """No platform token, and the tutor's files in the test's folder."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'tutor.db'}",
        "FILES_DIR": str(tmp_path / "files"),
        "CONTENT_DIR": str(DEMO),
        "LOG_LEVEL": "INFO",
        "TERM": "xterm",
        **extra,
    }
    for token in ("DISCORD_TOKEN", "SLACK_BOT_TOKEN"):
        env.pop(token, None)
    return env


def tutor_run(tmp_path: Path, **kwargs: object) -> Terminal:
    """`tutor run` with no platform token, as `make run` starts it."""
    return Terminal(
        [sys.executable, "-m", "bot", "run"],
        env=environment(tmp_path),
        cwd=ROOT,
        **kwargs,  # type: ignore[arg-type]
    )


def learner_turns(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT text FROM turns WHERE role = 'learner' ORDER BY id").fetchall()
    return [text for (text,) in rows]


def test_the_first_prompt_shows_before_the_tutor_has_loaded(tmp_path: Path) -> None:
    with tutor_run(tmp_path) as term:
        first = term.wait_for("> ")
        assert BANNER in first
        assert "tutor:" not in first, "the prompt came before the tutor's first word"
        term.type("start demo\r")  # typed ahead, while the tutor loads
        greeting = term.wait_for("What is 1/3 + 1/4?")
        assert "tutor: Welcome! Courses:" in greeting
        term.wait_for("> ")
        term.type("quit\r")
        term.wait_for("Your place is saved")
        assert term.wait_exit() == 0


def test_a_pasted_block_is_one_message(tmp_path: Path) -> None:
    with tutor_run(tmp_path) as term:
        term.wait_for("Type `start <course>`")
        term.wait_for("> ")
        term.type("start demo\r")
        term.wait_for("What is 1/3 + 1/4?")
        term.wait_for("> ")
        # A terminal brackets a paste (the console asks it to) and sends its line ends as CR.
        term.type("\x1b[200~1/3 is 4/12\r1/4 is 3/12\rso 7/12\x1b[201~")
        term.type("\r")
        term.wait_for("common denominator")
        term.wait_for("> ")
        term.type("quit\r")
        term.wait_for("Your place is saved")
        assert term.wait_exit() == 0
    assert learner_turns(tmp_path / "tutor.db") == ["1/3 is 4/12\n1/4 is 3/12\nso 7/12"]


def test_ctrl_c_leaves_at_once_and_the_place_is_kept(tmp_path: Path) -> None:
    with tutor_run(tmp_path) as term:
        term.wait_for("Type `start <course>`")
        term.wait_for("> ")
        term.type("start demo\r")
        term.wait_for("What is 1/3 + 1/4?")
        term.wait_for("> ")
        term.type("half-typed")  # no Enter: the line editor holds it
        term.type("\x03")
        term.wait_for("tutor: Your place is saved. See you soon!")
        assert term.wait_exit() == 130
        mode = termios.tcgetattr(term.master)
        screen = term.text
    assert mode[3] & termios.ICANON and mode[3] & termios.ECHO, "the terminal is given back"
    # Ctrl-C reaches the whole foreground process group, the grading worker too: only a
    # traceback of the console's own process (through the command line) counts here.
    assert "bot/cli.py" not in screen and "bot/adapters/console" not in screen
    with tutor_run(tmp_path) as term:
        term.wait_for("Welcome back")
        term.wait_for("What is 1/3 + 1/4?")
        term.wait_for("> ")
        term.type("\x04")  # Ctrl-D: end of input
        assert term.wait_exit() == 0


def test_ctrl_c_while_the_tutor_loads_leaves_too(tmp_path: Path) -> None:
    with tutor_run(tmp_path) as term:
        term.wait_for("> ")
        term.type("\x03")
        term.wait_for("Your place is saved")
        assert term.wait_exit() == 130


def test_log_records_stay_off_the_learners_screen(tmp_path: Path) -> None:
    # FILES_DIR is a file: the progress chart cannot be saved, which is logged as a warning.
    (tmp_path / "files").write_text("not a folder")
    with tutor_run(tmp_path) as term:
        term.wait_for("Type `start <course>`")
        term.wait_for("> ")
        term.type("start demo\r")
        term.wait_for("What is 1/3 + 1/4?")
        term.wait_for("> ")
        term.type("progress\r")
        term.wait_for("couldn't save progress-demo.png")
        term.wait_for("> ")
        term.type("quit\r")
        term.wait_for("Your place is saved")
        assert term.wait_exit() == 0
        screen = term.text
    assert not LOG_RECORD.search(screen), screen
    log = (tmp_path / "tutor.log").read_text(encoding="utf-8")
    assert "INFO bot.store.db: database schema at head" in log
    assert "WARNING bot.adapters.console._session: console: could not save progress-demo.png" in log


def test_warnings_go_to_standard_error_when_it_is_not_the_terminal(tmp_path: Path) -> None:
    (tmp_path / "files").write_text("not a folder")
    errors = tmp_path / "errors.txt"
    with errors.open("wb") as stderr, tutor_run(tmp_path, stderr=stderr) as term:
        term.wait_for("Type `start <course>`")
        term.wait_for("> ")
        term.type("start demo\r")
        term.wait_for("What is 1/3 + 1/4?")
        term.wait_for("> ")
        term.type("progress\r")
        term.wait_for("couldn't save progress-demo.png")
        term.wait_for("> ")
        term.type("quit\r")
        term.wait_for("Your place is saved")
        assert term.wait_exit() == 0
        screen = term.text
    assert not LOG_RECORD.search(screen)
    written = errors.read_text(encoding="utf-8")
    assert "WARNING bot.adapters.console._session: console: could not save" in written
    assert " INFO " not in written, "only warnings and errors"
    assert "INFO bot.store.db: database schema at head" in (tmp_path / "tutor.log").read_text()
