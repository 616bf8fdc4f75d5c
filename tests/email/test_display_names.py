"""A display name is the sender's to choose: leaders see the address beside it on the card;
an address-looking name (fullwidth `＠`, spaces around `@`) makes the sender ambiguous; a
name carrying a link is dropped from the greeting however long it is."""

from __future__ import annotations

import json

import pytest

from bot.email.reply import parse_message
from bot.email.sender import read_sender
from bot.email.texts import confirmation_request
from bot.slack_ui.blocks import card_blocks
from storage.models import Speaker, Submission
from tests.conftest import LEADS
from tests.email_helpers import (  # noqa: F401 - fixtures
    MailBot,
    mailbot_fixture,
    message,
    smtp_fixture,
)

BODY = "Title: Hair roto\nAbstract: We tried SAM 2 on forty shots of hair and fur."


@pytest.mark.parametrize("name", ["vic＠studio.example", "vic @ studio.example",
                                  "vic﹫studio.example", "ｖｉｃ＠ｓｔｕｄｉｏ．ｅｘａｍｐｌｅ"])
def test_an_address_looking_name_makes_the_sender_ambiguous(name: str) -> None:
    found = read_sender([f'"{name}" <mal@evil.example>'])
    assert (found.address, found.problem) == ("", "address-in-display-name")


@pytest.mark.parametrize("name", ["Jane @ Weta FX", "Jane Doe (Weta FX)"])
def test_an_at_sign_in_a_plain_name_is_a_name(name: str) -> None:
    assert read_sender([f'"{name}" <jane@weta.example>']).address == "jane@weta.example"


def test_the_card_shows_the_address_beside_the_display_name() -> None:
    speaker = Speaker(name="Jane Doe (Weta FX) <b>", email="mal@evil.example")
    sub = Submission(id=1, ref="WGML-2026-001", title="T", abstract="A", results="",
                     studio="", status="submitted", source="email", focus_area="other",
                     speaker=speaker)
    sub.votes = []
    fields = json.dumps(card_blocks(sub))
    assert "Jane Doe (Weta FX) &lt;b&gt; &lt;mal@evil.example&gt;" in fields


async def test_an_email_talks_card_names_the_address(mailbot: MailBot) -> None:
    await mailbot.open_cycle()
    sender = '"Jane Doe (Weta FX)" <mal@evil.example>'
    assert (await mailbot.ingest(message(sender, BODY, message_id="<p1@evil.example>"))
            ).outcome == "created"
    request = mailbot.smtp.received[0].message["Message-ID"]
    assert (await mailbot.ingest(message(sender, "yes, I confirm", message_id="<p2@evil.example>",
                                         in_reply_to=request))).outcome == "confirmed"
    [card] = mailbot.slack.channel_messages(LEADS)
    assert "mal@evil.example" in json.dumps(card["blocks"])
    assert "mal@evil.example" in card["text"]


def test_a_linked_display_name_is_not_greeted_however_long() -> None:
    name = "Your account is locked visit hxxps://" + "a" * 40 + ".example"
    parsed = parse_message(message(f'"{name}" <v@studio.example>', BODY,
                                   message_id="<g@studio.example>"))
    assert parsed.sender == "v@studio.example"
    sub = Submission(ref="WGML-2026-001", title="T", abstract="A", focus_area="other")
    text = confirmation_request(sub, parsed.sender_name, None)
    assert text.startswith("Hello,\n") and "locked" not in text
