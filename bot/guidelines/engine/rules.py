"""The four rules, each a small score over the terms the index found (the engine's docstring,
bot/guidelines/engine/__init__.py, says what each reads)."""

from __future__ import annotations

import re

from bot.guidelines import lexicon
from bot.guidelines.concern import Concern
from bot.guidelines.engine.register import register
from bot.guidelines.engine.text import CJK, TOKEN, Hit, Index, Text, distinct, fold_term, quote
from bot.guidelines.engine.voice import voice


# --- the lists, compiled once ------------------------------------------------------------
def _index() -> Index:
    index = Index()
    index.add("false friend", lexicon.DOMAIN_FALSE_FRIENDS)
    index.add("domain", lexicon.DOMAIN_STRONG)
    index.add("domain shared", lexicon.DOMAIN_SHARED)
    for name, terms in lexicon.OFF_TOPIC.items():
        index.add(f"off:{name}", terms)
    index.add("evidence", lexicon.EVIDENCE)
    index.add("evidence weak", lexicon.EVIDENCE_WEAK)
    index.add("applied", lexicon.APPLIED)
    index.add("first person", lexicon.FIRST_PERSON)
    for name, terms in lexicon.THEORY.items():
        index.add(f"theory:{name}", terms)
    index.add("pitch", lexicon.PITCH_STRONG)
    index.add("pitch weak", lexicon.PITCH_WEAK)
    index.add("showcase", lexicon.SHOWCASE)
    index.add("you", lexicon.YOU)
    index.add("commercial", lexicon.COMMERCIAL)
    index.add("user", lexicon.USER)
    index.add("confidential", lexicon.CONFIDENTIAL)
    index.add("company", lexicon.COMPANY)
    index.add("announce", lexicon.ANNOUNCE)
    index.add("instructions", lexicon.INSTRUCTIONS)
    return index.compile()


INDEX = _index()
_NEG_WORDS = tuple(tuple(TOKEN.findall(fold_term(t))) for t in lexicon.NEGATION_BEFORE
                   if not CJK.search(t))
_NEG_CJK_BEFORE = tuple(fold_term(t) for t in lexicon.NEGATION_BEFORE if CJK.search(t))
_NEG_CJK_AFTER = tuple(fold_term(t) for t in lexicon.NEGATION_AFTER)
_PRICE_CONTEXT = frozenset(fold_term(t) for t in lexicon.PRICE_CONTEXT)

_NUMBER = re.compile(
    r"\d+(?:[.,]\d+)?\s?(?:%|％|percent\b|per cent\b|pour cent\b|prozent\b|por ciento\b|"
    r"por cento\b|x\b|×|times\b|fois\b|mal\b|veces\b|vezes\b|倍|ms\b|fps\b|hours?\b|hrs?\b|"
    r"minutes?\b|mins?\b|seconds?\b|days?\b|weeks?\b|frames?\b|shots?\b|gpus?\b|"
    r"heures?\b|stunden\b|horas\b|時間|小时|小時|시간|분|초|秒|分钟|分間|フレーム|帧|프레임|"
    r"shows?\b|episodes?\b|artists?\b|tb\b|gb\b)")
# Marketing copy speaks to the reader: "ください", "您", "하세요".
_YOU_CJK = re.compile("|".join(re.escape(t) for t in lexicon.YOU if CJK.search(t)) or "$^")
# Someone telling what they did: "we trained", "I wrote", "nous avons", "しました", "했다".
_TOLD = re.compile(
    r"\b(?:we|i|our team|the team)\s(?:re\s?|then\s|also\s|first\s)?"
    r"(?!need\b|feed\b|speed\b)(?:[a-z]+ed|built|"
    r"ran|wrote|took|made|got|saw|found|kept|hit|cut|put|went|spent|chose|brought|shot|"
    r"grew|began|learnt|rebuilt|swapped|set up)\b|\bnous avons\b|\bwir haben\b|\bhaben wir\b|"
    r"\b[a-z]+(?:amos|imos)\b|ました|しました|했다|였다|었다|했습니다|였습니다|었습니다|"
    # ... or told in the third person, a write-up of a team's work ("Pixar trained a
    # denoiser", "l'équipe a développé", "desarrolló", "开发了"): a past verb and its object.
    r"\b(?:used|trained|developed|built|created|designed|deployed|implemented|integrated|"
    r"applied|tested|adopted|wrote|shipped|combined|replaced|automated|captured|rebuilt)\s"
    r"(?:a|an|the|its|their|his|her|it|them|this|these|new|machine|ml|ai|deep|neural)\b|"
    r"\b(?:a|ont) (?:developpe|utilise|entraine|construit|concu|cree|teste)\b|"
    r"\b(?:desarrollo|desarrollaron|utilizo|utilizaron|entreno|entrenaron|creo|crearon|"
    r"desenvolveu|desenvolveram|utilizou|utilizaram|usou|usaram|treinou|treinaram|criou|"
    r"criaram)\b|开发了|使用了|训练了|采用了|構築した|開発した")


