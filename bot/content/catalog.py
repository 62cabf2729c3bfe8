"""Loaded courses: skills as a prerequisite DAG and exercises by id."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bot.content.models import BktParams, Exercise, Skill
from bot.learning.bkt import BktParamsLike


@dataclass(frozen=True)
class Course:
    """One course, validated."""

    id: str
    title: str
    description: str
    desired_retention: float
    placement: bool
    skills: dict[str, Skill]
    exercises: dict[str, Exercise]
    folder: Path
    language: str = "en"  # the learners' language, read by grading (course.yaml `language`)
    # The id its author gave an uploaded course, which people see and type; `id` is then the
    # tutor's own id for it, unique to its server or workspace (see `course_catalog`).
    given_id: str = ""

    @property
    def shown_id(self) -> str:
        """The id people see and type: the author's own for an uploaded course."""
        return self.given_id or self.id

    def skill_order(self) -> list[str]:
        """Return skill ids with every prerequisite before the skills that need it."""
        order: list[str] = []
        done: set[str] = set()
        # Iterative depth-first search: a long prerequisite chain cannot exhaust the stack.
        for root in self.skills:
            if root in done:
                continue
            done.add(root)
            stack = [(root, iter(self.skills[root].prerequisites))]
            while stack:
                skill_id, pending = stack[-1]
                prerequisite = next(pending, None)
                if prerequisite is None:
                    order.append(skill_id)
                    stack.pop()
                elif prerequisite not in done:
                    done.add(prerequisite)
                    stack.append((prerequisite, iter(self.skills[prerequisite].prerequisites)))
        return order

    def exercises_for(self, skill_id: str) -> list[Exercise]:
        """Return the exercises that practise one skill, in file order."""
        return [e for e in self.exercises.values() if e.skill == skill_id]

    def bkt_for(
        self, skill_id: str, fitted: Mapping[str, BktParamsLike] | None = None
    ) -> BktParamsLike:
        """Return a skill's knowledge-tracing parameters.

        Those fitted from the deployment's logs when ``fitted`` has the skill; otherwise the
        course's own (the defaults if the course sets none), the prior until then.
        """
        if fitted is not None and skill_id in fitted:
            return fitted[skill_id]
        return self.skills[skill_id].bkt or BktParams()


@dataclass(frozen=True)
class Catalog:
    """Every course that was loaded, by id."""

    courses: dict[str, Course] = field(default_factory=dict)

    def get(self, course_id: str) -> Course | None:
        """Return the course with this id, if there is one."""
        return self.courses.get(course_id)

    @property
    def skill_count(self) -> int:
        """Count skills across courses."""
        return sum(len(c.skills) for c in self.courses.values())

    @property
    def exercise_count(self) -> int:
        """Count exercises across courses."""
        return sum(len(c.exercises) for c in self.courses.values())
