"""Whole numbers typed or sent by others (a button's value, a command's word, a setting).

`str.isdigit()` says yes to '²' and '١٢', which `int()` refuses or reads as 12: an id from
outside is read only when it is ASCII digits, and short enough for the database's integers.
"""

from __future__ import annotations


def is_number(text: str, max_digits: int = 12) -> bool:
    """Whether `text` is 1 to `max_digits` ASCII digits, so `int(text)` reads it as written."""
    return 0 < len(text) <= max_digits and text.isascii() and text.isdigit()
