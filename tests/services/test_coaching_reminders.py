"""Assignment reminders with a fixed clock: before the due date, when overdue, in the client's
waking hours, paused after N unanswered (the coach told once), delivered exactly once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.content.catalog import Catalog
from bot.scheduling.sender import DeliveryResult, OutboxSender
from bot.services.account import SettingsChange
from bot.services.coach_desk import CoachDesk
from bot.services.coach_flow import use_coaching_flow
from bot.services.coach_reminders import ReminderPolicy
from bot.services.tutor import Tutor
from bot.store.coaching_models import Assignment, CoachFlag
from bot.store.db import Database
from bot.store.models import OutboxMessage
from tests.conftest import FixedClock
from tests.services.test_coaching_flow import (
    CLIENT,
    COACH,
    link,
    outbox,
    saved_exercise,
    say,
)

MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
DUE = datetime(2026, 3, 6, 20, 0, tzinfo=UTC)  # "friday", for a client on UTC


@pytest.fixture
def desk(database: Database, catalog: Catalog, clock: FixedClock) -> CoachDesk:
    return CoachDesk(database, catalog, clock=clock)


async def assigned(desk: CoachDesk, due: str = "friday") -> None:
    """Maya's client Sam has the three-step exercise, due as given."""
    await link(desk)
    reply = await desk.assign(COACH, "Sam", await saved_exercise(desk), due)
    assert reply.text.startswith("Assigned"), reply.text


async def reminders(database: Database) -> list[OutboxMessage]:
    return await outbox(database, "coach_reminder")


async def the_assignment(database: Database) -> Assignment:
    async with database.session() as session:
        return (await session.execute(select(Assignment))).scalar_one()


async def test_a_reminder_before_the_due_date_then_overdue_then_a_pause(
    desk: CoachDesk, database: Database, clock: FixedClock
) -> None:
    await assigned(desk)
    assert await desk.sweep_reminders() == 0
    clock.now = DUE - timedelta(hours=24, minutes=1)
    assert await desk.sweep_reminders() == 0  # not yet
    clock.now = DUE - timedelta(hours=24)
    assert await desk.sweep_reminders() == 1
    assert await desk.sweep_reminders() == 0  # the same minute again: nothing twice
    [soon] = await reminders(database)
    assert soon.payload["reminder"] == "due_soon"
    assert "is due Friday 6 March, 20:00" in soon.payload["text"]
    assert soon.payload["choices"][0]["label"] == "Start"

    clock.now = DUE + timedelta(hours=12)  # Saturday 08:00, the end of the quiet hours
    assert await desk.sweep_reminders() == 1
    clock.now += timedelta(hours=47)
    assert await desk.sweep_reminders() == 0  # every 48 hours, no more
    clock.now += timedelta(hours=1)
    assert await desk.sweep_reminders() == 1
    kinds = [r.payload["reminder"] for r in await reminders(database)]
    assert kinds == ["due_soon", "overdue", "overdue"]

    clock.now += timedelta(hours=48)  # three unanswered: paused, and the coach told once
    assert await desk.sweep_reminders() == 0
    stored = await the_assignment(database)
    assert stored.paused_at == clock.now and stored.next_reminder_at is None
    assert (stored.reminders_sent, stored.unanswered) == (3, 3)
    [flag] = await outbox(database, "coach_flag")
    assert flag.recipient == COACH.user_id and "seems stuck" in flag.payload["text"]
    clock.now += timedelta(days=10)
    assert await desk.sweep_reminders() == 0
    assert len(await outbox(database, "coach_flag")) == 1


async def test_working_on_it_resets_the_count_and_resumes_reminders(
    desk: CoachDesk, tutor: Tutor, database: Database, clock: FixedClock
) -> None:
    use_coaching_flow(tutor)
    await assigned(desk, "tomorrow")
    await desk.reminders_for(COACH, "Sam", "all", pause_after=1)
    clock.now = DUE.replace(day=3) + timedelta(hours=12)  # Wednesday 08:00: overdue
    assert await desk.sweep_reminders() == 1
    clock.advance(hours=48)
    assert await desk.sweep_reminders() == 0  # one unanswered is the pause here
    assert (await the_assignment(database)).paused_at is not None
    await desk.start(CLIENT)
    await say(tutor, CLIENT, "My manager Ana, about the late report")
    stored = await the_assignment(database)
    assert (stored.unanswered, stored.paused_at, stored.steps_done) == (0, None, 1)
    assert stored.next_reminder_at == clock.now + ReminderPolicy().overdue_every
    clock.advance(hours=48)
    assert await desk.sweep_reminders() == 1


