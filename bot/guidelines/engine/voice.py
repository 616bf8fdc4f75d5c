"""Who acts in a talk's text, for the pitch rule: a product as the subject of what is offered
("Rotobot is a tool that ...", "Move's platform captures ...", "Wonder Dynamics has launched
...", "Cascadeur es un programa ...", "Unity发布 ..."), against a user as the subject of the
work ("I tested Cascadeur", "the studio's artists used Nuke").

A product's name is told by its capitals (read on the text as written, accents removed):
one to three capitalised words at the start of a sentence or clause, not a pronoun, an
article, a studio or a group of people, and named at least twice (a vendor repeats its
product's name; a paper names its method once or says "our method").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from bot.guidelines import lexicon


def _alternatives(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"[\s-]+")
                    for w in sorted(words, key=len, reverse=True))


_WORD = r"(?:[A-Z0-9][A-Za-z0-9&+]*(?:[.-][A-Za-z0-9]+)*|[A-Z])"
_NAME = rf"{_WORD}(?:[ ]{_WORD}){{0,2}}"
# The start of a sentence or clause: what may stand before a subject.
_LEAD = (r"(?:^|(?<=[.!?;:\n]\s)|(?<=[.!?;:\n])|(?<=,\s)|(?<=\band\s)|(?<=\bas\s)|"
         r"(?<=\bwhile\s)|(?<=\bso\s)|(?<=\bbut\s)|(?<=\bthat\s))")
_POSSESSED = r"(?:'s?(?:\s[\w-]+){0,3}?)?"
_ADVERB = r"(?:\s(?:now|also|then|automatically|even|instantly|today|recently|quickly))?"
_ACTS = re.compile(
    rf"{_LEAD}(?P<name>{_NAME}){_POSSESSED}{_ADVERB}\s"
    rf"(?:(?P<launch>{_alternatives(lexicon.LAUNCH_VERBS)})|"
    rf"(?P<offer>{_alternatives(lexicon.OFFER_VERBS)})|"
    rf"(?:is|are|was|est|es|ist|e)\s(?:a|an|un|une|una|ein|eine|um|uma)\s(?:[\w-]+\s){{0,4}}?"
    rf"(?P<kind>{_alternatives(lexicon.PRODUCT_KINDS)}))\b")
# The product named, then what it is: "He presents Cascadeur, the physics-based animation
# tool that ..." (anywhere in a sentence; the name is still one named twice).
_APPOSITIVE = re.compile(
    rf"(?<![A-Za-z0-9])(?P<name>{_NAME}),\s(?:the|a|an|le|la|un|une|el|una|der|die|das|ein|eine)"
    rf"\s(?:[\w-]+\s){{0,4}}?(?P<offer>{_alternatives(lexicon.PRODUCT_KINDS)})\b")
_NARRATOR = re.compile(r"\b(?:we|I|our|nous|wir|nosotros|je|ich)\b", re.I)
# The product named, then what it does in a relative clause: "the ML Deformer in Unreal
# Engine, which approximates ..." (a studio's "which" is kept out by STUDIOS).
_RELATIVE = re.compile(
    rf"(?<![A-Za-z0-9])(?P<name>{_NAME}),\s(?:which|that)\s(?:now\s|also\s)?"
    rf"(?!is\b|was\b|has\b|does\b)(?P<offer>[a-z]{{3,}}s)\b")
# In Korean the name is the topic of what the product is: "Cascadeur는 ... 소프트웨어로".
_ACTS_KO = re.compile(
    r"(?P<name>[A-Z][A-Za-z0-9]+(?:[ ][A-Z][A-Za-z0-9]+)?)(?:는|은)\s[^.!?]{0,60}?"
    r"(?P<offer>소프트웨어|플랫폼|솔루션|도구|툴|서비스|프로그램|엔진)")
# In Chinese and Japanese the name stands before a particle or the launch verb:
# "HeyGem数字人视频生成系统能将", "Unity发布", "GarageFarmは".
_HAN = r"[\u3040-\u30ff\u4e00-\u9fffA-Z]"
_ACTS_CJK = re.compile(
    rf"(?P<name>[A-Z][A-Za-z0-9]+(?:[ ][A-Z][A-Za-z0-9]+)?){_HAN}{{0,12}}?"
    r"(?:(?P<launch>正式发布|发布|推出|上线|を発表|をリリース|출시)|"
    # "は" of a place ("SAIGAでは", at SAIGA) is not the subject's.
    r"(?P<offer>能将|能够|可以|可将|让|帮助|(?<![でにと])は|が))|"
    # ... or after it: "腾讯游戏发布 ... 解决方案VISVISE"
    rf"(?:发布|推出|上线){_HAN}{{0,16}}?(?P<named>[A-Z][A-Za-z0-9]{{2,}})")
# What is offered to its buyers: "gives animators", "permite a los animadores".
_OFFERED = re.compile(
    r"\b(?:lets|let|gives|give|allows|enables|helps|empowers|frees|permet aux|aide les|"
    r"permite a(?: los| las)?|ayuda a(?: los| las)?|asiste al?|ermoglicht|hilft)\s"
    r"(?:the\s|your\s|les\s|los\s|las\s|den\s|die\s)?(?:\w+\s)?"
    r"(?:animators?|artists?|studios?|users?|creators?|developers?|teams?|filmmakers?|"
    r"animador\w*|artistas|estudios|animateurs|artistes|utilisateurs|usuarios|kunstler)\b")
_STUDIOS = tuple(s.casefold() for s in lexicon.STUDIOS)


def _plain(text: str) -> str:
    """The text as written, accents removed (capitals kept: they tell a name)."""
    if text.isascii():
        return text
    out = unicodedata.normalize("NFKD", text)
    # Recomposed: Hangul decomposes into jamo under NFKD and must read as syllables again.
    return unicodedata.normalize("NFC", "".join(c for c in out if not ("\u0300" <= c <= "\u036f")))


@dataclass(frozen=True)
class Voice:
    """What a product does as the subject: each clause as written ("Rotobot is a tool"),
    with whether one is a launch and whether a product is named in the title."""

    said: tuple[str, ...]
    launch: bool
    in_title: bool
    offered: bool

    @property
    def weight(self) -> int:
        if not self.said:
            return 0
        return (min(len(self.said), 2) + (1 if self.launch else 0) + (1 if self.in_title else 0)
                + (1 if self.offered else 0))


def _named(name: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![A-Za-z0-9-]){re.escape(name)}(?![A-Za-z0-9-])")


def _is_name(name: str, plain: str) -> bool:
    first = name.split()[0].casefold()
    folded = name.casefold()
    if first in lexicon.NOT_A_NAME or folded in lexicon.NOT_A_NAME:
        return False
    if any(folded == s or folded.startswith(s + " ") or first == s for s in _STUDIOS):
        return False
    return len(_named(name.split()[0]).findall(plain)) >= 2


def voice(title: str, whole: str) -> Voice:
    """The product-as-subject clauses of a talk's text (`whole` holds the title too)."""
    plain = _plain(whole)
    said: list[str] = []
    names: set[str] = set()
    launch = False
    for pattern in (_ACTS, _ACTS_CJK, _APPOSITIVE, _RELATIVE, _ACTS_KO):
        for m in pattern.finditer(plain):
            found = m.groupdict()
            name = found["name"] or found.get("named") or ""
            if not _is_name(name, plain):
                continue
            if pattern in (_APPOSITIVE, _RELATIVE) and \
                    _NARRATOR.search(plain[max(0, m.start() - 40):m.start()]):
                continue  # "we built Audio2Rig, a deep learning tool": the studio's own work
            clause = " ".join(m.group(0).split())
            said.append(clause if len(clause) <= 60 else clause[:59] + "…")
            names.add(name.split()[0])
            launch = launch or bool(found.get("launch") or found.get("named"))
    head = _plain(title)
    in_title = any(_named(n).search(head) for n in names)
    offered = bool(_OFFERED.search(plain.casefold()))
    return Voice(tuple(dict.fromkeys(said)), launch, in_title, offered)
