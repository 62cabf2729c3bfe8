"""The coach's forms on Discord: an exercise written in a modal, and a pasted worksheet."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

import discord

from bot.services.coach_exercises import (
    MAX_STEPS,
    PROMPT_CHARS,
    TITLE_CHARS,
    ExerciseForm,
    StepForm,
)
from cogs.errors import report_error

FormHandler = Callable[[discord.Interaction, ExerciseForm], Awaitable[None]]
WorksheetHandler = Callable[[discord.Interaction, str, str], Awaitable[None]]

# Text inputs keep fixed ids (what Discord sends back); each modal's own id is unique, so
# two coaches filling a form at once never answer each other's.
TITLE_ID = "coach:exercise-title"
PROMPT_ID = "coach:exercise-prompt"
CRITERIA_ID = "coach:exercise-criteria"
STEPS_ID = "coach:exercise-steps"
WORKSHEET_ID = "coach:worksheet-text"
WORKSHEET_TITLE_ID = "coach:worksheet-title"
PARAGRAPH_CHARS = 4000
# a follow-up step: "the question [criterion; criterion]", the brackets optional
_STEP_LINE = re.compile(r"^(?P<prompt>.*?)\s*(?:\[(?P<criteria>[^\[\]]*)\])?\s*$")


def criteria_of(text: str) -> tuple[str, ...]:
    """Read criteria in plain words: one per line, or separated by `;`."""
    return tuple(part.strip() for part in re.split(r"[;\n]", text) if part.strip())


def follow_up_steps(text: str) -> tuple[StepForm, ...]:
    """Read follow-up steps, one per line, each with its criteria in brackets if given."""
    steps = []
    for line in text.splitlines():
        found = _STEP_LINE.match(line.strip())
        if found is None or not found["prompt"]:
            continue
        steps.append(StepForm(found["prompt"], criteria_of(found["criteria"] or "")))
    return tuple(steps)


def form_of(title: str, prompt: str, criteria: str, follow_ups: str) -> ExerciseForm:
    """The exercise as the modal's fields give it."""
    first = StepForm(prompt.strip(), criteria_of(criteria))
    return ExerciseForm(title.strip(), (first, *follow_up_steps(follow_ups)))


def step_line(step: StepForm) -> str:
    """A step as a line of the follow-up field (so a reviewed worksheet can be edited)."""
    return f"{step.prompt} [{'; '.join(step.criteria)}]" if step.criteria else step.prompt


class ExerciseModal(discord.ui.Modal):
    """The exercise form: title, the question, what a specific answer contains, follow-ups."""

    def __init__(self, handler: FormHandler, custom_id: str, form: ExerciseForm | None = None):
        super().__init__(title="New exercise", custom_id=custom_id, timeout=1800)
        self._handler = handler
        first = form.steps[0] if form is not None and form.steps else None
        rest = form.steps[1:MAX_STEPS] if form is not None else ()
        self.name: discord.ui.TextInput[ExerciseModal] = discord.ui.TextInput(
            label="Title",
            custom_id=TITLE_ID,
            max_length=TITLE_CHARS,
            placeholder="A hard conversation",
            default=form.title if form is not None else None,
        )
        self.prompt: discord.ui.TextInput[ExerciseModal] = discord.ui.TextInput(
            label="The question your client answers",
            custom_id=PROMPT_ID,
            style=discord.TextStyle.paragraph,
            max_length=PROMPT_CHARS,
            placeholder="Describe the situation: who was it with?",
            default=first.prompt if first is not None else None,
        )
        self.criteria: discord.ui.TextInput[ExerciseModal] = discord.ui.TextInput(
            label="What a specific answer contains",
            custom_id=CRITERIA_ID,
            style=discord.TextStyle.paragraph,
            required=False,
            max_length=1000,
            placeholder="One per line: names a person / a date | By when? (empty: 12+ words)",
            default="\n".join(first.criteria) if first is not None else None,
        )
        self.steps: discord.ui.TextInput[ExerciseModal] = discord.ui.TextInput(
            label="Follow-up steps (optional)",
            custom_id=STEPS_ID,
            style=discord.TextStyle.paragraph,
            required=False,
            max_length=PARAGRAPH_CHARS,
            placeholder="One question per line, criteria in brackets: What will you do? [a date]",
            default="\n".join(step_line(s) for s in rest) if rest else None,
        )
        for field in (self.name, self.prompt, self.criteria, self.steps):
            self.add_item(field)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        """Hand the written exercise to the cog."""
        form = form_of(self.name.value, self.prompt.value, self.criteria.value, self.steps.value)
        await self._handler(interaction, form)

    async def on_error(  # type: ignore[override]  # discord.py narrows it for modals
        self, interaction: discord.Interaction, error: Exception, /
    ) -> None:
        """Send a failed form to the one error handler."""
        await report_error(interaction, error)


class WorksheetModal(discord.ui.Modal):
    """Paste a worksheet, one question per line, to get a multi-step exercise to review."""

    def __init__(self, handler: WorksheetHandler, custom_id: str) -> None:
        super().__init__(title="Paste a worksheet", custom_id=custom_id, timeout=1800)
        self._handler = handler
        self.name: discord.ui.TextInput[WorksheetModal] = discord.ui.TextInput(
            label="Title (optional)",
            custom_id=WORKSHEET_TITLE_ID,
            required=False,
            max_length=TITLE_CHARS,
        )
        self.text: discord.ui.TextInput[WorksheetModal] = discord.ui.TextInput(
            label="The worksheet's questions, one per line",
            custom_id=WORKSHEET_ID,
            style=discord.TextStyle.paragraph,
            max_length=PARAGRAPH_CHARS,
        )
        self.add_item(self.name)
        self.add_item(self.text)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        """Hand the pasted text to the cog."""
        await self._handler(interaction, self.text.value, self.name.value)

    async def on_error(  # type: ignore[override]  # discord.py narrows it for modals
        self, interaction: discord.Interaction, error: Exception, /
    ) -> None:
        """Send a failed form to the one error handler."""
        await report_error(interaction, error)


FollowupHandler = Callable[[discord.Interaction, int, str], Awaitable[None]]
FOLLOWUP_TEXT_ID = "coach:followup-text"


class FollowupModal(discord.ui.Modal, title="Edit the follow-up"):
    """The coach's draft to a client, to edit before it is sent."""

    def __init__(self, handler: FollowupHandler, draft_id: int, text: str) -> None:
        super().__init__(custom_id=f"coach:followup:{draft_id}")
        self._handler = handler
        self.draft_id = draft_id
        self.text: discord.ui.TextInput[FollowupModal] = discord.ui.TextInput(
            label="Message to your client",
            style=discord.TextStyle.paragraph,
            default=text[:1500],
            max_length=1500,
            custom_id=FOLLOWUP_TEXT_ID,
        )
        self.add_item(self.text)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        """Send the edited message."""
        await self._handler(interaction, self.draft_id, self.text.value)

    async def on_error(  # type: ignore[override]  # discord.py narrows it for modals
        self, interaction: discord.Interaction, error: Exception, /
    ) -> None:
        """Send a failed form to the one error handler."""
        await report_error(interaction, error)
