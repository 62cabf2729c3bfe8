"""A model's proposals for a worksheet's draft: merged only where the checker passes them."""

from __future__ import annotations

import asyncio
import io
import zipfile
from collections.abc import AsyncIterator, Mapping
from pathlib import Path
from typing import Any, Literal

import pytest
import yaml
from typer.testing import CliRunner

from bot.cli import app
from bot.content.catalog import Catalog
from bot.content.loader import check_content_report
from bot.content.upload_draft import DraftCourse
from bot.content.uploads import write_course_files
from bot.content.worksheet_import import import_worksheet
from bot.llm.client import ModelClient
from bot.llm.drafting import DraftProposal, ModelDrafter
from bot.runtime import open_root
from bot.services.course_shelf import CourseShelf, ShelfScope, UploadedFile
from bot.services.messages import Person
from bot.services.worksheet_drafting import proposed_draft
from bot.store.db import Database
from tests.conftest import ROOT
from tests.fakes.fake_openai import (
    MODEL_ID,
    Behaviour,
    FakeOpenAI,
    ReceivedRequest,
    Reply,
    server_error,
)
from tests.llm.conftest import client_for, settings_for

WORKSHEET = """\
# Fractions warm-up

## Adding fractions

1. What is 1/3 + 1/4?
   Answer: 7/12
2. Explain why you need a common denominator to add fractions.

## Planning

1. Who could you ask for help when you get stuck?
2. What will you practise next week?
"""
PROBLEM = "What is 1/3 + 1/4?"
WHY = "Explain why you need a common denominator to add fractions."
WHO = "Who could you ask for help when you get stuck?"
NEXT = "What will you practise next week?"

NO_HINTS = {"nudge": "", "specific": "", "worked": ""}


def criterion(check: str, label: str, probe: str, **fields: Any) -> dict[str, Any]:
    """A criterion as the model sends it: every field present."""
    return {"check": check, "label": label, "probe": probe, "min": None, "words": [], **fields}


