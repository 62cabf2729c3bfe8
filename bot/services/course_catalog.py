"""The tutor's catalog: the installed courses, and the uploaded ones under ids of their own.

An uploaded course runs under `uploaded_id`: the author's id, a `~` (never in an author's
id, so never an installed course's) and a tag of its server or workspace and that id. The
tag is a hash, so every process computes the same id, and each new version of a course in
the same place keeps it: progress, keyed by course id and exercise id, stays on unchanged
exercises and never mixes with a course of the same name uploaded in another place.

`LiveCatalog.courses` holds the installed courses only, so nothing that lists a catalog ever
lists another place's course; `get` also finds the uploaded courses this process has read,
for the dialogues that run them. Who may list or start one is `course_access`'s rule.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import threading
from collections.abc import Iterable, Mapping
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from pydantic import TypeAdapter
from sqlalchemy.orm import Session

from bot.content.catalog import Catalog, Course
from bot.store import course_uploads as upload_store
from bot.store import course_visibility as visibility_store
from bot.store.course_uploads import UploadRow

__all__ = ["SEPARATOR", "LiveCatalog", "is_uploaded_id", "uploaded_id"]

log = logging.getLogger(__name__)

SEPARATOR = "~"
MAX_ID = 64  # the course_id columns
TAG_CHARS = 10  # 50 bits of hash: a collision between two places' courses is out of reach
GIVEN_CHARS = MAX_ID - len(SEPARATOR) - TAG_CHARS


def uploaded_id(platform: str, workspace_id: str, given_id: str) -> str:
    """The tutor's id of a course uploaded in a place: stable across its versions."""
    key = f"{platform}\n{workspace_id}\n{given_id}".encode()
    digest = base64.b32encode(hashlib.sha256(key).digest()).decode("ascii").lower()
    # A long author id is cut; the tag hashes the whole of it, so two cut ids still differ.
    return f"{given_id[:GIVEN_CHARS]}{SEPARATOR}{digest[:TAG_CHARS]}"


def is_uploaded_id(course_id: str) -> bool:
    """Tell whether a course id is the tutor's id of an uploaded course."""
    return SEPARATOR in course_id


class LiveCatalog(Catalog):
    """Installed courses (listed) and uploaded ones (found by id), kept current in-process."""

    def __init__(self, installed: Catalog) -> None:
        super().__init__(installed.courses)
        self.installed = installed
        self._lock = threading.Lock()
        # Swapped whole under the lock, never changed in place: readers in the database
        # thread and on the event loop always see a complete mapping.
        self._uploaded: dict[str, tuple[int, Course]] = {}

    def get(self, course_id: str) -> Course | None:
        """The installed course with this id, or the uploaded course this process has read."""
        found = self.courses.get(course_id)
        if found is not None or not is_uploaded_id(course_id):
            return found
        entry = self._uploaded.get(course_id)
        return entry[1] if entry is not None else None

    def add_version(self, platform: str, workspace_id: str, course: Course, row_id: int) -> None:
        """Run a version just stored (the shelf calls this once the upload committed)."""
        self._publish({row_id: _running(platform, workspace_id, course)})

    def load_all(self, session: Session) -> None:
        """Read the newest version of every uploaded course (at start)."""
        self.refresh(session, visibility_store.all_current(session))

    def fetch(self, session: Session, course_id: str) -> Course | None:
        """Read an uploaded course this process has not met (another process stored it)."""
        if not is_uploaded_id(course_id):
            return None
        given = course_id.split(SEPARATOR, 1)[0]
        rows = visibility_store.current_named(session, given)
        self.refresh(session, [r for r in rows if _id_of(r) == course_id])
        return self.get(course_id)

    def refresh(self, session: Session, rows: Iterable[UploadRow]) -> None:
        """Read the versions among `rows` newer than the ones this process runs."""
        wanted = {r.id: r for r in rows if self._loaded_row(_id_of(r)) < r.id}
        if not wanted:
            return
        stored = upload_store.uploads_by_id(session, list(wanted))
        courses = {}
        for row_id, upload in stored.items():
            course = _read_course(row_id, upload.course)
            if course is not None:
                courses[row_id] = _running(upload.platform, upload.workspace_id, course)
        self._publish(courses)

    def view(self, session: Session, rows: Iterable[UploadRow]) -> Catalog:
        """A catalog of the installed courses and the uploaded ones of `rows` (read if new)."""
        rows = list(rows)
        self.refresh(session, rows)
        courses = dict(self.courses)
        for row in rows:
            course = self.get(_id_of(row))
            if course is not None:
                courses.setdefault(course.id, course)
        return Catalog(courses)

    def _loaded_row(self, course_id: str) -> int:
        """The stored row of the version this process runs (0: none)."""
        entry = self._uploaded.get(course_id)
        return entry[0] if entry is not None else 0

    def _publish(self, courses: Mapping[int, Course]) -> None:
        """Run these versions (by row id) unless a newer one of the same course is running."""
        with self._lock:
            merged = dict(self._uploaded)
            for row_id, course in courses.items():
                if merged.get(course.id, (0, course))[0] <= row_id:
                    merged[course.id] = (row_id, course)
            self._uploaded = merged


def _id_of(row: UploadRow) -> str:
    """The tutor's id of the course of an upload row."""
    return uploaded_id(row.platform, row.workspace_id, row.course_id)


def _running(platform: str, workspace_id: str, course: Course) -> Course:
    """A checked course as the tutor runs it: under its id for the place, shown as given."""
    given = course.given_id or course.id
    return replace(
        course,
        id=uploaded_id(platform, workspace_id, given),
        given_id=given,
        folder=Path(given),
    )


@lru_cache(maxsize=1)
def _course_adapter() -> TypeAdapter[Course]:
    """The validator of a stored course, built once."""
    return TypeAdapter(Course)


def _read_course(row_id: int, text: str) -> Course | None:
    """Read a stored course, validated by the content models; a bad row is left out."""
    try:
        return _course_adapter().validate_json(text)
    except ValueError:
        log.exception("the stored course upload %s cannot be read: left out", row_id)
        return None
