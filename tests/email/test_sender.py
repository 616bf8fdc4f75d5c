"""One strict reading of who sent a message (pure): exactly one mailbox in one From header,
nothing taken from a display name or an encoded word; mailboxes compared without +tags and
case where that is safe."""

from __future__ import annotations

import pytest

from bot.address import is_speakers_address, mailbox_key
from bot.email.reply import parse_message
from bot.email.sender import read_sender


@pytest.mark.parametrize("value,address,name", [
    ("Mei Chen <Mei.Chen@Gmail.COM>", "mei.chen@gmail.com", "Mei Chen"),
    ('"Chen, Mei" <mei@studio.example>', "mei@studio.example", "Chen, Mei"),
    ("=?utf-8?q?J=C3=BCrgen_M=C3=BCller?= <jm@studio.de>", "jm@studio.de", "Jürgen Müller"),
    ("mei@studio.example", "mei@studio.example", ""),
    ("<mei@studio.example>", "mei@studio.example", ""),
    ("mei@studio.example (Mei Chen)", "mei@studio.example", ""),
    ('"mei@studio.example" <mei@studio.example>', "mei@studio.example", "mei@studio.example"),
    ("An\x00n <ann@studio.example>", "ann@studio.example", "An n"),
])
def test_a_plain_from_names_its_one_mailbox(value: str, address: str, name: str) -> None:
    sender = read_sender([value])
    assert (sender.address, sender.name, sender.problem) == (address, name, None)


@pytest.mark.parametrize("value", [
    # The four forms of issue 20, each naming vic and sent by mallory.
    "=?utf-8?q?<vic@studio.example>?= <mallory@evil.example>",
    "vic@studio.example <mallory@evil.example>",
    "Victim <vic@studio.example> <mallory@evil.example>",
    "vic@studio.example, mallory@evil.example",
    # And their relatives.
    '"vic@studio.example" <mallory@evil.example>',
    "=?utf-8?q?victim=40studio=2Eorg?= <mallory@evil.example>",
    "=?utf-8?q?vic=40studio.example?=",
    "Chen, Mei <mei@studio.example>",
    "Friends: vic@studio.example;",
    "undisclosed-recipients:;",
    "Ann <an\x00n@studio.example>",
    "<>",
    "",
])
def test_an_ambiguous_from_names_nobody(value: str) -> None:
    sender = read_sender([value])
    assert sender.address == "" and sender.problem


def test_two_from_headers_name_nobody() -> None:
    raw = (b"From: Vic <vic@studio.example>\r\nFrom: Mallory <mallory@evil.example>\r\n"
           b"Subject: yes\r\nMessage-ID: <two@evil.example>\r\n\r\nyes, I confirm\r\n")
    parsed = parse_message(raw)
    assert parsed.sender == "" and parsed.sender_problem == "several-from-headers"
    assert read_sender([]).problem == "no-from"


def test_mailboxes_compare_without_tags_and_case() -> None:
    assert mailbox_key("Vic+Talks@Studio.Example") == "vic@studio.example"
    assert mailbox_key("speakers+x@example.org") == mailbox_key("SPEAKERS@example.org")
    # A stored address without a tag is the whole mailbox; with a tag, only itself.
    assert is_speakers_address("vic@studio.example", "Vic+wgml@STUDIO.example")
    assert not is_speakers_address("vic+wgml@studio.example", "vic@studio.example")
    assert not is_speakers_address("vic+wgml@studio.example", "vic+other@studio.example")
    assert is_speakers_address("vic+wgml@studio.example", "VIC+WGML@studio.example")
    assert not is_speakers_address("vic@studio.example", "vic@studio.example.evil")
    assert not is_speakers_address(None, "vic@studio.example")
