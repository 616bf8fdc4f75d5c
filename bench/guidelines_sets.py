"""The tuning talks of bench/data/guidelines/, each with the set it came from, for
leave-one-set-out validation (bench/guidelines_loso.py) and training
(bench/guidelines_train.py). Only rows whose split is `tuning` are read, and never a blind
set's file (`heldout-*d*`, nor any later `heldout-` set): those the lead reads once, at the
end, with `python -m bench.guidelines`.

Each set file was gathered by a different collector at a different time, so training on the
other sets and reading the one left out is the nearest the tuning data comes to new text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from bench.guidelines import GOOD, SETS, held_out

# The sets that may be trained and validated on: every set's tuning rows, never a blind
# set (the files still marked held-out as a whole).
BLIND = frozenset({"heldout-2026-12-07d.jsonl", "heldout-2026-12-07h.jsonl"})
TUNING_SETS = tuple(p for p in SETS if p.name not in BLIND)


@dataclass
class Talk:
    id: str
    set: str  # the file it came from (the group of leave-one-set-out)
    label: str
    lang: str
    expect: list[str]
    also: list[str]
    source: str
    title: str
    abstract: str
    results: str
    words: set[str] = field(default_factory=set)  # the rules the word lists raise

    @property
    def good(self) -> bool:
        return self.label in GOOD

    def positive(self, rule: str) -> bool:
        """The rule fairly reads the talk as bad: expected, or fair too (`also`)."""
        return rule in self.expect or rule in self.also


def load(paths: tuple[Path, ...] = TUNING_SETS, words: bool = True) -> list[Talk]:
    """The tuning rows of `paths`, in file order; `words`: with the word lists' rules."""
    from bot.guidelines.engine import concerns as word_lists

    talks = []
    for path in paths:
        if path.name in BLIND:
            raise ValueError(f"{path.name} is a blind set: never read while tuning")
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            split = row["split"]
            if split == "auto":
                split = "held-out" if held_out(row["id"]) else "tuning"
            if split != "tuning":
                continue
            talk = Talk(row["id"], path.name, row["label"], row["lang"], row["expect"],
                        row["also"], row["source"], row["title"], row["abstract"],
                        row["results"])
            if words:
                talk.words = {c.rule for c in word_lists(talk.title, talk.abstract,
                                                         talk.results)}
            talks.append(talk)
    return talks
