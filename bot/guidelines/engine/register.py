"""The register of a vendor's page, for the pitch rule: what a product's own page, release
notes, manual or launch news read like when they carry no sales term and no superlative.

Four cues, each general rather than a phrase of a known page:
- the company as narrator or subject: its founders, its CEO, its funding, "our tools", "the
  startup", "자사", "同社";
- an announcement in the third person: "unveiled", "rolls out", "the new version", "now
  supports", "发布", "출시" (a first person just before, "we released our code", is a
  researcher's, not a vendor's);
- a product kind as the subject of what is offered, unnamed: "the platform provides", "the
  tool lets";
- a manual's instructions to the reader: "click", "navigate to", "you can use".
With any of them or a product acting (bot/guidelines/engine/voice.py), a text in which no
one tells what they tried (no past-tense narration, no results) weighs one more in the pitch
rule: a feature list without an experiment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.guidelines import lexicon
from bot.guidelines.engine.text import Hit, Text, distinct

_FIRST = frozenset({"we", "i", "our", "nous", "wir", "nosotros", "je", "ich"})
_KINDS = "|".join(sorted(lexicon.KIND_SUBJECTS, key=len, reverse=True))
_KIND_ACTS = re.compile(
    r"\b(?:the|this|its|their|le|la|el|o|a)\s(?:[\w-]+\s){0,2}?(?:" + _KINDS + r")\s"
    r"(?:now\s|also\s|then\s|automatically\s|instantly\s)?"
    r"(?!is\b|was\b|has\b|does\b|its\b|this\b|as\b|us\b|plus\b|focus\b)"
    r"(?:[a-z]{2,}s|permet|offre|propose|permite|ofrece|genera)\b")


# A new feature announced: "new Bifrost nodes", "new, modular workflows".
_NEW_FEATURES = re.compile(r"\bnew,?\s(?:[\w-]+\s){0,2}?(?:nodes?|workflows?|features?|"
                           r"functionality|capabilities|version of)\b")
# A company's own product told in the third person: "its tool", "sua ferramenta".
_OWN_PRODUCT = re.compile(
    r"\b(?:its|sua|seu|su|sus|son|sa|ses|seine|ihre)\s(?:own\s|propia\s|propio\s|propre\s)?"
    r"(?:[\w-]+\s){0,2}?(?:" + _KINDS + r"|ferramenta|products?|technology)s?\b")
_STUDIO_FIRST = frozenset(s.split()[0].casefold() for s in lexicon.STUDIOS)


@dataclass(frozen=True)
class Register:
    """The vendor-page cues found, each as written, and their weight for the pitch rule."""

    cues: tuple[Hit, ...]
    weight: int


def register(text: Text, hits: dict[str, list[Hit]]) -> Register:
    company = distinct([*hits.get("company", []), *_spans(_OWN_PRODUCT, text)])
    # Not a researcher's release ("we released our code"), not a studio's titles ("Netflix
    # launches shows"), not the words of a confidential risk ("not yet been announced").
    secret = hits.get("confidential", [])
    announce = distinct([h for h in (*hits.get("announce", []), *_spans(_NEW_FEATURES, text))
                         if not (_FIRST | _STUDIO_FIRST) & set(text.before(h, 3))
                         and not any(c.start <= h.start < c.end for c in secret)])
    instructions = distinct(hits.get("instructions", []))
    kind_acts = distinct(_spans(_KIND_ACTS, text))
    weight = (min(len(company), 3) + min(len(announce), 2) + min(len(instructions), 2)
              + min(len(kind_acts), 2))
    cues = (*kind_acts.values(), *announce.values(), *company.values(),
            *instructions.values())
    return Register(cues, weight)


def _spans(pattern: re.Pattern[str], text: Text) -> list[Hit]:
    return [Hit(" ".join(m.group(0).split()), m.start(), m.end())
            for m in pattern.finditer(text.folded)]
