"""The checked catalog is cached by the hash of everything the check reads, and only then."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from bot.content import cache as cache_module
from bot.content import loader
from bot.content.cache import CatalogCache
from bot.content.catalog import Catalog
from bot.content.loader import check_content_report
from bot.errors import ContentProblem
from tests.conftest import FIXTURES, ROOT

DEMO = ROOT / "tests" / "demo_courses"

Result = tuple[Catalog, list[ContentProblem]]


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[Sequence[Path]]:
    """Record every time the content is really checked (not read from a cache)."""
    calls: list[Sequence[Path]] = []
    real = loader._check_report

    def counted(paths: Sequence[Path]) -> Result:
        calls.append(paths)
        return real(paths)

    monkeypatch.setattr(loader, "_check_report", counted)
    return calls


def course_copy(tmp_path: Path, name: str = "demo", source: Path = DEMO) -> Path:
    """A course folder of the test's own, to change at will."""
    folder = tmp_path / "content" / name
    shutil.copytree(source / name if (source / name).is_dir() else source, folder)
    return folder


def test_unchanged_content_is_read_back_without_being_checked(
    tmp_path: Path, checks: list[Sequence[Path]]
) -> None:
    course = course_copy(tmp_path)
    cache = CatalogCache(tmp_path / "cache")
    first = check_content_report([course], cache)
    again = check_content_report([course], CatalogCache(tmp_path / "cache"))
    assert len(checks) == 1
    assert again == first
    assert again[0].get("demo") is not None
    assert cache.is_fresh([course])


def test_problems_and_warnings_come_back_as_they_were_found(
    tmp_path: Path, checks: list[Sequence[Path]]
) -> None:
    course = course_copy(tmp_path, "cycle", FIXTURES / "cycle")
    cache = CatalogCache(tmp_path / "cache")
    catalog, problems = check_content_report([course], cache)
    assert any("prerequisite cycle" in p.message for p in problems)
    assert check_content_report([course], cache) == (catalog, problems)
    assert len(checks) == 1


def test_a_changed_file_is_checked_again(tmp_path: Path, checks: list[Sequence[Path]]) -> None:
    course = course_copy(tmp_path)
    cache = CatalogCache(tmp_path / "cache")
    check_content_report([course], cache)
    header = course / "course.yaml"
    header.write_text(header.read_text().replace("What is 1/3", "What, now, is 1/3"))
    catalog, _ = check_content_report([course], cache)
    assert len(checks) == 2
    assert catalog.courses["demo"].exercises["third-plus-quarter"].prompt.startswith("What, now")


def test_a_new_file_is_checked_again(tmp_path: Path, checks: list[Sequence[Path]]) -> None:
    course = course_copy(tmp_path)
    cache = CatalogCache(tmp_path / "cache")
    check_content_report([course], cache)
    (course / "more.yaml").write_text("exercises: [\n", encoding="utf-8")
    _, problems = check_content_report([course], cache)
    assert len(checks) == 2
    assert any(p.path.name == "more.yaml" for p in problems)


def test_content_changed_and_changed_back_is_right_each_time(
    tmp_path: Path, checks: list[Sequence[Path]]
) -> None:
    course = course_copy(tmp_path)
    cache = CatalogCache(tmp_path / "cache")
    header = course / "course.yaml"
    original = header.read_text()
    before = check_content_report([course], cache)
    header.write_text(original.replace("Demo fractions", "Other fractions"))
    changed = check_content_report([course], cache)
    header.write_text(original)
    assert check_content_report([course], cache) == before
    assert changed[0].courses["demo"].title == "Other fractions"
    assert len(checks) == 3


def test_a_change_in_the_checking_code_is_not_trusted(
    tmp_path: Path, checks: list[Sequence[Path]], monkeypatch: pytest.MonkeyPatch
) -> None:
    course = course_copy(tmp_path)
    cache = CatalogCache(tmp_path / "cache")
    check_content_report([course], cache)
    real_source = cache_module._source

    def edited(relative: str) -> bytes:
        source = real_source(relative)
        return source + b"\n# edited\n" if relative == "learning/grading.py" else source

    monkeypatch.setattr(cache_module, "_source", edited)
    assert not cache.is_fresh([course])
    check_content_report([course], cache)
    assert len(checks) == 2


