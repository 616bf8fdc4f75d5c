"""The session guidelines check: quality on a labelled set of real public talk abstracts, and
time per abstract. `python -m bench.guidelines` prints the figures; tests assert behaviour only.

The sets, bench/data/guidelines/talks.jsonl, fresh-2026-12-07.jsonl,
tuning-2026-12-07c.jsonl, heldout-2026-12-07b.jsonl (held-out for rounds 1-2, read twice,
tuning data since round 3), tuning-2026-12-07e.jsonl (vendor pages and product showcases,
round 3), the blind heldout-2026-12-07d.jsonl, and tuning-2026-12-07f.jsonl and
tuning-2026-12-07g.jsonl (two more collectors, read once and tuning data since round 4; the
README there says how they were built), label each talk fit,
showcase (a user showing a commercial product in their work: welcome), off-topic,
theoretical, pitch or confidential, and say which rule a bad talk must raise (`expect`) and
which others are also fair (`also`: an off-topic theory paper is theoretical too). Each case
is in the tuning part or the held-out part (`split`; a case marked `auto` is split by the
same hash of its id, `held_out`); the word lists were tuned on the tuning part only.

Figures, for the engine (bot.guidelines.check: word lists and model), for its word lists
alone (`words`; the model: bot/guidelines/model/, bench/guidelines_train.py), for the
optional e5 engine when its extra is installed (`e5`: bot/guidelines/e5.py; trained on the
tuning part, so not a measure there: bench/guidelines_loso.py gives leave-one-set-out
figures) and for a
baseline of plain keyword lists (English, substrings, no negation or weighting) in the same
run, on each part. The model is trained on all these sets, so its figures here are not a
measure (bench/guidelines_train.py prints its cross-validated ones):
- per rule: precision (concerns of that rule that are expected or fair) and recall (talks
  expecting that rule that get it);
- good flagged: share of fit and showcase talks with any concern (goal at most 5%);
- bad right: share of the other talks that get their expected rule (goal at least 90%).
Time: median and worst milliseconds per abstract over the set, and for a 100 KB abstract.

    python -m bench.guidelines [--parts tuning] [--show tuning]   # --show lists the mistakes

`--parts tuning` prints the tuning part's figures only: what to run while tuning, so the
held-out figures are read once, at the end, and keep meaning something.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bot.guidelines import RULES, Concern, check
from bot.guidelines.engine import concerns as word_lists  # the engine without its model

DATA_DIR = Path(__file__).resolve().parent / "data" / "guidelines"
SETS = (DATA_DIR / "talks.jsonl", DATA_DIR / "fresh-2026-12-07.jsonl",
        DATA_DIR / "tuning-2026-12-07c.jsonl", DATA_DIR / "heldout-2026-12-07b.jsonl",
        DATA_DIR / "tuning-2026-12-07e.jsonl", DATA_DIR / "heldout-2026-12-07d.jsonl",
        DATA_DIR / "tuning-2026-12-07f.jsonl", DATA_DIR / "tuning-2026-12-07g.jsonl",
        DATA_DIR / "heldout-2026-12-07h.jsonl")
PARTS = ("tuning", "held-out", "all")
GOOD = frozenset({"fit", "showcase"})

Engine = Callable[[str, str, str], list[Concern]]

# The baseline: the keyword lists a committee member would write down first.
_BASE_DOMAIN = ("vfx", "visual effects", "animation", "film", "movie", "render", "compositing",
                "rig", "roto", "game", "studio", "character", "shot", "artist", "nuke",
                "maya", "houdini")
_BASE_RESULTS = ("result", "tested", "trained", "evaluated", "measured", "%", "faster",
                 "we tried", "lessons", "deployed")
_BASE_PITCH = ("pricing", "price", "contact our sales", "book a demo", "request a demo",
               "free trial", "sign up", "our platform", "buy")
_BASE_SECRET = ("proprietary", "confidential", "nda", "trade secret", "unreleased",
                "internal only", "secret")


def baseline(title: str, abstract: str, results: str) -> list[Concern]:
    text = f"{title}\n{abstract}\n{results}".casefold()
    found = []
    if not any(w in text for w in _BASE_DOMAIN):
        found.append(Concern("relevance", "no domain keyword"))
    if not any(w in text for w in _BASE_RESULTS):
        found.append(Concern("practical", "no results keyword"))
    if any(w in text for w in _BASE_PITCH):
        found.append(Concern("pitch", "pitch keyword"))
    if any(w in text for w in _BASE_SECRET):
        found.append(Concern("confidential", "secret keyword"))
    return found


@dataclass
class Case:
    id: str
    split: str
    label: str
    lang: str
    expect: list[str]
    also: list[str]
    title: str
    abstract: str
    results: str


def held_out(case_id: str) -> bool:
    """The split, fixed before any tuning: sha1(id) % 5 in (0, 1) is held-out."""
    digest = hashlib.sha1(case_id.encode(), usedforsecurity=False).hexdigest()
    return int(digest, 16) % 5 in (0, 1)


def load(paths: tuple[Path, ...] = SETS) -> list[Case]:
    cases = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                split = row["split"]
                if split == "auto":
                    split = "held-out" if held_out(row["id"]) else "tuning"
                cases.append(Case(row["id"], split, row["label"], row["lang"],
                                  row["expect"], row["also"], row["title"], row["abstract"],
                                  row["results"]))
    return cases


@dataclass
class Quality:
    cases: int = 0
    good: int = 0
    good_flagged: int = 0
    bad: int = 0
    bad_right: int = 0
    flagged: dict[str, int] = field(default_factory=lambda: dict.fromkeys(RULES, 0))
    flagged_fair: dict[str, int] = field(default_factory=lambda: dict.fromkeys(RULES, 0))
    expected: dict[str, int] = field(default_factory=lambda: dict.fromkeys(RULES, 0))
    found: dict[str, int] = field(default_factory=lambda: dict.fromkeys(RULES, 0))
    mistakes: list[str] = field(default_factory=list)

    def precision(self, rule: str) -> float:
        return self.flagged_fair[rule] / self.flagged[rule] if self.flagged[rule] else 1.0

    def recall(self, rule: str) -> float:
        return self.found[rule] / self.expected[rule] if self.expected[rule] else 1.0


def evaluate(cases: list[Case], engine: Engine) -> Quality:
    q = Quality()
    for case in cases:
        q.cases += 1
        got = engine(case.title, case.abstract, case.results)
        rules = {c.rule for c in got}
        for rule in rules:
            q.flagged[rule] += 1
            if rule in case.expect or rule in case.also:
                q.flagged_fair[rule] += 1
        for rule in case.expect:
            q.expected[rule] += 1
            if rule in rules:
                q.found[rule] += 1
        if case.label in GOOD:
            q.good += 1
            q.good_flagged += bool(got)
            wrong = bool(got)
        else:
            q.bad += 1
            right = all(r in rules for r in case.expect)
            q.bad_right += right
            wrong = not right or bool(rules - set(case.expect) - set(case.also))
        if wrong:
            said = "; ".join(f"{c.rule}: {c.reason}" for c in got) or "no concern"
            q.mistakes.append(f"  {case.id} [{case.label}, {case.lang}] -> {said}")
    return q


def line(name: str, q: Quality) -> str:
    rules = " ".join(f"{r}={q.precision(r):.2f}/{q.recall(r):.2f}" for r in RULES)
    good = q.good_flagged / q.good if q.good else 0.0
    bad = q.bad_right / q.bad if q.bad else 1.0
    return (f"  {name:>8}: good flagged {good:6.1%} ({q.good_flagged}/{q.good})  "
            f"bad right {bad:6.1%} ({q.bad_right}/{q.bad})  precision/recall {rules}")


def timing(cases: list[Case], engine: Engine, rounds: int = 5) -> tuple[float, float, float]:
    samples = []
    for _ in range(rounds):
        for case in cases:
            began = time.perf_counter()
            engine(case.title, case.abstract, case.results)
            samples.append((time.perf_counter() - began) * 1000)
    big = ("A talk. " + " ".join(c.abstract for c in cases)) * 3
    big = big[:100_000]
    began = time.perf_counter()
    engine("Huge", big, big[:20_000])
    huge = (time.perf_counter() - began) * 1000
    return statistics.median(samples), max(samples), huge


def e5_engine() -> Engine | None:
    """The optional e5 engine (GUIDELINES_ENGINE=e5) when its extra is installed."""
    from bot.guidelines import e5

    if not e5.available():
        return None

    def engine(title: str, abstract: str, results: str) -> list[Concern]:
        return e5.with_e5(word_lists(title, abstract, results), title, abstract, results)
    return engine


def report(show: str | None = None, parts: tuple[str, ...] = PARTS) -> int:
    cases = load()
    with_e5 = e5_engine()
    engines: list[tuple[str, Engine]] = [("engine", check), ("words", word_lists)]
    if with_e5 is not None:
        engines.append(("e5", with_e5))
    engines.append(("baseline", baseline))
    print(f"guidelines: {len(cases)} labelled talks "
          f"({sum(c.split == 'tuning' for c in cases)} tuning, "
          f"{sum(c.split == 'held-out' for c in cases)} held-out); "
          f"precision/recall per rule; goal: good flagged <= 5%, bad right >= 90%")
    for split in parts:
        part = [c for c in cases if split == "all" or c.split == split]
        print(f" {split} ({len(part)} talks)")
        for name, engine in engines:
            q = evaluate(part, engine)
            print(line(name, q))
            if show == split and name == "engine":
                print("\n".join(q.mistakes) or "  (no mistakes)")
    ours = timing(cases, check)
    base = timing(cases, baseline)
    print(f" time per abstract: engine median {ours[0]:.2f} ms, worst {ours[1]:.2f} ms, "
          f"100 KB {ours[2]:.1f} ms; baseline median {base[0]:.3f} ms "
          f"(engine/baseline {ours[0] / max(base[0], 1e-6):.0f}x)")
    if with_e5 is not None:
        e5_time = timing(cases[:40], with_e5, rounds=1)
        print(f" e5 engine (optional, one CPU thread): median {e5_time[0]:.0f} ms, worst "
              f"{e5_time[1]:.0f} ms, 100 KB {e5_time[2]:.0f} ms")
    return 0


async def main() -> int:
    """Async only to fit `make bench`'s runner (bench/__main__.py: asyncio.run)."""
    return report()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", choices=PARTS, help="list the engine's mistakes on that part")
    parser.add_argument("--parts", choices=PARTS, nargs="+", default=list(PARTS),
                        help="the parts whose figures are printed (default: all three)")
    args = parser.parse_args()
    sys.exit(report(args.show, tuple(args.parts)))
