"""The session's replies greet a sender by the display name they chose only as the bot's
other replies do: never an address, never a link, never longer than a name."""

from __future__ import annotations

from bot.email.session_texts import greeting


def test_a_plain_name_is_greeted() -> None:
    assert greeting("Ada Lovelace") == "Hello Ada Lovelace,"


def test_an_address_a_link_or_nothing_is_not_repeated() -> None:
    for name in ("", "ada@studio.example", "Win a prize at https://evil.example/x",
                 "visit www.evil.example now"):
        assert greeting(name) == "Hello,"


def test_a_long_name_is_shortened() -> None:
    said = greeting("A" * 500)
    assert said.startswith("Hello A") and len(said) < 200
