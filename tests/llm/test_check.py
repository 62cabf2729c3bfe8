"""`tutor llm check` against the fake server: clean, leaky, weak and unreachable models."""

from __future__ import annotations

import asyncio
import io
import socket
import sys
from collections import Counter
from dataclasses import replace
from typing import Any

import pytest

from bot.llm import check
from bot.llm.check import NOT_CONFIGURED, Scorecard, check_model, run_check, shown_url
from bot.llm.check_scorecard import TurnOutcome
from bot.llm.check_suite import REASONED, SLIPPED
from bot.settings import Settings
from tests.conftest import ROOT
from tests.fakes.fake_openai import (
    CHECK_SOLUTIONS,
    MODEL_ID,
    FaithfulModel,
    FakeOpenAI,
    ReceivedRequest,
    SensibleModel,
    SolvingLeakyModel,
)
from tests.llm.conftest import settings_for

# Where each unsound working in the suite first slips, as the learner wrote it.
SLIPS = {
    SLIPPED: "1/4 is 2/12",
    REASONED[3].text: "the top is the two bottoms added, 3 + 4 = 7",
}


class StepJudge(SensibleModel):
    """The sensible model, but it finds the first wrong step of working it knows: with
    ``steps`` as its notes, a careful judge; with other notes, a careless or a leaky one."""

    def __init__(self, steps: dict[str, str], *, everywhere: str = "") -> None:
        super().__init__()
        self.steps = steps
        self.everywhere = everywhere  # a step it finds at fault in all other working

    def judging(self, request: ReceivedRequest) -> dict[str, Any] | None:
        """Judge working by the notes; anything else as the sensible model does."""
        if request.kind != "reasoning":
            return super().judging(request)
        step = self.steps.get(request.block("learner_message") or "", self.everywhere)
        return {"sound": not step, "step": step, "confidence": 0.9}


async def checked(fake: FakeOpenAI) -> Scorecard:
    card = await check_model(settings_for(fake))
    assert isinstance(card, Scorecard), card
    return card


async def run_in_thread(settings: Settings) -> tuple[int, str, str]:
    """Run the command's function as the CLI does (its own event loop), off this loop."""
    out, err = io.StringIO(), io.StringIO()
    code = await asyncio.to_thread(run_check, settings, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


async def test_a_sensible_model_gets_a_clean_scorecard() -> None:
    async with FakeOpenAI(SensibleModel()) as fake:
        code, out, err = await run_in_thread(settings_for(fake))
        card = await checked(fake)
    assert code == 0 and err == ""
    assert card.passed and card.leaks == 0 and card.secret_turns >= 30
    assert card.withheld == card.turned_down == 0
    assert card.worded_turns >= 30 and card.in_model_words == card.worded_turns
    assert card.probed == card.vague == 6
    assert card.clarified == card.clarified_in_model_words == card.clarifying == 5
    assert all(card.judged_right) and all(card.read_right)
    # it trusts all working: the sound two right, the two that slip taken for sound
    assert card.reasoning_right == [r.sound for r in REASONED] == [True, True, False, False]
    assert (card.slips, card.slips_asked) == (1, 0)
    assert card.parsed == card.structured_calls >= len(card.call_seconds) >= 15
    assert card.mode == "json_schema" and not card.failed and card.notes() == []
    assert card.turn_tokens > 0 and card.call_tokens > 0
    assert f"{card.model} at {fake.base_url}" in out
    assert "answer leaks" in out and "PASS: no answer leaked." in out
    assert "messages read, 2/4 worked reasoning" in out
    assert "slips asked about     0/1 right answers" in out
    assert "note:" not in out


async def test_a_leaky_model_meets_the_guard_and_no_answer_goes_out() -> None:
    model = SolvingLeakyModel(CHECK_SOLUTIONS)
    async with FakeOpenAI(model) as fake:
        card = await checked(fake)
    assert model.leaks >= card.secret_turns  # it tried on every turn while the answer was secret
    assert card.leaks == 0 and card.passed
    assert card.withheld > 0  # the word answer passed the wording checks; the guard stopped it
    assert card.withheld + card.turned_down >= model.leaks
    assert card.in_model_words < card.worded_turns
    assert any("guard stopped it" in note for note in card.notes())
    assert "PASS" in card.report()
    assert card.slips == 1 and card.reasoning_right


async def test_a_judge_that_finds_each_slip_scores_the_worked_reasoning_right() -> None:
    model = StepJudge(SLIPS)
    async with FakeOpenAI(model) as fake:
        card = await checked(fake)
        (turn,) = [r for r in fake.chat_requests("word") if "needs another look" in r.text]
    assert card.reasoning_right == [True] * len(REASONED) == [True] * 4
    assert (card.slips, card.slips_asked) == (1, 1)  # the turn asked about that step
    assert "step to look at: 1/4 is 2/12" in turn.text and "3/12" not in turn.text
    assert card.leaks == 0 and card.notes() == []
    assert "4/4 worked reasoning" in card.report()


@pytest.mark.parametrize(
    ("steps", "everywhere", "right"),
    [
        ({}, "the last step", 0),  # finds fault everywhere, never the step that slips
        ({SLIPPED: "4/12 + 2/12 makes 7/12"}, "", 2),  # names a later step, misses the rule
    ],
)
async def test_a_judge_that_misjudges_working_scores_lower(
    steps: dict[str, str], everywhere: str, right: int
) -> None:
    async with FakeOpenAI(StepJudge(steps, everywhere=everywhere)) as fake:
        card = await checked(fake)
    assert sum(card.reasoning_right) == right < len(REASONED)
    assert card.leaks == 0 and card.passed


async def test_a_step_that_gives_its_result_away_is_dropped_and_never_said() -> None:
    leaky = {**SLIPS, SLIPPED: "1/4 is 3/12, not 2/12"}  # the step's real result: 3/12
    async with FakeOpenAI(StepJudge(leaky)) as fake:
        card = await checked(fake)
        said = "\n".join(r.text for r in fake.chat_requests("word"))
    assert card.reasoning_right == [True, True, False, True]
    assert "3/12, not" not in said  # never in a wording prompt, so never to the learner
    assert (card.slips, card.slips_asked) == (1, 0)  # praised instead: the offline move
    assert card.leaks == 0 and card.passed
    assert card.parsed == card.structured_calls


async def test_a_model_that_answers_in_prose_is_read_without_a_json_mode() -> None:
    async with FakeOpenAI(SensibleModel(), json_schema=False, json_object=False) as fake:
        card = await checked(fake)
    assert card.mode == "text"
    assert card.parsed == card.structured_calls >= len(card.call_seconds)
    assert card.endpoint_note == ""


async def test_a_model_without_structured_output_is_reported_weak_but_safe() -> None:
    async with FakeOpenAI(FaithfulModel()) as fake:  # it answers every judging call in prose
        card = await checked(fake)
    assert "not with the JSON" in card.endpoint_note
    assert card.parsed == 0 and card.failed["invalid_json"] == card.structured_calls > 0
    assert card.passed and card.leaks == 0
    report = card.report()
    assert "0/" in report and "under 90% of judging calls parsed" in report


async def test_an_unreachable_endpoint_exits_non_zero_with_one_sentence() -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, openai_base_url=f"http://127.0.0.1:{port}/v1", llm_max_retries=0
    )
    code, out, err = await run_in_thread(settings)
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and err.rstrip().endswith(".")
    assert f"127.0.0.1:{port}/v1 could not be reached" in err


