"""Check an uploaded course (a zip, YAML files, or a worksheet) with the one content checker.

The upload is unpacked in memory (`upload_archive`), written to a private temporary
folder and checked exactly as `tutor content check` checks a folder; every problem is
reported as `file:line` with the file named as in the upload. A worksheet becomes a draft
course first (`worksheet_import`) and is returned to review, never as a course to store.
Blocking work: call it from a thread.
"""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.content.cache import CatalogCache, Checked
from bot.content.catalog import Course
from bot.content.loader import check_content_report
from bot.content.sources import COURSE_FILE
from bot.content.upload_archive import UploadedFile, unpack
from bot.content.worksheet_import import (
    WORKSHEET_SUFFIXES,
    WorksheetError,
    import_worksheet,
    title_from_filename,
    worksheet_text,
)
from bot.errors import ContentProblem

__all__ = [
    "UploadCheck",
    "UploadedFile",
    "check_folder",
    "check_upload",
    "is_worksheet",
    "report_lines",
    "write_course_files",
]

_NOT_COURSES = (".pdf", ".docx", ".doc", ".odt", ".rtf", ".pages")


@dataclass(frozen=True)
class UploadCheck:
    """What checking an upload found: the course (if valid), its files, every problem."""

    course: Course | None
    files: dict[str, str]  # name (relative to the course folder) -> text
    problems: tuple[ContentProblem, ...]
    draft: bool = False  # made from a worksheet: to review, not to store as it is
    notes: tuple[str, ...] = ()

    @property
    def errors(self) -> list[ContentProblem]:
        """The problems that stop the course from loading (warnings left out)."""
        return [p for p in self.problems if not p.warning]

    @property
    def ok(self) -> bool:
        """Tell whether the course loaded with no error."""
        return self.course is not None and not self.errors

    def report(self) -> str:
        """The report `tutor content check` prints, with the upload's own file names."""
        return "\n".join(report_lines(self.problems, self.course))


def report_lines(problems: Sequence[ContentProblem], course: Course | None) -> list[str]:
    """Every problem as file:line, then the same summary line as `tutor content check`."""
    lines = [str(p) for p in problems]
    errors = [p for p in problems if not p.warning]
    if errors:
        lines.append(f"{len(errors)} problem(s) found.")
    elif problems:
        lines.append(f"{len(problems)} warning(s): the courses load, but are worth a look.")
    if course is not None and not errors:
        lines.append(
            f"OK: 1 course(s), {len(course.skills)} skill(s), {len(course.exercises)} exercise(s)."
        )
        lines.append(
            f"  {course.id}: {len(course.skills)} skills, {len(course.exercises)} exercises"
        )
    return lines


def is_worksheet(uploads: Sequence[UploadedFile]) -> bool:
    """Tell whether an upload is one worksheet (text, Markdown, or a document to convert)."""
    return len(uploads) == 1 and uploads[0].filename.lower().endswith(
        WORKSHEET_SUFFIXES + _NOT_COURSES
    )


def check_upload(uploads: Sequence[UploadedFile]) -> UploadCheck:
    """Check an upload: one course as a zip or YAML files, or one worksheet made a draft."""
    if not uploads:
        return UploadCheck(None, {}, (ContentProblem(Path("upload"), 0, "no file uploaded"),))
    if is_worksheet(uploads):
        return _check_worksheet(uploads[0])
    unpacked = unpack(uploads)
    problems = list(unpacked.problems)
    roots = sorted({str(Path(name).parent) for name in unpacked.files if _is_header(name)})
    if not roots and not problems:
        problems.append(ContentProblem(Path("upload"), 0, f"no {COURSE_FILE} in the upload"))
    if len(roots) > 1:
        where = ", ".join(f"{r}/" for r in roots)
        problems.append(
            ContentProblem(
                Path("upload"), 0, f"upload one course at a time: {COURSE_FILE} in {where}"
            )
        )
    if len(roots) != 1:  # archive problems do not stop the check: every problem at once
        return UploadCheck(None, {}, tuple(problems))
    root = Path(roots[0])
    files: dict[str, str] = {}
    for name, data in unpacked.files.items():
        inside = _inside(Path(name), root)
        if inside is None:
            message = f"not in the course folder {root}/: not read"
            problems.append(ContentProblem(Path(name), 0, message, warning=True))
        else:
            # Undecodable bytes are kept replaced: the checker reads the raw bytes first.
            files[inside] = data.decode("utf-8", "replace")
    checked = check_folder({n: unpacked.files[str(root / n)] for n in files}, root)
    return dataclasses.replace(checked, files=files, problems=(*problems, *checked.problems))


def check_folder(files: dict[str, bytes], shown_as: Path) -> UploadCheck:
    """Write course files to a private temporary folder and check them there."""
    with tempfile.TemporaryDirectory(prefix="tutor-upload-") as temporary:
        folder = Path(temporary) / "course"
        write_course_files(folder, files)
        catalog, found = check_content_report([folder], _UNCACHED)
        problems = tuple(_renamed(p, folder, shown_as) for p in found)
    course = next(iter(catalog.courses.values()), None)
    if course is not None:
        course = dataclasses.replace(course, folder=shown_as)
    text = {name: data.decode("utf-8", "replace") for name, data in files.items()}
    return UploadCheck(course, text, problems)


def write_course_files(folder: Path, files: dict[str, bytes] | dict[str, str]) -> list[Path]:
    """Write course files (names relative to `folder`) and return their paths."""
    written = []
    base = folder.resolve()
    for name, content in files.items():
        path = (folder / name).resolve()
        if base not in path.parents:
            raise ValueError(f"{name!r} is outside the course folder")
        path.parent.mkdir(parents=True, exist_ok=True)
        data = content.encode("utf-8") if isinstance(content, str) else content
        path.write_bytes(data)
        written.append(folder / name)
    return written


def _check_worksheet(upload: UploadedFile) -> UploadCheck:
    """Turn an uploaded worksheet into a draft course and check the draft."""
    name = Path(upload.filename.replace("\\", "/")).name or "worksheet"
    try:
        text = worksheet_text(upload.data, name)
        draft = import_worksheet(text, default_title=title_from_filename(name))
    except WorksheetError as exc:
        return UploadCheck(None, {}, (ContentProblem(Path(name), 0, str(exc)),), draft=True)
    files = {n: t.encode("utf-8") for n, t in draft.files.items()}
    checked = check_folder(files, Path(draft.course_id))
    return dataclasses.replace(checked, draft=True, notes=draft.notes)


def _is_header(name: str) -> bool:
    """Tell whether a relative name is a course header file."""
    return Path(name).name == COURSE_FILE


def _inside(path: Path, root: Path) -> str | None:
    """The name of `path` relative to the course folder `root`, or None when outside it."""
    if root == Path("."):
        return path.as_posix()
    return path.relative_to(root).as_posix() if root in path.parents else None


def _renamed(problem: ContentProblem, folder: Path, shown_as: Path) -> ContentProblem:
    """A problem with its file named as in the upload instead of the temporary folder."""
    try:
        relative = problem.path.relative_to(folder)
    except ValueError:
        return dataclasses.replace(problem, path=shown_as)
    return dataclasses.replace(problem, path=shown_as / relative)


class _Uncached(CatalogCache):
    """No cache: an upload's temporary folder is checked once and never seen again."""

    def __init__(self) -> None:
        super().__init__(Path())

    def checked(self, paths: Sequence[Path], check: Callable[[Sequence[Path]], Checked]) -> Checked:
        """Check the paths, keeping nothing."""
        return check(paths)


_UNCACHED = _Uncached()
