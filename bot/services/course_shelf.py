"""Courses creators upload in a DM, stored for their server or workspace only.

`upload` checks the files with the one content checker and answers with the same
`file:line` report `tutor content check` prints; a valid course is stored as the next
version for that place, a worksheet comes back as a draft to review (never stored).
`catalog_for` lists the installed courses and the newest version of each course uploaded
in some places, under the authors' ids. The tutor runs uploaded courses under ids of their
place (`course_catalog.LiveCatalog`, told of each stored version through `on_stored`), and
`course_access` decides who sees them. Progress is keyed by course id and exercise id, so
a new version keeps learners' work on every exercise it still has.
"""

from __future__ import annotations

import asyncio
import io
import json
import logging
import zipfile
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from pydantic import TypeAdapter
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.content.catalog import Catalog, Course
from bot.content.uploads import UploadCheck, UploadedFile, check_upload, is_worksheet
from bot.services.messages import Attachment, Person, Reply, clean_id
from bot.services.worksheet_drafting import ExerciseDrafter, drafted_upload
from bot.store import course_uploads as upload_store
from bot.store import users as user_store
from bot.store.db import Database
from bot.store.types import utc_now

__all__ = ["CourseShelf", "ShelfCourse", "ShelfScope", "UploadedFile"]

log = logging.getLogger(__name__)

MEMO_SIZE = 256  # checked courses kept in memory, by stored version
RACE = "Someone uploaded this course at the same moment: upload it again."


@dataclass(frozen=True)
class ShelfScope:
    """A place courses are uploaded for: a Discord server or a Slack workspace."""

    platform: str
    workspace_id: str

    def __post_init__(self) -> None:
        """Normalise the id as every other platform id is."""
        object.__setattr__(self, "workspace_id", clean_id(self.workspace_id))


@dataclass(frozen=True)
class ShelfCourse:
    """One uploaded course as its place lists it: the newest version."""

    course_id: str
    title: str
    version: int
    uploaded_at: datetime


