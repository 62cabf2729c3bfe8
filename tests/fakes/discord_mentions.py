"""Which mentions in a message Discord would make live, given the sender's allowed_mentions."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# Discord's syntax: @everyone, @here, <@id> or <@!id> for a user, <@&id> for a role
_EVERYONE = re.compile(r"@(everyone|here)\b")
_USER = re.compile(r"<@!?(\d{17,20})>")
_ROLE = re.compile(r"<@&(\d{17,20})>")


@dataclass(frozen=True)
class LiveMentions:
    """What pings: @everyone/@here, and the user and role ids."""

    everyone: bool
    users: tuple[str, ...]
    roles: tuple[str, ...]


def live_mentions(content: str, allowed: Mapping[str, Any] | None) -> LiveMentions:
    """Apply Discord's rule: no allowed_mentions parses all; otherwise only what it names."""
    parse = {"everyone", "users", "roles"} if allowed is None else set(allowed.get("parse") or [])
    named_users = {str(u) for u in (allowed or {}).get("users") or []}
    named_roles = {str(r) for r in (allowed or {}).get("roles") or []}
    users = [u for u in _USER.findall(content) if "users" in parse or u in named_users]
    roles = [r for r in _ROLE.findall(content) if "roles" in parse or r in named_roles]
    everyone = "everyone" in parse and _EVERYONE.search(content) is not None
    return LiveMentions(everyone, tuple(dict.fromkeys(users)), tuple(dict.fromkeys(roles)))
