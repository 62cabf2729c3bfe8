"""One client for any OpenAI-compatible endpoint: typed calls that never raise.

Each call has a kind, a deadline (retries included) and a token budget; it returns text or
a validated pydantic object, or a `CallFailure` saying why not. Failures are logged by
kind and reason only (never a prompt or a learner's words) and counted.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import openai
from openai import AsyncOpenAI, DefaultAioHttpClient
from pydantic import BaseModel, ValidationError

from bot.llm.budget import UsageLedger, current_scope
from bot.llm.calls import CallFailure, CallKind, FailureReason, Usage
from bot.llm.counters import OK, CallCounters
from bot.llm.prompts import Prompt
from bot.llm.structured import (
    MODES,
    StructuredMode,
    extract_json,
    rejects_mode,
    response_format,
    schema_instruction,
)
from bot.settings import Settings

__all__ = ["NO_KEY", "ModelClient"]

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")

# A local server (Ollama, llama.cpp...) needs no key, but the client wants one.
NO_KEY = "no-key-needed"
DEFAULT_MAX_TOKENS = 400
KIND_HEADER = "X-Tutor-Call-Kind"
MAX_REPLY_CHARS = 20_000


class _Failed(Exception):
    """A call that got an answer, but not one that can be used."""

    def __init__(self, reason: FailureReason) -> None:
        super().__init__(reason)
        self.reason = reason


class _ModeRejected(Exception):
    """The server refused the response format it was sent."""


class ModelClient:
    """Typed, deadline-bound calls to one model on one endpoint."""

    def __init__(
        self,
        client: AsyncOpenAI,
        model: str,
        *,
        deadline: float,
        counters: CallCounters | None = None,
        ledger: UsageLedger | None = None,
    ) -> None:
        self.client = client
        self.model = model
        self.deadline = deadline
        self.counters = counters or CallCounters()
        self.ledger = ledger
        # What this server turned out to accept, remembered for the calls after.
        self.mode: StructuredMode = MODES[0]
        self._token_limit = "max_tokens"

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        *,
        counters: CallCounters | None = None,
        ledger: UsageLedger | None = None,
    ) -> ModelClient:
        """Build the client the settings describe (a placeholder key for a keyless server)."""
        key = settings.openai_api_key
        client = AsyncOpenAI(
            api_key=key.get_secret_value() if key is not None else NO_KEY,
            base_url=settings.openai_base_url,
            timeout=settings.llm_timeout_seconds,
            max_retries=settings.llm_max_retries,
            # The SDK's aiohttp transport: about a third less CPU per call than its default
            # HTTP stack (bench/bench_llm.py), which counts with hundreds of learners at once.
            http_client=DefaultAioHttpClient(timeout=settings.llm_timeout_seconds),
        )
        return cls(
            client,
            settings.openai_model,
            deadline=settings.llm_timeout_seconds,
            counters=counters,
            ledger=ledger,
        )

    async def text(
        self, kind: CallKind, prompt: Prompt, *, max_tokens: int = DEFAULT_MAX_TOKENS
    ) -> str | CallFailure:
        """Ask for plain text."""

        async def work() -> str:
            return await self._reply(kind, prompt.messages(), None, max_tokens)

        return await self._call(kind, work)

    async def structured(
        self,
        kind: CallKind,
        prompt: Prompt,
        schema: type[M],
        *,
        max_tokens: int = DEFAULT_MAX_TOKENS,
    ) -> M | CallFailure:
        """Ask for a JSON object of ``schema``, in the best mode this server takes."""
        messages = prompt.messages(schema_instruction(schema))

        async def work() -> M:
            while True:
                mode = self.mode
                try:
                    reply = await self._reply(
                        kind, messages, response_format(mode, kind, schema), max_tokens
                    )
                except _ModeRejected:
                    self._step_down(kind, mode)
                    continue
                return _parse(reply, schema)

        return await self._call(kind, work)

    async def close(self) -> None:
        """Close the HTTP connections."""
        await self.client.close()

    def _step_down(self, kind: CallKind, rejected: StructuredMode) -> None:
        """Remember that the server refused a mode; use the next one from now on."""
        if self.mode == rejected:
            self.mode = MODES[MODES.index(rejected) + 1]
            log.info("the model server refused %s output; using %s", rejected, self.mode)
            self.counters.count(kind, f"degraded_to_{self.mode}")

    async def _call(self, kind: CallKind, work: Callable[[], Awaitable[T]]) -> T | CallFailure:
        """Run one call within its budget and deadline; turn every failure into data."""
        try:
            async with asyncio.timeout(self.deadline):
                if self.ledger is not None and not await self.ledger.allows(current_scope()):
                    raise _Failed("budget_exhausted")
                result = await work()
        except _Failed as failed:
            return self._failed(kind, failed.reason)
        except openai.APITimeoutError as error:
            return self._failed(kind, "connection" if _refused(error) else "timeout")
        except TimeoutError:
            return self._failed(kind, "timeout")
        except openai.APIConnectionError:
            return self._failed(kind, "connection")
        except openai.RateLimitError:
            return self._failed(kind, "rate_limited")
        except openai.APIStatusError as error:
            return self._failed(kind, "server_error" if error.status_code >= 500 else "rejected")
        except openai.APIResponseValidationError:
            return self._failed(kind, "invalid_json")
        except Exception:
            log.exception("a %s model call failed unexpectedly", kind)
            return self._failed(kind, "unexpected")
        self.counters.count(kind, OK)
        return result

    def turned_down(self, kind: CallKind) -> CallFailure:
        """Count a reply that came back but failed its caller's own checks."""
        return self._failed(kind, "unusable")

    def _failed(self, kind: CallKind, reason: FailureReason) -> CallFailure:
        """Log and count a failed call, by kind and reason only."""
        log.warning("a %s model call failed (%s); the offline path answers", kind, reason)
        self.counters.count(kind, reason)
        return CallFailure(kind, reason)

    async def _reply(
        self,
        kind: CallKind,
        messages: list[dict[str, Any]],
        fmt: Any,
        max_tokens: int,
    ) -> str:
        """Send one chat completion; return its text, or raise why there is none."""
        # The body goes out as the plain JSON it already is, through the client's own
        # request method (retries, timeouts, auth and errors as for ``create``), and the
        # reply is read from its JSON: the SDK's typed transform of ``create``'s
        # parameters and its model of the response cost about 1.5 ms of CPU per call on
        # a 2 GHz core, which counts with hundreds of learners at once (bench_llm.py).
        body: dict[str, Any] = {
            "model": self.model,
            "messages": messages,
            self._token_limit: max_tokens,
        }
        if fmt is not None:
            body["response_format"] = fmt
        try:
            sent = await self.client.post(
                "/chat/completions",
                body=body,
                cast_to=bytes,
                options={"headers": {KIND_HEADER: kind}},
            )
        except openai.APIStatusError as error:
            if fmt is not None and rejects_mode(error.status_code, str(error)):
                raise _ModeRejected from error
            if self._token_limit_refused(error):
                return await self._reply(kind, messages, fmt, max_tokens)
            raise
        reply = _Completion.read(sent)
        self._note_usage(kind, reply, messages)
        if reply.refused:
            raise _Failed("refused")
        content = reply.content.strip()
        if not content:
            raise _Failed("empty")
        return content[:MAX_REPLY_CHARS]

    def _token_limit_refused(self, error: openai.APIStatusError) -> bool:
        """Switch to `max_completion_tokens` once, for servers that refuse `max_tokens`."""
        said = str(error)
        if error.status_code == 400 and self._token_limit == "max_tokens" and "max_tokens" in said:
            self._token_limit = "max_completion_tokens"
            return True
        return False

    def _note_usage(
        self, kind: CallKind, reply: _Completion, messages: list[dict[str, Any]]
    ) -> None:
        """Count and record the tokens a call used (estimated when the server does not say)."""
        spent = reply.usage
        if spent is None:
            sent = sum(len(str(m.get("content", ""))) for m in messages)
            spent = Usage(math.ceil(sent / 4), math.ceil(len(reply.content) / 4))
        self.counters.add_tokens(kind, spent)
        if self.ledger is not None:
            self.ledger.record(current_scope(), kind, spent)


