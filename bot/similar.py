"""Similar work: an offline lexical engine (BM25) over submissions. Pure: no I/O, no globals
that change behaviour (only a memo of tokenised texts).

Why lexical: it ships with the bot, needs no model download, explains itself (shared words),
and on the evaluation set in tests/data it is right most of the time (see bench/README.md).

Scores are made comparable across targets by dividing by the target's score against itself,
so a single threshold means the same thing for a short and a long abstract.
"""

from __future__ import annotations

import math
import re
import string
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain

# BM25 parameters: k1 saturates repeated words, b normalises by document length.
K1 = 1.2
B = 0.75
K3 = 1.5
# Pseudo-documents that contain none of the words: without them, in the first weeks (a
# handful of submissions) every shared word looks common and twin talks go unnoticed.
PRIOR_DOCS = 10
# Words nearly every talk in this domain uses: weighed down whatever the corpus size, so a
# small corpus does not pair two talks for both mentioning artists, shots and models.
GENERIC_WEIGHT = 0.3
GENERIC_WORDS = """
artist artists shot shots plate plates production productions pipeline pipelines tool tools
model models ml data time quality frame frames show shows review reviews workflow workflows
process system systems test tests testing hand manual compare compared comparing evaluate
evaluated evaluation measure measured percent faster slower better worse needed need build
built project projects week weeks day days month months hour hours support question
questions problem problems supervisor supervisors
""".split()  # saturation of a word repeated in the query (the target's own text)
TITLE_WEIGHT = 2  # a title word counts as much as two abstract words
FOCUS_WEIGHT = 1
# Below this share of the target's self-score a match is noise (measured on the evaluation
# set: true neighbours sit well above it, unrelated talks well below; see bench/similar.py).
THRESHOLD = 0.15
# A suggestion far weaker than the best one is dropped too: a talk with one close neighbour
# shows one, not one and two weak ones.
RELATIVE_CUT = 0.5
# Same-studio work is ranked after other studios' unless its score is this many times higher.
SAME_STUDIO_FACTOR = 2.0
# /wgml find: the matched words must carry at least this share of the topic's weight.
FIND_COVERAGE = 0.5

