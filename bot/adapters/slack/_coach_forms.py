"""A coach's three forms as Block Kit modals: an exercise, a pasted worksheet, an assignment."""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

from bot.adapters.slack._render import Block, escape, plain
from bot.adapters.slack._surfaces import input_block as _input
from bot.adapters.slack._surfaces import submitted
from bot.services.coach_dates import EXAMPLES, DateInputError, parse_due
from bot.services.coach_exercises import (
    MAX_STEPS,
    ExerciseForm,
    ExerciseInputError,
    StepForm,
    build_steps,
)

EXERCISE_MODAL = "coach:exercise-modal"
WORKSHEET_MODAL = "coach:worksheet-modal"
ASSIGN_MODAL = "coach:assign-modal"
FORM_STEPS = 3  # the first step and two optional follow-ups
OPTIONS_LIMIT = 100  # a static menu holds at most 100 options
CRITERIA_HINT = (
    "What a specific answer contains, in plain words separated by ; (e.g. names a person; "
    "a date). Add your own follow-up question after | (a date | By when, exactly?). "
    "Empty: at least 12 words."
)
_STEP = re.compile(r"Step (\d+):")


def _text(initial: str = "", *, multiline: bool = False, limit: int = 2000) -> Block:
    """A text field, filled with `initial` when there is one."""
    element: Block = {"type": "plain_text_input", "multiline": multiline, "max_length": limit}
    if initial:
        element["initial_value"] = initial[:limit]
    return element


def _modal(callback_id: str, title: str, submit: str, blocks: list[Block], meta: str = "") -> Block:
    return {
        "type": "modal",
        "callback_id": callback_id,
        "private_metadata": meta,
        "title": plain(title, 24),
        "submit": plain(submit, 24),
        "close": plain("Cancel", 24),
        "blocks": blocks,
    }


def exercise_modal(form: ExerciseForm | None = None, exercise_id: int | None = None) -> Block:
    """The exercise form: a title, the question, its criteria, optional follow-up steps.

    Opened empty by `/coach exercise`, filled from a pasted worksheet for review, or
    filled with a saved exercise (`exercise_id`) that saving changes in place.
    """
    steps = form.steps if form is not None else ()
    count = min(MAX_STEPS, max(FORM_STEPS, len(steps)))
    blocks: list[Block] = []
    if form is not None and form.notes:
        notes = "\n".join(escape(note) for note in form.notes)
        blocks.append(
            {
                "type": "context",
                "elements": [{"type": "mrkdwn", "text": f"Check what I guessed:\n{notes}"[:3000]}],
            }
        )
    blocks.append(_input("title", "Title", _text(form.title if form else "", limit=100)))
    for number in range(1, count + 1):
        step = steps[number - 1] if number <= len(steps) else None
        first = number == 1
        blocks += [
            _input(
                f"prompt-{number}",
                "The question your client answers" if first else f"Follow-up step {number}",
                _text(step.prompt if step else "", multiline=True),
                "" if first else "Optional: the next question, after the one above.",
                optional=not first,
            ),
            _input(
                f"criteria-{number}",
                "What a specific answer contains" if first else f"Step {number}: what it contains",
                _text("; ".join(step.criteria) if step else "", multiline=True, limit=1000),
                CRITERIA_HINT if first else "",
                optional=True,
            ),
        ]
    source = form.source if form is not None else "form"
    meta = json.dumps({"steps": count, "source": source, "exercise": exercise_id})
    title = "New exercise" if exercise_id is None else f"Exercise #{exercise_id}"
    return _modal(EXERCISE_MODAL, title, "Save", blocks, meta)


def edited_exercise(view: dict[str, Any]) -> int | None:
    """The saved exercise a submitted form changes (None: a new one)."""
    found = _metadata(view).get("exercise")
    return found if isinstance(found, int) else None


