"""Courses uploaded by creators: every version, stored for one server or workspace.

A row is one checked version of one course in one place (`platform`, `workspace_id`);
the newest version is the one learners there see. The course belongs to the place, not
to the person who uploaded it: their `forget` empties `uploaded_by` (ON DELETE SET NULL)
and the course stays for the place's learners. Learners' progress is keyed by course id
and exercise id, never by a version, so a new version keeps it on unchanged exercises.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Integer, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.store.models import _when

__all__ = ["CourseUpload"]


class CourseUpload(SQLModel, table=True):
    """One checked version of an uploaded course: its files and the course they load as."""

    __tablename__ = "course_uploads"
    __table_args__ = (
        # Also the index every read of a place's courses uses (its leading columns).
        UniqueConstraint(
            "platform", "workspace_id", "course_id", "version", name="uq_course_uploads_version"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    workspace_id: str = Field(max_length=64)
    course_id: str = Field(max_length=64)
    version: int
    # {"course.yaml": "...", "more.yaml": "..."}: the files as checked, names relative to
    # the course folder, so a creator can download and edit what is running.
    files: str = Field(sa_column=Column(Text, nullable=False))
    # The checked course as JSON (validated by the content models on read), so loading it
    # never runs the checks again.
    course: str = Field(sa_column=Column(Text, nullable=False))
    uploaded_by: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True
        ),
    )
    uploaded_at: datetime = _when()
