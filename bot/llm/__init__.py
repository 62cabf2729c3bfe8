"""The optional language-model layer: it reads, judges and words; the engine decides.

Every call goes to an OpenAI-compatible endpoint through `ModelClient`, is typed by its
kind, and returns a parsed result or a typed failure; the callers fall back to the offline
path on any failure, so a learner never waits on a broken model.
"""