def read_exercise(view: dict[str, Any]) -> tuple[ExerciseForm, dict[str, str]]:
    """Read the submitted exercise form: the form, and a plain sentence per wrong field."""
    values = view.get("state", {}).get("values", {})
    meta = _metadata(view)
    errors: dict[str, str] = {}
    steps: list[StepForm] = []
    numbers: list[int] = []  # the form's step number of each step kept
    for number in range(1, int(meta.get("steps") or FORM_STEPS) + 1):
        prompt = submitted(values, f"prompt-{number}")
        criteria = submitted(values, f"criteria-{number}") or ""
        if prompt is None:
            if number == 1:
                errors["prompt-1"] = "Write the question your client answers."
            elif criteria.strip():
                errors[f"prompt-{number}"] = "Write this step's question, or clear its criteria."
            continue
        words = tuple(w.strip() for w in re.split(r"[;\n]", criteria) if w.strip())
        steps.append(StepForm(prompt.strip(), words))
        numbers.append(number)
    title = (submitted(values, "title") or "").strip()
    if not title:
        errors["title"] = "Give the exercise a title."
    form = ExerciseForm(title, tuple(steps), source=str(meta.get("source") or "form"))
    if not errors:
        try:
            build_steps(form)  # the same checks as a course file, before the form closes
        except ExerciseInputError as exc:
            errors[_block_of(str(exc), numbers)] = str(exc)[:300]
    return form, errors


def _block_of(problem: str, numbers: list[int]) -> str:
    """The field a checker's problem belongs to ("Step 2: …" is that step's criteria)."""
    match = _STEP.search(problem)
    if match is None or not 1 <= int(match[1]) <= len(numbers):
        return "title" if "title" in problem else "prompt-1"
    number = numbers[int(match[1]) - 1]
    return f"prompt-{number}" if "prompt" in problem else f"criteria-{number}"


def worksheet_modal() -> Block:
    """A form to paste a worksheet into: one question per line becomes one step."""
    blocks = [
        _input("title", "Title", _text(limit=100), "Optional: else the first line.", optional=True),
        _input(
            "worksheet",
            "The worksheet's questions",
            _text(multiline=True, limit=3000),
            "One question per line; numbering and bullets are fine. You review it next.",
        ),
    ]
    return _modal(WORKSHEET_MODAL, "Paste a worksheet", "Review", blocks)


def read_worksheet(view: dict[str, Any]) -> tuple[str, str]:
    """Read the pasted worksheet: its text and its title (may be empty)."""
    values = view.get("state", {}).get("values", {})
    return submitted(values, "worksheet") or "", submitted(values, "title") or ""


def _options(pairs: list[tuple[str, str]]) -> list[Block]:
    return [{"text": plain(label, 75), "value": value[:150]} for value, label in pairs]


def assign_modal(clients: list[tuple[str, str]], exercises: list[tuple[str, str]]) -> Block:
    """The assignment form: a client and an exercise of the coach's own, a due date, a note."""
    client_menu = {"type": "static_select", "options": _options(clients[:OPTIONS_LIMIT])}
    exercise_menu = {"type": "static_select", "options": _options(exercises[:OPTIONS_LIMIT])}
    blocks = [
        _input("client", "Client", client_menu),
        _input("exercise", "Exercise", exercise_menu),
        _input("due", "Due", _text(limit=60), f"In the client's time zone: {EXAMPLES}."),
        _input(
            "note",
            "Note to your client",
            _text(multiline=True, limit=1000),
            "Optional: it comes with the exercise.",
            optional=True,
        ),
    ]
    return _modal(ASSIGN_MODAL, "Assign an exercise", "Assign", blocks)


def read_assignment(
    view: dict[str, Any], now: datetime
) -> tuple[tuple[str, int, str, str], dict[str, str]]:
    """Read the assignment form: (client, exercise id, due, note), and errors per field."""
    values = view.get("state", {}).get("values", {})
    client = _selected(values, "client")
    exercise = _selected(values, "exercise")
    due = (submitted(values, "due") or "").strip()
    errors: dict[str, str] = {}
    if not client:
        errors["client"] = "Pick a client."
    if not exercise.isdigit():
        errors["exercise"] = "Pick an exercise."
    try:
        parse_due(due, now, "UTC")  # the words only: the desk reads them in the client's zone
    except DateInputError as exc:
        errors["due"] = str(exc)[:300]
    note = (submitted(values, "note") or "").strip()
    return (client, int(exercise) if exercise.isdigit() else 0, due, note), errors


def _selected(values: dict[str, Any], block_id: str) -> str:
    """The value of a menu's chosen option ("" when none)."""
    field = values.get(block_id, {}).get(block_id, {})
    option = field.get("selected_option") or {}
    return str(option.get("value") or "")


def _metadata(view: dict[str, Any]) -> dict[str, Any]:
    try:
        found = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}
