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

__all__ = ["ENGINES", "RULES", "Concern", "Rule", "check", "chosen", "use"]

# The engines (`GUIDELINES_ENGINE`): the word lists and their model (the default, pure
# Python), or the same with the optional e5 heads (bot/guidelines/e5.py, the
# `guidelines-e5` extra).
ENGINES = ("words", "e5")
_engine = "words"


def use(engine: str) -> None:
    """Chooses the engine `check` reads with; e5 raises bot.guidelines.e5.Unavailable,
    saying how to install it, when its extra is missing."""
    global _engine
    if engine not in ENGINES:
        raise ValueError(f"unknown guidelines engine {engine[:40]!r}; one of {ENGINES}")
    if engine == "e5":
        from bot.guidelines import e5

        e5.require()
    _engine = engine


def chosen() -> str:
    """The engine `check` reads with."""
    return _engine


def check(title: str, abstract: str, results: str = "") -> list[Concern]:
    """The concerns the talk raises, in RULES order (empty when it fits). Deterministic and
    offline; never raises on any text (empty, huge, any script, markup)."""
    # The engine (its word lists and their index) loads with the first talk read, so the
    # service does not carry it until someone submits (tests/app/test_import_closure.py).
    from bot.guidelines import engine, model

    title, abstract, results = title or "", abstract or "", results or ""
    # Word lists OR the trained model (bot/guidelines/model/): the model adds a rule's
    # concern only where the word lists raised none.
    found = engine.concerns(title, abstract, results)
    if _engine == "e5":  # the word lists, then the e5 heads for the rules they missed
        from bot.guidelines import e5

        return e5.with_e5(found, title, abstract, results)
    return model.with_model(found, title, abstract, results)
