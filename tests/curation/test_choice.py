"""What a card's button says (bot.curation.choice): its value's talk and choice agree with
its action and with the block it sits in, or the press is an old or altered button."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.curation.choice import BadPress, Choice, another_talks_block, check_block, parse_choice
from bot.guidelines.stored import Shown
from bot.slack_ui.blocks import card_blocks
from bot.slack_ui.guidelines import card_blocks as guideline_blocks
from storage.models import Cycle, Speaker, Submission


def test_a_cards_buttons_read() -> None:
    assert parse_choice("vote_yes", "12:yes") == Choice(12, "yes")
    assert parse_choice("decide_undo", "12:undo") == Choice(12, "undo")
    assert parse_choice("recuse_toggle", "7:toggle") == Choice(7, "toggle")


@pytest.mark.parametrize(("action", "value"), [
    ("vote_yes", ""), ("vote_yes", "12:no"), ("vote_yes", "12:accept"), ("vote_yes", "0:yes"),
    ("vote_yes", "1234567890123:yes"), ("vote_yes", "12:yes:x"), ("vote_yes", " 12:yes"),
    ("decide_accept", "12:yes"), ("launch_missiles", "12:yes"), ("vote_yes", "١٢:yes"),
])
def test_anything_else_is_a_bad_press(action: str, value: str) -> None:
    with pytest.raises(BadPress):
        parse_choice(action, value)


def test_a_value_naming_another_talk_than_its_block_is_refused() -> None:
    check_block(Choice(12, "yes"), "vote:12")
    check_block(Choice(12, "undo"), "undo:12")
    check_block(Choice(12, "dismiss"), "guidelines:12")
    for block in ("b", "", "vote:x", "review_pages", "vote:12:3"):  # names no talk
        check_block(Choice(12, "yes"), block)
    for block in ("vote:13", "undo:1", "vote:0", "guidelines:13"):
        with pytest.raises(BadPress, match="another talk"):
            check_block(Choice(12, "yes"), block)


@pytest.mark.parametrize("status", ["submitted", "accepted", "declined"])
def test_every_buttons_block_the_card_builds_is_compared(status: str) -> None:
    """The block ids choice.py reads are the ones the card and its guideline lines build:
    renaming a block there without here would switch the altered-button check off."""
    cycle = Cycle(id=1, title="March", deadline=dt.datetime(2026, 3, 31, tzinfo=dt.UTC),
                  session_date=dt.date(2026, 4, 15), status="open")
    sub = Submission(id=41, ref="WGML-2026-041", title="T", abstract="A", results="",
                     status=status, source="slack", focus_area="other", cycle=cycle,
                     speaker=Speaker(name="S", email="s@example.org"))
    sub.votes = []
    blocks = card_blocks(sub) + guideline_blocks(41, [Shown("pitch", "reads as a pitch")])
    actions = [b["block_id"] for b in blocks if b["type"] == "actions"]
    assert len(actions) == 2  # the card's buttons and the guideline's Dismiss
    for block_id in actions:
        assert another_talks_block(42, block_id), block_id
        assert not another_talks_block(41, block_id), block_id