async def test_with_no_model_configured_the_check_says_how_to_set_one() -> None:
    settings = Settings(_env_file=None, openai_base_url=None, openai_api_key=None)  # type: ignore[call-arg]
    code, out, err = await run_in_thread(settings)
    assert (code, out, err.strip()) == (1, "", NOT_CONFIGURED)


def test_the_endpoint_is_shown_without_credentials() -> None:
    assert shown_url("http://user:secret@127.0.0.1:8080/v1?key=abc") == "http://127.0.0.1:8080/v1"
    assert shown_url("https://api.openai.com/v1") == "https://api.openai.com/v1"
    assert shown_url("http://[::1]:11434/v1") == "http://[::1]:11434/v1"


def test_a_leaked_reply_fails_the_scorecard() -> None:
    card = Scorecard("m", "http://127.0.0.1:1/v1", timeout=5.0)
    words = Counter({"ok": 1})
    safe = TurnOutcome("hint", False, words, model_calls=1, seconds=0.1, tokens=10)
    card.turn(safe, secret=True)
    assert card.passed and card.report().endswith("PASS: no answer leaked.")
    card.turn(replace(safe, leaked=True), secret=True)
    card.turn(replace(safe, leaked=True), secret=False)  # the answer was no longer secret
    assert not card.passed and card.leaks == 1
    assert card.report().endswith("FAIL: an answer leaked.")


async def test_a_leak_makes_the_command_exit_non_zero(monkeypatch: pytest.MonkeyPatch) -> None:
    card = Scorecard("m", "http://127.0.0.1:1/v1", timeout=5.0, leaks=1, secret_turns=3)

    async def leaky_check(settings: Settings) -> Scorecard:
        return card

    monkeypatch.setattr(check, "check_model", leaky_check)
    settings = Settings(_env_file=None, openai_base_url="http://127.0.0.1:1/v1")  # type: ignore[call-arg]
    code, out, _err = await run_in_thread(settings)
    assert code == 1 and "FAIL: an answer leaked." in out


async def test_the_check_passes_against_the_fake_server_run_on_its_own() -> None:
    """What the README shows: the fake server as a process, then the check against it."""
    server = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.fakes.fake_openai",
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        assert server.stdout is not None
        url = (await server.stdout.readline()).decode().strip()
        assert url.startswith("http://127.0.0.1:") and url.endswith("/v1")
        settings = Settings(_env_file=None, openai_base_url=url, openai_model=MODEL_ID)  # type: ignore[call-arg]
        code, out, err = await run_in_thread(settings)
    finally:
        server.terminate()
        await server.wait()
    assert (code, err) == (0, "")
    assert "answer leaks          0 in" in out and out.rstrip().endswith("PASS: no answer leaked.")
