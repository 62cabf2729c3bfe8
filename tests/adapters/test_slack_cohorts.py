"""A course creator's cohort on Slack, end to end through the real bolt app with signed
requests, the local mock Web API and the real outbox sender: uploads, `/cohort`, joining by
button and by channel membership, the weekly channel post, status, CSV, chart, scoping."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

import pytest
from sqlalchemy.orm import Session

from bot.adapters.slack import SlackAdapter, SlackDelivery
from bot.runtime import Root
from bot.scheduling.sender import OutboxSender, RateLimiter
from bot.services.cohort_automations import CohortAutomations
from bot.services.cohort_desk import CohortDesk
from bot.services.course_shelf import CourseShelf
from bot.services.messages import Person
from bot.services.tutor import Tutor
from bot.store import outbox as outbox_store
from bot.store.db import Database
from bot.store.models import OutboxMessage, User
from tests.adapters.slack_harness import SlackHarness, running_slack, slack_settings
from tests.conftest import FixedClock
from tests.fakes import slack_requests as rq
from tests.fakes.fake_slack import FakeSlack, Posted
from tests.services.test_cohort_desk import user_id
from tests.services.test_cohort_status import recorded_work
from tests.services.test_course_shelf import FIRST_STEP, HEADER, V1, course_zip

MAYA, ADA, BO, CY, DEE, LEE = "U0MAYA", "U0ADA", "U0BO", "U0CY", "U0DEE", "U0LEE"
CHANNEL, OTHER_TEAM, OTHER_CHANNEL = "C0COURSE", "T0OTHER", "C0ELSEWHERE"
COURSE = "fractions-and-equations"
WORKSHEET = (
    b"# Week one\n## Plans\n1. Who will you ask for feedback?\n2. What is 2 + 3? Answer: 5\n"
)


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    async with FakeSlack() as server:
        server.set_profile(MAYA, name="Maya", admin=True)
        server.set_profile(LEE, name="Lee", owner=True)
        for user, name in ((ADA, "Ada"), (BO, "Bo"), (CY, "Cy"), (DEE, "Dee")):
            server.set_profile(user, name=name, tz="Europe/Paris")
        yield server
    assert server.server_errors == []
    assert server.unknown_methods() == []


@asynccontextmanager
async def running(fake: FakeSlack, tutor: Tutor, database: Database) -> AsyncIterator[SlackHarness]:
    """The Slack adapter over a root carrying the cohort desk and the course shelf."""
    settings = slack_settings(fake)
    clock, defaults = tutor.clock, tutor.user_defaults
    desk = CohortDesk(database, tutor.catalog, clock=clock, user_defaults=defaults)
    shelf = CourseShelf(database, tutor.catalog, clock=clock, user_defaults=defaults)
    root = Root(settings, tutor.catalog, database, tutor, cohorts=desk, shelf=shelf)
    adapter = SlackAdapter(settings)
    try:
        delivery = (await adapter.connect(root))["slack"]
        assert isinstance(delivery, SlackDelivery)
        yield SlackHarness(fake, adapter, delivery)
    finally:
        await adapter.close()


async def cohort(
    slack: SlackHarness, text: str, user: str, channel: str = CHANNEL, team: str = "T0TEAM"
) -> Posted:
    """`/cohort text`; wait for the answer only the typist sees."""
    url = slack.fake.response_url()
    request = rq.slash("/cohort", user, text, response_url=url, channel=channel, team_id=team)
    assert (await slack.send(request)).status == 200
    await slack.fake.wait_until(lambda: bool(slack.responses_to(url)))
    answer = slack.responses_to(url)[0]
    assert answer.ephemeral
    return answer


async def create(
    slack: SlackHarness, text: str, user: str, channel: str = CHANNEL, team: str = "T0TEAM"
) -> Posted:
    """`/cohort create …` that succeeds: the cohort's message arrives in the channel."""
    url = slack.fake.response_url()
    before = len(slack.fake.messages)
    request = rq.slash(
        "/cohort", user, f"create {text}", response_url=url, channel=channel, team_id=team
    )
    assert (await slack.send(request)).status == 200
    await slack.fake.wait_until(
        lambda: any(m.channel == channel for m in slack.fake.messages[before:])
    )
    (posted,) = [m for m in slack.fake.messages[before:] if m.channel == channel]
    assert "Cohort #" in posted.shown and slack.responses_to(url) == []
    return posted


async def in_dm(slack: SlackHarness, user: str, needle: str, after: int = 0) -> Posted:
    """Wait for a DM message (from the `after`th on) showing `needle`; return it."""

    def found() -> Posted | None:
        return next((m for m in slack.fake.dm(user)[after:] if needle in m.shown), None)

    await slack.fake.wait_until(lambda: found() is not None)
    message = found()
    assert message is not None
    return message


