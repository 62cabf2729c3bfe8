"""The terminal adapter: the same tutor, store and engine, one message at a time.

Importing it is light (no store, engine or platform library), so the console can show
its first prompt while the rest of the tutor loads.
"""

from bot.adapters.console._adapter import ConsoleAdapter
from bot.adapters.console._delivery import ConsoleDelivery
from bot.adapters.console._session import PLATFORM, SORRY, run_session

__all__ = ["PLATFORM", "SORRY", "ConsoleAdapter", "ConsoleDelivery", "run_session"]
