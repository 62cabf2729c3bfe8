"""Send neutral replies to Slack: into a channel or thread, as files, or to a response URL."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

import aiohttp
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.adapters.slack._connect import library_log
from bot.adapters.slack._pacing import SlackPacing
from bot.adapters.slack._render import SlackMessage, reply_message, text_message
from bot.services.messages import Attachment, Choice, Reply

REPLY_BURST = 3  # a turn's replies go out together; a stream is spaced a second apart
MAX_DM_CHANNELS = 10_000


@dataclass(frozen=True)
class Place:
    """Where replies go: a channel (and thread), or only the learner's eyes (a response URL)."""

    channel: str | None = None
    thread_ts: str | None = None
    response_url: str | None = None

    @property
    def private(self) -> bool:
        """Whether only the learner sees what is sent here."""
        return self.channel is None


class ReplySender:
    """Post replies with one Web API client, paced per channel."""

    def __init__(
        self,
        client: AsyncWebClient,
        pacing: SlackPacing,
        session: aiohttp.ClientSession | None = None,
    ) -> None:
        self.client = client
        self.pacing = pacing
        self.session = session
        self._dm_channels: OrderedDict[str, str] = OrderedDict()

    async def dm_channel(self, user_id: str) -> str:
        """Return the app's DM channel with a user (opened once per process)."""
        known = self._dm_channels.get(user_id)
        if known is not None:
            return known
        await self.pacing.method("conversations.open")
        response = await self.client.conversations_open(users=user_id)
        channel = str(response["channel"]["id"])
        self._dm_channels[user_id] = channel
        while len(self._dm_channels) > MAX_DM_CHANNELS:
            self._dm_channels.popitem(last=False)
        return channel

    async def send(self, place: Place, replies: list[Reply]) -> None:
        """Send replies in order: each as one message, its files after it."""
        for reply in replies:
            await self.send_message(place, reply_message(reply))
            for attachment in reply.attachments:
                if place.channel is not None:
                    await self.upload(place.channel, attachment, place.thread_ts)

    async def send_text(
        self, place: Place, text: str, choices: tuple[Choice, ...] = (), *, replace: bool = False
    ) -> None:
        """Send one short text, with optional buttons."""
        await self.send_message(place, text_message(text, choices), replace=replace)

    async def send_message(
        self, place: Place, message: SlackMessage, *, replace: bool = False
    ) -> None:
        """Post one message into the place's channel, or answer through its response URL."""
        if place.channel is None:
            assert place.response_url is not None, "a place needs a channel or a response URL"
            webhook = AsyncWebhookClient(
                place.response_url, session=self.session, logger=library_log
            )
            await webhook.send(
                text=message.text,
                blocks=message.blocks,
                response_type="ephemeral",
                replace_original=replace,
            )
            return
        await self.pacing.message(place.channel, REPLY_BURST)
        await self.client.chat_postMessage(
            channel=place.channel,
            text=message.text,
            blocks=message.blocks,
            thread_ts=place.thread_ts,
            unfurl_links=False,
            unfurl_media=False,
        )

    async def upload(
        self, channel: str, attachment: Attachment, thread_ts: str | None = None, comment: str = ""
    ) -> None:
        """Upload a file into a channel (Slack's external upload flow)."""
        await self.pacing.method("files.getUploadURLExternal")
        await self.client.files_upload_v2(
            channel=channel,
            content=attachment.data,
            filename=attachment.filename,
            title=attachment.filename,
            thread_ts=thread_ts,
            initial_comment=comment or None,
        )
