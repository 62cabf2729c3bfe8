"""Helpers for scheduling tests: learners with due cards on a real SQLite file."""

from __future__ import annotations

from tests.support.learners import T0, learner_with_due_cards

__all__ = ["T0", "learner_with_due_cards"]
