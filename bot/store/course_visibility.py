"""Which uploaded courses a person may see, and the newest versions the tutor runs.

A person sees the courses uploaded in a place (a server or workspace) where they are a
current member or staff of a cohort, and the courses they uploaded themselves. Nothing
else: a course uploaded in another place is never read on their behalf. Every function
here runs a fixed number of queries, whatever the number of places or courses.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, literal, or_, select, union_all
from sqlalchemy.orm import Session
from sqlmodel import col

from bot.store.cohort_models import Cohort, CohortMember, CohortStaff
from bot.store.course_uploads import UploadRow, newest_versions
from bot.store.upload_models import CourseUpload

__all__ = ["all_current", "current_named", "visible_current"]


def visible_current(session: Session, user_id: int) -> list[UploadRow]:
    """The newest version of every uploaded course the person may see (two queries)."""
    places: set[tuple[str, str]] = set()
    uploaded: set[tuple[str, str, str]] = set()
    for platform, workspace_id, course_id in session.execute(_belongings(user_id)):
        if course_id:
            uploaded.add((platform, workspace_id, course_id))
        else:
            places.add((platform, workspace_id))
    conditions = [
        and_(col(CourseUpload.platform) == p, col(CourseUpload.workspace_id) == w)
        for p, w in sorted(places)
    ]
    conditions += [
        and_(
            col(CourseUpload.platform) == p,
            col(CourseUpload.workspace_id) == w,
            col(CourseUpload.course_id) == c,
        )
        for p, w, c in sorted(uploaded)
        if (p, w) not in places
    ]
    if not conditions:
        return []
    return _newest(session, or_(*conditions))


def current_named(session: Session, given_prefix: str) -> list[UploadRow]:
    """The newest versions, in every place, of the courses whose id starts with a prefix."""
    return _newest(session, col(CourseUpload.course_id).startswith(given_prefix, autoescape=True))


def all_current(session: Session) -> list[UploadRow]:
    """The newest version of every course uploaded anywhere (what a tutor process runs)."""
    return _newest(session, None)


def _belongings(user_id: int) -> Any:
    """Rows (platform, workspace, '') of the person's cohort places, and (…, course) uploaded."""
    as_member = (
        select(col(Cohort.platform), col(Cohort.workspace_id), literal("").label("course_id"))
        .join(CohortMember, col(CohortMember.cohort_id) == col(Cohort.id))
        .where(col(CohortMember.user_id) == user_id, col(CohortMember.left_at).is_(None))
    )
    as_staff = (
        select(col(Cohort.platform), col(Cohort.workspace_id), literal("").label("course_id"))
        .join(CohortStaff, col(CohortStaff.cohort_id) == col(Cohort.id))
        .where(col(CohortStaff.user_id) == user_id)
    )
    as_uploader = select(
        col(CourseUpload.platform), col(CourseUpload.workspace_id), col(CourseUpload.course_id)
    ).where(col(CourseUpload.uploaded_by) == user_id)
    return union_all(as_member, as_staff, as_uploader)


def _newest(session: Session, condition: Any) -> list[UploadRow]:
    """The newest version of each course in one place whose rows meet `condition`."""
    return newest_versions(session, condition)
