"""Courses uploaded in Slack: a file shared in the app's DM, or the `/cohort upload` form.

The files are fetched from `url_private_download` with the bot token (sent only to Slack's
own file host) and checked by the course shelf for the workspace; the report (`file:line`),
the stored version, or a worksheet's draft zip comes back in the uploader's DM.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from slack_bolt.response import BoltResponse

from bot.adapters.slack._cohort_roles import WorkspaceRoles
from bot.adapters.slack._render import plain
from bot.adapters.slack._send import Place
from bot.adapters.slack._turns import SlackTurns, person
from bot.content.upload_archive import MAX_UPLOAD_BYTES
from bot.content.uploads import UploadedFile
from bot.services.cohort_desk import CohortDesk
from bot.services.course_shelf import CourseShelf, ShelfScope

log = logging.getLogger(__name__)

UPLOAD_MODAL = "cohort:upload-modal"
FILES_BLOCK = "course-files"
COURSE_SUFFIXES = (".zip", ".yaml", ".yml", ".md", ".markdown", ".txt", ".text")
SLACK_FILE_HOSTS = {"files.slack.com"}
ONLY_STAFF = (
    "Only a workspace admin or owner, or the creator or an assistant of a cohort here, can "
    "upload courses: a course uploaded is for the whole workspace's cohorts."
)
CHECKING = "Checking your course…"
NO_FILES = "Attach the course: a zip, its YAML files, or a worksheet (.md or .txt)."


def upload_modal() -> dict[str, Any]:
    """The upload form: one file input for a course zip, YAML files or a worksheet."""
    return {
        "type": "modal",
        "callback_id": UPLOAD_MODAL,
        "title": plain("Upload a course", 24),
        "submit": plain("Check", 24),
        "close": plain("Cancel", 24),
        "blocks": [
            {
                "type": "input",
                "block_id": FILES_BLOCK,
                "label": plain("Course files or worksheet", 2000),
                "element": {
                    "type": "file_input",
                    "action_id": FILES_BLOCK,
                    "filetypes": [s.lstrip(".") for s in COURSE_SUFFIXES],
                    "max_files": 10,
                },
                "hint": plain(
                    "A zip of the course folder, its YAML files, or a worksheet to turn "
                    "into a draft course. The report comes to our DM.",
                    2000,
                ),
            }
        ],
    }


def course_files(files: object) -> list[dict[str, Any]]:
    """The shared files that may be a course or a worksheet (others are left alone)."""
    if not isinstance(files, list):
        return []
    return [
        f
        for f in files
        if isinstance(f, dict) and str(f.get("name") or "").lower().endswith(COURSE_SUFFIXES)
    ]


class CourseUploads:
    """Take a creator's files from Slack to the course shelf and answer in their DM."""

    def __init__(
        self, turns: SlackTurns, shelf: CourseShelf, cohorts: CohortDesk | None = None
    ) -> None:
        self.turns = turns
        self.shelf = shelf
        self.cohorts = cohorts
        self.roles = WorkspaceRoles(turns.sender)

    async def may_upload(self, user_id: str, team: str) -> bool:
        """An admin or owner, or staff of a running cohort in this workspace."""
        if self.cohorts is not None and team in await self.cohorts.staff_places(person(user_id)):
            return True
        return await self.roles.runs_workspace(user_id)

    async def middleware(
        self, body: dict[str, Any], next: Callable[[], Awaitable[None]]
    ) -> BoltResponse | None:
        """Take a DM sharing course files before the tutor does (a bolt global middleware)."""
        event = body.get("event") or {}
        files = course_files(event.get("files"))
        if (
            body.get("type") != "event_callback"
            or event.get("type") != "message"
            or event.get("channel_type") != "im"
            or event.get("bot_id")
            or not event.get("user")
            or not files
        ):
            await next()
            return None
        team = str(body.get("team_id") or "")
        work = self.receive(str(event["user"]), team, files)
        self.turns.running.spawn(work, "checking an uploaded course")
        return BoltResponse(status=200, body="")

    async def receive(self, user_id: str, team: str, files: list[dict[str, Any]]) -> None:
        """Check the files for the workspace and answer with the report in the DM."""
        dm = Place(await self.turns.sender.dm_channel(user_id))
        if not await self.may_upload(user_id, team):
            await self.turns.sender.send_text(dm, ONLY_STAFF)
            return
        if not files:
            await self.turns.sender.send_text(dm, NO_FILES)
            return
        uploaded = await self._download(files)
        if isinstance(uploaded, str):
            await self.turns.sender.send_text(dm, uploaded)
            return
        name, _zone = await self.turns.profile(user_id)
        reply = await self.shelf.upload(person(user_id, name), ShelfScope("slack", team), uploaded)
        await self.turns.sender.send(dm, [reply])

    async def _download(self, files: list[dict[str, Any]]) -> list[UploadedFile] | str:
        """Fetch each file with the bot token; a sentence when one cannot be had."""
        client = self.turns.sender.client
        allowed = SLACK_FILE_HOSTS | {urlsplit(client.base_url).netloc}
        total, found = 0, []
        session = self.turns.sender.session
        own = session is None
        session = session or aiohttp.ClientSession()
        try:
            for item in files:
                name = str(item.get("name") or "upload")
                url = str(item.get("url_private_download") or item.get("url_private") or "")
                total += int(item.get("size") or 0)
                if total > MAX_UPLOAD_BYTES:
                    return f"The upload is too large: at most {MAX_UPLOAD_BYTES:,} bytes in all."
                if urlsplit(url).netloc not in allowed:
                    log.warning("slack: a shared file is not on Slack's file host; not fetched")
                    return f"I couldn't fetch {name} from Slack."
                headers = {"Authorization": f"Bearer {client.token}"}
                async with session.get(url, headers=headers, allow_redirects=False) as response:
                    if response.status != 200:
                        log.warning("slack: fetching a shared file answered %s", response.status)
                        return f"I couldn't fetch {name} from Slack (is `files:read` granted?)."
                    data = bytearray()
                    async for chunk in response.content.iter_chunked(1 << 16):
                        data += chunk
                        if len(data) > MAX_UPLOAD_BYTES:
                            return f"The upload is too large: at most {MAX_UPLOAD_BYTES:,} bytes."
                found.append(UploadedFile(name, bytes(data)))
        finally:
            if own:
                await session.close()
        return found


def submitted_files(view: dict[str, Any]) -> list[dict[str, Any]]:
    """The files picked in a submitted upload form."""
    values = (view.get("state") or {}).get("values") or {}
    field = (values.get(FILES_BLOCK) or {}).get(FILES_BLOCK) or {}
    return course_files(field.get("files"))
