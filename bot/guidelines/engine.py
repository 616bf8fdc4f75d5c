"""A first reading of the guidelines by keyword (to be replaced by the measured engine)."""

from __future__ import annotations

from bot.guidelines.model import Concern

MAX_CHARS = 20_000  # what is read of a talk; the rest cannot change the verdict much

_PITCH = ("contact our sales", "pricing", "free trial", "book a demo", "request a demo")
_CONFIDENTIAL = ("proprietary dataset", "under nda", "confidential", "trade secret")


def concerns(title: str, abstract: str, results: str) -> list[Concern]:
    text = f"{title}\n{abstract}\n{results}"[:MAX_CHARS].casefold()
    found: list[Concern] = []
    pitch = [word for word in _PITCH if word in text]
    if pitch:
        found.append(Concern("pitch", "reads as a product pitch: " + ", ".join(
            f"'{word}'" for word in pitch)))
    secret = [word for word in _CONFIDENTIAL if word in text]
    if secret:
        found.append(Concern("confidential", "mentions " + ", ".join(
            f"'{word}'" for word in secret)))
    return found
