"""The tutor on Slack: signed requests through the real bolt app, replies to the mock Web API."""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import AsyncIterator

import pytest
from slack_bolt.request.async_request import AsyncBoltRequest
from sqlalchemy import select

from bot.content.loader import load_catalog
from bot.services.tutor import Tutor
from bot.store.db import Database
from bot.store.models import User
from tests.adapters.slack_harness import USER, SlackHarness, running_slack
from tests.conftest import ROOT, FixedClock
from tests.fakes import slack_requests as rq
from tests.fakes.fake_slack import FakeSlack

DEMO = ROOT / "tests" / "demo_courses"
REFLECTION = (
    "Because thirds and quarters are different sized pieces, you need the same size of "
    "piece (twelfths) before you can add them."
)


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    async with FakeSlack() as server:
        yield server
    assert server.server_errors == []
    assert server.unknown_methods() == []


@pytest.fixture
def demo_tutor(database: Database, clock: FixedClock) -> Tutor:
    return Tutor(database, load_catalog([DEMO]), clock=clock, rng=random.Random(1))


@pytest.fixture
async def slack(
    fake: FakeSlack, demo_tutor: Tutor, database: Database
) -> AsyncIterator[SlackHarness]:
    async with running_slack(fake, demo_tutor, database) as harness:
        yield harness


async def users(database: Database) -> list[User]:
    async with database.session() as session:
        return list((await session.execute(select(User))).scalars())


async def agreed(slack: SlackHarness, user: str = USER) -> None:
    """The learner says hello and agrees."""
    (ask,) = await slack.reply("hello", user)
    before = len(slack.fake.dm(user))
    await slack.click(ask, "tutor:consent", user)
    await slack.fake.wait_until(lambda: len(slack.fake.dm(user)) > before)


async def test_first_dm_asks_consent_and_stores_nothing(
    slack: SlackHarness, database: Database
) -> None:
    (ask,) = await slack.reply("hello")
    assert "Is that OK?" in ask.shown
    assert ask.buttons == ["tutor:consent"]
    assert await users(database) == []


async def test_consent_then_an_exercise_with_hint_and_reflection_then_progress_with_chart(
    slack: SlackHarness, fake: FakeSlack, database: Database
) -> None:
    fake.set_profile(USER, name="Ann", tz="Europe/Paris", locale="fr-FR")
    await agreed(slack)
    welcome = fake.dm(USER)[-1]
    assert "Thank you!" in welcome.shown and "start demo" in welcome.shown
    (learner,) = await users(database)
    assert (learner.display_name, learner.timezone) == ("Ann", "Europe/Paris")
    assert learner.locale == "fr-FR"  # Slack's language tag becomes the learner's default
    assert learner.dm_channel_id == fake.dm_channel(USER)

    intro, exercise = await slack.reply("start demo", count=2)
    assert "Demo fractions" in intro.shown
    assert "1/3 + 1/4" in exercise.shown
    assert exercise.buttons == ["tutor:hint", "tutor:skip"]
    before = len(fake.dm(USER))
    await slack.click(exercise, "tutor:hint")
    await fake.wait_until(lambda: len(fake.dm(USER)) > before)
    assert "nudge" in fake.dm(USER)[-1].shown
    (asked_why,) = await slack.reply("7/12")
    assert "Why did you need a common denominator" in asked_why.shown
    (done,) = await slack.reply(REFLECTION)
    assert "worth keeping" in done.shown

    response, url = await slack.command("progress")
    assert response.status == 200
    channel = fake.dm_channel(USER)
    await fake.wait_until(lambda: bool(fake.files_in(channel)) and bool(slack.responses_to(url)))
    (chart,) = fake.files_in(channel)
    assert chart.filename == "progress-demo.png"
    assert chart.data.startswith(b"\x89PNG")
    progress = fake.dm(USER)[-1]
    assert "Adding fractions" in progress.shown
    assert "direct message" in slack.responses_to(url)[0].text  # asked in a channel


async def test_the_slash_command_is_acknowledged_before_the_work_is_done(
    slack: SlackHarness, fake: FakeSlack
) -> None:
    await agreed(slack)
    held = fake.hold("chat.postMessage")
    response, _url = await slack.command("hint", channel=fake.dm_channel(USER))
    assert response.status == 200, "acknowledged while the reply is still on its way"
    held.release.set()
    await fake.wait_until(lambda: "no exercise open" in fake.dm(USER)[-1].shown)