class CourseShelf:
    """Uploaded courses over one database, beside the courses installed as files."""

    def __init__(
        self,
        database: Database,
        installed: Catalog,
        *,
        clock: Callable[[], datetime] = utc_now,
        user_defaults: user_store.UserDefaults | None = None,
        on_stored: Callable[[str, str, Course, int], None] | None = None,
        drafter: ExerciseDrafter | None = None,
    ) -> None:
        self.database = database
        self.installed = installed
        # Told (platform, workspace, course, row id) of each version stored: the tutor's
        # catalog runs it at once (`LiveCatalog.add_version`).
        self.on_stored = on_stored
        # With a model, a worksheet's draft takes its proposals (each one checked).
        self.drafter = drafter
        self.clock = clock
        self.user_defaults = user_defaults or user_store.UserDefaults()
        self._memo: OrderedDict[int, Course] = OrderedDict()

    async def upload(
        self, person: Person, scope: ShelfScope, files: Sequence[UploadedFile]
    ) -> Reply:
        """Check uploaded files; store a valid course for the place, or say what to fix."""
        if person.platform != scope.platform:
            return Reply("Upload the course from the platform it is for.")
        if self.drafter is not None and is_worksheet(files):
            drafted = await drafted_upload(files[0], self.drafter)
            return await asyncio.to_thread(_draft_reply, drafted)
        check = await asyncio.to_thread(check_upload, list(files))
        if check.draft:
            return await asyncio.to_thread(_draft_reply, check)
        report = check.report()
        if not check.ok or check.course is None:
            return Reply(f"{report}\nFix these and upload the course again; nothing was stored.")
        course = check.course
        if course.id in self.installed.courses:
            return Reply(
                f"{report}\nThe id {course.id!r} is taken by a course installed on this "
                "tutor: give yours another `id` in course.yaml and upload it again."
            )
        files_json, course_json = await asyncio.to_thread(_stored_text, check, course)

        def store(session: Session) -> tuple[int, int]:
            user = user_store.get_or_create_user(
                session, person.platform, person.user_id, person.display_name, self.user_defaults
            )
            if user.consent_at is None:  # uploading is acting on purpose, as a coach does
                user_store.record_consent(session, user, self.clock())
            session.flush()
            row = upload_store.add_version(
                session,
                platform=scope.platform,
                workspace_id=scope.workspace_id,
                course_id=course.id,
                files=files_json,
                course=course_json,
                uploaded_by=user.id,
                now=self.clock(),
            )
            return row.id or 0, row.version

        try:
            row_id, version = await self.database.run(store)
        except IntegrityError:
            return Reply(RACE)
        if self.on_stored is not None:
            self.on_stored(scope.platform, scope.workspace_id, course, row_id)
        return Reply(
            f"{report}\nStored version {version} of {course.title} ({course.id}) for this "
            f"server only. Learners here start it with `start {course.id}`; their progress on "
            "exercises a later version keeps is kept."
        )

    async def courses_for(self, scope: ShelfScope) -> list[ShelfCourse]:
        """The courses uploaded in one place, newest versions, by course id."""
        catalog_rows = await self._current([scope])
        return [
            ShelfCourse(row.course_id, course.title, row.version, row.uploaded_at)
            for row, course in catalog_rows
        ]

    async def catalog_for(self, scopes: Sequence[ShelfScope]) -> Catalog:
        """The installed courses and those uploaded in these places (others never show)."""
        courses = dict(self.installed.courses)
        for row, course in await self._current(scopes):
            if course.id in courses:
                # Installed courses win; of two places, the first named wins.
                log.warning("uploaded course %s in %s is hidden: its id is taken", course.id, row)
                continue
            courses[course.id] = course
        return Catalog(courses)

    async def _current(
        self, scopes: Sequence[ShelfScope]
    ) -> list[tuple[upload_store.UploadRow, Course]]:
        """The newest version of each course in these places, with its checked course."""
        places = [(s.platform, s.workspace_id) for s in scopes]
        order = {place: index for index, place in enumerate(places)}
        rows = await self.database.run(upload_store.current_versions, places)
        rows.sort(key=lambda r: (order[(r.platform, r.workspace_id)], r.course_id))
        missing = [r.id for r in rows if r.id not in self._memo]
        if missing:
            stored = await self.database.run(upload_store.uploads_by_id, missing)
            texts = {i: row.course for i, row in stored.items()}
            loaded = await asyncio.to_thread(_load_courses, texts)
            for row_id, course in loaded.items():
                self._memo[row_id] = course
        found = []
        for row in rows:
            if row.id in self._memo:
                self._memo.move_to_end(row.id)
                found.append((row, self._memo[row.id]))
        while len(self._memo) > MEMO_SIZE:
            self._memo.popitem(last=False)
        return found


@lru_cache(maxsize=1)
def _course_adapter() -> TypeAdapter[Course]:
    """The validator of a stored course, built once."""
    return TypeAdapter(Course)


def _stored_text(check: UploadCheck, course: Course) -> tuple[str, str]:
    """The files and the checked course of an upload, as the JSON texts stored."""
    stored = replace(course, folder=Path(course.id))
    body = _course_adapter().dump_json(stored).decode("utf-8")
    return json.dumps(check.files, ensure_ascii=False, sort_keys=True), body


def _load_courses(texts: dict[int, str]) -> dict[int, Course]:
    """Read stored courses, validated by the content models; a bad row is left out."""
    loaded = {}
    for row_id, text in texts.items():
        try:
            loaded[row_id] = _course_adapter().validate_json(text)
        except ValueError:
            log.exception("the stored course upload %s cannot be read: left out", row_id)
    return loaded


def _draft_reply(check: UploadCheck) -> Reply:
    """A worksheet's draft course, attached as a zip to review, and how to publish it."""
    if check.course is None:
        return Reply(f"{check.report()}\nNo draft was made; nothing was stored.")
    course = check.course
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in sorted(check.files.items()):
            archive.writestr(f"{course.id}/{name}", text)
    notes = "".join(f"\n  note, {note}" for note in check.notes)
    text = (
        f"I turned your worksheet into a draft course, {course.title} ({course.id}): "
        f"{len(course.skills)} skill(s), {len(course.exercises)} exercise(s).{notes}\n"
        f"{check.report()}\nIt is not published. Review the prompts, criteria and hints in "
        "the attached zip, then upload the zip to store the course for this server."
    )
    attachment = Attachment(f"{course.id}.zip", buffer.getvalue(), "application/zip")
    return Reply(text, attachments=(attachment,))