async def test_reminders_wait_for_the_clients_waking_hours(
    desk: CoachDesk, tutor: Tutor, database: Database, clock: FixedClock
) -> None:
    await tutor.consent(CLIENT.says(""))
    await tutor.change_settings(
        CLIENT, SettingsChange(timezone="Asia/Tokyo", quiet_hours="19:00-09:00")
    )
    await assigned(desk)  # due Friday 20:00 in Tokyo
    due = datetime(2026, 3, 6, 11, 0, tzinfo=UTC)
    assert (await the_assignment(database)).due_at == due
    clock.now = due - timedelta(hours=24)  # Thursday 20:00 in Tokyo: quiet
    assert await desk.sweep_reminders() == 0
    morning = datetime(2026, 3, 6, 0, 0, tzinfo=UTC)  # Friday 09:00 in Tokyo
    assert (await the_assignment(database)).next_reminder_at == morning
    clock.now = morning
    assert await desk.sweep_reminders() == 1


async def test_the_assignment_dm_waits_for_the_morning(
    desk: CoachDesk, tutor: Tutor, database: Database
) -> None:
    await tutor.consent(CLIENT.says(""))
    await tutor.change_settings(CLIENT, SettingsChange(timezone="America/Los_Angeles"))
    await assigned(desk)  # Monday 09:00 UTC is 01:00 in Los Angeles
    [offer] = await outbox(database, "coach_assignment")
    assert offer.next_attempt_at == datetime(2026, 3, 2, 16, 0, tzinfo=UTC)  # 08:00 there


@pytest.mark.parametrize(("mode", "expected"), [("overdue", ["overdue"]), ("off", [])])
async def test_the_coach_can_turn_reminders_down(
    desk: CoachDesk, database: Database, clock: FixedClock, mode: str, expected: list[str]
) -> None:
    await link(desk)
    await desk.reminders_for(COACH, "Sam", mode)
    await desk.assign(COACH, "Sam", await saved_exercise(desk), "friday")
    for hours in range(0, 24 * 7, 6):
        clock.now = MONDAY + timedelta(hours=hours)
        await desk.sweep_reminders()
    assert [r.payload["reminder"] for r in await reminders(database)] == expected


async def test_an_ended_link_stops_its_reminders(
    desk: CoachDesk, database: Database, clock: FixedClock
) -> None:
    await assigned(desk)
    assert "no longer sees your work" in (await desk.end(CLIENT)).text
    clock.now = DUE + timedelta(hours=12)
    assert await desk.sweep_reminders() == 0
    assert (await the_assignment(database)).state == "cancelled"


class Recorder:
    """A delivery that records what it was asked to send."""

    def __init__(self) -> None:
        self.sent: list[str] = []

    async def deliver(self, message: OutboxMessage) -> DeliveryResult:
        self.sent.append(message.idempotency_key)
        return DeliveryResult("sent")


async def test_each_reminder_is_delivered_exactly_once(
    desk: CoachDesk, database: Database, clock: FixedClock
) -> None:
    await assigned(desk)
    recorder = Recorder()
    sender = OutboxSender(database, {"discord": recorder}, {}, clock=clock, worker="w1")
    for hours in range(0, 24 * 9, 4):
        clock.now = MONDAY + timedelta(hours=hours)
        await desk.sweep_reminders()
        await desk.sweep_reminders()
        await sender.drain()
    assert len(recorder.sent) == len(set(recorder.sent))
    reminders_sent = [k for k in recorder.sent if ":reminder:" in k]
    assert len(reminders_sent) == 3  # one before, two overdue, then the pause
    assert any(":assigned:" in k for k in recorder.sent)


async def test_the_stuck_flag_is_raised_once_per_assignment(
    desk: CoachDesk, database: Database, clock: FixedClock
) -> None:
    await assigned(desk)
    await desk.reminders_for(COACH, "Sam", "all", pause_after=1)
    for days in range(4, 30):
        clock.now = MONDAY + timedelta(days=days)
        await desk.sweep_reminders()
    async with database.session() as session:
        flags = (await session.execute(select(CoachFlag))).scalars().all()
    assert [(f.kind, f.once_key) for f in flags] == [("stuck", "assignment:1")]
