"""Numbers from outside (button values, command words, settings) are ASCII digits only:
'²' passes str.isdigit() and int() refuses it; '١٢' int() reads as 12 (found by review)."""

from __future__ import annotations

import pytest

from bot.config_groups import parse_reminder_days
from bot.curation.notes import parse_note_value
from bot.curation.review import ReviewQuery, parse_review
from bot.digits import is_number

ODD = ("²", "١٢", "１２", "12²", "", "-1", " 12", "1" * 13)


@pytest.mark.parametrize("text", ODD)
def test_only_ascii_digits_are_numbers(text: str) -> None:
    assert not is_number(text)


def test_numbers_within_their_length() -> None:
    assert is_number("0") and is_number("1" * 12)
    assert not is_number("123", max_digits=2)


@pytest.mark.parametrize("sid", ODD)
def test_a_note_button_with_odd_digits_is_unreadable(sid: str) -> None:
    assert parse_note_value(f"{sid}:add") is None
    assert parse_note_value("12:add") == 12


@pytest.mark.parametrize("word", ["²", "١٢", "page ²", "page²", "page ١", "１２ owed"])
def test_review_words_with_odd_digits_are_refused(word: str) -> None:
    assert parse_review(word) is None


def test_review_words_still_read() -> None:
    assert parse_review("12 owed page 3") == ReviewQuery(12, True, 3)
    assert parse_review("page2") == ReviewQuery(None, False, 2)


@pytest.mark.parametrize("value", ["²:all:1", "1:all:²", "١:owed:1", "1:all:١٢"])
def test_review_page_buttons_with_odd_digits_are_refused(value: str) -> None:
    assert ReviewQuery.from_value(value) is None
    assert ReviewQuery.from_value("1:owed:2") == ReviewQuery(1, True, 2)


@pytest.mark.parametrize("value", ["²", "7,١"])
def test_reminder_days_with_odd_digits_are_a_clear_error(value: str) -> None:
    with pytest.raises(ValueError, match="whole number of days"):
        parse_reminder_days(value)
