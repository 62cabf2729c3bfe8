"""The Slack adapter: a bolt app over HTTP or Socket Mode, review prompts by DM, App Home."""

from bot.adapters.slack._adapter import SlackAdapter, SlackWorkerAdapter
from bot.adapters.slack._app import build_app
from bot.adapters.slack._dedupe import SeenEvents
from bot.adapters.slack._delivery import SlackDelivery
from bot.adapters.slack._pacing import SlackPacing
from bot.adapters.slack._render import reply_message, to_mrkdwn
from bot.adapters.slack._serve import EVENTS_PATH, HttpEndpoint, SocketConnection

__all__ = [
    "EVENTS_PATH",
    "HttpEndpoint",
    "SeenEvents",
    "SlackAdapter",
    "SlackDelivery",
    "SlackPacing",
    "SlackWorkerAdapter",
    "SocketConnection",
    "build_app",
    "reply_message",
    "to_mrkdwn",
]
