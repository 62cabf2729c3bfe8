"""A model's proposals merged into a worksheet's draft course, each only if it checks.

The offline import (`bot.content.worksheet_import`) guesses a reflection's criteria from
how its question is asked and gives a problem a generic hint ladder. With a model, each
question (the first `MAX_QUESTIONS`, `CONCURRENCY` at a time) is offered to it once: a
reflection may get its criteria and probes, a problem its nudge, its specific hint and
misconceptions. A hint or misconception question that would give the answer away is
dropped first; the rest is kept only if the exercise then passes the same checks as
`tutor content check` (the content models, the variant and leak checks, one question per
message), else that question keeps the offline guess. A failed call does the same. The
result is still a draft for the creator to review: nothing is published here.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

import yaml
from pydantic import TypeAdapter, ValidationError

from bot.content.models import Exercise
from bot.content.upload_draft import DraftCourse
from bot.content.upload_exercises import yaml_text
from bot.content.uploads import UploadCheck, UploadedFile, check_folder
from bot.content.worksheet_import import (
    WorksheetError,
    import_worksheet,
    title_from_filename,
    worksheet_text,
)
from bot.errors import ContentProblem

if TYPE_CHECKING:
    from bot.llm.drafting import DraftCriterion, DraftProposal

__all__ = [
    "CONCURRENCY",
    "DRAFT_SECONDS",
    "MAX_QUESTIONS",
    "DraftedCourse",
    "ExerciseDrafter",
    "drafted_upload",
    "merged_exercise",
    "proposed_draft",
]

log = logging.getLogger(__name__)

MAX_QUESTIONS = 60  # offered to the model; the rest keep the offline guesses
CONCURRENCY = 4
# A creator waits for the draft: past this, the questions not yet answered keep the guesses.
DRAFT_SECONDS = 180.0
MAX_CRITERIA = 3
MAX_MISCONCEPTIONS = 3
_COURSE_FILE = "course.yaml"
# The fields each criterion check takes besides its label and probe.
_CHECK_FIELDS = {"min_words": ("min",), "min_items": ("min",), "keywords": ("min", "any")}


class ExerciseDrafter(Protocol):
    """What proposes a question's criteria, hints and misconceptions (`ModelDrafter`)."""

    async def propose(
        self, kind: Literal["reflection", "problem"], question: str, answer: str
    ) -> DraftProposal | None:
        """Return a proposal for one question, or None when the model failed."""
        ...

    def turned_down(self) -> None:
        """Count a proposal the content checks refused."""
        ...


@dataclass(frozen=True)
class DraftedCourse:
    """The draft with what the model proposed merged in, and how many questions took it."""

    draft: DraftCourse
    proposed: int  # exercises that now hold the model's proposal
    offered: int  # questions the model was asked about


async def proposed_draft(
    draft: DraftCourse,
    drafter: ExerciseDrafter | None,
    *,
    limit: int = MAX_QUESTIONS,
    concurrency: int = CONCURRENCY,
    seconds: float = DRAFT_SECONDS,
) -> DraftedCourse:
    """Offer each question of a draft to the model; merge each proposal that checks.

    A question the model has not answered within `seconds` of the start keeps its guess.
    """
    if drafter is None:
        return DraftedCourse(draft, 0, 0)
    deadline = asyncio.get_running_loop().time() + seconds
    files = await asyncio.to_thread(_exercise_files, draft)
    slots = [(name, i) for name, data in files.items() for i in range(len(data["exercises"]))]
    offered = slots[:limit]
    gate = asyncio.Semaphore(concurrency)

    async def draft_one(name: str, index: int) -> dict[str, Any] | None:
        exercise = files[name]["exercises"][index]
        kind: Literal["reflection", "problem"] = (
            "problem" if exercise.get("kind") == "problem" else "reflection"
        )
        async with gate:
            try:
                async with asyncio.timeout_at(deadline):
                    proposal = await drafter.propose(
                        kind, exercise["prompt"], str(exercise.get("answer", ""))
                    )
            except TimeoutError:
                return None
            except Exception:
                log.exception("proposing a draft exercise failed; its offline guess stays")
                return None
        if proposal is None:
            return None
        merged = await asyncio.to_thread(merged_exercise, exercise, proposal)
        if merged is None:
            drafter.turned_down()
        return merged

    answers = await asyncio.gather(*(draft_one(name, i) for name, i in offered))
    changed: set[str] = set()
    for (name, index), merged in zip(offered, answers, strict=True):
        if merged is not None:
            files[name]["exercises"][index] = merged
            changed.add(name)
    texts = dict(draft.files)
    for name in changed:
        texts[name] = yaml_text(files[name], _comment(draft.files[name]))
    proposed = sum(merged is not None for merged in answers)
    notes = [*draft.notes]
    if proposed:
        notes.append(
            f"the model proposed criteria, probes, hints or misconceptions for {proposed} of "
            f"{len(slots)} question(s): it is a draft, review them before you publish it."
        )
    elif offered:
        notes.append(
            "the model proposed nothing usable (its calls failed, or the checks refused what "
            "it proposed): every question keeps the guessed criteria and hints."
        )
    if len(slots) > limit:
        notes.append(
            f"only the first {limit} questions were offered to the model; "
            "the others keep the guessed criteria and hints."
        )
    drafted = dataclasses.replace(draft, files=texts, notes=tuple(notes))
    return DraftedCourse(drafted, proposed, len(offered))


