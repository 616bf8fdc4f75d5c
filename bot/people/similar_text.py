"""Tokenising talk text for the similarity engine: the domain's words, aliases and a light
stemmer. Pure; the only state is a bounded memo of words already seen."""

from __future__ import annotations

import re
import string
from itertools import chain

# Words nearly every talk in this domain uses: weighed down whatever the corpus size, so a
# small corpus does not pair two talks for both mentioning artists, shots and models.
GENERIC_WORDS = """
artist artists shot shots plate plates production productions pipeline pipelines tool tools
model models ml data time quality frame frames show shows review reviews workflow workflows
process system systems test tests testing hand manual compare compared comparing evaluate
evaluated evaluation measure measured percent faster slower better worse needed need build
built project projects week weeks day days month months hour hours support question
questions problem problems supervisor supervisors
""".split()  # saturation of a word repeated in the query (the target's own text)
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


GENERIC = frozenset(t for w in GENERIC_WORDS for t in _expand(w))