# A researcher narrating the work in the present: "we describe", "we report".
_NARRATES = re.compile(r"\b(?:we|i)\s(?:also\s)?(?:describe|present|report|propose|show|"
                       r"evaluate|compare|measure|discuss|explain|detail)\b")


# Reported speech is a journalist's past tense, not someone telling an experiment: "신현진
# 대표는 ... 소개했다", "社長は ... 語った".
_REPORTED = ("소개", "설명", "강조", "발표", "말", "밝혔", "전했", "紹介", "説明", "語")


def _told(folded: str) -> bool:
    return any(not folded[max(0, m.start() - 2):m.start() + 1].startswith(_REPORTED)
               and not folded[m.start():m.end()].startswith(("밝혔", "전했"))
               for m in _TOLD.finditer(folded))


# --- the rules ---------------------------------------------------------------------------
Hits = dict[str, list[Hit]]


def _group(hits: Hits, prefix: str) -> dict[str, dict[str, Hit]]:
    """The non-empty lists whose name starts with `prefix`, each as its distinct terms."""
    return {name[len(prefix):]: distinct(found) for name, found in hits.items()
            if name.startswith(prefix) and found}


def relevance(text: Text, hits: Hits) -> Concern | None:
    friends = hits.get("false friend", [])
    domain = [h for h in (*hits.get("domain", []), *hits.get("domain shared", []))
              if not any(f.start <= h.start < f.end for f in friends)]
    strong = distinct(domain)
    # Another domain's word inside a domain term is the domain's ("stock footage"), and one
    # inside a sales term is the pitch's ("contact our sales team").
    inside = [*domain, *hits.get("pitch", [])]
    off: dict[str, dict[str, Hit]] = {}
    for name, found in _group(hits, "off:").items():
        kept = {t: h for t, h in found.items()
                if not any(d.start <= h.start and h.end <= d.end for d in inside)}
        if kept:
            off[name] = kept
    # The domain's evidence against another's: a production term counts one, a technique
    # other fields share (rendering, NeRF, footage) half, and so does a word of another
    # domain that studios use too (advertising). Against another domain's words, the domain
    # needs 1.5 and at least as much; alone, any of its terms will do.
    shared = {h.term for h in hits.get("domain shared", [])}
    weight = sum(0.5 if term in shared else 1.0 for term in strong)
    off_weight = sum(0.5 if term in lexicon.OFF_TOPIC_SHARED else 1.0
                     for found in off.values() for term in found)
    # A technique other fields share (NeRF, rendering) never outweighs another domain's
    # words alone: it needs a production term beside it.
    own = any(term not in shared for term in strong)
    if (weight >= 1.5 and off_weight <= weight and (own or not off)) or (strong and not off):
        return None
    if off:
        name, found = max(off.items(), key=lambda kv: (len(kv[1]), -min(
            h.start for h in kv[1].values())))
        reading = f"reads as {name} ({quote(text, found.values(), 2)})"
    else:
        reading = "reads as a use outside VFX and animation"
    if len(strong) == 1:
        return Concern("relevance", f"only one VFX or animation term "
                                    f"({quote(text, strong.values(), 1)}); {reading}")
    if strong:
        return Concern("relevance", f"few VFX or animation terms "
                                    f"({quote(text, strong.values(), 2)}); {reading}")
    return Concern("relevance", f"no VFX, animation or production terms; {reading}")


