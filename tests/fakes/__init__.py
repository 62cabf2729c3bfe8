"""In-process fakes of external services (Discord) for tests."""