STOP_WORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before
being below between both but by can could did do does doing done down during each either
etc even ever every few for from further get gets got had has have having he her here hers
him his how however i if in into is it its itself just let lets like made make makes many
may me might more most much must my no nor not now of off often on once one only or other
our ours out over own per quite rather really same she should since so some such than that
the their theirs them then there these they this those though through thus to too toward
towards under until up upon us very via was way ways we well were what when where whether
which while who whom whose why will with within without would yet you your yours
able across actually almost already although among around based basically came come
different first found give given go going good great help helped helps including instead
keep kind know last less lot lots new next part run see seen set show showed shown
still take taken takes talk things thing three time times tried try trying two use used
useful uses using want wanted went work worked working works year years
approach approaches experiment experiments result results share sharing lesson lessons
learned learnt present presents presenting outline studio studios team teams
dont doesnt didnt cant wont isnt arent
""".split())

# Words that mean the same thing in this domain, reduced to one token before stemming.
WORD_ALIASES: dict[str, str] = {
    "rotoscoping": "roto", "rotoscope": "roto", "rotoscoped": "roto", "rotoscopes": "roto",
    "rotoscoper": "roto", "rotoscopers": "roto", "rotomation": "roto",
    "llms": "llm", "gpus": "gpu", "cpus": "cpu", "vlms": "vlm", "k8s": "kubernetes",
    "kube": "kubernetes", "nerfs": "nerf", "loras": "lora", "lipsync": "lipsync",
    "mocap": "mocap", "onprem": "onprem", "onpremise": "onprem", "onpremises": "onprem",
    "ai": "ml", "genai": "generative", "copilot": "assistant", "copilots": "assistant",
    "chatbot": "assistant", "chatbots": "assistant", "summarizer": "summarise",
    "summariser": "summarise", "optimisation": "optimize", "optimization": "optimize",
    "colour": "color", "colours": "color", "modelling": "modeling", "finetune": "finetune",
    "finetuning": "finetune", "finetuned": "finetune", "splats": "splat", "splatting": "splat",
    "denoiser": "denoise", "denoisers": "denoise", "denoising": "denoise", "denoised": "denoise",
    "upscaling": "upscale", "upscaler": "upscale", "upres": "upscale",
    "superresolution": "upscale", "retrievalaugmented": "rag", "texttospeech": "tts",
    "speechtotext": "asr", "prem": "onprem", "premise": "onprem", "premises": "onprem",
    "lookdevelopment": "lookdev", "motioncapture": "mocap",
}

# Phrases first (spaces or hyphens between the words), so "motion capture", "mo-cap" and
# "mocap" meet, and "retrieval-augmented generation" meets "RAG".
PHRASE_ALIASES: dict[str, str] = {
    "large language model": "llm", "large language models": "llm",
    "language model": "llm", "language models": "llm",
    "retrieval augmented generation": "rag", "retrieval augmented": "rag",
    "motion capture": "mocap", "mo cap": "mocap", "performance capture": "mocap",
    "lip sync": "lipsync", "lip syncing": "lipsync", "lip synch": "lipsync",
    "on prem": "onprem", "on premise": "onprem", "on premises": "onprem",
    "reinforcement learning": "rl", "machine learning": "ml",
    "neural radiance field": "nerf", "neural radiance fields": "nerf",
    "style transfer": "styletransfer",
    "text to speech": "tts", "speech to text": "asr", "fine tune": "finetune",
    "fine tuning": "finetune", "fine tuned": "finetune", "look dev": "lookdev",
    "look development": "lookdev", "super resolution": "upscale", "clean plate": "cleanplate",
    "clean plates": "cleanplate", "code assistant": "codingassistant",
    "coding assistant": "codingassistant", "coding assistants": "codingassistant",
    "code assistants": "codingassistant", "render farm": "renderfarm",
    "render farms": "renderfarm", "spot instances": "spot", "spot instance": "spot",
}

# Tokens kept as they are: acronyms and names a suffix stripper would mangle.
KEEP = frozenset("""
nerf rag llm gpu cpu vfx usd lora comfyui kubernetes slurm aws gcp azure houdini nuke maya
unreal katana openusd onnx tensorrt cuda whisper llama gpt gaussian lens bias vlm mocap
lipsync onprem roto lookdev styletransfer renderfarm cleanplate codingassistant ml rl tts
asr finetune diffusion controlnet blender jira shotgrid ftrack openexr exr
""".split())

# Tokenising is the cost of a cold index, so the per-character work is done in C: one
# str.translate lower-cases ASCII and turns punctuation into spaces (keeping the hyphens and
# apostrophes inside words), str.split cuts; each distinct word is then handled once (memo).
_KEEP_IN_WORD = "-'’"
_TABLE: dict[int, str] = {
    ord(c): " " for c in string.punctuation + "“”‘«»–—…•·×→" if c not in _KEEP_IN_WORD
}
_TABLE.update({ord(c): c.lower() for c in string.ascii_uppercase})
_TABLE[ord("’")] = "'"
_WORD_PART = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*")
_VERSIONED = re.compile(r"([a-z]{2,})(\d{1,2})")

# Longest first; each suffix is stripped when at least MIN_STEM characters remain.
_SUFFIXES = sorted("""
isations izations isation ization ational ations ation ators ator ative atives ating ated
ates ate izers isers izer iser izing ising ized ised izes ises ize ise ments ment ness
ities ity ively ive ives ingly ings ing edly ed ers er ors or ies es s ically ical ally
al ic ful ly y
""".split(), key=len, reverse=True)
MIN_STEM = 3
_VOWELS = frozenset("aeiou")


def stem(word: str) -> str:
    """A light, conservative English stemmer: the same family of words meets on one stem.

    Two rounds of suffix stripping so "renderers", "rendering" and "render" agree; words with
    digits, short words and the domain's acronyms stay as they are.
    """
    if len(word) <= 3 or word in KEEP or not word.isalpha():
        return word
    for _ in range(2):
        stripped = _strip_suffix(word)
        if stripped == word:
            break
        word = stripped
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]
    if (len(word) > 3 and word[-1] == word[-2] and word[-1] not in _VOWELS
            and word[-1] not in "lsz"):
        word = word[:-1]  # mapped -> mapp -> map; tagging -> tagg -> tag
    return word


def _strip_suffix(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            if suffix == "s" and word[-2] in "siu":
                return word  # process, analysis, corpus: not plurals
            return word[: -len(suffix)]
    return word


def _word(raw: str) -> str | None:
    """One lower-case word to its index token, or None for a stop word or a bare number."""
    if raw in STOP_WORDS or raw.isdigit() or len(raw) < 2:
        return None
    raw = WORD_ALIASES.get(raw, raw)
    if raw in STOP_WORDS:
        return None
    return stem(raw)


class _WordMemo(dict[str, tuple[str, ...]]):
    """word -> tokens; a plain dict lookup (C speed) for every word seen before."""

    LIMIT = 200_000  # distinct words; past it the memo starts again (bounded memory)

    def __missing__(self, raw: str) -> tuple[str, ...]:
        if len(self) >= self.LIMIT:
            self.clear()
        value = self[raw] = _expand_word(raw)
        return value


_MEMO = _WordMemo()


def _expand(raw: str) -> tuple[str, ...]:
    return _MEMO[raw]


def _expand_word(raw: str) -> tuple[str, ...]:
    """One whitespace-separated word to its tokens."""
    word = raw.strip("-'").lower()
    if not word:
        return ()
    if not _WORD_PART.fullmatch(word):  # stray symbols inside: split on them
        return tuple(t for part in _WORD_PART.findall(word) for t in _expand(part))
    word = word.replace("'", "")
    if "-" in word:
        head, _, tail = word.partition("-")
        if tail.isdigit() and head.isalpha() and len(tail) <= 2:
            return (head + tail, *_expand(head))  # GPT-4 meets GPT4 and GPT
        joined = word.replace("-", "")
        if joined in WORD_ALIASES or joined in KEEP:
            return tuple(t for t in (_word(joined),) if t)  # lip-sync, on-prem, look-dev
        parts = [t for w in word.split("-") for t in _expand(w)]
        whole = _word(joined)
        return tuple([whole, *parts] if whole and len(parts) > 1 else parts)
    token = _word(word)
    if token is None:
        return ()
    versioned = _VERSIONED.fullmatch(token)
    if versioned and token not in KEEP:
        return (token, *_expand(versioned[1]))  # sam2 also means sam (so "SAM 2" meets it)
    return (token,)


def _phrase_table() -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """Phrases in token space: first token -> [(following tokens, alias)]."""
    table: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for phrase, alias in PHRASE_ALIASES.items():
        tokens = [t for w in phrase.split() for t in _expand(w)]
        if len(tokens) < 2:
            continue
        table.setdefault(tokens[0], []).append((tuple(tokens[1:]), alias))
    return table


_PHRASE_BY_FIRST = _phrase_table()
_PHRASE_FIRST = frozenset(_PHRASE_BY_FIRST)


def tokenize(text: str) -> list[str]:
    """Words to index tokens: lower-cased, stop words and numbers dropped, stemmed, domain
    aliases added ("motion capture" also gives "mocap"); "SAM2" gives "sam2" and "sam" (and
    "SAM 2" gives "sam": they meet); "gpu-hours" gives "gpuhours", "gpu" and "hour"."""
    if not text:
        return []
    tokens = list(chain.from_iterable(map(_MEMO.__getitem__, text.translate(_TABLE).split())))
    if _PHRASE_FIRST.isdisjoint(tokens):
        return tokens
    extra: list[str] = []
    for first in _PHRASE_FIRST.intersection(tokens):
        for rest, alias in _PHRASE_BY_FIRST[first]:
            i = tokens.index(first)
            while True:
                if tuple(tokens[i + 1: i + 1 + len(rest)]) == rest:
                    extra.extend(_expand(alias))
                try:
                    i = tokens.index(first, i + 1)
                except ValueError:
                    break
    return tokens + extra


_GENERIC = frozenset(t for w in GENERIC_WORDS for t in _expand(w))


def focus_token(focus_area: str) -> str:
    return f"focus:{focus_area}" if focus_area else ""


@dataclass(frozen=True)
class Doc:
    """One submission as the engine sees it: public text and who it belongs to."""

    id: int
    title: str
    abstract: str = ""
    results: str = ""
    focus_area: str = ""
    studio: str = ""
    owner: str = ""  # the speaker: their own other talks count as same-studio


@dataclass(frozen=True)
class Match:
    doc: Doc
    score: float  # share of the target's self-score (about 0..1)
    same_studio: bool
    shared: tuple[str, ...] = ()  # the strongest shared tokens: why it matched


@lru_cache(maxsize=16384)
def _doc_tokens(title: str, abstract: str, results: str, focus_area: str) -> tuple[str, ...]:
    title_tokens = tokenize(title)
    tokens = title_tokens * TITLE_WEIGHT + tokenize(abstract) + tokenize(results)
    if focus_area:
        tokens.extend([focus_token(focus_area)] * FOCUS_WEIGHT)
    return tuple(tokens)


def doc_tokens(doc: Doc) -> tuple[str, ...]:
    return _doc_tokens(doc.title, doc.abstract, doc.results, doc.focus_area)


def studio_key(studio: str) -> str:
    """"Double Negative Ltd." and "double negative" are one studio; blank is unknown."""
    words = re.findall(r"[a-z0-9]+", studio.lower())
    return " ".join(w for w in words if w not in ("ltd", "inc", "llc", "gmbh", "the", "studio",
                                                  "studios"))


def _same_studio(a: Doc, b: Doc) -> bool:
    if a.owner and a.owner == b.owner:
        return True
    key = studio_key(a.studio)
    return bool(key) and key == studio_key(b.studio)


@lru_cache(maxsize=16384)
def _doc_tf(title: str, abstract: str, results: str, focus_area: str) -> tuple[Counter[str], int]:
    """Term frequencies and length of one document (memoised; never mutated)."""
    tokens = _doc_tokens(title, abstract, results, focus_area)
    return Counter(tokens), len(tokens)


class Index:
    """BM25 over a corpus, built once per call: term frequencies, lengths, document counts.

    Document frequencies are counted only for the words a query asks about (`prepare`), in
    one pass of set intersections: that is what keeps a call over thousands of submissions
    fast without a persistent index.
    """

    def __init__(self, docs: Sequence[Doc]) -> None:
        self.docs = list(docs)
        pairs = [_doc_tf(d.title, d.abstract, d.results, d.focus_area) for d in self.docs]
        self.tfs = [tf for tf, _ in pairs]
        self.lengths = [length for _, length in pairs]
        n = len(self.docs)
        self.avgdl = (sum(self.lengths) / n) if n else 0.0
        self.n = n
        self._df: dict[str, int] = {}

    def prepare(self, terms: Iterable[str]) -> None:
        missing = set(terms) - self._df.keys()
        if not missing:
            return
        counts = dict.fromkeys(missing, 0)
        for tf in self.tfs:
            for term in missing.intersection(tf):
                counts[term] += 1
        self._df.update(counts)

    def df(self, term: str) -> int:
        if term not in self._df:
            self.prepare((term,))
        return self._df[term]

    def idf(self, term: str) -> float:
        # Lucene's non-negative form: a word in every document still weighs a little.
        df = self.df(term)
        idf = math.log(1.0 + (self.n + PRIOR_DOCS - df + 0.5) / (df + 0.5))
        return idf * GENERIC_WEIGHT if term in _GENERIC else idf

    def query_weights(self, tokens: Iterable[str]) -> dict[str, float]:
        counts = Counter(tokens)
        self.prepare(counts)
        return {
            term: self.idf(term) * (K3 + 1) * qtf / (K3 + qtf)
            for term, qtf in counts.items()
        }

    def score(self, i: int, weights: dict[str, float]) -> float:
        tf, length = self.tfs[i], self.lengths[i]
        norm = K1 * (1 - B + B * length / self.avgdl) if self.avgdl else K1
        total = 0.0
        for term in weights.keys() & tf.keys():
            f = tf[term]
            total += weights[term] * f * (K1 + 1) / (f + norm)
        return total

    def shared_terms(self, i: int, weights: dict[str, float], limit: int = 4) -> tuple[str, ...]:
        tf = self.tfs[i]
        terms = sorted((t for t in weights if t in tf and not t.startswith("focus:")),
                       key=lambda t: (-weights[t], t))
        return tuple(terms[:limit])


def similar_to(target: Doc, corpus: Sequence[Doc], k: int = 3, *,
               threshold: float = THRESHOLD, relative_cut: float = RELATIVE_CUT) -> list[Match]:
    """The k submissions closest to `target`, other studios first, never the target itself.

    A same-studio match (or the same speaker's) is ranked as if its score were
    SAME_STUDIO_FACTOR times lower, so it comes after other studios' unless much stronger.
    Matches below `threshold` of the target's self-score, or below `relative_cut` of the best
    match's score, are left out: no suggestion beats a wrong one.
    """
    if k <= 0:
        return []
    others = [d for d in corpus if d.id != target.id]
    index = Index([target, *others])
    weights = index.query_weights(index.tfs[0].elements())
    self_score = index.score(0, weights)
    if self_score <= 0:
        return []
    ranked: list[tuple[float, float, int, int, bool]] = []
    for i in range(1, index.n):
        raw = index.score(i, weights)
        share = raw / self_score
        if share < threshold:
            continue
        doc = index.docs[i]
        same = _same_studio(target, doc)
        key = share / SAME_STUDIO_FACTOR if same else share
        ranked.append((key, share, -doc.id, i, same))
    ranked.sort(reverse=True)
    best = max((r[1] for r in ranked), default=0.0)
    return [
        Match(index.docs[i], round(share, 4), same, index.shared_terms(i, weights))
        for _, share, _, i, same in ranked[:k]
        if share >= relative_cut * best
    ]


@dataclass(frozen=True)
class Hit:
    doc: Doc
    score: float
    coverage: float  # share of the topic's weight found in the document


def search(topic: str, corpus: Sequence[Doc], k: int = 10, *,
           min_coverage: float = FIND_COVERAGE) -> list[Hit]:
    """Submissions about `topic` (a few words), best first; only those that cover enough of
    the topic's informative words, so "gpu scheduling" does not list every GPU talk.

    Words no submission uses are left out of the reckoning ("RAG pipeline docs" still finds
    the RAG talk that never says "docs"); a topic of only such words finds nothing.
    """
    terms = list(dict.fromkeys(tokenize(topic)))
    if not terms or not corpus or k <= 0:
        return []
    index = Index(corpus)
    index.prepare(terms)
    weights = {t: index.idf(t) for t in terms if index.df(t)}
    total_weight = sum(weights.values())
    hits: list[Hit] = []
    for i in range(index.n):
        tf = index.tfs[i]
        found = sum(w for t, w in weights.items() if t in tf)
        coverage = found / total_weight if total_weight else 0.0
        if coverage < min_coverage or found <= 0:
            continue
        hits.append(Hit(index.docs[i], round(index.score(i, weights), 4), round(coverage, 4)))
    hits.sort(key=lambda h: (h.coverage, h.score, -h.doc.id), reverse=True)
    return hits[:k]
