"""The console under bad input and faults: an answer every time, never a traceback or a lie."""

from __future__ import annotations

import io
import logging
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.adapters.console import SORRY, run_session
from bot.content.loader import load_catalog
from bot.services.messages import Incoming, Person, Reply
from bot.services.tutor import Tutor
from bot.store.db import Database
from tests.conftest import ROOT, FixedClock

DEMO = ROOT / "tests" / "demo_courses"


def console_bytes(
    db: Path, data: bytes, *, files: Path | None = None, **extra_env: str
) -> subprocess.CompletedProcess[bytes]:
    """Run the real console on raw bytes, as a terminal or a pipe would hand them over."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{db}",
        "LOG_LEVEL": "WARNING",
        "FILES_DIR": str(files or db.parent / "files"),
        **extra_env,
    }
    env.pop("DISCORD_TOKEN", None)
    env.pop("SLACK_BOT_TOKEN", None)
    return subprocess.run(
        [sys.executable, "-m", "bot", "console", "--user", "ada", "--content", str(DEMO)],
        input=data,
        capture_output=True,
        cwd=ROOT,
        env=env,
        timeout=120,
        check=False,
    )


def learner_turns(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT text FROM turns WHERE role = 'learner' ORDER BY id").fetchall()
    return [text for (text,) in rows]


# a strict decoder is what a UTF-8 locale gives; surrogateescape is what the C locale gives
@pytest.mark.parametrize("encoding", ["utf-8:strict", "utf-8:surrogateescape"])
def test_undecodable_bytes_get_an_answer_not_a_traceback(tmp_path: Path, encoding: str) -> None:
    db = tmp_path / "bytes.db"
    # 0xFF 0xFE is no UTF-8 at all; ED A0 80 is an encoded lone surrogate; then a NUL
    data = b"start demo\n\xff\xfe\n\xed\xa0\x80 1/2\x00\nhint\n"
    result = console_bytes(db, data, PYTHONIOENCODING=encoding)
    out = result.stdout.decode("utf-8")  # strict: nothing unencodable was printed
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    assert "Traceback" not in out and b"Traceback" not in result.stderr
    assert "1/2" in out, "the answer after the bad bytes was read and echoed"
    assert "same kind of piece" in out, "the session went on to the hint"
    turns = learner_turns(db)
    assert turns[:2] == ["\ufffd\ufffd", "\ufffd\ufffd\ufffd 1/2"]


def test_a_failed_write_is_told_honestly_and_the_session_goes_on(tmp_path: Path) -> None:
    db = tmp_path / "full.db"
    first = console_bytes(db, b"start demo\n")
    assert first.returncode == 0, first.stderr.decode(errors="replace")
    with sqlite3.connect(db) as conn:  # every later answer fails to be written, as on a full disk
        conn.execute(
            "CREATE TRIGGER no_room BEFORE INSERT ON turns "
            "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"
        )
    result = console_bytes(db, b"my secret 5/12\ncourses\n")
    out = result.stdout.decode("utf-8")
    assert result.returncode == 0
    assert b"my secret" not in result.stderr, "the failure is logged without the learner's words"
    assert "Your work is saved" not in out
    honest = "may not have been saved" if "may not have been saved" in out else "couldn't save"
    assert honest in out
    assert "Traceback" not in out
    assert "demo-equations" in out[out.index(honest) :], "the next line is answered"
    assert learner_turns(db) == []


def test_a_chart_that_cannot_be_saved_is_said_plainly(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where FILES_DIR expects a folder")
    result = console_bytes(tmp_path / "c.db", b"start demo\nprogress\nhint\n", files=blocker / "x")
    out = result.stdout.decode("utf-8")
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    assert "Adding fractions" in out
    assert "couldn't save progress-demo.png: check FILES_DIR" in out
    assert "same kind of piece" in out, "the session went on"
    assert b"Traceback" not in result.stderr


class BrokenTutor(Tutor):
    """A real tutor whose message handling breaks, as an unforeseen bug would."""

    async def handle(self, message: Incoming) -> list[Reply]:
        raise RuntimeError("an unforeseen bug")


async def test_an_unexpected_error_is_logged_once_without_the_learners_text(
    database: Database, clock: FixedClock, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    tutor = BrokenTutor(database, load_catalog([DEMO]), clock=clock)
    out = io.StringIO()
    secret = "my private answer 5/12"
    with caplog.at_level(logging.INFO):
        await run_session(
            tutor, Person("console", "ada"), io.StringIO(f"{secret}\nagain\n"), out, tmp_path
        )
    assert out.getvalue().count(f"tutor: {SORRY}") == 2, "each line answered, the loop goes on"
    assert "Your work is saved" not in SORRY and "may not have been saved" in SORRY
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 2 and all(r.exc_info for r in errors)
    assert secret not in caplog.text
