"""A coach at the console: the coach's words, and the exercise form asked field by field."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.adapters.console._words import COACH_USAGE, CoachWord
from bot.services.coach_exercises import MAX_STEPS, ExerciseForm, StepForm
from bot.services.messages import Person, Reply

if TYPE_CHECKING:
    from bot.services.coach_desk import CoachDesk

NO_COACHING = "Coaching isn't available here."
CANCEL = {"cancel", "stop"}
DONE = {"done", "finish", "save"}
NO_CRITERIA = {"none", "-", "default", ""}
TITLE_QUESTION = "What is the exercise called? (`cancel` stops the form at any time)"
CRITERIA_QUESTION = (
    "What does a specific answer to it contain? Plain words, separated by `;` "
    "(e.g. `names a person; a date`), or `none` for at least 12 words."
)


def prompt_question(number: int) -> str:
    """Ask for a step's question (the first one may be a whole pasted worksheet)."""
    if number == 1:
        return (
            "Step 1: the question the client answers. Or paste a worksheet, one question "
            "per line, and I make the steps."
        )
    return f"Step {number}: the next question, or `done` to save the exercise."


@dataclass
class ExerciseFormAtConsole:
    """The exercise form, one field per message: title, then each step's question and criteria."""

    title: str = ""
    steps: list[StepForm] = field(default_factory=list)
    prompt: str | None = None  # the step's question, waiting for its criteria
    editing: int | None = None  # the saved exercise this form rewrites (None: a new one)

    def take(self, text: str) -> str | ExerciseForm | None:
        """Read one field; return the next question, the finished form, or None (cancelled)."""
        answer = text.strip()
        if answer.lower() in CANCEL:
            return None
        if not self.title:
            if not answer:
                return TITLE_QUESTION
            self.title = answer
            return prompt_question(1)
        if self.prompt is not None:
            criteria = () if answer.lower() in NO_CRITERIA else tuple(answer.split(";"))
            self.steps.append(StepForm(self.prompt, criteria))
            self.prompt = None
            if len(self.steps) >= MAX_STEPS:
                return self.form()
            return prompt_question(len(self.steps) + 1)
        if answer.lower() in DONE and self.steps:
            return self.form()
        if not answer:
            return prompt_question(len(self.steps) + 1)
        self.prompt = answer
        return CRITERIA_QUESTION

    def form(self) -> ExerciseForm:
        """The exercise as written so far."""
        return ExerciseForm(self.title, tuple(self.steps))

    def pasted_worksheet(self, text: str) -> bool:
        """Tell whether this message is a worksheet pasted in place of the first question."""
        return bool(self.title) and not self.steps and self.prompt is None and "\n" in text.strip()


async def run_coach_word(desk: CoachDesk | None, coach: Person, word: CoachWord) -> list[Reply]:
    """Run a coach's word other than the exercise form."""
    if desk is None:
        return [Reply(NO_COACHING)]
    if word.name == "invite":
        return [await desk.invite(coach)]
    if word.name == "exercises":
        return [await desk.exercises(coach)]
    if word.name == "assign":
        return [await desk.assign(coach, word.client, word.exercise, word.due, word.note)]
    if word.name == "clients":
        return [await desk.clients(coach)]
    if word.name == "client":
        return [await desk.client(coach, word.client)]
    if word.name == "brief":
        return [await desk.brief(coach, word.client)]
    if word.name == "from":
        return [await desk.exercise_from_course(coach, word.course, word.course_exercise)]
    if word.name == "next":
        return [await desk.next_session(coach, word.client, word.due)]
    if word.name == "reminders":
        return [await desk.reminders_for(coach, word.client, word.mode, word.pause_after)]
    if word.name == "csv":
        return [await desk.export_csv(coach)]
    if word.name == "followup":
        return [await desk.followup(coach, word.client)]
    if word.name == "send":
        return [await desk.send_followup(coach, word.exercise, word.note or None)]
    if word.name == "discard":
        return [await desk.discard_followup(coach, word.exercise)]
    return [Reply(COACH_USAGE)]


async def save_worksheet(desk: CoachDesk, coach: Person, text: str, title: str = "") -> Reply:
    """Turn a pasted worksheet into an exercise and save it; say what was guessed."""
    form = desk.worksheet(text, title)
    if isinstance(form, Reply):
        return form
    return await save_form(desk, coach, form)


async def save_form(
    desk: CoachDesk, coach: Person, form: ExerciseForm, exercise_id: int | None = None
) -> Reply:
    """Save an exercise, with a model's criteria where the coach left them open; say which."""
    form = await desk.propose_criteria(form)
    saved = await desk.save_exercise(coach, form, exercise_id)
    if not form.notes or not saved.text.startswith("Saved"):
        return saved
    return Reply(saved.text + "\n" + "\n".join(form.notes))