def test_another_library_version_is_not_trusted(
    tmp_path: Path, checks: list[Sequence[Path]], monkeypatch: pytest.MonkeyPatch
) -> None:
    course = course_copy(tmp_path)
    cache = CatalogCache(tmp_path / "cache")
    check_content_report([course], cache)
    versions = cache_module._runtime_version()
    monkeypatch.setattr(cache_module, "_runtime_version", lambda: versions + "\nsympy==99")
    check_content_report([course], cache)
    assert len(checks) == 2


def test_the_reachable_modules_are_the_checks_own() -> None:
    modules = cache_module.checking_modules()
    assert {"content/loader.py", "content/checks.py", "learning/grading.py"} <= set(modules)
    assert not [m for m in modules if m.startswith(("adapters/", "store/", "services/"))]


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"not json at all\n{}",
        b'{"format": 1, "key": "0", "modules": []}\n',
        b'{"format": 999, "key": "x", "modules": []}\n[]',
        b"\xff\xfe\x00garbage",
    ],
    ids=["empty", "garbage", "wrong-key", "other-format", "binary"],
)
def test_a_damaged_cache_is_rebuilt_without_a_word(
    tmp_path: Path, checks: list[Sequence[Path]], damage: bytes
) -> None:
    course = course_copy(tmp_path)
    cache = CatalogCache(tmp_path / "cache")
    right = check_content_report([course], cache)
    cache.file_for([course]).write_bytes(damage)
    assert check_content_report([course], cache) == right
    assert check_content_report([course], cache) == right
    assert len(checks) == 2, "checked again once, then the rebuilt cache served"


@pytest.mark.parametrize("cut", [0.5, 0.99])
def test_a_cache_cut_short_or_tampered_with_is_rebuilt(
    tmp_path: Path, checks: list[Sequence[Path]], cut: float
) -> None:
    course = course_copy(tmp_path)
    cache = CatalogCache(tmp_path / "cache")
    right = check_content_report([course], cache)
    stored = cache.file_for([course])
    data = stored.read_bytes()
    header_end = data.index(b"\n") + 1
    body = data[header_end:]
    # the right key over a body that is cut short, or that no longer validates
    stored.write_bytes(data[:header_end] + body[: int(len(body) * cut)])
    assert check_content_report([course], cache) == right
    stored.write_bytes(data[:header_end] + body.replace(b'"checker":"numeric"', b'"checker":"x"'))
    assert check_content_report([course], cache) == right
    assert len(checks) == 3


def test_a_cache_folder_that_cannot_be_written_only_costs_time(
    tmp_path: Path, checks: list[Sequence[Path]]
) -> None:
    course = course_copy(tmp_path)
    blocker = tmp_path / "a-file"
    blocker.write_text("where the cache folder would be")
    cache = CatalogCache(blocker / "cache")
    first = check_content_report([course], cache)
    assert check_content_report([course], cache) == first
    assert len(checks) == 2


def content_check(folder: Path, data: Path) -> subprocess.CompletedProcess[str]:
    """Run `tutor content check` for real, with its data folder (and cache) under `data`."""
    env = {**os.environ, "FILES_DIR": str(data / "files"), "PYTHONPROFILEIMPORTTIME": "1"}
    return subprocess.run(
        [sys.executable, "-m", "bot", "content", "check", str(folder)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=300,
        check=False,
    )


def imported(stderr: str) -> set[str]:
    """Name the modules an `-X importtime` run imported."""
    return {
        line.rpartition("|")[2].strip()
        for line in stderr.splitlines()
        if line.startswith("import time:")
    }


def test_the_check_command_reports_from_the_cache_without_loading_sympy(tmp_path: Path) -> None:
    course = course_copy(tmp_path)
    cold = content_check(course, tmp_path / "data")
    warm = content_check(course, tmp_path / "data")
    assert cold.returncode == warm.returncode == 0, cold.stderr[-2000:]
    assert warm.stdout == cold.stdout
    assert "OK: 1 course(s)" in warm.stdout
    assert "sympy" in imported(cold.stderr)
    assert "sympy" not in imported(warm.stderr), "a cached check needs no grader"
    assert list((tmp_path / "data" / "cache").glob("catalog-*.json"))


def test_the_check_command_prints_the_same_problems_from_the_cache(tmp_path: Path) -> None:
    course = course_copy(tmp_path, "cycle", FIXTURES / "cycle")
    cold = content_check(course, tmp_path / "data")
    warm = content_check(course, tmp_path / "data")
    assert cold.returncode == warm.returncode == 1
    problems = [line for line in cold.stderr.splitlines() if not line.startswith("import time")]
    assert any("prerequisite cycle" in line for line in problems)
    assert [line for line in warm.stderr.splitlines() if not line.startswith("import ")] == problems