def proposal(
    criteria: list[dict[str, Any]] | None = None,
    hints: Mapping[str, str] | None = None,
    misconceptions: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    """A whole proposal as the model sends it."""
    rungs = dict(hints or {"nudge": "", "specific": ""})
    return {"criteria": criteria or [], "hints": rungs, "misconceptions": misconceptions or []}


GOOD_HINTS = {
    "nudge": "What must the two fractions share before you can add them?",
    "specific": "Find a common denominator for 3 and 4, then rewrite both fractions with it.",
}
MISTAKE = {
    "wrong_answer": "2/7",
    "question": "If you add the bottom numbers, are the pieces still the same size?",
}
PROPOSALS: dict[str, dict[str, Any]] = {
    PROBLEM: proposal(hints=GOOD_HINTS, misconceptions=[MISTAKE]),
    WHY: proposal(
        [
            criterion(
                "keywords",
                "the pieces must be the same size",
                "What must be true of the pieces before you count them together?",
                min=1,
                words=["same size", "equal parts", "same denominator"],
            ),
            criterion("min_words", "a full sentence", "Can you say it in a sentence?", min=15),
        ]
    ),
    # min_items needs at least 2: the content model refuses it, so this question keeps
    # its offline guess.
    WHO: proposal(
        [
            criterion("names_person", "who", "Who exactly would you ask?"),
            criterion("min_items", "some people", "Anyone else?", min=1),
        ]
    ),
    NEXT: proposal(
        [
            criterion(
                "has_commitment", "what you will do", "What will you do? Start with 'I will'."
            ),
            criterion("has_date", "when", "Which day will you start?"),
        ]
    ),
}


class PerQuestion:
    """A model that answers each `draft` call with the proposal set for its question."""

    def __init__(self, proposals: Mapping[str, dict[str, Any]]) -> None:
        self.proposals = dict(proposals)

    def __call__(self, request: ReceivedRequest) -> Behaviour:
        """Answer one request."""
        question = request.block("question") or ""
        return Reply(data=self.proposals.get(question, proposal()))


@pytest.fixture
def offline() -> DraftCourse:
    return import_worksheet(WORKSHEET)


@pytest.fixture
async def fake() -> AsyncIterator[FakeOpenAI]:
    async with FakeOpenAI(PerQuestion(PROPOSALS)) as server:
        yield server


@pytest.fixture
async def client(fake: FakeOpenAI) -> AsyncIterator[ModelClient]:
    model = client_for(fake, retries=0)
    yield model
    await model.close()


def exercises(draft: DraftCourse) -> dict[str, dict[str, Any]]:
    """Every exercise of a draft, by its prompt."""
    found = {}
    for name, text in draft.files.items():
        if name != "course.yaml":
            for exercise in yaml.safe_load(text)["exercises"]:
                found[exercise["prompt"]] = exercise
    return found


def check_draft(draft: DraftCourse, folder: Path) -> list[str]:
    """Write a draft and run the one checker on it; return every problem and warning."""
    write_course_files(folder, draft.files)
    catalog, found = check_content_report([folder])
    assert list(catalog.courses) == [draft.course_id]
    return [str(p) for p in found]


async def test_proposals_that_check_are_merged_and_the_draft_passes_the_checker(
    offline: DraftCourse, client: ModelClient, fake: FakeOpenAI, tmp_path: Path
) -> None:
    drafted = await proposed_draft(offline, ModelDrafter(client))
    assert (drafted.proposed, drafted.offered) == (3, 4)
    before, after = exercises(offline), exercises(drafted.draft)
    problem = after[PROBLEM]
    assert problem["hints"] == {**GOOD_HINTS, "worked": before[PROBLEM]["hints"]["worked"]}
    assert problem["misconceptions"] == [{"answer": "2/7", "question": MISTAKE["question"]}]
    assert problem["answer"] == "7/12" and problem["checker"] == "numeric"
    assert [c["check"] for c in after[WHY]["criteria"]] == ["keywords", "min_words"]
    assert after[WHY]["criteria"][0]["any"] == ["same size", "equal parts", "same denominator"]
    assert after[WHY]["criteria"][1] == {
        "check": "min_words",
        "min": 15,
        "label": "a full sentence",
        "probe": "Can you say it in a sentence?",
    }
    assert after[WHO] == before[WHO]  # its proposal did not validate: the guess stays
    assert after[NEXT]["criteria"][1]["probe"] == "Which day will you start?"
    assert drafted.draft.notes[-1] == (
        "the model proposed criteria, probes, hints or misconceptions for 3 of 4 "
        "question(s): it is a draft, review them before you publish it."
    )
    assert check_draft(drafted.draft, tmp_path / "course") == []
    assert client.counters.get("draft", "ok") == 4
    assert client.counters.get("draft", "unusable") == 1
    asked = {r.block("question"): r for r in fake.chat_requests("draft")}
    assert set(asked) == {PROBLEM, WHY, WHO, NEXT}
    assert asked[PROBLEM].block("answer_key") == "7/12"
    assert "Kind: problem" in asked[PROBLEM].text
    assert asked[WHY].block("answer_key") == "(none)"
    assert "Kind: reflection" in asked[WHY].text


async def test_a_hint_or_misconception_that_gives_the_answer_away_is_dropped(
    offline: DraftCourse, client: ModelClient, fake: FakeOpenAI, tmp_path: Path
) -> None:
    leaky = proposal(
        hints={
            "nudge": "It comes out as seven twelfths: check your work gets there.",
            "specific": GOOD_HINTS["specific"],
        },
        misconceptions=[
            {"wrong_answer": "5/12", "question": "Is it not 7/12 once you rewrite them?"},
            {"wrong_answer": "14/24", "question": "Can you simplify it?"},  # it is right
            MISTAKE,
        ],
    )
    fake.model = PerQuestion({PROBLEM: leaky})
    drafted = await proposed_draft(offline, ModelDrafter(client))
    before, after = exercises(offline), exercises(drafted.draft)
    hints = after[PROBLEM]["hints"]
    assert hints["nudge"] == before[PROBLEM]["hints"]["nudge"]  # the offline rung stays
    assert hints["specific"] == GOOD_HINTS["specific"]
    assert after[PROBLEM]["misconceptions"] == [{"answer": "2/7", "question": MISTAKE["question"]}]
    assert "7/12" not in str(after[PROBLEM]["misconceptions"])
    assert drafted.proposed == 1
    assert check_draft(drafted.draft, tmp_path / "course") == []


@pytest.mark.parametrize(
    "failure",
    [server_error(), Reply(content="{ not json"), Reply(data={"criteria": "nope"})],
    ids=["500", "invalid-json", "schema-mismatch"],
)
async def test_a_failing_model_leaves_the_offline_draft(
    offline: DraftCourse, client: ModelClient, fake: FakeOpenAI, failure: Behaviour
) -> None:
    fake.script(*[failure] * 4)
    drafted = await proposed_draft(offline, ModelDrafter(client))
    assert drafted.draft.files == offline.files
    assert (drafted.proposed, drafted.offered) == (0, 4)
    assert drafted.draft.notes[-1].startswith("the model proposed nothing usable")
    assert client.counters.failures("draft") == 4
    assert client.counters.get("draft", "ok") == 0


async def test_one_failed_call_keeps_only_that_questions_guess(
    offline: DraftCourse, client: ModelClient, fake: FakeOpenAI
) -> None:
    fake.script(server_error())  # one at a time: the first question, the problem, fails
    drafted = await proposed_draft(offline, ModelDrafter(client), concurrency=1)
    before, after = exercises(offline), exercises(drafted.draft)
    assert after[PROBLEM] == before[PROBLEM]
    assert after[WHY] != before[WHY] and after[NEXT] != before[NEXT]
    assert drafted.proposed == 2


async def test_only_the_first_questions_are_offered(
    offline: DraftCourse, client: ModelClient, fake: FakeOpenAI
) -> None:
    drafted = await proposed_draft(offline, ModelDrafter(client), limit=2)
    assert {r.block("question") for r in fake.chat_requests("draft")} == {PROBLEM, WHY}
    assert (drafted.proposed, drafted.offered) == (2, 2)
    assert exercises(drafted.draft)[NEXT] == exercises(offline)[NEXT]
    assert "only the first 2 questions were offered" in drafted.draft.notes[-1]


class CountingDrafter:
    """A drafter that records how many proposals are asked for at once."""

    def __init__(self) -> None:
        self.running = 0
        self.most = 0
        self.calls = 0

    async def propose(
        self, kind: Literal["reflection", "problem"], question: str, answer: str
    ) -> DraftProposal | None:
        self.calls += 1
        self.running += 1
        self.most = max(self.most, self.running)
        for _ in range(5):  # let every other task run as far as it can
            await asyncio.sleep(0)
        self.running -= 1
        return None

    def turned_down(self) -> None:
        raise AssertionError("a failed call is not a proposal turned down")


async def test_at_most_a_few_questions_are_asked_at_once() -> None:
    sheet = "\n".join(f"{i}. Why does step {i} matter?" for i in range(1, 10))
    draft, drafter = import_worksheet(sheet), CountingDrafter()
    drafted = await proposed_draft(draft, drafter, concurrency=3)
    assert (drafter.calls, drafter.most) == (9, 3)
    assert drafted.draft.files == draft.files and drafted.proposed == 0
    without = await proposed_draft(draft, None)  # no model: the draft as it was
    assert (without.draft, without.offered) == (draft, 0)


class StuckDrafter(CountingDrafter):
    """A drafter whose calls never come back."""

    def __init__(self) -> None:
        super().__init__()
        self.never = asyncio.Event()

    async def propose(
        self, kind: Literal["reflection", "problem"], question: str, answer: str
    ) -> DraftProposal | None:
        self.calls += 1
        await self.never.wait()
        raise AssertionError("never answered")


async def test_questions_not_answered_in_time_keep_their_guesses(offline: DraftCourse) -> None:
    drafter = StuckDrafter()
    drafted = await proposed_draft(offline, drafter, seconds=0.05)
    assert drafted.draft.files == offline.files
    assert (drafted.proposed, drafted.offered, drafter.calls) == (0, 4, 4)


async def test_a_worksheet_uploaded_in_a_dm_comes_back_with_the_proposals(
    database: Database, client: ModelClient
) -> None:
    shelf = CourseShelf(database, Catalog({}), drafter=ModelDrafter(client))
    person = Person("discord", "creator-1", "Rosa")
    upload = UploadedFile("fractions.md", WORKSHEET.encode("utf-8"))
    reply = await shelf.upload(person, ShelfScope("discord", "server-a"), [upload])
    assert "It is not published" in reply.text
    assert "for 3 of 4 question(s): it is a draft" in reply.text
    assert "OK: 1 course(s), 2 skill(s), 4 exercise(s)." in reply.text
    (attachment,) = reply.attachments
    with zipfile.ZipFile(io.BytesIO(attachment.data)) as archive:
        texts = [archive.read(n).decode() for n in archive.namelist()]
    assert any("same denominator" in text for text in texts)
    assert await shelf.courses_for(ShelfScope("discord", "server-a")) == []


async def test_the_cli_import_asks_the_configured_model_and_says_how_many_took(
    fake: FakeOpenAI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FILES_DIR", str(tmp_path / "data" / "files"))
    monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
    monkeypatch.setenv("OPENAI_MODEL", MODEL_ID)
    monkeypatch.setenv("LLM_MAX_RETRIES", "0")
    sheet = tmp_path / "fractions.md"
    sheet.write_text(WORKSHEET, encoding="utf-8")
    out = tmp_path / "draft"
    command = ["content", "import", str(sheet), "--output", str(out)]
    # The command runs its own event loop: in a thread, while the fake serves on this one.
    result = await asyncio.to_thread(CliRunner().invoke, app, command)
    assert result.exit_code == 0, result.output
    assert (
        "note, the model proposed criteria, probes, hints or misconceptions for 3 of 4 "
        "question(s): it is a draft, review them before you publish it."
    ) in result.output
    assert "OK: 1 course(s), 2 skill(s), 4 exercise(s)." in result.output
    assert len(fake.chat_requests("draft")) == 4
    written = "".join(p.read_text(encoding="utf-8") for p in sorted(out.glob("*.yaml")))
    assert "same denominator" in written and "If you add the bottom numbers" in written


async def test_the_runtimes_shelf_drafts_with_the_configured_model(
    fake: FakeOpenAI, tmp_path: Path
) -> None:
    settings = settings_for(
        fake,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'tutor.db'}",
        discord_token=None,
        slack_bot_token=None,
        llm_max_retries=0,
    )
    async with open_root(settings, ROOT / "tests" / "demo_courses") as root:
        assert root.shelf is not None
        person = Person("discord", "creator-1", "Rosa")
        upload = UploadedFile("fractions.md", WORKSHEET.encode("utf-8"))
        reply = await root.shelf.upload(person, ShelfScope("discord", "server-a"), [upload])
    assert "for 3 of 4 question(s): it is a draft" in reply.text
    assert len(fake.chat_requests("draft")) == 4
