"""A fake Discord server's roles and members, and the gateway payloads that tell of them.

The shapes are API v10's: GUILD_CREATE (roles, channels, and in `members` only the bot,
as Discord sends to a bot without the presences intent), GUILD_MEMBERS_CHUNK in answer to
op 8 REQUEST_GUILD_MEMBERS, GUILD_MEMBER_ADD (a member object with `guild_id`) and
GUILD_MEMBER_UPDATE (`guild_id`, `user`, `roles` as id strings, `joined_at`, and the rest).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from tests.fakes.discord_payloads import iso_now, new_snowflake

JSON = dict[str, Any]


def role_object(role_id: int, name: str, position: int) -> JSON:
    """Build a v10 role object (@everyone is the role whose id is the guild's)."""
    return {
        "id": str(role_id),
        "name": name,
        "color": 0,
        "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
        "hoist": False,
        "icon": None,
        "unicode_emoji": None,
        "position": position,
        "permissions": "1071698660929",
        "managed": False,
        "mentionable": False,
        "flags": 0,
    }


def guild_member_object(user: JSON, roles: Iterable[int], joined_at: str) -> JSON:
    """Build a v10 guild member object as GUILD_CREATE, chunks and GUILD_MEMBER_ADD carry it."""
    return {
        "user": user,
        "nick": None,
        "avatar": None,
        "banner": None,
        "roles": [str(role) for role in roles],
        "joined_at": joined_at,
        "premium_since": None,
        "deaf": False,
        "mute": False,
        "flags": 0,
        "pending": False,
        "communication_disabled_until": None,
    }


@dataclass
class FakeGuild:
    """One server: its roles by id, and each member's user object, roles and join time."""

    id: int
    name: str
    roles: dict[int, JSON] = field(default_factory=dict)
    users: dict[int, JSON] = field(default_factory=dict)
    member_roles: dict[int, list[int]] = field(default_factory=dict)
    joined: dict[int, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.roles.setdefault(self.id, role_object(self.id, "@everyone", 0))

    def add_role(self, name: str) -> int:
        """Create a role; return its id."""
        role_id = new_snowflake()
        self.roles[role_id] = role_object(role_id, name, len(self.roles))
        return role_id

    def add_member(self, user: JSON, roles: Sequence[int] = ()) -> JSON:
        """Make a user a member (with these roles); return their member object."""
        user_id = int(user["id"])
        self.users[user_id] = user
        self.member_roles[user_id] = [self._known(role) for role in roles]
        self.joined.setdefault(user_id, iso_now())
        return self.member(user_id)

    def set_roles(self, user_id: int, roles: Iterable[int]) -> None:
        """Replace a member's roles."""
        self.member_roles[user_id] = [self._known(role) for role in roles]

    def member(self, user_id: int) -> JSON:
        """A member's v10 member object."""
        return guild_member_object(
            self.users[user_id], self.member_roles[user_id], self.joined[user_id]
        )

    def create_payload(self, channels: Sequence[JSON], bot_id: int) -> JSON:
        """The GUILD_CREATE body: only the bot among `members`, as without presences."""
        return {
            "id": str(self.id),
            "name": self.name,
            "icon": None,
            "owner_id": str(next(iter(self.users), bot_id)),
            "unavailable": False,
            "large": False,
            "member_count": len(self.users),
            "joined_at": self.joined.get(bot_id, iso_now()),
            "roles": list(self.roles.values()),
            "emojis": [],
            "stickers": [],
            "features": [],
            "channels": list(channels),
            "threads": [],
            "members": [self.member(bot_id)] if bot_id in self.users else [],
            "voice_states": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "preferred_locale": "en-US",
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "nsfw_level": 0,
            "premium_tier": 0,
            "system_channel_flags": 0,
        }

    def chunk_payload(self, nonce: str | None) -> JSON:
        """The one GUILD_MEMBERS_CHUNK answering a request for every member."""
        chunk: JSON = {
            "guild_id": str(self.id),
            "members": [self.member(user_id) for user_id in self.users],
            "chunk_index": 0,
            "chunk_count": 1,
            "not_found": [],
        }
        if nonce is not None:
            chunk["nonce"] = nonce
        return chunk

    def add_payload(self, user_id: int) -> JSON:
        """The GUILD_MEMBER_ADD body of a member who just arrived."""
        return self.member(user_id) | {"guild_id": str(self.id)}

    def update_payload(self, user_id: int) -> JSON:
        """The GUILD_MEMBER_UPDATE body after a change of a member's roles."""
        member = self.member(user_id)
        return {
            "guild_id": str(self.id),
            "user": member["user"],
            "roles": member["roles"],
            "joined_at": member["joined_at"],
            "nick": None,
            "avatar": None,
            "banner": None,
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "pending": False,
            "flags": 0,
            "communication_disabled_until": None,
        }

    def _known(self, role_id: int) -> int:
        if role_id not in self.roles:
            raise KeyError(f"no role {role_id} in guild {self.id}")
        return role_id
