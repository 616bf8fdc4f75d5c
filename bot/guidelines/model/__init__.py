"""The guidelines model: a small linear classifier a rule, trained on the labelled talks of
bench/data/guidelines/ (bench/guidelines_train.py rebuilds weights.json, with its sources and
licence in its header), read here in pure Python: the features of `features.read`, their
weights summed and normalised, a sigmoid, the rule's threshold (chosen by grouped
cross-validation so that, with the word lists, few good talks are flagged).

It backs the word lists up, never overrides them: `with_model` adds a rule's concern only
when the word lists did not raise it and the model's probability reaches the threshold,
and its reason quotes the words of the text that weighed most. Deterministic and offline;
any text (empty, huge, any script) gives an answer.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bot.guidelines.concern import RULES, Concern, Rule
from bot.guidelines.model.features import Read, read

WEIGHTS = Path(__file__).resolve().parent / "weights.json"
QUOTED = 3  # words or phrases a reason names
_QUOTE_MAX = 40

# What the model read, a rule; the reason goes on with the words that weighed most.
SAYS: dict[Rule, str] = {
    "relevance": "reads as outside VFX and animation",
    "practical": "reads as no experiment or result of its own",
    "pitch": "reads like a product page",
    "confidential": "may show material not to be shared",
}


@dataclass(frozen=True)
class RuleModel:
    bias: float
    threshold: float
    weights: dict[str, float]

    def score(self, talk: Read) -> tuple[float, list[tuple[float, str]]]:
        """The probability and, heaviest first, each quoted span's share of the sum."""
        if not talk.features:
            return 0.0, []
        norm = 1.0 / math.sqrt(len(talk.features))
        z = self.bias
        by_span: dict[tuple[int, int], float] = {}
        for feature, span in talk.features.items():
            w = self.weights.get(feature)
            if w is None:
                continue
            z += w * norm
            if span[1] > span[0]:
                by_span[span] = by_span.get(span, 0.0) + w * norm
        p = 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))
        return p, quotes(talk.text, by_span)


def quotes(text: str, by_span: dict[tuple[int, int], float]) -> list[tuple[float, str]]:
    """The spans that pushed towards the concern, heaviest first, none overlapping another
    or repeating one already quoted."""
    chosen: list[tuple[int, int]] = []
    said: list[tuple[float, str]] = []
    for (start, end), w in sorted(by_span.items(), key=lambda kv: (-kv[1], kv[0])):
        if w <= 0 or len(said) == QUOTED:
            break
        quote = " ".join(text[start:end].split())[:_QUOTE_MAX]
        if not quote or any(s < end and start < e for s, e in chosen):
            continue
        if any(quote == q for _, q in said):
            continue
        chosen.append((start, end))
        said.append((w, quote))
    return said


@lru_cache(maxsize=1)
def models() -> dict[Rule, RuleModel]:
    data = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    return {rule: RuleModel(float(data["rules"][rule]["bias"]),
                            float(data["rules"][rule]["threshold"]),
                            {k: float(v) for k, v in data["rules"][rule]["weights"].items()})
            for rule in RULES}


def probabilities(title: str, abstract: str, results: str) -> dict[Rule, float]:
    talk = read(title, abstract, results)
    return {rule: m.score(talk)[0] for rule, m in models().items()}


def concerns(title: str, abstract: str, results: str,
             skip: frozenset[str] = frozenset()) -> list[Concern]:
    """The model's concerns, in RULES order, for the rules not in `skip`."""
    talk = read(title, abstract, results)
    if not any(f[0] in "wc" for f in talk.features):
        return []  # nothing to read (empty, or only marks)
    found = []
    for rule, m in models().items():
        if rule in skip:
            continue
        p, said = m.score(talk)
        if p >= m.threshold and said:
            words = ", ".join(f"'{q}'" for _, q in said)
            found.append(Concern(rule, f"{SAYS[rule]} (the model read {words})"))
    return found


def with_model(found: list[Concern], title: str, abstract: str, results: str) -> list[Concern]:
    """The word lists' concerns and the model's for the rules they missed, in RULES order."""
    added = concerns(title, abstract, results, frozenset(c.rule for c in found))
    return sorted([*found, *added], key=lambda c: RULES.index(c.rule))
