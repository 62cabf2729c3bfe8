"""discord.py cogs: thin adapters that parse an event, call the tutor service, render."""