async def in_channel(slack: SlackHarness, needle: str, channel: str = CHANNEL) -> Posted:
    """Wait for a message in a channel showing `needle`."""

    def found() -> Posted | None:
        shown = (m for m in slack.fake.messages if m.channel == channel and needle in m.shown)
        return next(shown, None)

    await slack.fake.wait_until(lambda: found() is not None)
    message = found()
    assert message is not None
    return message


async def share(slack: SlackHarness, user: str, name: str, data: bytes, needle: str) -> Posted:
    """The user shares a file in the app's DM; wait for the answer showing `needle`."""
    before = len(slack.fake.dm(user))
    shared = slack.fake.shared_file(name, data)
    assert (await slack.send(rq.event(rq.file_share(user, [shared])))).status == 200
    return await in_dm(slack, user, needle, before)


async def stored(database: Database, user: str) -> bool:
    """Whether anything is stored about a Slack user."""

    def read(session: Session) -> bool:
        return session.query(User).filter(User.platform_user_id == user).first() is not None

    return await database.run(read)


async def joins_with_consent(
    slack: SlackHarness, database: Database, user: str, joined: Posted | None
) -> None:
    """Join with the channel's button (or by joining the channel), then agree in the DM."""
    before = len(slack.fake.dm(user))
    if joined is not None:
        await slack.click(joined, "tutor:cohort-join:1", user)
    else:
        assert (await slack.send(rq.event(rq.member_joined(user, CHANNEL)))).status == 200
    asked = await in_dm(slack, user, "never what you wrote", before)
    assert asked.buttons == ["tutor:cohort-consent:1"]
    assert not await stored(database, user)  # nothing before the click
    await slack.click(asked, "tutor:cohort-consent:1", user)
    await in_dm(slack, user, "Welcome to Fractions and equations!", before)


def sender(slack: SlackHarness, database: Database, clock: FixedClock) -> OutboxSender:
    """The real outbox sender with this adapter's Slack delivery."""
    limits = {"slack": RateLimiter(1.0)}
    return OutboxSender(database, {"slack": slack.delivery}, limits, clock=clock, worker="test")


async def enqueue(
    database: Database, clock: FixedClock, user: int, kind: str, recipient: str, payload: dict
) -> None:
    """An automation's outbox row, as the cohort sweeps write it."""
    row = outbox_store.NewMessage(
        user, "slack", recipient, kind, payload, f"{kind}:{recipient}:1", clock(), clock()
    )
    await database.run(outbox_store.enqueue, [row])


async def outbox_statuses(database: Database) -> list[str]:
    """Every outbox row's status."""

    def read(session: Session) -> list[str]:
        return [m.status for m in session.query(OutboxMessage).all()]

    return await database.run(read)


WEEK_POST = {
    "text": "Week 1 of Fractions and equations: Equivalent fractions.",
    "choices": [{"action": "cohort-start:1", "label": "Start practising"}],
    "thread": {"title": "This week's question", "text": "Is 2/4 the same as 1/2? Why?"},
    "cohort_id": 1,
    "week": 1,
}


