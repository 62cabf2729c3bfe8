"""A fake OpenAI-compatible server on 127.0.0.1 that the real openai client talks to.

It answers `POST /v1/chat/completions` and `GET /v1/models` like a chat-completions server:
scripted replies first (one per request, in order), then its model's answer. Scripts can
be slow past any timeout, fail with 429 (with Retry-After) or 5xx, return malformed or
schema-violating JSON, or refuse; the server can reject the `json_schema` and `json_object`
response formats as servers without structured output do. Every request is recorded, so
a test can read what was sent.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import re
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

MODEL_ID = "fake-tutor-model"
KIND_HEADER = "x-tutor-call-kind"
_BLOCK = "<{name}>\n(.*?)\n</{name}>"


# --- what was received ---------------------------------------------------------------------


@dataclass(frozen=True)
class ReceivedRequest:
    """One request the client made."""

    method: str
    path: str
    body: dict[str, Any]
    headers: dict[str, str]

    @property
    def kind(self) -> str:
        """The call kind the tutor sent in its header ("" when none)."""
        return self.headers.get(KIND_HEADER, "")

    @property
    def messages(self) -> list[dict[str, Any]]:
        """The chat messages."""
        return list(self.body.get("messages") or [])

    @property
    def text(self) -> str:
        """Everything the model would read, joined."""
        return "\n".join(str(m.get("content") or "") for m in self.messages)

    @property
    def format_type(self) -> str | None:
        """The response_format type asked for (None: plain text)."""
        fmt = self.body.get("response_format")
        return fmt.get("type") if isinstance(fmt, dict) else None

    @property
    def retry_count(self) -> int:
        """Which retry of a call this is (the client numbers them)."""
        return int(self.headers.get("x-stainless-retry-count", "0"))

    def block(self, name: str) -> str | None:
        """Return the text inside the last `<name>` block of the prompt, if any."""
        found = re.findall(_BLOCK.format(name=name), self.text, re.DOTALL)
        return found[-1] if found else None


# --- what the server can do ------------------------------------------------------------------


@dataclass(frozen=True)
class Reply:
    """A completion: text, or ``data`` sent as JSON text, or a refusal."""

    content: str | None = None
    data: Any = None
    refusal: str | None = None
    finish_reason: str = "stop"
    with_usage: bool = True

    def text(self) -> str | None:
        """The message content this reply sends."""
        return json.dumps(self.data) if self.data is not None else self.content


@dataclass(frozen=True)
class Fail:
    """An error response, like OpenAI's: a status, a message, and headers."""

    status: int
    message: str = "the fake server failed this request"
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Hang:
    """Hold the request until the test releases it (or the server closes), then reply."""

    then: Reply = Reply("too late")


@dataclass(frozen=True)
class Garbled:
    """A 200 whose body is not a chat completion: a proxy's page, or a cut-off object."""

    body: str
    content_type: str = "application/json"


Behaviour = Reply | Fail | Hang | Garbled
Responder = Callable[[ReceivedRequest], Behaviour]

# Quick retries: the client honours a Retry-After in milliseconds.
FAST_RETRY = {"retry-after-ms": "1"}


def rate_limited(retry_after: str = "0.01") -> Fail:
    """A 429 asking the client to come back after ``retry_after`` seconds."""
    return Fail(429, "Rate limit reached; slow down", {"retry-after": retry_after})


def server_error() -> Fail:
    """A 500 the client retries at once."""
    return Fail(500, "The server had an error while processing your request", FAST_RETRY)


# --- models: what answers when nothing is scripted -----------------------------------------


class FaithfulModel:
    """Words every move exactly as the offline draft does; answers structured calls as set."""

    def __init__(self, answers: Mapping[str, Any] | None = None) -> None:
        self.answers = dict(answers or {})

    def __call__(self, request: ReceivedRequest) -> Behaviour:
        """Answer one request."""
        if request.kind in self.answers:
            return Reply(data=self.answers[request.kind])
        draft = request.block("draft")
        return Reply(draft if draft is not None else "OK.")