def merged_exercise(exercise: dict[str, Any], proposal: DraftProposal) -> dict[str, Any] | None:
    """The exercise with the proposal in it, or None when nothing usable passes the checks."""
    if exercise.get("kind") == "problem":
        merged = _merged_problem(exercise, proposal)
    else:
        criteria = [_criterion(c) for c in proposal.criteria[:MAX_CRITERIA]]
        merged = {**exercise, "criteria": criteria} if criteria else None
    if merged is None or merged == exercise or not _passes_checks(merged):
        return None
    return merged


def _criterion(proposed: DraftCriterion) -> dict[str, Any]:
    """A proposed criterion in the course format (the content models judge it)."""
    check = proposed.check.strip()
    data: dict[str, Any] = {"check": check}
    wanted = _CHECK_FIELDS.get(check, ())
    if "min" in wanted and proposed.min is not None:
        data["min"] = proposed.min
    if "any" in wanted:
        data["any"] = [w.strip() for w in proposed.words if w.strip()]
    if proposed.label.strip():
        data["label"] = proposed.label.strip()
    if proposed.probe.strip():
        data["probe"] = proposed.probe.strip()
    return data


def _merged_problem(exercise: dict[str, Any], proposal: DraftProposal) -> dict[str, Any] | None:
    """A problem with the proposed hints and misconceptions that do not give the answer away."""
    # imported here: the leak check loads sympy, which a shelf without a model never needs
    from bot.content.models import AnsweredExercise
    from bot.content.rendering import render_exercise
    from bot.learning.answer_leak import reveals_answer
    from bot.learning.grading import grade_answer

    try:
        offline = _exercise_adapter().validate_python(exercise)
    except ValidationError:
        return None
    if not isinstance(offline, AnsweredExercise):
        return None
    rendered = render_exercise(offline, {})
    key, public = rendered.key, (rendered.prompt,)

    def keeps_secret(text: str) -> bool:
        return bool(text) and not reveals_answer(key, text, public_texts=public)

    hints = dict(exercise["hints"])
    for rung in ("nudge", "specific"):
        text = getattr(proposal.hints, rung).strip()
        if keeps_secret(text):
            hints[rung] = text
    misconceptions = [
        {"answer": wrong, "question": question}
        for wrong, question in (
            (m.wrong_answer.strip(), m.question.strip()) for m in proposal.misconceptions
        )
        if wrong and keeps_secret(question) and not grade_answer(key, wrong).correct
    ][:MAX_MISCONCEPTIONS]
    merged = {**exercise, "hints": hints}
    if misconceptions:
        merged["misconceptions"] = misconceptions
    return merged


def _passes_checks(data: dict[str, Any]) -> bool:
    """Tell whether an exercise passes the checker with no problem and no warning."""
    # imported here: the variant checks load sympy
    from bot.content.loader import Located
    from bot.content.models import AnsweredExercise
    from bot.content.style_checks import question_warnings
    from bot.content.variant_checks import MIN_VARIANTS_CHECKED, check_variants
    from bot.content.yaml_lines import LineMap

    try:
        exercise = _exercise_adapter().validate_python(data)
    except ValidationError:
        return False
    located = Located(exercise, Path("draft.yaml"), LineMap())
    if question_warnings(located, exercise):
        return False
    return not isinstance(exercise, AnsweredExercise) or not check_variants(
        located, exercise, MIN_VARIANTS_CHECKED
    )


@cache
def _exercise_adapter() -> TypeAdapter[Exercise]:
    """The validator of one exercise, built once."""
    return TypeAdapter(Exercise)


def _exercise_files(draft: DraftCourse) -> dict[str, dict[str, Any]]:
    """The exercise files of a draft, read back into data, in the draft's order."""
    files: dict[str, dict[str, Any]] = {}
    for name, text in draft.files.items():
        data = yaml.safe_load(text)
        if name != _COURSE_FILE and isinstance(data, dict) and "exercises" in data:
            files[name] = data
    return files


def _comment(text: str) -> str:
    """The comment line a draft file starts with, without its mark."""
    first = text.partition("\n")[0]
    return first.removeprefix("#").strip() if first.startswith("#") else ""


async def drafted_upload(upload: UploadedFile, drafter: ExerciseDrafter) -> UploadCheck:
    """An uploaded worksheet made a draft with the model's proposals, checked as any upload."""
    name = Path(upload.filename.replace("\\", "/")).name or "worksheet"
    try:
        draft = await asyncio.to_thread(_offline_draft, upload.data, name)
    except WorksheetError as exc:
        return UploadCheck(None, {}, (ContentProblem(Path(name), 0, str(exc)),), draft=True)
    drafted = (await proposed_draft(draft, drafter)).draft
    files = {n: t.encode("utf-8") for n, t in drafted.files.items()}
    checked = await asyncio.to_thread(check_folder, files, Path(drafted.course_id))
    return dataclasses.replace(checked, draft=True, notes=drafted.notes)


def _offline_draft(data: bytes, name: str) -> DraftCourse:
    """The draft the offline import makes of a worksheet file."""
    return import_worksheet(worksheet_text(data, name), default_title=title_from_filename(name))
