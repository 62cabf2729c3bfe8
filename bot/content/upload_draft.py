"""The course files of a parsed worksheet: course.yaml, and one file of exercises per skill.

Ids are made from the words they name (a skill's heading, a question's first words), so
a worksheet imported again after an edit keeps the ids of the questions it kept, and
learners' progress on them (progress is keyed by course id and exercise id).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.content.upload_exercises import exercise_data, yaml_text

if TYPE_CHECKING:
    from bot.content.worksheet_import import Worksheet

__all__ = ["DraftCourse", "draft_course", "slug"]

ID_CHARS = 40
MAX_PROMPT_CHARS = 4000
MAX_TITLE_CHARS = 100


@dataclass(frozen=True)
class DraftCourse:
    """A draft course: file names (relative to its folder) and their text, and what was guessed."""

    course_id: str
    files: dict[str, str]
    notes: tuple[str, ...]
    skills: int
    exercises: int


def slug(text: str, limit: int = ID_CHARS) -> str:
    """An id from words: lowercase letters, digits and dashes, cut at a word's end."""
    plain = unicodedata.normalize("NFKD", text.casefold().replace("'", ""))
    words = re.findall(r"[a-z0-9]+", plain.encode("ascii", "ignore").decode("ascii"))
    out = ""
    for word in words:
        joined = f"{out}-{word}" if out else word
        if len(joined) > limit:
            break
        out = joined
    return out or (words[0][:limit] if words else "")


def draft_course(sheet: Worksheet, course_id: str = "") -> DraftCourse:
    """Build the course files of a parsed worksheet: course.yaml and one file per skill."""
    course_id = slug(course_id or sheet.title, 64) or "worksheet"
    notes: list[str] = []
    skills: list[dict[str, object]] = []
    files: dict[str, str] = {}
    taken_skills: set[str] = set()
    taken_exercises: set[str] = set()
    count = 0
    for index, section in enumerate(sheet.sections, 1):
        title = section.title or (sheet.title if len(sheet.sections) == 1 else f"Part {index}")
        skill_id = _unique(slug(title) or f"part-{index}", taken_skills)
        skill: dict[str, object] = {"id": skill_id, "title": title[:MAX_TITLE_CHARS]}
        if skills:
            skill["prerequisites"] = [skills[-1]["id"]]
        skills.append(skill)
        exercises = []
        for question in section.questions:
            first_line = question.text.partition("\n")[0]
            exercise_id = _unique(slug(first_line) or f"{skill_id}-q", taken_exercises)
            data, note = exercise_data(
                exercise_id,
                skill_id,
                question.text,
                question.answer,
                question.choices,
                MAX_PROMPT_CHARS,
            )
            exercises.append(data)
            if note:
                notes.append(f"line {question.line}: {note}")
            count += 1
        files[f"{index:02d}-{skill_id}.yaml"] = yaml_text(
            {"exercises": exercises}, f"Skill {title!r}: {len(exercises)} exercise(s)."
        )
    header = {
        "id": course_id,
        "title": sheet.title,
        "description": sheet.description or f"Practice made from the worksheet {sheet.title}.",
        "placement": False,
        "skills": skills,
    }
    files["course.yaml"] = yaml_text(header, "A draft made from a worksheet: review it.")
    return DraftCourse(course_id, files, tuple(notes), len(skills), count)


def _unique(wanted: str, taken: set[str]) -> str:
    """The id itself, or with a number added when it is taken."""
    candidate, number = wanted, 2
    while candidate in taken:
        candidate = f"{wanted[: ID_CHARS - 4]}-{number}"
        number += 1
    taken.add(candidate)
    return candidate