async def test_a_creator_runs_a_cohort_from_upload_to_status(
    fake: FakeSlack, tutor: Tutor, database: Database, clock: FixedClock
) -> None:
    async with running(fake, tutor, database) as slack:
        broken = course_zip(
            ("course.yaml", HEADER), ("follow.yaml", FIRST_STEP.replace("min: 8", ""))
        )
        report = await share(slack, MAYA, "team-talks.zip", broken.data, "problem(s) found")
        assert "team-talks/follow.yaml:7: missing field 'criteria.0.min'" in report.shown
        assert "nothing was stored" in report.shown
        stored = await share(slack, MAYA, "team-talks.zip", V1.data, "Stored version 1")
        assert "Team talks (team-talks)" in stored.shown
        draft = await share(slack, MAYA, "week.md", WORKSHEET, "draft course")
        assert "It is not published" in draft.shown
        await fake.wait_until(lambda: bool(fake.files_in(fake.dm_channel(MAYA))))
        assert [f.filename for f in fake.files_in(fake.dm_channel(MAYA))] == ["week-one.zip"]

        join = await create(slack, f"{COURSE} 2026-03-02 weekly Europe/Paris", MAYA)
        assert "Cohort #1" in join.shown and "(Europe/Paris), a skill per week" in join.shown
        assert join.buttons == ["tutor:cohort-join:1"]

        await joins_with_consent(slack, database, ADA, join)
        await joins_with_consent(slack, database, BO, join)
        await joins_with_consent(slack, database, CY, None)  # joined the channel: asked in a DM
        assert "already in" in (await cohort(slack, "join", ADA)).shown
        assert "now sees" in (await cohort(slack, "staff add <@U0BO|bo>", MAYA)).shown
        assert "Only the cohort's creator" in (await cohort(slack, "end", BO)).shown
        assert "3 member(s)" in (await cohort(slack, "status", BO)).shown
        assert "no longer see" in (await cohort(slack, "staff remove <@U0BO>", MAYA)).shown
        assert "Say who" in (await cohort(slack, "staff add bo", MAYA)).shown
        assert "leaderboard of" in (await cohort(slack, "leaderboard on", MAYA)).shown
        assert "off the leaderboard" in (await cohort(slack, "leaderboard out", CY)).shown
        nudges = await cohort(slack, "automations nudge 5 certificates on", MAYA)
        assert "nudges after 5 idle day(s)" in nudges.shown and "certificates on" in nudges.shown

        maya = await user_id(database, Person("slack", MAYA))
        await enqueue(database, clock, maya, "cohort_post", CHANNEL, WEEK_POST)
        # the Join message took the channel's slot: a row due in the same second is deferred
        await asyncio.sleep(slack.delivery.pacing.channels.delay(CHANNEL))
        assert await sender(slack, database, clock).drain() == 1
        assert await sender(slack, database, clock).drain() == 0
        assert await outbox_statuses(database) == ["sent"]
        posts = [m for m in fake.messages if m.channel == CHANNEL and m.thread_ts is None]
        week = posts[-1]
        assert "Week 1 of Fractions" in week.shown
        assert week.buttons == ["tutor:cohort-start:1"]
        (thread,) = [m for m in fake.messages if m.thread_ts == week.ts]
        assert "Is 2/4 the same as 1/2?" in thread.shown and thread.channel == CHANNEL

        for member in (ADA, BO, CY):  # each starts the cohort's course in their own DM
            before = len(fake.dm(member))
            await slack.click(week, "tutor:cohort-start:1", member)
            await fake.wait_until(lambda m=member, b=before: len(fake.dm(m)) > b)
        assert "5/6 = ?/12" in fake.dm(ADA)[-1].shown  # placement, then the course
        worked = await slack.reply("10", ADA)
        assert worked and "5/6 = ?/12" not in worked[-1].shown

        ids = {
            name: await user_id(database, Person("slack", u))
            for name, u in (("Ada", ADA), ("Bo", BO), ("Cy", CY))
        }
        await database.run(recorded_work, ids, clock())
        status = await cohort(slack, "status", MAYA)
        assert "Ada on Adding fractions with like denominators" in status.shown
        assert "misconception: added-denominators" in status.shown
        assert "added-denominators: 2 member(s)" in status.shown
        discuss = "tutor:cohort-discuss:1:added-denominators"
        assert status.buttons[:2] == ["tutor:cohort-chart:1", "tutor:cohort-csv:1"]
        assert discuss in status.buttons

        for button in ("tutor:cohort-csv:1", "tutor:cohort-chart:1"):
            url = fake.response_url()
            assert (await slack.send(rq.click(MAYA, button, ephemeral_url=url))).status == 200
            await fake.wait_until(lambda u=url: bool(slack.responses_to(u)))
        await fake.wait_until(lambda: len(fake.files_in(fake.dm_channel(MAYA))) == 3)
        names = sorted(f.filename for f in fake.files_in(fake.dm_channel(MAYA)))
        assert names[0] == "cohort-1-20260302.csv" and names[1] == "cohort-1.png"
        csv_file = next(
            f for f in fake.files_in(fake.dm_channel(MAYA)) if f.filename.endswith("csv")
        )
        assert b"added-denominators" in csv_file.data
        assert all(f.channel == fake.dm_channel(MAYA) for f in fake.files.values() if f.data)

        url = fake.response_url()
        assert (await slack.send(rq.click(MAYA, discuss, ephemeral_url=url))).status == 200
        await in_channel(slack, "Is a half plus a half really a half?")
        url = fake.response_url()  # a member's click on a staff button is refused, unposted
        assert (await slack.send(rq.click(ADA, discuss, ephemeral_url=url))).status == 200
        await fake.wait_until(lambda: bool(slack.responses_to(url)))
        assert "isn't one of your cohorts" in slack.responses_to(url)[0].shown
        asked = [m for m in fake.messages if "really a half" in m.shown]
        assert [m.channel for m in asked] == [CHANNEL]

        # scoping: a member asking for the status, another workspace's creator
        assert "isn't one of your cohorts" in (await cohort(slack, "status", ADA)).shown
        assert "isn't one of your cohorts" in (await cohort(slack, "csv 1", ADA)).shown
        assert "Cohort #2" in (await create(slack, COURSE, LEE, OTHER_CHANNEL, OTHER_TEAM)).shown
        refused = await cohort(slack, "status 1", LEE, OTHER_CHANNEL, OTHER_TEAM)
        assert "isn't one of your cohorts" in refused.shown
        assert (
            "isn't one of your cohorts"
            in (await cohort(slack, "chart 1", LEE, OTHER_CHANNEL, OTHER_TEAM)).shown
        )
        assert fake.files_in(fake.dm_channel(LEE)) == []
        assert fake.files_in(fake.dm_channel(ADA)) == []

    async with running(fake, tutor, database) as slack:  # a new process: old buttons work
        await joins_with_consent(slack, database, DEE, join)
        before = len(fake.dm(DEE))
        await slack.click(week, "tutor:cohort-start:1", DEE)
        await fake.wait_until(lambda: len(fake.dm(DEE)) > before)
        status = await cohort(slack, "status", MAYA)
        assert "4 member(s)" in status.shown


