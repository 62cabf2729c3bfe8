"""Which folders are courses and which files of each the loader reads."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from bot.errors import ContentProblem

COURSE_FILE = "course.yaml"


def course_folders(paths: Sequence[Path], problems: list[ContentProblem]) -> list[Path]:
    """Find course folders: a folder with course.yaml, or the folders inside a content root."""
    folders: list[Path] = []
    for path in paths:
        if path.is_file():
            path = path.parent
        if not path.exists():
            problems.append(ContentProblem(path, 0, "no such file or folder"))
        elif (path / COURSE_FILE).exists():  # of any kind: reading it says what is wrong
            folders.append(path)
        else:
            found = sorted(p.parent for p in path.glob(f"*/{COURSE_FILE}"))
            if not found:
                problems.append(ContentProblem(path, 0, f"no {COURSE_FILE} here or one level down"))
            folders.extend(found)
    unique: dict[Path, Path] = {}
    for folder in folders:
        unique.setdefault(folder.resolve(), folder)
    return list(unique.values())


def exercise_files(folder: Path) -> list[Path]:
    """Return the YAML files of a course folder besides course.yaml, in reading order."""
    return [
        path
        for path in sorted(folder.rglob("*.y*ml"))
        if path.name != COURSE_FILE and path.suffix in {".yaml", ".yml"}
    ]