async def test_a_retried_event_is_answered_once(slack: SlackHarness, fake: FakeSlack) -> None:
    await agreed(slack)
    before = len(fake.dm(USER))
    request = rq.event(rq.dm(USER, "start demo"), event_id="Ev0RETRIED")
    first = await slack.send(request)
    again = await slack.send(request, retry=1)
    assert (first.status, again.status) == (200, 200)
    await fake.wait_until(lambda: len(fake.dm(USER)) - before >= 2)
    await slack.adapter.running.wait_idle()  # whatever the retry started has finished
    messages = fake.dm(USER)[before:]
    assert len(messages) == 2, [m.shown[:40] for m in messages]  # the intro and the problem
    assert "1/3 + 1/4" in messages[-1].shown


async def test_a_retry_that_reaches_another_process_is_answered_once(
    fake: FakeSlack, demo_tutor: Tutor, database: Database, clock: FixedClock
) -> None:
    other_tutor = Tutor(database, demo_tutor.catalog, clock=clock, rng=random.Random(1))
    async with (
        running_slack(fake, demo_tutor, database) as first,
        running_slack(fake, other_tutor, database) as second,
    ):
        await agreed(first)
        before = len(fake.dm(USER))
        request = rq.event(rq.dm(USER, "start demo"), event_id="Ev0ELSEWHERE")
        assert (await first.send(request)).status == 200
        assert (await second.send(request, retry=1)).status == 200
        await fake.wait_until(lambda: len(fake.dm(USER)) - before >= 2)
        await first.adapter.running.wait_idle()
        await second.adapter.running.wait_idle()
    messages = fake.dm(USER)[before:]
    assert len(messages) == 2, [m.shown[:40] for m in messages]  # the intro and the problem


