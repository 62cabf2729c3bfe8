"""Who may list and start which course: uploaded courses only where they belong.

Everyone sees the installed courses. An uploaded course is seen by the people of its
server or workspace, that is the members and staff of a cohort there, and by whoever
uploaded it; to anyone else it does not exist ("I don't know a course called …"). The
rule is read in the store with the person's own id (`course_visibility`), in two queries
whatever the number of places, and applies to a `LiveCatalog`; a plain catalog (a test's,
or a tool's) is shown whole, as it always was.
"""

from __future__ import annotations

from collections import Counter

from sqlalchemy.orm import Session

from bot.content.catalog import Catalog, Course
from bot.services.course_catalog import LiveCatalog, is_uploaded_id
from bot.services.course_lookup import find_course
from bot.store import course_uploads as upload_store
from bot.store import course_visibility as visibility_store
from bot.store import users as user_store
from bot.store.dialogues import OpenDialogue

__all__ = [
    "course_for_place",
    "ensure_courses",
    "matching_courses",
    "place_choices",
    "shown_to",
    "shown_to_person",
]


def shown_to(session: Session, catalog: Catalog, user_id: int | None) -> Catalog:
    """The courses a stored person (by user id) may list and start."""
    if not isinstance(catalog, LiveCatalog):
        return catalog
    if user_id is None:
        return catalog.installed
    return catalog.view(session, visibility_store.visible_current(session, user_id))


def shown_to_person(session: Session, catalog: Catalog, platform: str, user_id: str) -> Catalog:
    """The courses a person (by platform id) may list and start; installed ones if unknown."""
    user = user_store.get_user(session, platform, user_id)
    return shown_to(session, catalog, user.id if user is not None else None)


def course_for_place(
    session: Session, catalog: Catalog, platform: str, workspace_id: str, typed: str
) -> tuple[Course | None, list[Course]]:
    """The course `typed` names among those installed and those uploaded in one place."""
    return find_course(_place_view(session, catalog, platform, workspace_id), typed)


def place_choices(
    session: Session, catalog: Catalog, platform: str, workspace_id: str, prefix: str = ""
) -> list[tuple[str, str]]:
    """(what to type, title) of the courses a cohort in one place can run (autocomplete)."""
    return matching_courses(_place_view(session, catalog, platform, workspace_id), prefix)


def ensure_courses(session: Session, catalog: Catalog, *wanted: OpenDialogue | str | None) -> None:
    """Read the uploaded courses (or newer versions) this process has not met yet.

    `wanted` holds course ids, or open dialogues whose exercise must be in the version read:
    another process may have stored the course, or a version with that exercise, since this
    one read it, so the store is asked before the exercise is taken as removed.
    """
    if not isinstance(catalog, LiveCatalog):
        return
    for item in wanted:
        course_id = item.course_id if isinstance(item, OpenDialogue) else item
        if not course_id or not is_uploaded_id(course_id):
            continue
        course = catalog.get(course_id)
        if course is None or (
            isinstance(item, OpenDialogue) and item.exercise_id not in course.exercises
        ):
            catalog.fetch(session, course_id)


def matching_courses(catalog: Catalog, prefix: str = "", limit: int = 25) -> list[tuple[str, str]]:
    """(what to type, title) of courses whose id or title contains `prefix`."""
    needle = prefix.strip().lower()
    courses = list(catalog.courses.values())
    # The author's id starts a course, unless two courses shown share it: then the tutor's.
    shared = Counter(c.shown_id for c in courses)
    found = [
        (c.shown_id if shared[c.shown_id] == 1 else c.id, c.title)
        for c in courses
        if needle in c.shown_id or needle in c.id or needle in c.title.lower()
    ]
    return found[:limit]


def _place_view(session: Session, catalog: Catalog, platform: str, workspace_id: str) -> Catalog:
    """The installed courses and those uploaded in one place."""
    if not isinstance(catalog, LiveCatalog):
        return catalog
    return catalog.view(session, upload_store.current_versions(session, [(platform, workspace_id)]))
