"""A wish's text: what counts as the same wish, a near-duplicate, or no wish at all."""

from __future__ import annotations

import pytest

from bot.wishes.text import (
    NEAR_DUPLICATE,
    Candidate,
    clean,
    jaccard,
    near_duplicate,
    normalise,
    problem,
    tokens,
    topic_match,
)


def test_case_spacing_and_punctuation_do_not_make_another_wish() -> None:
    assert normalise("  Gaussian   SPLATTING, in production!! ") == \
        normalise("gaussian splatting in production")
    assert normalise("ＧＰＵ scheduling") == normalise("gpu   scheduling.")


@pytest.mark.parametrize("text", ["", "   ", "!!! ...", "\x00\x01"])
def test_empty_or_only_punctuation_is_no_wish(text: str) -> None:
    assert problem(clean(text)) == "empty"


def test_three_hundred_characters_after_trimming_is_the_limit() -> None:
    assert problem(clean("  " + "a" * 300 + "  ")) is None
    assert problem(clean("a" * 301)) == "too_long"
    assert problem(clean("x" * 1000)) == "too_long"


@pytest.mark.parametrize(("a", "b"), [
    ("Gaussian splatting in production", "gaussian splats in production pipelines"),
    ("How do you schedule GPUs on a render farm?", "GPU scheduling on the render farm"),
    ("Denoising renders with ML", "ML denoisers for renders"),
])
def test_rewordings_of_one_topic_are_near_duplicates(a: str, b: str) -> None:
    assert jaccard(tokens(a), tokens(b)) >= NEAR_DUPLICATE
    assert near_duplicate(b, [Candidate(7, a)]) == Candidate(7, a)


@pytest.mark.parametrize(("a", "b"), [
    ("LLMs for code review", "LLMs for code generation"),
    ("RAG", "RAG evaluation"),
    ("Roto for hair", "Depth estimation for hair"),
])
def test_neighbouring_topics_stay_apart(a: str, b: str) -> None:
    assert near_duplicate(b, [Candidate(1, a)]) is None


def test_a_topic_line_names_one_wish_or_none() -> None:
    wishes = [Candidate(1, "Gaussian splatting in production"),
              Candidate(2, "LLMs for code review"), Candidate(3, "LLMs for code generation")]
    assert topic_match("splatting in production", wishes) == wishes[0]
    assert topic_match("LLM code", wishes) is None  # two fit as well: no guess
    assert topic_match("code review with LLMs", wishes) == wishes[1]
    assert topic_match("something else entirely", wishes) is None
