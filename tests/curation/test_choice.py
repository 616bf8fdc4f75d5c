"""What a card's button says (bot.curation.choice): its value's talk and choice agree with
its action and with the block it sits in, or the press is an old or altered button."""

from __future__ import annotations

import pytest

from bot.curation.choice import BadPress, Choice, check_block, parse_choice


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
