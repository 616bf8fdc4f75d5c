"""The guidelines engine: reads a talk's title, abstract and results against the four rules
with the word lists of `bot.guidelines.lexicon`, and says in one sentence what it read
(reading the text: `engine/text.py`; the rules: `engine/rules.py`).

Deterministic and offline (no model, no network): the text is stripped of markup (HTML,
Markdown, URLs), folded (lower case, accents removed, full-width forms narrowed) and cut into
words; terms in Latin letters match whole words, terms in CJK or Hangul match anywhere. Each
rule is a small score over the terms found:

- relevance: no VFX, animation, film, games or production term (one only, against several
  of another domain's) -> a concern naming the domain it reads as ("reads as ad ranking").
- practical: little evidence of something tried and its outcome (past-tense experiment
  verbs, "lessons learned", numbers with units, a filled-in results field), less what
  reads as a survey, theory or position piece -> a concern naming which.
- pitch: a sales term (pricing, "contact our sales team", "book a demo") or several
  marketing words ("our platform", superlatives, calls to action), or a vendor's voice
  without them: a product acting (`engine/voice.py`) and the register of a vendor's page,
  the company narrating, a launch, a feature list, a manual (`engine/register.py`); a
  user's showcase ("we used ... in our pipeline") weighs the marketing words down, never
  the sales terms.
- confidential: a term such as "our proprietary dataset", "under NDA", "unreleased",
  "client footage we cannot share", unless negated just before ("no proprietary data",
  "without client footage", "non-confidential") or after in CJK (機密情報は含みません); on
  a page read as a pitch, "our proprietary technology" is the vendor's claim, not a risk.
"""

from __future__ import annotations

from bot.guidelines.concern import Concern
from bot.guidelines.engine.rules import INDEX, confidential, pitch, practical, relevance
from bot.guidelines.engine.text import STOP, Text, fold, strip_markup

# What is read of each field: enough for any abstract; the rest of a huge text is ignored.
MAX_TITLE = 1_000
MAX_ABSTRACT = 12_000
MAX_RESULTS = 6_000
_RAW_FACTOR = 2  # markup may take room: this much raw text is stripped before the cut


def concerns(title: str, abstract: str, results: str) -> list[Concern]:
    """The concerns a talk raises, in RULES order; empty when it fits or says nothing."""
    title = strip_markup(title[:MAX_TITLE * _RAW_FACTOR])[:MAX_TITLE]
    abstract = strip_markup(abstract[:MAX_ABSTRACT * _RAW_FACTOR])[:MAX_ABSTRACT]
    results = strip_markup(results[:MAX_RESULTS * _RAW_FACTOR])[:MAX_RESULTS]
    whole = Text.of(f"{title}.\n{abstract}.\n{results}")
    if all(w in STOP for w, _, _ in whole.words):
        return []
    hits = INDEX.find(whole)
    pitched = pitch(whole, hits, title, fold(results)[0])
    found = [
        relevance(whole, hits),
        practical(whole, hits, fold(results)[0], fold(title)[0]),
        pitched,
        confidential(whole, hits, pitched is not None),
    ]
    return [c for c in found if c is not None]
