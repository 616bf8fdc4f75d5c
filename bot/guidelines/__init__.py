"""The session guidelines, read before anyone confirms: is the talk about VFX and animation,
practical (an experiment and its results), not a product pitch, free of confidential
information? Domain only: `check` returns concerns as values; the modal, the email
confirmation request and the leaders' card render them. A concern never refuses a talk.

`Concern` and `RULES` live in bot/guidelines/concern.py and the reading in
bot/guidelines/engine/ (word lists: bot/guidelines/lexicon/, a module per rule); both are
named here.
"""

from __future__ import annotations

from bot.guidelines.concern import RULES, Concern, Rule

__all__ = ["RULES", "Concern", "Rule", "check"]


def check(title: str, abstract: str, results: str = "") -> list[Concern]:
    """The concerns the talk raises, in RULES order (empty when it fits). Deterministic and
    offline; never raises on any text (empty, huge, any script, markup)."""
    # The engine (its word lists and their index) loads with the first talk read, so the
    # service does not carry it until someone submits (tests/app/test_import_closure.py).
    from bot.guidelines import engine, model

    title, abstract, results = title or "", abstract or "", results or ""
    # Word lists OR the trained model (bot/guidelines/model/): the model adds a rule's
    # concern only where the word lists raised none.
    return model.with_model(engine.concerns(title, abstract, results), title, abstract, results)
