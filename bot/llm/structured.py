"""Structured output on any server: JSON schema, else JSON mode, else JSON read from text."""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel

__all__ = [
    "MODES",
    "StructuredMode",
    "extract_json",
    "rejects_mode",
    "response_format",
    "schema_instruction",
]

StructuredMode = Literal["json_schema", "json_object", "text"]
# The order a client tries them in; it moves on when the server rejects one.
MODES: tuple[StructuredMode, ...] = ("json_schema", "json_object", "text")

_FENCE = re.compile(r"```(?:json)?\s*(.*?)```", re.DOTALL | re.IGNORECASE)
_MODE_WORDS = ("response_format", "json_schema", "json_object", "response format", "structured")


@cache
def json_schema(schema: type[BaseModel]) -> dict[str, Any]:
    """Return the model's JSON schema in the strict form structured outputs expect.

    Built once per schema class (pydantic takes a while over it); callers only read it.
    """
    return _strict(schema.model_json_schema())


def _strict(node: Any) -> Any:
    """Close every object (no extra keys) and require all of its properties."""
    if isinstance(node, dict):
        node = {key: _strict(value) for key, value in node.items() if key != "default"}
        if node.get("type") == "object" and "properties" in node:
            node["additionalProperties"] = False
            node["required"] = list(node["properties"])
        return node
    if isinstance(node, list):
        return [_strict(item) for item in node]
    return node


def response_format(mode: StructuredMode, name: str, schema: type[BaseModel]) -> Any:
    """Return the `response_format` argument for a mode (None: plain text)."""
    if mode == "json_schema":
        return {
            "type": "json_schema",
            "json_schema": {"name": name, "schema": json_schema(schema), "strict": True},
        }
    if mode == "json_object":
        return {"type": "json_object"}
    return None


def schema_instruction(schema: type[BaseModel]) -> str:
    """The words that ask for the JSON: static per schema, so it stays in the cached prefix."""
    shape = json.dumps(json_schema(schema), separators=(",", ":"), sort_keys=True)
    return "\n\nReply with one JSON object and nothing else, matching this JSON schema:\n" + shape


def rejects_mode(status: int, message: str) -> bool:
    """Tell whether an error response says the server does not take this response format."""
    if status not in {400, 404, 415, 422, 500, 501}:
        return False
    lowered = message.lower()
    return any(word in lowered for word in _MODE_WORDS)


def extract_json(text: str) -> Any:
    """Return the first JSON object in a reply: whole, in a code fence, or inside prose.

    Raises ValueError when there is none.
    """
    stripped = text.strip()
    candidates = [stripped, *(m.group(1).strip() for m in _FENCE.finditer(stripped))]
    for candidate in candidates:
        try:
            value = json.loads(candidate)
        except ValueError:
            continue
        if isinstance(value, dict):
            return value
    decoder = json.JSONDecoder()
    for start in (i for i, ch in enumerate(stripped) if ch == "{"):
        try:
            value, _end = decoder.raw_decode(stripped, start)
        except ValueError:
            continue
        if isinstance(value, dict):
            return value
    raise ValueError("no JSON object in the reply")
