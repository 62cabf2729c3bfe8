"""Repository functions for uploaded courses; every read names the places it is for.

A place is a platform and a workspace (a Discord server, a Slack workspace). No function
here returns a row of a place the caller did not name: that is how another server never
sees a course uploaded in this one.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session
from sqlmodel import col

from bot.store.upload_models import CourseUpload

__all__ = [
    "UploadRow",
    "add_version",
    "current_versions",
    "latest_version",
    "newest_versions",
    "uploads_by_id",
]


class UploadRow(NamedTuple):
    """The newest version of one course in one place, without its (large) text."""

    id: int
    platform: str
    workspace_id: str
    course_id: str
    version: int
    uploaded_at: datetime


def latest_version(session: Session, platform: str, workspace_id: str, course_id: str) -> int:
    """The newest version number of a course in a place (0 when it was never uploaded)."""
    found = session.execute(
        select(func.max(col(CourseUpload.version))).where(
            col(CourseUpload.platform) == platform,
            col(CourseUpload.workspace_id) == workspace_id,
            col(CourseUpload.course_id) == course_id,
        )
    ).scalar_one_or_none()
    return int(found or 0)


def add_version(
    session: Session,
    *,
    platform: str,
    workspace_id: str,
    course_id: str,
    files: str,
    course: str,
    uploaded_by: int | None,
    now: datetime,
) -> CourseUpload:
    """Store the next version of a course in a place; the unique key refuses a race."""
    version = latest_version(session, platform, workspace_id, course_id) + 1
    row = CourseUpload(
        platform=platform,
        workspace_id=workspace_id,
        course_id=course_id,
        version=version,
        files=files,
        course=course,
        uploaded_by=uploaded_by,
        uploaded_at=now,
    )
    session.add(row)
    session.flush()
    return row


def current_versions(session: Session, places: Sequence[tuple[str, str]]) -> list[UploadRow]:
    """The newest version of every course uploaded in the given places, by course id."""
    if not places:
        return []
    where = or_(
        *(
            and_(col(CourseUpload.platform) == p, col(CourseUpload.workspace_id) == w)
            for p, w in places
        )
    )
    return newest_versions(session, where)


def newest_versions(session: Session, condition: Any) -> list[UploadRow]:
    """The newest version of each course in its place, of the rows that meet `condition`
    (None: every row), ordered by place and course."""
    grouped = select(
        col(CourseUpload.platform),
        col(CourseUpload.workspace_id),
        col(CourseUpload.course_id),
        func.max(col(CourseUpload.version)).label("version"),
    )
    if condition is not None:
        grouped = grouped.where(condition)
    newest = grouped.group_by(
        col(CourseUpload.platform), col(CourseUpload.workspace_id), col(CourseUpload.course_id)
    ).subquery()
    rows = session.execute(
        select(
            col(CourseUpload.id),
            col(CourseUpload.platform),
            col(CourseUpload.workspace_id),
            col(CourseUpload.course_id),
            col(CourseUpload.version),
            col(CourseUpload.uploaded_at),
        )
        .join(
            newest,
            and_(
                col(CourseUpload.platform) == newest.c.platform,
                col(CourseUpload.workspace_id) == newest.c.workspace_id,
                col(CourseUpload.course_id) == newest.c.course_id,
                col(CourseUpload.version) == newest.c.version,
            ),
        )
        .order_by(
            col(CourseUpload.platform), col(CourseUpload.workspace_id), col(CourseUpload.course_id)
        )
    )
    return [
        UploadRow(int(r.id or 0), r.platform, r.workspace_id, r.course_id, r.version, r.uploaded_at)
        for r in rows
    ]


def uploads_by_id(session: Session, ids: Sequence[int]) -> dict[int, CourseUpload]:
    """Read whole rows (their files and course) by id."""
    if not ids:
        return {}
    rows = session.execute(select(CourseUpload).where(col(CourseUpload.id).in_(list(ids))))
    return {row.id: row for row in rows.scalars() if row.id is not None}