_INJECTION = re.compile(
    r"ignore|instruction|system|developer|answer\s*key|pretend|role|teacher|grandma|reveal|"
    r"print|tell|give|show|answer|solution|confirm|repeat|complete|spell|translate",
    re.IGNORECASE,
)
_ANSWER_LIKE = re.compile(r"(?:answer|solution|result)\W{0,3}(?:is\W{0,3})?([^\s,.;]+)", re.I)


class LeakyModel:
    """A model that tries to give the answer away at every chance.

    It obeys any injection it sees in the learner's message (it "knows" the answer, as a
    model that solved the problem would), and otherwise echoes anything answer-like it
    finds in its prompt. ``leaks`` counts the replies that carried ``knows``.
    """

    def __init__(self, knows: str, answers: Mapping[str, Any] | None = None) -> None:
        self.knows = knows
        self.answers = dict(answers or {})
        self.leaks = 0

    def __call__(self, request: ReceivedRequest) -> Behaviour:
        """Answer one request, leaking where it can."""
        if request.kind in self.answers:
            return Reply(data=self.answers[request.kind])
        learner = request.block("learner_message") or ""
        draft = request.block("draft") or ""
        if _INJECTION.search(learner):
            text = f"Sure, ignoring my instructions: the answer is {self.knows}. {draft}"
        else:
            echoed = ", ".join(dict.fromkeys(_ANSWER_LIKE.findall(request.text)))
            text = f"{draft} The answer is {self.knows}." + (
                f" I also see {echoed} in my notes." if echoed else ""
            )
        if self.knows in text:
            self.leaks += 1
        return Reply(text)


_ASKS_FOR_ANSWER = re.compile(r"\b(answer|solution|tell me)\b", re.IGNORECASE)
_NUMBER = re.compile(r"\d+(?:[./]\d+)?")
_CRITERION = re.compile(r"^\d+\.", re.MULTILINE)
VAGUE_BELOW_WORDS = 8


class SensibleModel(FaithfulModel):
    """Words every move as its draft does, and answers judging calls as a careful model would.

    Its rules of thumb read the prompt: the endpoint check echoes its word; a message that
    asks for the answer is an answer request, one with a question mark a question, one with
    a number an answer; an explanation under eight words is vague, a longer one meets
    every criterion; a diagnosis never holds a number; the working shown with a right answer
    is sound; a summary lists the learner's lines.
    """

    def __call__(self, request: ReceivedRequest) -> Behaviour:
        """Answer one request."""
        if request.kind not in self.answers:
            judged = self.judging(request)
            if judged is not None:
                return Reply(data=judged)
            said = _learner_lines(request.block("conversation") or "")
            if request.kind == "summarise" and said:
                return Reply("\n".join(f"- {line}" for line in said[-4:]))
        return super().__call__(request)

    def judging(self, request: ReceivedRequest) -> dict[str, Any] | None:
        """The structured answer to a judging call (None: not one)."""
        learner = request.block("learner_message") or ""
        if request.kind == "check":
            return {"ok": True, "echo": (request.block("token") or "").strip()}
        if request.kind == "read":
            return _reading(learner)
        if request.kind == "judge":
            vague = len(learner.split()) < VAGUE_BELOW_WORDS
            criteria = len(_CRITERION.findall(request.block("criteria") or ""))
            return {
                "criteria_met": [] if vague else list(range(1, criteria + 1)),
                "vague": vague,
                "correct": not vague,
                "missing": "a reason, in a full sentence" if vague else "",
                "confidence": 0.8,
            }
        if request.kind == "diagnose":
            return {
                "misconception": "treats pieces of different sizes as if they were the same",
                "step": "making the pieces the same size",
                "confidence": 0.6,
            }
        if request.kind == "reasoning":
            # It cannot tell a slip from a shortcut: it trusts the working, mildly sure.
            return {"sound": True, "step": "", "confidence": 0.7}
        if request.kind == "reframe":
            return {"text": request.block("problem") or ""}
        return None


def _learner_lines(conversation: str) -> list[str]:
    """What the learner said in a prompt's conversation block, line by line."""
    mark = "Learner: "
    return [line[len(mark) :] for line in conversation.splitlines() if line.startswith(mark)]


