"""Follow-ups the coach approves: drafted from the client's work, sent only on approval."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.content.catalog import Catalog
from bot.llm.judging import ModelJudge
from bot.services.coach_desk import CoachDesk
from bot.services.coach_followups import SEND_ACTION
from bot.services.messages import Reply
from bot.services.tutor import Tutor
from bot.store.db import Database
from tests.conftest import FixedClock
from tests.fakes.fake_openai import (
    Behaviour,
    FaithfulModel,
    FakeOpenAI,
    ReceivedRequest,
    server_error,
)
from tests.fakes.fake_openai import Reply as FakeReply
from tests.llm.conftest import client_for
from tests.services.test_coaching_flow import (
    CLIENT,
    COACH,
    OTHER_COACH,
    coached_tutor,
    desk,
    link,
    outbox,
    saved_exercise,
    say,
)

__all__ = ["coached_tutor", "desk"]  # fixtures used here


def draft_id(reply: Reply) -> int:
    """The draft number a follow-up reply names (and its Send button carries)."""
    send = next(c for c in reply.choices if c.action.startswith(SEND_ACTION))
    return int(send.action.rpartition(":")[2])


async def worked_assignment(desk: CoachDesk, tutor: Tutor) -> None:
    """The client works the three-step exercise to the end, with a commitment."""
    await link(desk)
    exercise = await saved_exercise(desk)
    await desk.assign(COACH, "sam", exercise, "friday")
    await desk.start(CLIENT)
    await say(tutor, CLIENT, "My manager Ana, about the late report")
    await say(tutor, CLIENT, "I stayed quiet and sent her a long email that night about all of it")
    await say(tutor, CLIENT, "I will ask Ana for ten minutes on Friday morning to agree a deadline")


async def test_a_draft_waits_for_the_coach_and_goes_out_once_approved(
    desk: CoachDesk, coached_tutor: Tutor, database: Database
) -> None:
    await worked_assignment(desk, coached_tutor)
    drafted = await desk.followup(COACH, "sam")
    assert "nothing is sent until you press Send" in drafted.text
    assert '"A hard conversation"' in drafted.text and "ask Ana for ten minutes" in drafted.text
    assert [c.label for c in drafted.choices] == ["Send", "Edit", "Discard"]
    assert await outbox(database, "coach_followup") != []
    assert [m.status for m in await outbox(database, "coach_followup")] == ["draft"]
    number = draft_id(drafted)
    assert await desk.followup_text(COACH, number) is not None
    sent = await desk.send_followup(COACH, number, "How did the talk with Ana go?")
    assert sent.text.startswith("Approved: it goes to Sam")
    [message] = await outbox(database, "coach_followup")
    assert message.status == "pending" and message.recipient == CLIENT.user_id
    assert message.payload["text"] == "A message from Maya:\nHow did the talk with Ana go?"
    again = await desk.send_followup(COACH, number)
    assert "already sent or discarded" in again.text


async def test_another_coach_cannot_read_send_or_discard_a_draft(
    desk: CoachDesk, coached_tutor: Tutor, database: Database
) -> None:
    await worked_assignment(desk, coached_tutor)
    number = draft_id(await desk.followup(COACH, "sam"))
    await desk.invite(OTHER_COACH)  # a coach of their own, with no clients
    assert await desk.followup_text(OTHER_COACH, number) is None
    refused = await desk.send_followup(OTHER_COACH, number, "hello from a stranger")
    assert "already sent or discarded" in refused.text
    assert "isn't one of your clients" in (await desk.followup(OTHER_COACH, "sam")).text
    assert "already sent or discarded" in (await desk.discard_followup(OTHER_COACH, number)).text
    assert [m.status for m in await outbox(database, "coach_followup")] == ["draft"]
    discarded = await desk.discard_followup(COACH, number)
    assert "nothing was sent" in discarded.text
    assert await outbox(database, "coach_followup") == []


async def test_a_draft_for_a_client_who_ended_the_link_is_never_sent(
    desk: CoachDesk, coached_tutor: Tutor, database: Database
) -> None:
    await worked_assignment(desk, coached_tutor)
    number = draft_id(await desk.followup(COACH, "sam"))
    await desk.end(CLIENT)
    refused = await desk.send_followup(COACH, number)
    assert "no longer linked" in refused.text
    assert await outbox(database, "coach_followup") == []


MODEL_DRAFT = "You planned ten minutes with Ana on Friday. How did it go?"


class FollowupModel(FaithfulModel):
    """A model that drafts every follow-up with the same words."""

    def __call__(self, request: ReceivedRequest) -> Behaviour:
        """Answer one request."""
        if request.kind == "followup":
            return FakeReply(MODEL_DRAFT)
        return super().__call__(request)


@pytest.fixture
async def model_desk(
    database: Database, catalog: Catalog, clock: FixedClock
) -> AsyncIterator[tuple[CoachDesk, FakeOpenAI]]:
    """A desk whose follow-ups a model drafts, on the fake server."""
    async with FakeOpenAI(FollowupModel()) as fake:
        model = client_for(fake, retries=0)
        yield CoachDesk(database, catalog, clock=clock, followup_writer=ModelJudge(model)), fake
        await model.close()


async def test_with_a_model_the_draft_is_its_words_and_it_sees_no_names(
    model_desk: tuple[CoachDesk, FakeOpenAI], coached_tutor: Tutor
) -> None:
    desk, fake = model_desk
    await worked_assignment(desk, coached_tutor)
    drafted = await desk.followup(COACH, "sam")
    assert MODEL_DRAFT in drafted.text
    [request] = fake.chat_requests("followup")
    work = request.block("work") or ""
    assert "ask Ana for ten minutes" in work  # the client's own words, as data
    assert all(name not in request.text for name in ("Sam", "Maya", CLIENT.user_id))
    fake.script(server_error(), server_error(), server_error())
    offline = await desk.followup(COACH, "sam")
    assert "How is that going so far?" in offline.text  # the model failed: offline draft