async def test_a_bad_signature_or_an_old_timestamp_is_refused_unlogged(
    fake: FakeSlack, demo_tutor: Tutor, database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # before the app exists: its loggers take their level then
    async with running_slack(fake, demo_tutor, database) as slack:
        request = rq.event(rq.dm(USER, "words of a learner"))
        assert slack.adapter.app is not None
        forged = await slack.adapter.app.async_dispatch(
            AsyncBoltRequest(body=request.body, headers=request.headers("not-the-secret"))
        )
        old = await slack.send(request, timestamp=int(time.time()) - 10 * 60)
    assert (forged.status, old.status) == (401, 401)
    assert fake.calls_to("chat.postMessage") == []
    assert "words of a learner" not in caplog.text


async def test_a_429_on_a_reply_waits_for_retry_after(slack: SlackHarness, fake: FakeSlack) -> None:
    fake.rate_limit_next("chat.postMessage", retry_after=1)
    (ask,) = await slack.reply("hello")
    assert "Is that OK?" in ask.shown
    limited, sent = [c for c in fake.calls if c.method == "chat.postMessage"]
    assert limited.status == 429 and sent.status == 200
    assert sent.time - limited.time >= 0.95, "waited Retry-After before trying again"
    assert len(fake.dm(USER)) == 1


async def test_bot_messages_edits_and_channel_messages_are_ignored(
    slack: SlackHarness, fake: FakeSlack
) -> None:
    await slack.dm("from a bot", bot_id="B0OTHER")
    await slack.dm("edited", subtype="message_changed")
    await slack.send(rq.event({**rq.dm(USER, "hi"), "channel_type": "channel", "channel": "C1"}))
    (ask,) = await slack.reply("hello")  # the next real DM is the first answered
    await slack.adapter.running.wait_idle()
    assert "Is that OK?" in ask.shown
    assert len(fake.calls_to("chat.postMessage")) == 1


async def test_lettered_options_are_buttons_that_answer(
    slack: SlackHarness, fake: FakeSlack
) -> None:
    await agreed(slack)
    _intro, exercise = await slack.reply("start demo-options", count=2)
    assert exercise.buttons[:4] == [f"tutor:say:{c}" for c in "abcd"]
    assert exercise.buttons[4:] == ["tutor:hint", "tutor:skip"]
    before = len(fake.dm(USER))
    await slack.click(exercise, "tutor:say:c")
    await fake.wait_until(lambda: len(fake.dm(USER)) > before)
    assert "a)" not in fake.dm(USER)[-1].shown


async def test_code_blocks_render_as_slack_code_without_a_language(
    fake: FakeSlack, database: Database, clock: FixedClock
) -> None:
    tutor = Tutor(database, load_catalog([ROOT / "content"]), clock=clock, rng=random.Random(3))
    async with running_slack(fake, tutor, database) as slack:
        await agreed(slack)
        await slack.reply("start python-basics", count=2)
        shown = "\n".join(m.shown for m in fake.dm(USER))
        assert "```python" not in shown
        assert "```\n" in shown or "`" in shown


async def test_the_course_menu_searches_and_starts_a_course(
    slack: SlackHarness, fake: FakeSlack
) -> None:
    await agreed(slack)
    _response, url = await slack.command("learn")
    await fake.wait_until(lambda: bool(slack.responses_to(url)))
    assert slack.responses_to(url)[0].buttons == ["tutor:course"]
    options = await slack.send(rq.course_search(USER, "verb"))
    found = json.loads(options.body)["options"]
    assert [o["value"] for o in found] == ["demo-verbs"]
    before = len(fake.dm(USER))
    await slack.send(rq.select_course(USER, "demo", response_url=url))
    await fake.wait_until(lambda: len(fake.dm(USER)) >= before + 2)
    assert "Demo fractions" in fake.dm(USER)[before].shown


async def test_settings_form_refuses_a_bad_zone_and_saves_a_good_one(
    slack: SlackHarness, fake: FakeSlack, database: Database
) -> None:
    await agreed(slack)
    await slack.command("settings")
    await fake.wait_until(lambda: bool(fake.opened_views))
    form = fake.opened_views[-1]
    assert form["callback_id"] == "tutor:settings-modal"
    refused = await slack.send(rq.submit(USER, form, {"timezone": "Mars/Olympus"}))
    answer = json.loads(refused.body)
    assert answer["response_action"] == "errors" and "timezone" in answer["errors"]
    before = len(fake.dm(USER))
    saved = await slack.send(
        rq.submit(
            USER,
            form,
            {
                "timezone": "Asia/Tokyo",
                "quiet": "22:00-07:00",
                "pause": "0",
                "interests": "football, cooking",
            },
        )
    )
    assert saved.status == 200 and not saved.body
    await fake.wait_until(lambda: len(fake.dm(USER)) > before)
    assert "Asia/Tokyo" in fake.dm(USER)[-1].shown
    assert "Interests: football, cooking" in fake.dm(USER)[-1].shown
    (learner,) = await users(database)
    assert (learner.timezone, learner.quiet_start, learner.quiet_end, learner.interests) == (
        "Asia/Tokyo",
        "22:00",
        "07:00",
        "football, cooking",
    )


async def test_a_long_answer_form_answers_the_exercise(
    slack: SlackHarness, fake: FakeSlack
) -> None:
    await agreed(slack)
    await slack.reply("start demo", count=2)
    await slack.command("answer")
    await fake.wait_until(lambda: bool(fake.opened_views))
    form = fake.opened_views[-1]
    assert form["callback_id"] == "tutor:long-answer-modal"
    before = len(fake.dm(USER))
    await slack.send(rq.submit(USER, form, {"answer": "7/12"}))
    await fake.wait_until(lambda: len(fake.dm(USER)) > before)
    assert "Why did you need a common denominator" in fake.dm(USER)[-1].shown


async def test_export_is_a_file_in_the_dm_and_forget_needs_a_confirmation(
    slack: SlackHarness, fake: FakeSlack, database: Database
) -> None:
    await agreed(slack)
    await slack.command("export")
    channel = fake.dm_channel(USER)
    await fake.wait_until(lambda: bool(fake.files_in(channel)))
    (export,) = fake.files_in(channel)
    data = json.loads(export.data)
    assert data["users"][0]["platform_user_id"] == USER
    _response, url = await slack.command("forget")
    await fake.wait_until(lambda: bool(slack.responses_to(url)))
    question = slack.responses_to(url)[0]
    assert question.buttons == ["tutor:forget-confirm"] and question.ephemeral
    assert len(await users(database)) == 1, "nothing is deleted before the confirmation"
    await slack.send(rq.click(USER, "tutor:forget-confirm", ephemeral_url=url))
    await fake.wait_until(lambda: len(slack.responses_to(url)) >= 2)
    done = slack.responses_to(url)[-1]
    assert "deleted" in done.text and done.replace_original
    assert await users(database) == []


async def test_app_home_shows_the_learners_real_progress_and_follows_it(
    slack: SlackHarness, fake: FakeSlack
) -> None:
    await slack.send(rq.event(rq.home_opened(USER)))
    await fake.wait_until(lambda: bool(fake.published))
    _user, first = fake.published[-1]
    assert any("tutor:consent" in json.dumps(b) for b in first["blocks"])
    await agreed(slack)
    await slack.reply("start demo", count=2)
    await fake.wait_until(lambda: "Adding fractions" in json.dumps(fake.published[-1][1]))
    home = json.dumps(fake.published[-1][1])
    assert "Open exercise" in home and "tutor:next" in home
    published = len(fake.published)
    await slack.reply("7/12")
    await fake.wait_until(lambda: len(fake.published) > published)
    assert "No exercise is open" not in json.dumps(fake.published[-1][1])
    await slack.adapter.running.wait_idle()
    count = len(fake.published)
    await slack.reply("help")  # a turn that changes nothing App Home shows publishes nothing
    await slack.adapter.running.wait_idle()
    assert len(fake.published) == count


async def test_buttons_keep_working_after_a_restart(
    fake: FakeSlack, demo_tutor: Tutor, database: Database
) -> None:
    async with running_slack(fake, demo_tutor, database) as slack:
        await agreed(slack)
        _intro, exercise = await slack.reply("start demo", count=2)
    async with running_slack(fake, demo_tutor, database) as restarted:
        before = len(fake.dm(USER))
        await restarted.click(exercise, "tutor:hint")
        await fake.wait_until(lambda: len(fake.dm(USER)) > before)
        assert "nudge" in fake.dm(USER)[-1].shown


async def test_the_assistant_panel_suggests_prompts_and_shows_a_status(
    slack: SlackHarness, fake: FakeSlack
) -> None:
    channel = fake.dm_channel(USER)
    await slack.send(rq.event(rq.assistant_thread_started(USER, channel, "1700000000.000100")))
    await fake.wait_until(lambda: bool(fake.calls_to("assistant.threads.setSuggestedPrompts")))
    prompts = fake.calls_to("assistant.threads.setSuggestedPrompts")[0].args["prompts"]
    assert {"title": "Continue my course", "message": "next"} in prompts
    await slack.dm("hello", thread_ts="1700000000.000100")
    await fake.wait_until(lambda: bool(fake.dm(USER)))
    (ask,) = fake.dm(USER)
    assert ask.thread_ts == "1700000000.000100" and "Is that OK?" in ask.shown
    (status,) = fake.calls_to("assistant.threads.setStatus")
    assert status.time < fake.calls_to("chat.postMessage")[0].time


async def test_an_unexpected_error_is_one_sentence_and_one_traceback(
    slack: SlackHarness,
    fake: FakeSlack,
    demo_tutor: Tutor,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def broken(message: object) -> None:
        raise RuntimeError("the tutor broke")

    monkeypatch.setattr(demo_tutor, "handle", broken)
    caplog.set_level(logging.DEBUG)
    await slack.dm("my secret answer")
    await fake.wait_until(lambda: bool(fake.dm(USER)))
    assert "Something went wrong" in fake.dm(USER)[0].text
    failures = [r for r in caplog.records if r.exc_info]
    assert len(failures) == 1 and "the message event failed" in failures[0].getMessage()
    assert "my secret answer" not in caplog.text
    assert fake.bot_token not in caplog.text


async def test_app_home_buttons_answer_in_the_dm(slack: SlackHarness, fake: FakeSlack) -> None:
    await agreed(slack)
    await slack.reply("start demo", count=2)
    await slack.send(rq.event(rq.home_opened(USER)))
    await fake.wait_until(lambda: "tutor:next" in json.dumps(fake.published[-1][1]))
    before = len(fake.dm(USER))
    await slack.send(rq.click(USER, "tutor:next", home=True))
    await fake.wait_until(lambda: len(fake.dm(USER)) > before)
    assert "1/3 + 1/4" in fake.dm(USER)[-1].shown, "Continue resumes the open exercise"
    await slack.send(rq.click(USER, "tutor:settings", home=True))
    await fake.wait_until(lambda: bool(fake.opened_views))
    assert fake.opened_views[-1]["callback_id"] == "tutor:settings-modal"