@dataclass(frozen=True)
class _Completion:
    """What this client reads of a chat completion: the first choice and the usage."""

    content: str
    refused: bool
    usage: Usage | None

    @classmethod
    def read(cls, raw: bytes) -> _Completion:
        """Read a completion's JSON; raise why it cannot be used."""
        try:
            data = json.loads(raw)
        except ValueError:
            raise _Failed("invalid_json") from None
        if not isinstance(data, dict):
            raise _Failed("invalid_json")
        choices = data.get("choices")
        first = choices[0] if isinstance(choices, list) and choices else None
        if not isinstance(first, dict):
            raise _Failed("empty")
        message = first.get("message")
        message = message if isinstance(message, dict) else {}
        content = message.get("content")
        refused = bool(message.get("refusal")) or first.get("finish_reason") == "content_filter"
        return cls(content if isinstance(content, str) else "", refused, _usage(data.get("usage")))


def _usage(data: object) -> Usage | None:
    """The tokens a server says it counted, or None when it says nothing usable."""
    if not isinstance(data, dict):
        return None
    prompt, completion = data.get("prompt_tokens"), data.get("completion_tokens")
    if not isinstance(prompt, int) and not isinstance(completion, int):
        return None
    return Usage(
        prompt if isinstance(prompt, int) else 0, completion if isinstance(completion, int) else 0
    )


def _parse(reply: str, schema: type[M]) -> M:
    """Read the JSON object in a reply and check it against the schema."""
    try:
        data = extract_json(reply)
    except ValueError:
        raise _Failed("invalid_json") from None
    try:
        return schema.model_validate(data)
    except ValidationError:
        raise _Failed("schema_mismatch") from None


def _refused(error: BaseException) -> bool:
    """Tell a connection the server refused from one that timed out.

    The aiohttp transport reports a refused connection as a connect timeout; the socket's
    own error is further down the chain of causes.
    """
    seen: BaseException | None = error
    for _ in range(8):
        if seen is None:
            return False
        if isinstance(seen, OSError) and not isinstance(seen, TimeoutError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False
