"""Malformed courses are rejected with the file and line of every error."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.content.loader import check_content, load_catalog
from bot.errors import ContentError
from tests.conftest import CONTENT, FIXTURES, ROOT

CASES = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())


def _expected(folder: Path) -> set[str]:
    lines = (folder / "EXPECTED.txt").read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def test_there_are_malformed_fixtures() -> None:
    assert len(CASES) >= 6


@pytest.mark.parametrize("case", CASES)
def test_each_error_is_reported_at_its_file_and_line(case: str) -> None:
    folder = FIXTURES / case
    _, problems = check_content([folder])
    found = {f"{p.path.relative_to(folder)}:{p.line}" for p in problems}
    assert problems, f"{case} produced no problem"
    assert _expected(folder) <= found, [str(p) for p in problems]


def test_load_catalog_raises_one_error_listing_all_problems() -> None:
    with pytest.raises(ContentError) as caught:
        load_catalog([FIXTURES / case for case in CASES])
    files = {p.path.parent.name for p in caught.value.problems}
    assert files >= set(CASES) - {"bad-yaml"}


def _tutor(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": "sqlite+aiosqlite:///:memory:"}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )


def test_cli_check_passes_on_shipped_content() -> None:
    result = _tutor("content", "check", str(CONTENT))
    assert result.returncode == 0, result.stderr
    assert "3 course(s)" in result.stdout


def test_cli_check_fails_with_file_and_line() -> None:
    result = _tutor("content", "check", str(FIXTURES / "cycle"), str(FIXTURES / "unknown-key"))
    assert result.returncode == 1
    for case in ("cycle", "unknown-key"):
        for expected in _expected(FIXTURES / case):
            file, line = expected.rsplit(":", 1)
            assert f"{case}/{file}:{line}:" in result.stderr, result.stderr