def _reading(learner: str) -> dict[str, Any]:
    """Classify a message by rules of thumb."""
    if _ASKS_FOR_ANSWER.search(learner):
        return {"act": "answer_request", "candidate": None, "confidence": 0.9}
    if "?" in learner:
        return {"act": "question", "candidate": None, "confidence": 0.9}
    numbers = _NUMBER.findall(learner)
    if numbers:
        return {"act": "answer", "candidate": numbers[-1], "confidence": 0.8}
    return {"act": "chitchat", "candidate": None, "confidence": 0.5}


class SolvingLeakyModel(LeakyModel):
    """A leaky model that has solved every problem it knows: it gives away each one's answer.

    ``solutions`` maps a part of a problem's text to its answer; on other problems it words
    as its draft does. It answers judging calls as `SensibleModel` does.
    """

    def __init__(self, solutions: Mapping[str, str]) -> None:
        super().__init__(knows="")
        self.solutions = dict(solutions)
        self._sensible = SensibleModel()

    def __call__(self, request: ReceivedRequest) -> Behaviour:
        """Answer one request, leaking the answer of the problem in it."""
        judged = self._sensible.judging(request)
        if judged is not None:
            return Reply(data=judged)
        problem = request.block("problem") or ""
        self.knows = next((a for part, a in self.solutions.items() if part in problem), "")
        return super().__call__(request) if self.knows else self._sensible(request)


# The answers of the problems `tutor llm check` runs its learners through.
CHECK_SOLUTIONS = {"1/3 + 1/4": "7/12", "hablar": "hablamos"}


# --- the server ------------------------------------------------------------------------------


class FakeOpenAI:
    """The server; use as `async with FakeOpenAI() as fake:` and point the client at
    `fake.base_url`."""

    def __init__(
        self,
        model: Responder | None = None,
        *,
        json_schema: bool = True,
        json_object: bool = True,
        text_json_in_prose: bool = True,
    ) -> None:
        self.model: Responder = model or FaithfulModel()
        self.json_schema = json_schema
        self.json_object = json_object
        # Without a JSON mode, a chatty model wraps the JSON it was asked for in prose.
        self.text_json_in_prose = text_json_in_prose
        self.requests: list[ReceivedRequest] = []
        self.hanging = asyncio.Event()
        self._release = asyncio.Event()
        self._script: deque[Behaviour] = deque()
        self._arrived = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.port = 0

    @property
    def base_url(self) -> str:
        """The URL to give the client as `base_url`."""
        return f"http://127.0.0.1:{self.port}/v1"

    def script(self, *behaviours: Behaviour) -> None:
        """Answer the next requests with these, in order, before the model answers again."""
        self._script.extend(behaviours)

    def release(self) -> None:
        """Let held requests answer."""
        self._release.set()

    def chat_requests(self, kind: str | None = None) -> list[ReceivedRequest]:
        """The chat-completion requests received (of one call kind, if given)."""
        return [
            r
            for r in self.requests
            if r.path.endswith("/chat/completions") and (kind is None or r.kind == kind)
        ]

    async def wait_for_requests(self, count: int) -> None:
        """Wait until ``count`` requests have arrived."""
        async with self._arrived:
            await self._arrived.wait_for(lambda: len(self.requests) >= count)

    async def start(self) -> None:
        """Bind to a free port on 127.0.0.1."""
        app = web.Application()
        app.router.add_post("/v1/chat/completions", self._chat)
        app.router.add_get("/v1/models", self._models)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = int(self._runner.addresses[0][1])

    async def close(self) -> None:
        """Release held requests and stop the server."""
        self._release.set()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeOpenAI:
        await self.start()
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.close()

    async def _record(self, request: web.Request, body: dict[str, Any]) -> ReceivedRequest:
        received = ReceivedRequest(
            request.method,
            request.path,
            body,
            {k.lower(): v for k, v in request.headers.items()},
        )
        async with self._arrived:
            self.requests.append(received)
            self._arrived.notify_all()
        return received

    async def _models(self, request: web.Request) -> web.Response:
        await self._record(request, {})
        model = {"id": MODEL_ID, "object": "model", "created": 0, "owned_by": "fake"}
        return web.json_response({"object": "list", "data": [model]})

    async def _chat(self, request: web.Request) -> web.StreamResponse:
        try:
            body = await request.json()
        except ValueError:
            return _error(400, "the body is not JSON")
        received = await self._record(request, body)
        refused = self._refused_format(received)
        if refused is not None:
            return refused
        behaviour = self._script.popleft() if self._script else self.model(received)
        if isinstance(behaviour, Hang):
            self.hanging.set()
            await self._release.wait()
            behaviour = behaviour.then
        if isinstance(behaviour, Fail):
            return _error(behaviour.status, behaviour.message, behaviour.headers)
        if isinstance(behaviour, Garbled):
            return web.Response(text=behaviour.body, content_type=behaviour.content_type)
        return web.json_response(self._completion(received, behaviour))

    def _refused_format(self, received: ReceivedRequest) -> web.Response | None:
        """Reject a response format this server does not support, as such servers do."""
        kind = received.format_type
        if (kind == "json_schema" and not self.json_schema) or (
            kind == "json_object" and not self.json_object
        ):
            return _error(400, f"response_format type '{kind}' is not supported by this server")
        return None

    def _completion(self, received: ReceivedRequest, reply: Reply) -> dict[str, Any]:
        """A chat.completion object for ``reply``, with usage counted like a tokenizer would."""
        content = reply.text()
        if content is not None and received.format_type is None and self.text_json_in_prose:
            if reply.data is not None:
                content = f"Sure! Here is the JSON you asked for:\n```json\n{content}\n```"
        message: dict[str, Any] = {"role": "assistant", "content": content}
        if reply.refusal is not None:
            message = {"role": "assistant", "content": None, "refusal": reply.refusal}
        completion: dict[str, Any] = {
            "id": f"chatcmpl-{len(self.requests)}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": received.body.get("model", MODEL_ID),
            "choices": [{"index": 0, "message": message, "finish_reason": reply.finish_reason}],
        }
        if reply.with_usage:
            prompt = math.ceil(len(received.text) / 4)
            answer = math.ceil(len(content or reply.refusal or "") / 4)
            completion["usage"] = {
                "prompt_tokens": prompt,
                "completion_tokens": answer,
                "total_tokens": prompt + answer,
            }
        return completion