def practical(text: Text, hits: Hits, results: str, title: str = "") -> Concern | None:
    """Raised only on what reads as a survey, theory, position or commentary piece; the mere
    absence of numbers is not a concern (a paper-style abstract of a tool is practical)."""
    strong = distinct(hits.get("evidence", []))
    weak = distinct(hits.get("evidence weak", []))
    applied = distinct(hits.get("applied", []))
    numbers = len(_NUMBER.findall(text.folded))
    told = len(_TOLD.findall(text.folded))
    theory = _group(hits, "theory:")
    # A theory's words, and a text declaring it has no experiment of its own, weigh double.
    heavy = (len(theory.get("theory", {}))
             + 2 * len(theory.get("an overview without an experiment", {})))
    # Overlapping cues are one ("what this means for" is not two).
    spans = sorted((h.start, h.end) for found in theory.values() for h in found.values())
    cues = sum(1 for i, (start, _) in enumerate(spans)
               if not i or start >= max(end for _, end in spans[:i]))
    told_by_no_one = not hits.get("first person") and not told
    if not theory:
        return None  # no survey's, theory's or position's words: in doubt, not flagged
    shown = (2 * min(len(strong) + min(told, 2), 3) + min(len(weak), 3) + min(len(applied), 3)
             + 2 * min(numbers, 2) + (2 if len(TOKEN.findall(results)) >= 6 else 0))
    # With a survey's, theory's or position's words, what was shown must outweigh them; with
    # none and no narrator (commentary on the field), a little of it will do.
    if theory:
        # A survey's word in the title ("Survey: ...", "The future of ...") says what it is.
        titled = any(h.end <= len(title) for found in theory.values() for h in found.values())
        against = (min(cues, 4) + min(heavy, 2) + (1 if told_by_no_one else 0)
                   + (2 if titled else 0))
        if shown - against >= 2:
            return None
    elif shown >= 3:
        return None
    if theory:
        name, found = max(theory.items(), key=lambda kv: len(kv[1]))
        return Concern("practical", f"no result or experiment; reads as {name} "
                                    f"({quote(text, found.values(), 2)})")
    return Concern("practical", "no result or experiment: no one tells what they tried and "
                                "what came of it")


def pitch(text: Text, hits: Hits, title: str = "", results: str = "") -> Concern | None:
    """A sales term; or the vendor's voice: marketing words, copy that speaks to the reader
    and a product as the subject of what is offered (`engine/voice.py`), with the terms of
    a sale or a launch; a user as the subject of the work (a showcase) weighs it down."""
    strong = []
    for hit in hits.get("pitch", []):
        if hit.term.startswith(("pric", "per ", "license fee", "licence fee")):
            before = text.before(hit, 8)
            if set(before[-2:]) & _PRICE_CONTEXT and "our" not in before:
                continue  # "cloud GPU pricing", "licence cost per seat": a user's costs
        strong.append(hit)
    sales = distinct(strong)
    marketing = distinct(hits.get("pitch weak", []))
    you = len(hits.get("you", [])) + len(_YOU_CJK.findall(text.folded))
    acts = voice(title, text.shown)
    # Commercial terms ("licenses", "in beta", "customers") count only with a product acting
    # or a company narrating: alone they are any talk's words.
    user = bool(hits.get("showcase") or hits.get("user"))
    # A vendor's page without a sales word: the company narrating, a launch, a manual.
    told = (_told(text.folded) or bool(_NARRATES.search(text.folded))
            or len(TOKEN.findall(results)) >= 6)
    page = register(text, hits)
    commercial = {t: h for t, h in distinct(hits.get("commercial", [])).items()
                  if (acts.said or page.cues) and all(c.start != h.start for c in page.cues)}
    weight = (len(marketing) + (2 if you >= 3 else 0) + acts.weight + min(len(commercial), 2)
              + page.weight + (1 if (acts.said or page.cues or you >= 3) and not told else 0)
              - (2 if user else 0))
    if not sales and weight < 3:
        return None
    cues = [f"'{s}'" for s in acts.said[:1]] + [
        quote(text, [*sales.values(), *page.cues, *marketing.values(), *commercial.values()],
              3, in_order=False)]
    return Concern("pitch", f"reads as a product pitch: {', '.join(c for c in cues if c)}")


def _negated(text: Text, hit: Hit) -> bool:
    if CJK.search(hit.term):
        before = text.folded[max(0, hit.start - 6):hit.start]
        after = text.folded[hit.end:hit.end + 14]
        return any(n in before for n in _NEG_CJK_BEFORE) or \
            any(n in after for n in _NEG_CJK_AFTER)
    words = text.before(hit, 4)
    return any(tuple(words[i:i + len(neg)]) == neg
               for neg in _NEG_WORDS for i in range(len(words) - len(neg) + 1)) or \
        any(n in text.folded[hit.end:hit.end + 14] for n in _NEG_CJK_AFTER)


# On a vendor's page "our proprietary technology" claims a product; it leaks nothing.
_VENDOR_CLAIMS = frozenset({"our proprietary", "proprietary technology", "proprietary technique*",
                            "proprietary algorithm*", "proprietary method*", "core technology",
                            "our core technology"})


def confidential(text: Text, hits: Hits, pitched: bool = False) -> Concern | None:
    found = [h for h in hits.get("confidential", []) if not _negated(text, h)
             and not (pitched and h.term in _VENDOR_CLAIMS)]
    if not found:
        return None
    return Concern("confidential", f"mentions {quote(text, found, 3)}")
