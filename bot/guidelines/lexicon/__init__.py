"""The words the guidelines engine reads, per rule (a module each) and language.

Source and licence: written for this project by its authors (MIT, as the rest of wgml-bot)
from the session guidelines in the working group's annual review (the four principles and
two boundaries) and from the vocabulary of public talk programs (SIGGRAPH and DigiPro talks,
FMX, GTC, ML conference abstracts, vendor webinar listings). The translations (French,
German, Spanish, Portuguese, Japanese, Chinese, Korean) are the authors' own; they are the
common industry words, not a dictionary's. No third-party word list is copied.

Syntax of a term: lower case, accents optional (the text and the terms are both folded), a
space stands for any run of spaces or hyphens; a trailing `*` matches any word ending
("render*" reads render, renders, rendering, renderer). Terms written in Latin letters match
whole words; terms in CJK or Hangul match anywhere (those scripts do not separate words).
"""

from __future__ import annotations

from bot.guidelines.lexicon.confidential import CONFIDENTIAL, NEGATION_AFTER, NEGATION_BEFORE
from bot.guidelines.lexicon.domain import (
    DOMAIN_FALSE_FRIENDS,
    DOMAIN_SHARED,
    DOMAIN_STRONG,
    DOMAIN_WEAK,
    OFF_TOPIC,
    OFF_TOPIC_SHARED,
)
from bot.guidelines.lexicon.pitch import PITCH_STRONG, PITCH_WEAK, PRICE_CONTEXT, SHOWCASE, YOU
from bot.guidelines.lexicon.practical import APPLIED, EVIDENCE, EVIDENCE_WEAK, FIRST_PERSON, THEORY
from bot.guidelines.lexicon.vendor import (
    ANNOUNCE,
    COMMERCIAL,
    COMPANY,
    INSTRUCTIONS,
    KIND_SUBJECTS,
    LAUNCH_VERBS,
    NOT_A_NAME,
    OFFER_VERBS,
    PRODUCT_KINDS,
    STUDIOS,
    USER,
)

__all__ = ["ANNOUNCE", "APPLIED", "COMMERCIAL", "COMPANY", "CONFIDENTIAL", "DOMAIN_FALSE_FRIENDS",
           "DOMAIN_SHARED", "DOMAIN_STRONG", "DOMAIN_WEAK", "EVIDENCE", "EVIDENCE_WEAK",
           "FIRST_PERSON", "INSTRUCTIONS", "KIND_SUBJECTS", "LAUNCH_VERBS", "NEGATION_AFTER",
           "NEGATION_BEFORE", "NOT_A_NAME", "OFFER_VERBS", "OFF_TOPIC", "OFF_TOPIC_SHARED",
           "PITCH_STRONG", "PITCH_WEAK", "PRICE_CONTEXT", "PRODUCT_KINDS", "SHOWCASE", "STUDIOS",
           "THEORY", "USER", "YOU"]
