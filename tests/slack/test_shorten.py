"""One truncation (bot.mrkdwn.shorten, and escaped_within built on it) for every cut text:
nothing cut at the limit exactly, a cut marked with one ellipsis within the limit, never
inside a character as the reader sees it (multi-byte, an emoji's ZWJ sequence, a flag, a
skin tone, a combining accent), never inside an escape (&amp; whole or not at all)."""

from __future__ import annotations

import re

import pytest

from bot.curation.program import Slots
from bot.mrkdwn import escape, escaped_short, escaped_within, pack_lines, shorten, whole_cut
from bot.slack_ui.blocks import CardView, accept_confirm

FAMILY = "\U0001F469\u200d\U0001F469\u200d\U0001F467"  # 👩‍👩‍👧, five code points
FLAG = "\U0001F1EC\U0001F1E7"  # 🇬🇧, two regional indicators
WAVE = "\U0001F44B\U0001F3FD"  # 👋🏽, a hand and its skin tone
ACCENT = "e\u0301"  # é typed as e and a combining acute


def test_at_the_limit_exactly_nothing_is_cut() -> None:
    assert shorten("x" * 10, 10) == "x" * 10
    assert shorten("  " + "x" * 10 + "  ", 10) == "x" * 10  # the spaces around do not count
    assert shorten("x" * 11, 10) == "x" * 9 + "…"
    assert escaped_within("&" * 2, 10) == "&amp;&amp;"  # 10 escaped characters: it fits


def test_multi_byte_characters_count_as_one() -> None:
    assert shorten("é" * 10, 10) == "é" * 10
    assert shorten("漢" * 11, 10) == "漢" * 9 + "…"
    assert len(shorten("漢字" * 100, 150)) == 150


@pytest.mark.parametrize("cluster", [FAMILY, FLAG, WAVE, ACCENT, "1\ufe0f\u20e3"])
def test_no_cut_splits_a_character_as_the_reader_sees_it(cluster: str) -> None:
    text = "ab" + cluster * 6
    for limit in range(3, len(text)):
        out = shorten(text, limit)
        assert out.endswith("…") and len(out) <= limit, (limit, out)
        body = out[:-1]
        assert body[2:] == cluster * ((len(body) - 2) // len(cluster)), (limit, out)


def test_flags_stay_paired_after_a_run_of_them() -> None:
    text = FLAG * 4
    assert [whole_cut(text, n) for n in range(9)] == [0, 0, 2, 2, 4, 4, 6, 6, 8]


def test_a_zwj_sequence_longer_than_the_limit_is_just_the_ellipsis() -> None:
    assert shorten(FAMILY * 3, 4) == "…"


def test_escapes_are_never_cut_in_half() -> None:
    text = "Fur & <Co> " * 40
    for limit in (20, 21, 22, 23, 24, 150, 299):
        out = escaped_within(text, limit)
        assert len(out) <= limit
        assert re.sub(r"&(amp|lt|gt);", "", out).count("&") == 0, out
        assert escaped_short(text, limit) == escape(shorten(text, limit))
    assert escaped_within("&" * 200, 150) == "&amp;" * 29 + "…"


def test_the_accept_dialog_reads_as_it_did() -> None:
    """The dialog's fixed texts, as they read before (blocks.short was its own cut)."""
    assert accept_confirm(CardView()) == "The speaker will be told it is accepted."
    assert accept_confirm(CardView(slots=Slots(3, 1))) == (
        "The speaker will be told it is accepted. The slots summary in this channel shows "
        "the program so far.")
    assert accept_confirm(CardView(slots=Slots(3, 4))) == (
        "⚠ Past the 3 slots. The speaker will be told it is accepted.")


def test_a_line_too_long_for_a_chunk_is_cut_whole() -> None:
    """pack_lines' own cut of one over-long (already escaped) line: never inside an entity
    or a character as the reader sees it; other lines are as they were."""
    assert pack_lines(["x" * 12], 10) == ["x" * 9 + "…"]
    for extra in range(6):
        line = "a" * extra + "&amp;" * 4
        [out] = pack_lines([line], 10)
        assert out.endswith("…") and len(out) <= 10
        assert re.sub(r"&(amp|lt|gt);", "", out).count("&") == 0, out
    [out] = pack_lines(["ab" + FAMILY * 3], 10)
    assert out == "ab" + FAMILY + "…"
    assert pack_lines(["one", "two"], 10) == ["one\ntwo"]
