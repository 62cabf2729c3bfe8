"""Who may run cohorts and upload courses in a workspace: Slack's own roles, read paced.

Platform authorization lives here, in the adapter: the cohort desk scopes every request
to the person and place, while Slack alone knows who runs a workspace or made a channel.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.errors import SlackApiError

from bot.adapters.slack._send import ReplySender

log = logging.getLogger(__name__)


class WorkspaceRoles:
    """Ask Slack whether someone runs the workspace, or made a channel."""

    def __init__(self, sender: ReplySender) -> None:
        self.sender = sender

    async def runs_workspace(self, user_id: str) -> bool:
        """Tell whether the user is an admin or owner of the workspace."""
        user = await self._user(user_id)
        return bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner"))

    async def may_create(self, user_id: str, channel_id: str) -> bool:
        """Tell whether the user may start a cohort in a channel: they run the workspace or
        made the channel."""
        if await self.runs_workspace(user_id):
            return True
        await self.sender.pacing.method("conversations.info")
        try:
            response = await self.sender.client.conversations_info(channel=channel_id)
        except SlackApiError as exc:
            log.warning("slack: conversations.info failed (%s)", exc.response.get("error", "?"))
            return False
        return str((response.get("channel") or {}).get("creator") or "") == user_id

    async def _user(self, user_id: str) -> dict[str, Any]:
        """The user as users.info describes them (empty when Slack would not say)."""
        await self.sender.pacing.method("users.info")
        try:
            response = await self.sender.client.users_info(user=user_id)
        except SlackApiError as exc:
            log.warning("slack: users.info failed (%s)", exc.response.get("error", "?"))
            return {}
        return dict(response.get("user") or {})