async def test_only_those_who_run_the_workspace_or_made_the_channel_create_or_upload(
    fake: FakeSlack, tutor: Tutor, database: Database
) -> None:
    fake.channel_creators["C0MINE"] = ADA
    async with running(fake, tutor, database) as slack:
        refused = await cohort(slack, f"create {COURSE}", BO)
        assert refused.shown.startswith("Only a workspace admin or owner")
        assert (
            "in the channel the cohort will run in"
            in (await cohort(slack, f"create {COURSE}", MAYA, "D0MAYA")).shown
        )
        mine = await create(slack, f"{COURSE} today self", ADA, "C0MINE")
        assert "self-paced" in mine.shown
        assert "Name the course" in (await cohort(slack, "create", MAYA)).shown
        assert (await cohort(slack, "frobnicate", MAYA)).shown.startswith("*/cohort*")
        upload = await share(slack, BO, "team-talks.zip", V1.data, "Only a workspace admin")
        assert "for the whole workspace's cohorts" in upload.shown
        assert not any(c.method == "files-pri" for c in fake.calls)  # not even fetched
        # Ada is no admin, but she runs a cohort here: her course is taken
        await share(slack, ADA, "team-talks.zip", V1.data, "Stored version 1")


async def test_the_upload_form_checks_the_files_it_is_given(
    fake: FakeSlack, tutor: Tutor, database: Database
) -> None:
    async with running(fake, tutor, database) as slack:
        before = len(fake.opened_views)
        url = fake.response_url()
        request = rq.slash("/cohort", MAYA, "upload", response_url=url, channel=CHANNEL)
        assert (await slack.send(request)).status == 200
        await fake.wait_until(lambda: len(fake.opened_views) > before)
        view = fake.opened_views[-1]
        assert view["blocks"][0]["element"]["type"] == "file_input"
        files = [fake.shared_file("team-talks.zip", V1.data, "application/zip")]
        submitted = rq.submit_state(MAYA, view, {"course-files": rq.files_given(files)})
        assert (await slack.send(submitted)).status == 200
        stored = await in_dm(slack, MAYA, "Stored version 1")
        assert "OK: 1 course(s), 2 skill(s), 2 exercise(s)." in stored.shown


async def test_a_channel_the_app_left_parks_the_post_and_dm_files_arrive(
    fake: FakeSlack, tutor: Tutor, database: Database, clock: FixedClock
) -> None:
    async with running(fake, tutor, database) as slack:
        await create(slack, COURSE, MAYA)
        maya = await user_id(database, Person("slack", MAYA))
        fake.absent_from.add("C0GONE")
        await enqueue(database, clock, maya, "cohort_post", "C0GONE", WEEK_POST)
        assert await sender(slack, database, clock).drain() == 1
        assert await outbox_statuses(database) == ["parked"]

        def reachable(session: Session) -> bool:
            user = session.get(User, maya)
            return user is not None and user.unreachable_at is None

        assert await database.run(reachable)  # the creator is not to blame for a channel

        png = base64.b64encode(b"\x89PNG fake").decode()
        digest = {
            "text": "Your weekly digest.",
            "attachment": {"filename": "digest.png", "content_type": "image/png", "data_b64": png},
        }
        await enqueue(database, clock, maya, "cohort_digest", MAYA, digest)
        assert await sender(slack, database, clock).drain() == 1
        await in_dm(slack, MAYA, "Your weekly digest.")
        await fake.wait_until(lambda: bool(fake.files_in(fake.dm_channel(MAYA))))
        (sent,) = fake.files_in(fake.dm_channel(MAYA))
        assert sent.filename == "digest.png" and sent.data == b"\x89PNG fake"