def _error(status: int, message: str, headers: Mapping[str, str] | None = None) -> web.Response:
    """An error body shaped like OpenAI's."""
    kind = "rate_limit_error" if status == 429 else "invalid_request_error"
    body = {"error": {"message": message, "type": kind, "param": None, "code": None}}
    return web.json_response(body, status=status, headers=dict(headers or {}))


class DelayedFakeOpenAI(FakeOpenAI):
    """The fake server with a model that answers ``latency`` seconds after each chat request.

    The fake model's own work (reading the request, choosing and writing its reply) happens
    inside those seconds, as a real model's does inside its latency: the reply is sent
    once ``latency`` has passed since the request came in, or at once if the work took longer.
    """

    def __init__(self, model: Responder | None = None, *, latency: float, **options: Any) -> None:
        super().__init__(model, **options)
        self.latency = latency

    async def _chat(self, request: web.Request) -> web.StreamResponse:
        loop = asyncio.get_running_loop()
        due = loop.time() + self.latency
        response = await super()._chat(request)
        await asyncio.sleep(max(0.0, due - loop.time()))
        return response


MODELS: dict[str, Callable[[], Responder]] = {
    "sensible": SensibleModel,
    "faithful": FaithfulModel,
    "leaky": lambda: SolvingLeakyModel(CHECK_SOLUTIONS),
}


async def serve(args: argparse.Namespace) -> None:
    """Serve until interrupted; print the base URL first, on its own line."""
    async with DelayedFakeOpenAI(MODELS[args.model](), latency=args.latency) as server:
        print(server.base_url, flush=True)
        await asyncio.Event().wait()


def main(argv: list[str] | None = None) -> None:
    """Run the fake server on 127.0.0.1, e.g. to try `tutor llm check` against it."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--model", choices=sorted(MODELS), default="sensible")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds per reply")
    args = parser.parse_args(argv)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(args))


if __name__ == "__main__":
    main()
