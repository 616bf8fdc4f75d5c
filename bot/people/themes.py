"""Common pain points across studios: groups of talks that hit the same problem.

The seed's third phase, collaboration incubation, is about "identifying common pain points to
form new WG-ML sub-projects". Every talk says what failed, what was hard and what was
abandoned; this engine reads those sentences only, so two talks about the same model that
both succeeded do not make a group, and two talks on different models that broke the same
way do.

Pure and offline like the similar-work engine: no I/O, no model; the domain tokeniser of
bot/people/similar_text.py; TF-IDF over the pain sentences, cosine similarity and
average-link grouping. Each group shows the words that tie it together, and is named by them.

How well it groups, against hand-made gold groups and a plain TF-IDF baseline, is measured by
bench/themes.py on tests/data/themes.json.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from bot.people.similar import studio_key
from bot.people.similar_text import GENERIC, tokenize
from bot.people.theme_groups import average_link, cosine, similarity_graph

__all__ = ["PainDoc", "Talk", "Theme", "ThemeMark", "average_link", "candidates", "cosine",
           "find_themes", "pain_sentences", "pain_text", "similarity_graph"]

# Words that say something went wrong. A sentence with one of them (after stemming) is a pain
# sentence. Written as plain words and stemmed by the same tokeniser as the text.
FAILURE_CUES = """
fail fails failed failing failure failures broke broken break breaks breaking struggle
struggled struggles struggling abandon abandoned shelved paused stopped gave unusable
unreliable reject rejected rejects problem problems pain issue issues difficult difficulty
bottleneck bottlenecks couldnt cannot wrong worse lost loses vanish vanished
disappeared flicker flickered flickering flickers jitter jittered jittery chatter chattered
boil boiled boiling artifacts artifact artefacts seams seam clipped clipping banding smeared
hallucinated hallucinates hallucinate hallucination invented invents invent inventing
inconsistent inconsistency stale outdated obsolete deprecated idle wasted waste expensive
unpredictable blocked blocks slow slower slid sliding slides sliding leak leaked crash crashed
crashes noisy misattributed trust bug bugs errors error mismatch mismatched fake
""".split()
# Two-word cues: "too slow", "fell apart", "made up", "ran out", "did not work"; "hard" only
# in these ("hard bodies" and "hard-surface" are not a difficulty).
CUE_PHRASES = ("too slow", "fell apart", "made up", "make up", "ran out", "out of memory",
               "did not", "didn't", "could not", "couldn't", "does not", "doesn't", "not fix",
               "gave up", "no way", "had to redo", "went back", "hard part", "hard to",
               "was hard", "were hard", "is hard", "harder than")

# Cue words carry no topic: every pain sentence has one. They are dropped from the vectors
# (but the specific symptoms, flicker or hallucinated, are kept: they are the pain itself).
_GENERIC_CUES = """
fail fails failed failing failure failures broke broken break breaks breaking struggle
struggled struggles struggling abandon abandoned shelved paused stopped gave unusable
unreliable reject rejected rejects problem problems pain issue issues hard harder difficult
difficulty couldnt cannot wrong worse trust bug bugs error errors
""".split()

# A clause before these words is usually what worked ("fine on bodies, but hair broke"):
# the pain is what follows.
_CONTRAST = re.compile(r"(?:^|[,;]\s*|\s)(?:but|however|though|although|yet)\s+", re.I)
_WORDS = re.compile(r"[\w'’]+(?:-[\w'’]+)*")
_SENTENCE = re.compile(r"(?<=[.!?;])\s+|\n+")

TITLE_CONTEXT_WEIGHT = 0.35  # the title's words, weighed lightly: same task helps, a little
PRIOR_DOCS = 5  # pseudo-documents without any word: a small corpus keeps some contrast
# Average-link cosine threshold: two groups merge when their talks are this alike on
# average. Chosen on the tuning part of tests/data/themes.json (bench/themes.py): the middle
# of the plateau of best F1 (0.06 to 0.10), away from the collapse below it.
THRESHOLD = 0.08
MIN_STUDIOS = 2
NAME_TERMS = 3
SHOW_TERMS = 6


def _stems(words: Iterable[str]) -> frozenset[str]:
    return frozenset(t for w in words for t in tokenize(w))


_CUE_STEMS = _stems(FAILURE_CUES)
_GENERIC_CUE_STEMS = _stems(_GENERIC_CUES)


@dataclass(frozen=True)
class Talk:
    """One confirmed talk as the engine sees it."""

    id: int
    title: str
    abstract: str = ""
    results: str = ""
    studio: str = ""
    speaker: str = ""
    ref: str = ""
    focus_area: str = ""
    opted_out: bool = False  # the speaker turned introductions off: counted, never named
    owner: str = ""  # the speaker's identity, for "distinct studios" when no studio is given


@dataclass(frozen=True)
class PainDoc:
    talk: Talk
    sentences: tuple[str, ...]
    vector: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Theme:
    name: str  # a few words naming the pain point
    terms: tuple[str, ...]  # the words that tie the group together, strongest first
    talks: tuple[Talk, ...]
    studios: int  # distinct studios (a talk without a studio counts as its speaker's own)
    cohesion: float  # the average cosine similarity between the group's talks
    evidence: tuple[tuple[int, str], ...] = ()  # (talk id, its pain sentence), one per talk

    @property
    def sentence(self) -> str:
        return f"{self.studios} studios hit {self.name}: a possible WG-ML sub-project"


@dataclass(frozen=True)
class ThemeMark:
    """A theme that already has a sub-project (bot.subprojects finds them; the reports show
    its channel instead of proposing it again)."""

    subproject_id: int
    channel_id: str
    channel_name: str
    status: str


@functools.lru_cache(maxsize=1 << 16)
def _cue_word(word: str) -> bool:
    """A word (lower case, no hyphen) whose stems include a cue; a talk's words repeat across
    talks, so each is stemmed once (bounded cache: a few MiB whatever the history)."""
    return not _CUE_STEMS.isdisjoint(tokenize(word))


def _has_cue(sentence: str) -> bool:
    lowered = sentence.lower()
    if any(p in lowered for p in CUE_PHRASES):
        return True
    # Whole words only: "hard-surface" or "fail-safe" is not a cue, "hard" is.
    return any(_cue_word(w) for w in _WORDS.findall(lowered) if "-" not in w)


def pain_sentences(talk: Talk) -> list[str]:
    """The sentences (or the clauses after a "but") of the results and abstract that say what
    failed, what was hard or what was abandoned, results first."""
    out: list[str] = []
    for text in (talk.results, talk.abstract, talk.title):
        for sentence in _SENTENCE.split(text or ""):
            sentence = sentence.strip()
            if not sentence or not _has_cue(sentence):
                continue
            parts = _CONTRAST.split(sentence)
            # Keep from the first clause that carries a cue: "usable on bodies, but hair broke"
            # gives "hair broke"; "it broke, but only on hair" keeps the whole.
            for i, part in enumerate(parts):
                if _has_cue(part):
                    out.append(" ".join(p.strip() for p in parts[i:] if p.strip()))
                    break
            else:
                out.append(sentence)
    return out


def pain_text(talk: Talk) -> str:
    return " ".join(pain_sentences(talk))


def _pain_tokens(text: str) -> list[str]:
    return [t for t in tokenize(text) if t not in _GENERIC_CUE_STEMS]


def _vectors(talks: Sequence[Talk]) -> list[PainDoc]:
    """TF-IDF vectors (sublinear tf, idf over the talks with pain, L2-normalised) of each
    talk's pain sentences, plus its title's words weighed lightly; talks with no pain are
    left out."""
    raw: list[tuple[Talk, list[str], Counter[str], Counter[str]]] = []
    for talk in talks:
        sentences = pain_sentences(talk)
        pain = Counter(_pain_tokens(" ".join(sentences)))
        if not pain:
            continue
        raw.append((talk, sentences, pain, Counter(tokenize(talk.title))))
    df: Counter[str] = Counter()
    for _, _, pain, title in raw:
        df.update(set(pain) | set(title))
    n = len(raw) + PRIOR_DOCS
    docs: list[PainDoc] = []
    for talk, sentences, pain, title in raw:
        vec: dict[str, float] = defaultdict(float)
        for counts, weight in ((pain, 1.0), (title, TITLE_CONTEXT_WEIGHT)):
            for term, tf in counts.items():
                idf = math.log((1 + n) / (1 + df[term])) + 1.0
                if term in GENERIC:
                    idf *= 0.3
                vec[term] += weight * (1 + math.log(tf)) * idf
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        docs.append(PainDoc(talk, tuple(sentences), {t: v / norm for t, v in vec.items()}))
    return docs


def _surface_words(docs: Sequence[PainDoc]) -> dict[str, str]:
    """token -> the word the talks most often wrote for it (names read as words, not stems)."""
    seen: dict[str, Counter[str]] = defaultdict(Counter)
    for doc in docs:
        for sentence in doc.sentences:
            for word in re.findall(r"[\w'-]+", sentence):
                for token in tokenize(word):
                    seen[token][word.lower()] += 1
    return {t: c.most_common(1)[0][0] for t, c in seen.items()}


def _name(words: list[str], sentences: list[str]) -> str:
    """The strongest words, read as the talks wrote them: two that the talks write side by
    side become one phrase ("motion blur", not "blur, motion")."""
    text = " ".join(re.findall(r"[\w'-]+", " ".join(sentences).lower()))
    out: list[str] = []
    left = list(words)
    while left:
        word = left.pop(0)
        for other in left:
            if f" {word} {other} " in f" {text} ":
                word = f"{word} {other}"
                left.remove(other)
                break
            if f" {other} {word} " in f" {text} ":
                word = f"{other} {word}"
                left.remove(other)
                break
        out.append(word)
    return ", ".join(out)


def _distinct_studios(talks: Iterable[Talk]) -> int:
    keys = {studio_key(t.studio) or f"speaker:{t.owner or t.speaker or t.id}" for t in talks}
    return len(keys)


def _theme(docs: Sequence[PainDoc], surface: dict[str, str]) -> Theme:
    present: Counter[str] = Counter()
    weight: dict[str, float] = defaultdict(float)
    pain_terms: set[str] = set()
    for doc in docs:
        pain_terms.update(_pain_tokens(" ".join(doc.sentences)))
        for term, value in doc.vector.items():
            present[term] += 1
            weight[term] += value
    need = 2 if len(docs) < 4 else max(2, math.ceil(len(docs) / 3))
    shared = [t for t in weight if present[t] >= need and t in pain_terms]
    shared.sort(key=lambda t: (-present[t] * weight[t], t))
    if not shared:
        shared = sorted(weight, key=lambda t: (-weight[t], t))
    words: list[str] = []
    for term in shared:
        word = surface.get(term, term)
        if word not in words:
            words.append(word)
    # The mean cosine over the group's pairs without comparing them: the vectors have unit
    # length, so the pairs sum to (|sum of vectors|^2 - n) / 2. Linear in a large group.
    cohesion = 1.0
    if len(docs) > 1:
        total: dict[str, float] = defaultdict(float)
        for doc in docs:
            for term, value in doc.vector.items():
                total[term] += value
        squared = sum(v * v for v in total.values())
        cohesion = (squared - len(docs)) / (len(docs) * (len(docs) - 1))
    top = set(shared[:SHOW_TERMS])
    evidence = tuple(
        (d.talk.id, max(d.sentences, key=lambda s: len(top.intersection(tokenize(s))))
         if d.sentences else "")
        for d in docs)
    talks = tuple(sorted((d.talk for d in docs), key=lambda t: (studio_key(t.studio), t.id)))
    name = _name(words[:NAME_TERMS], [s for d in docs for s in d.sentences])
    return Theme(name=name, terms=tuple(words[:SHOW_TERMS]),
                 talks=talks, studios=_distinct_studios(talks), cohesion=round(cohesion, 4),
                 evidence=evidence)


def cluster_ids(talks: Sequence[Talk], threshold: float = THRESHOLD) -> list[list[int]]:
    """Every talk's group (talk ids), singletons and talks without pain included: what the
    evaluation compares with the gold groups."""
    docs = _vectors(talks)
    groups = [[docs[i].talk.id for i in g] for g in average_link([d.vector for d in docs],
                                                                    threshold)]
    grouped = {i for g in groups for i in g}
    groups.extend([t.id] for t in talks if t.id not in grouped)
    return groups


def find_themes(talks: Sequence[Talk], threshold: float = THRESHOLD) -> list[Theme]:
    """Every group of two or more talks sharing a pain point, strongest first (most studios,
    then most talks, then the most cohesive). Not yet filtered by studios: see candidates."""
    docs = _vectors(talks)
    surface = _surface_words(docs)
    themes = [_theme([docs[i] for i in group], surface)
              for group in average_link([d.vector for d in docs], threshold) if len(group) > 1]
    themes.sort(key=lambda t: (-t.studios, -len(t.talks), -t.cohesion, t.talks[0].id))
    return themes


def candidates(talks: Sequence[Talk], threshold: float = THRESHOLD,
               min_studios: int = MIN_STUDIOS) -> list[Theme]:
    """The groups that span at least `min_studios` studios: candidate sub-projects."""
    return [t for t in find_themes(talks, threshold) if t.studios >= min_studios]
