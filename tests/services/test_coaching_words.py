"""The pure parts of coaching: due dates in words, criteria in plain words, worksheets,
the reminder rules and the flag reader, each with fixed inputs and known answers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.content.criteria_models import (
    HasCommitment,
    HasDate,
    HasNumber,
    Keywords,
    MinItems,
    MinWords,
    NamesPerson,
    NoneOf,
)
from bot.dialogue.reflection import respond
from bot.dialogue.state import DialogueState
from bot.services.coach_criteria import (
    CriteriaInputError,
    criterion_from_words,
    suggested_criteria,
)
from bot.services.coach_dates import DateInputError, parse_due, parse_session
from bot.services.coach_exercises import (
    COACHING_COURSE,
    ExerciseForm,
    ExerciseInputError,
    StepForm,
    build_steps,
    exercise_for_dialogue,
    step_variant,
    worksheet_form,
)
from bot.services.coach_flags import ASKED_FOR_COACH, DISTRESS, read_flag
from bot.services.coach_reminders import ReminderPolicy, first_reminder_at, plan_reminder
from bot.store.coaching_assignments import DueReminder

MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("words", "zone", "expected"),
    [
        ("friday", "UTC", datetime(2026, 3, 6, 20, 0, tzinfo=UTC)),
        ("Friday 17:00", "Europe/Paris", datetime(2026, 3, 6, 16, 0, tzinfo=UTC)),
        ("fri at 5pm", "UTC", datetime(2026, 3, 6, 17, 0, tzinfo=UTC)),
        ("monday", "UTC", datetime(2026, 3, 9, 20, 0, tzinfo=UTC)),  # today is Monday
        ("tomorrow", "UTC", datetime(2026, 3, 3, 20, 0, tzinfo=UTC)),
        ("in 3 days", "UTC", datetime(2026, 3, 5, 20, 0, tzinfo=UTC)),
        ("in two weeks", "UTC", datetime(2026, 3, 16, 20, 0, tzinfo=UTC)),
        ("in a week", "Asia/Tokyo", datetime(2026, 3, 9, 11, 0, tzinfo=UTC)),
        ("2026-03-20", "UTC", datetime(2026, 3, 20, 20, 0, tzinfo=UTC)),
        ("March 20", "UTC", datetime(2026, 3, 20, 20, 0, tzinfo=UTC)),
        ("20 march at 9am", "UTC", datetime(2026, 3, 20, 9, 0, tzinfo=UTC)),
        ("jan 5", "UTC", datetime(2027, 1, 5, 20, 0, tzinfo=UTC)),  # the next one
        ("today", "UTC", datetime(2026, 3, 2, 20, 0, tzinfo=UTC)),
        ("end of week", "UTC", datetime(2026, 3, 6, 20, 0, tzinfo=UTC)),
    ],
)
def test_due_dates_in_words_are_read_in_the_clients_zone(
    words: str, zone: str, expected: datetime
) -> None:
    assert parse_due(words, MONDAY, zone) == expected


def test_a_friday_in_los_angeles_is_saturday_morning_in_utc() -> None:
    assert parse_due("friday", MONDAY, "America/Los_Angeles") == datetime(
        2026, 3, 7, 4, 0, tzinfo=UTC
    )


def test_a_session_without_a_time_is_at_nine() -> None:
    assert parse_session("thursday", MONDAY, "UTC") == datetime(2026, 3, 5, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("words", "message"),
    [
        ("yesterday", "can't read"),
        ("2026-02-30", "no day 2026-02-30"),
        ("2025-06-01", "already passed"),
        ("today 08:00", "already passed"),
        ("friday 25:00", "00:00 to 23:59"),
        ("in many days", "can't read 'many'"),
        ("2027-12-01", "within the next year"),
        ("", "Give a date"),
    ],
)
def test_dates_that_will_not_do_get_a_plain_sentence(words: str, message: str) -> None:
    with pytest.raises(DateInputError, match=message):
        parse_due(words, MONDAY, "UTC")


def test_a_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="UTC-aware"):
        parse_due("friday", datetime(2026, 3, 2, 9, 0), "UTC")  # noqa: DTZ001 (the point)


@pytest.mark.parametrize(
    ("words", "kind", "fields"),
    [
        ("names a person", NamesPerson, {}),
        ("who exactly", NamesPerson, {}),
        ("a date", HasDate, {}),
        ("the answer includes a deadline", HasDate, {}),
        ("a number", HasNumber, {}),
        ("a commitment", HasCommitment, {}),
        ("at least 3 items", MinItems, {"min": 3}),
        ("three examples", MinItems, {"min": 3}),
        ("at least 40 words", MinWords, {"min": 40}),
        ("mentions: budget, cost", Keywords, {"any": ["budget", "cost"], "min": 1}),
        ("mentions 2 of: a, b or c", Keywords, {"any": ["a", "b", "c"], "min": 2}),
        ("mentions budget or cost", Keywords, {"any": ["budget", "cost"]}),
    ],
)
def test_plain_words_become_the_course_files_criteria(
    words: str, kind: type, fields: dict[str, object]
) -> None:
    criterion = criterion_from_words(words)
    assert isinstance(criterion, kind)
    assert criterion.label == words
    for name, value in fields.items():
        assert getattr(criterion, name) == value


def test_a_negative_and_a_probe_are_understood() -> None:
    avoid = criterion_from_words("not: everyone, nobody")
    assert isinstance(avoid, NoneOf) and isinstance(avoid.of[0], Keywords)
    assert avoid.of[0].any == ["everyone", "nobody"]
    dated = criterion_from_words("a date | By when, exactly?")
    assert dated.label == "a date" and dated.probe == "By when, exactly?"


@pytest.mark.parametrize(
    ("words", "message"),
    [
        ("is insightful", "can't turn 'is insightful' into a check"),
        ("1 example", "a list needs at least 2 items"),
        ("a date | When? And why?", "asks 2 questions"),
        ("| Who?", "needs some words"),
    ],
)
def test_criteria_that_cannot_be_checked_say_why(words: str, message: str) -> None:
    with pytest.raises(CriteriaInputError, match=message):
        criterion_from_words(words)


def test_criteria_are_suggested_from_how_a_question_is_asked() -> None:
    assert suggested_criteria("Who did you talk to?") == ["names a person"]
    assert suggested_criteria("List three things that went well.") == ["at least 3 items"]
    assert suggested_criteria("Describe the situation.") == ["at least 12 words"]


def test_a_worksheet_drops_numbering_and_takes_its_title() -> None:
    form = worksheet_form("Check-in:\n\n- How did the week go?\n* Q2) Who helped?\n3) When next?")
    assert form.title == "Check-in"
    assert [s.prompt for s in form.steps] == ["How did the week go?", "Who helped?", "When next?"]
    assert form.source == "worksheet" and len(form.notes) == 3
    with pytest.raises(ExerciseInputError, match="at most 10"):
        worksheet_form("\n".join(f"Question {i}?" for i in range(11)))


def test_a_stored_step_is_run_by_the_reflection_engine() -> None:
    steps = build_steps(ExerciseForm("T", (StepForm("Who will you ask?", ("names a person",)),)))
    course, exercise = exercise_for_dialogue(COACHING_COURSE, "a1-s1", step_variant(steps, 0, 1))
    assert course is not None and exercise is not None and exercise.id == "a1-s1"
    assert exercise_for_dialogue("python-basics", "a1-s1", step_variant(steps, 0, 1)) == (
        None,
        None,
    )
    assert exercise.kind == "reflection"
    vague = respond(exercise, DialogueState(), "someone")
    assert vague.move.kind == "probe" and not vague.closed
    named = respond(exercise, vague.state, "My manager Ana")
    assert named.closed and named.state.outcome == "solved"


def due(**changes: object) -> DueReminder:
    """An assignment due Friday 20:00 UTC whose reminder time came."""
    base = DueReminder(
        assignment_id=1,
        next_reminder_at=MONDAY,
        due_at=datetime(2026, 3, 6, 20, 0, tzinfo=UTC),
        state="assigned",
        title="T",
        reminders_sent=0,
        unanswered=0,
        link_id=1,
        coach_id=1,
        client_id=2,
        reminders="all",
        pause_after=3,
        platform="discord",
        platform_user_id="2",
        timezone="UTC",
        quiet_start="21:00",
        quiet_end="08:00",
        paused_until=None,
        snoozed_until=None,
        unreachable_at=None,
        coach_name="Maya",
    )
    return base._replace(**changes)


POLICY = ReminderPolicy()
THURSDAY_8PM = datetime(2026, 3, 5, 20, 0, tzinfo=UTC)


def test_the_first_reminder_is_a_day_before_or_after_the_due_date() -> None:
    friday = datetime(2026, 3, 6, 20, 0, tzinfo=UTC)
    assert first_reminder_at(friday, MONDAY, "all", POLICY) == THURSDAY_8PM
    assert first_reminder_at(friday, MONDAY, "overdue", POLICY) == friday + timedelta(hours=12)
    assert first_reminder_at(friday, MONDAY, "off", POLICY) is None
    soon = MONDAY + timedelta(hours=5)
    assert first_reminder_at(soon, MONDAY, "all", POLICY) == soon + timedelta(hours=12)


@pytest.mark.parametrize(
    ("now", "changes", "expected"),
    [
        (THURSDAY_8PM, {}, ("due_soon", datetime(2026, 3, 7, 8, 0, tzinfo=UTC), 1, 1)),
        (
            datetime(2026, 3, 7, 8, 0, tzinfo=UTC),
            {"reminders_sent": 1, "unanswered": 1},
            ("overdue", datetime(2026, 3, 9, 8, 0, tzinfo=UTC), 2, 2),
        ),
        (
            datetime(2026, 3, 5, 22, 0, tzinfo=UTC),  # quiet: wait for 08:00
            {},
            (None, datetime(2026, 3, 6, 8, 0, tzinfo=UTC), 0, 0),
        ),
        (
            THURSDAY_8PM,
            {"snoozed_until": datetime(2026, 3, 6, 10, 0, tzinfo=UTC)},
            (None, datetime(2026, 3, 6, 10, 0, tzinfo=UTC), 0, 0),
        ),
        (
            THURSDAY_8PM,
            {"unreachable_at": MONDAY},
            (None, THURSDAY_8PM + timedelta(days=1), 0, 0),
        ),
        (THURSDAY_8PM, {"reminders": "off"}, (None, None, 0, 0)),
        (THURSDAY_8PM, {"state": "done"}, (None, None, 0, 0)),
        (
            THURSDAY_8PM,
            {"reminders": "overdue"},
            (None, datetime(2026, 3, 7, 8, 0, tzinfo=UTC), 0, 0),
        ),
    ],
    ids=["due-soon", "overdue", "quiet", "snoozed", "unreachable", "off", "done", "overdue-only"],
)
def test_the_reminder_rules(
    now: datetime,
    changes: dict[str, object],
    expected: tuple[str | None, datetime | None, int, int],
) -> None:
    plan = plan_reminder(due(**changes), now, POLICY)
    assert (plan.kind, plan.next_at, plan.sent, plan.unanswered) == expected
    assert not plan.pauses


def test_after_n_unanswered_the_reminders_pause() -> None:
    plan = plan_reminder(due(reminders_sent=3, unanswered=3), THURSDAY_8PM, POLICY)
    assert plan.pauses and plan.kind is None and plan.next_at is None


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("I want to talk to my coach", ASKED_FOR_COACH),
        ("can I speak with my coach about this", ASKED_FOR_COACH),
        ("tell my coach I'm behind", ASKED_FOR_COACH),
        ("I don't want to live like this", DISTRESS),
        ("I've been thinking about self-harm", DISTRESS),
        ("sometimes I want to kill myself", DISTRESS),
        ("my coach said to list three options", None),
        ("this deadline is killing me", None),
        ("I will ask my manager Ana on Friday", None),
    ],
)
def test_the_flag_reader(text: str, kind: str | None) -> None:
    assert read_flag(text) == kind
