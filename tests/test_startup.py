"""Starting `tutor` for real: a bad setting or database is one plain sentence, never a traceback."""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

DEMO = ROOT / "tests" / "demo_courses"
PASSWORD = "s3cret-pw-9"


def tutor(
    *args: str, env: dict[str, str], prefix: list[str] | None = None, stdin: str = "start demo\n"
) -> subprocess.CompletedProcess[str]:
    """Run the real command line, as an operator would."""
    full_env = {**os.environ, "LOG_LEVEL": "INFO", **env}
    for name in ("DISCORD_TOKEN", "SLACK_BOT_TOKEN"):
        if name not in env:
            full_env.pop(name, None)
    return subprocess.run(
        [*(prefix or []), sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=full_env,
        timeout=120,
        check=False,
    )


def closed_port() -> int:
    """A local port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def assert_one_sentence(result: subprocess.CompletedProcess[str], setting: str) -> str:
    """The command failed, saying so in one short line that names the setting."""
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert setting in lines[0]
    assert "Traceback" not in result.stderr + result.stdout
    assert PASSWORD not in result.stderr + result.stdout
    return lines[0]


@pytest.mark.parametrize(
    ("setting", "value", "says"),
    [
        ("DATABASE_URL", "not a url at all", "not a database URL"),
        ("DATABASE_URL", "nosuchdb://tutor@host/tutor", "unknown database type 'nosuchdb'"),
        ("DATABASE_URL", f"mysql://tutor:{PASSWORD}@host/tutor", "is not installed"),
        ("DATABASE_URL", "sqlite+aiosqlite:///{file}/tutor.db", "a file is in the way"),
        ("LOG_LEVEL", "LOUD", "use one of DEBUG, INFO"),
    ],
)
def test_a_bad_setting_is_one_sentence(tmp_path: Path, setting: str, value: str, says: str) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    # `db upgrade` opens the database the way every start path does, without loading courses.
    result = tutor("db", "upgrade", env={setting: value.format(file=blocker)})
    assert says in assert_one_sentence(result, setting)
    assert result.stdout == ""


@pytest.mark.parametrize("command", [["console", "--content", str(DEMO)], ["run"], ["worker"]])
def test_an_unreachable_database_is_one_sentence_on_every_start_path(command: list[str]) -> None:
    url = f"postgresql+asyncpg://tutor:{PASSWORD}@127.0.0.1:{closed_port()}/tutor"
    env = {"DATABASE_URL": url, "CONTENT_DIR": str(DEMO)}
    if command == ["worker"]:
        env["DISCORD_TOKEN"] = "a-token-the-worker-never-uses-here"
    line = assert_one_sentence(tutor(*command, env=env), "DATABASE_URL")
    assert line.startswith("DATABASE_URL: cannot connect to postgresql at 127.0.0.1:")
    assert line.endswith("(connection refused).")


def test_the_traceback_is_there_at_debug_level() -> None:
    url = f"postgresql+asyncpg://tutor:{PASSWORD}@127.0.0.1:{closed_port()}/tutor"
    result = tutor("db", "upgrade", env={"DATABASE_URL": url, "LOG_LEVEL": "DEBUG"})
    assert result.returncode != 0
    assert "Traceback (most recent call last)" in result.stderr
    assert "ConnectionRefusedError" in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("DATABASE_URL: cannot connect")
    assert PASSWORD not in result.stderr


def without_write_privilege() -> list[str]:
    """A command prefix under which file modes stop writes, as for the Dockerfile's user.

    Root ignores file modes (CAP_DAC_OVERRIDE), and these tests often run as root in a
    container: there the tutor runs under `setpriv` with that capability dropped, so a
    0444 file or a 0555 folder refuses its writes for real (EACCES from the kernel).
    """
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    prefix = [setpriv or "setpriv", "--bounding-set=-dac_override,-dac_read_search"]
    if setpriv is None or subprocess.run([*prefix, "true"], check=False).returncode != 0:
        pytest.skip(
            "running as root, where file modes do not stop writes, and setpriv (util-linux) "
            "cannot drop CAP_DAC_OVERRIDE here; run as a normal user to test this"
        )
    return prefix


def migrated_database(folder: Path) -> Path:
    """A database file migrated to head, closed."""
    db = folder / "tutor.db"
    result = tutor("db", "upgrade", env={"DATABASE_URL": f"sqlite+aiosqlite:///{db}"})
    assert result.returncode == 0, result.stderr
    return db


def test_a_read_only_database_file_is_refused_at_start(tmp_path: Path) -> None:
    prefix = without_write_privilege()
    db = migrated_database(tmp_path)
    for path in tmp_path.glob("tutor.db*"):
        path.chmod(0o444)
    before = db.read_bytes()
    result = tutor(
        "console",
        "--content",
        str(DEMO),
        env={"DATABASE_URL": f"sqlite+aiosqlite:///{db}"},
        prefix=prefix,
    )
    line = assert_one_sentence(result, "DATABASE_URL")
    assert f"cannot write to the SQLite file {db}" in line
    assert "readonly database" in line
    assert "tutor:" not in result.stdout  # no session began that could not be saved
    assert db.read_bytes() == before


def test_a_database_in_a_read_only_folder_is_refused_at_start(tmp_path: Path) -> None:
    prefix = without_write_privilege()
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        result = tutor(
            "console",
            "--content",
            str(DEMO),
            env={"DATABASE_URL": f"sqlite+aiosqlite:///{folder / 'tutor.db'}"},
            prefix=prefix,
        )
        line = assert_one_sentence(result, "DATABASE_URL")
        assert "cannot write in the folder of the SQLite file" in line
        assert "Permission denied" in line
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)


def test_processes_starting_together_on_a_fresh_file_all_migrate_it(tmp_path: Path) -> None:
    # Without the lock about one start in eight failed with "table users already exists".
    for round_ in range(3):
        db = tmp_path / f"fresh-{round_}.db"
        env = {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{db}", "LOG_LEVEL": "WARNING"}
        starts = [
            subprocess.Popen(
                [sys.executable, "-m", "bot", "db", "upgrade"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        for start in starts:
            out, err = start.communicate(timeout=120)
            assert start.returncode == 0, err
            assert "Database is at head." in out
        with sqlite3.connect(db) as connection:
            versions = connection.execute("SELECT version_num FROM alembic_version").fetchall()
        assert len(versions) == 1