async def test_a_dm_file_cut_off_after_its_message_goes_on_the_retry_once(
    fake: FakeSlack, tutor: Tutor, database: Database, clock: FixedClock
) -> None:
    async with running(fake, tutor, database) as slack:
        await create(slack, COURSE, MAYA)
        maya = await user_id(database, Person("slack", MAYA))
        png = base64.b64encode(b"\x89PNG fake").decode()
        digest = {
            "text": "Your weekly digest.",
            "attachment": {"filename": "digest.png", "content_type": "image/png", "data_b64": png},
        }
        await enqueue(database, clock, maya, "cohort_digest", MAYA, digest)
        # The message is posted; the file's upload is refused.
        fake.rate_limit_next("files.getUploadURLExternal", retry_after=0)
        assert await sender(slack, database, clock).drain() == 1
        await in_dm(slack, MAYA, "Your weekly digest.")
        assert fake.files_in(fake.dm_channel(MAYA)) == []
        assert await outbox_statuses(database) == ["pending"]

        clock.advance(minutes=10)
        assert await sender(slack, database, clock).drain() == 1
        assert await outbox_statuses(database) == ["sent"]
        (sent,) = fake.files_in(fake.dm_channel(MAYA))
        assert sent.filename == "digest.png" and sent.data == b"\x89PNG fake"
        digests = [m for m in fake.messages if "Your weekly digest." in m.shown]
        assert len(digests) == 1, "the message itself is not sent twice"


async def test_a_week_post_cut_off_by_a_429_is_finished_once(
    fake: FakeSlack, tutor: Tutor, database: Database, clock: FixedClock
) -> None:
    async with running(fake, tutor, database) as slack:
        await create(slack, COURSE, MAYA)
        maya = await user_id(database, Person("slack", MAYA))
        await enqueue(database, clock, maya, "cohort_post", CHANNEL, WEEK_POST)
        await asyncio.sleep(slack.delivery.pacing.channels.delay(CHANNEL))
        held = fake.hold("chat.postMessage")  # the post goes out; its thread reply gets a 429
        draining = asyncio.create_task(sender(slack, database, clock).drain())
        await held.reached.wait()
        fake.rate_limit_next("chat.postMessage", retry_after=0)
        held.release.set()
        assert await draining == 1
        assert fake.rate_limited == 1 and await outbox_statuses(database) == ["pending"]
        clock.advance(minutes=10)
        assert await sender(slack, database, clock).drain() == 1
        assert await outbox_statuses(database) == ["sent"]
        (week,) = [m for m in fake.messages if "Week 1 of" in m.shown]
        (thread,) = [m for m in fake.messages if m.thread_ts is not None]
        assert thread.thread_ts == week.ts and "Is 2/4 the same" in thread.shown


async def test_without_the_cohort_desk_the_command_says_so(
    fake: FakeSlack, tutor: Tutor, database: Database
) -> None:
    async with running_slack(fake, tutor, database) as slack:
        assert (await cohort(slack, "status", MAYA)).shown == "Cohorts aren't available here."


async def test_the_weekly_sweep_posts_once_at_nine_in_the_cohorts_time_zone(
    fake: FakeSlack, tutor: Tutor, database: Database, clock: FixedClock
) -> None:
    automations = CohortAutomations(database, tutor.catalog, clock=clock)
    async with running(fake, tutor, database) as slack:
        await create(slack, f"{COURSE} 2026-03-02 weekly America/New_York", MAYA)
        # 09:00 UTC on the start date is 04:00 in New York: the week's post waits
        assert await automations.post_weekly() == 0
        clock.now = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)  # 09:00 in New York
        assert await automations.post_weekly() == 1
        assert await automations.post_weekly() == 0, "a second sweep posts nothing"
        await asyncio.sleep(slack.delivery.pacing.channels.delay(CHANNEL))
        assert await sender(slack, database, clock).drain() == 1
        assert await sender(slack, database, clock).drain() == 0
    posts = [m for m in fake.messages if m.channel == CHANNEL and "Start practising" in m.shown]
    assert len(posts) == 1 and posts[0].buttons == ["tutor:cohort-start:1"]
    (thread,) = [m for m in fake.messages if m.thread_ts == posts[0].ts]
    assert thread.channel == CHANNEL and "?" in thread.shown
