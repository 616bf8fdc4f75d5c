"""Mail through a mailing list, as Mailman 3, Google Groups and groups.io really send it
(tests/email_fixtures/lists, README there names each message's archive): list copies,
DMARC-munged senders, quoted-printable and base64, a latin-1 body, footers."""

from __future__ import annotations

import email
import email.policy
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.email.lists import list_copy, strip_list_footers, went_to_list
from bot.email.reply import parse_message
from storage.models import InboundMessage, Submission
from tests.email_helpers import (  # noqa: F401 - fixtures
    MailBot,
    mailbot_fixture,
    message,
    smtp_fixture,
)
from tests.mail_servers import Received

LISTS = Path(__file__).resolve().parents[1] / "email_fixtures" / "lists"
# Each fixture, the list it came through, the real sender the list's headers name, a phrase
# of the body that must survive and the footer's first words that must not.
CASES = {
    "googlegroups_dmarc_munged.eml": ("kasan-dev@googlegroups.com", "tglx@kernel.org",
                                      "KMSAN confused itself", "You received this message"),
    "groupsio_qp_footer.eml": ("linux-oxnas@groups.io", "neil.armstrong@linaro.org",
                               "huge thanks to Daniel", "Groups.io Links"),
    "mailman3_base64.eml": ("greybus-dev@lists.linaro.org", "ayush@beagleboard.org",
                            "chaining multiple Greybus nodes", "To unsubscribe send"),
    "mailman3_footer_part_latin1.eml": ("greybus-dev@lists.linaro.org",
                                        "kunalkmr9717@outlook.com", "From 630a0c33",
                                        "To unsubscribe send"),
}
LIST = "wg-ml@lists.example.org"  # MAILING_LIST_ADDRESS in tests/conftest.py
SPEAKER = "mei.chen@gmail.com"
PROPOSAL = ("Title: Depth from one plate\nFocus area: content creation\n"
            "Abstract: We ran monocular depth estimation on 300 production plates and "
            "compared it with lidar scans of the same sets.\n")
GOOGLE_FOOTER = (
    "\n-- \nYou received this message because you are subscribed to the Google Groups "
    '"wg-ml" group.\nTo unsubscribe from this group and stop receiving emails from it, send '
    "an email to wg-ml+unsubscribe@lists.example.org.\nTo view this discussion visit "
    "https://groups.google.com/d/msgid/wg-ml/x.\n")


def fixture(name: str) -> bytes:
    return (LISTS / name).read_bytes()


@pytest.mark.parametrize("name", sorted(CASES))
def test_real_list_copies_are_recognised_attributed_and_unfooted(name: str) -> None:
    list_address, sender, kept, footer = CASES[name]
    parsed = parse_message(fixture(name))
    copy = list_copy(parsed.list_headers, list_address)
    assert copy is not None and copy.sender == sender
    assert went_to_list(parsed.list_headers, list_address)
    assert kept in parsed.reply_text
    assert footer not in parsed.reply_text
    # Another list's copy is not ours.
    assert list_copy(parsed.list_headers, "other@lists.example.org") is None


def test_google_groups_munged_from_is_the_list_and_x_original_from_the_sender() -> None:
    parsed = parse_message(fixture("googlegroups_dmarc_munged.eml"))
    assert parsed.sender == "kasan-dev@googlegroups.com"  # From as rewritten
    copy = list_copy(parsed.list_headers, "kasan-dev@googlegroups.com")
    assert copy is not None and copy.munged and copy.name == "Thomas Gleixner"


def test_groups_io_reply_to_the_list_and_the_author_is_not_a_munge() -> None:
    parsed = parse_message(fixture("groupsio_qp_footer.eml"))
    copy = list_copy(parsed.list_headers, "linux-oxnas@groups.io")
    assert copy is not None and not copy.munged  # From was the author's own


def with_headers(raw: bytes, **changes: str | None) -> bytes:
    """A real list copy with some headers replaced (None: removed), e.g. forged ones."""
    msg = email.message_from_bytes(raw, policy=email.policy.compat32)
    for name, value in changes.items():
        header = name.replace("_", "-")
        del msg[header]
        if value is not None:
            msg[header] = value
    return msg.as_bytes()


def test_a_forged_x_original_from_is_never_believed() -> None:
    raw = fixture("googlegroups_dmarc_munged.eml")
    # Sent straight to the bot (no list headers) with the list's marks copied by hand.
    direct = with_headers(raw, List_ID=None, From="Mallory <mallory@evil.example>",
                          X_Original_From="Thomas Gleixner <tglx@kernel.org>")
    parsed = parse_message(direct)
    assert list_copy(parsed.list_headers, "kasan-dev@googlegroups.com") is None
    assert parsed.sender == "mallory@evil.example"
    # Through the list but not munged: From is the sender; their X-Original-From is not.
    sent = with_headers(raw, From="Mallory <mallory@evil.example>")
    copy = list_copy(parse_message(sent).list_headers, "kasan-dev@googlegroups.com")
    assert copy is not None and copy.sender == "mallory@evil.example"
    # Munged, with two X-Original-From (one the sender's own): nobody.
    twice = with_headers(raw).replace(
        b"X-Original-From: Thomas", b"X-Original-From: Victim <vic@x.example>\r\n"
        b"X-Original-From: Thomas", 1)
    copy = list_copy(parse_message(twice).list_headers, "kasan-dev@googlegroups.com")
    assert copy is not None and copy.sender is None  # not even the Reply-To then
    # Munged with neither X-Original-From nor a Reply-To but the list's: nobody.
    bare = with_headers(raw, X_Original_From=None, Reply_To="kasan-dev@googlegroups.com")
    copy = list_copy(parse_message(bare).list_headers, "kasan-dev@googlegroups.com")
    assert copy is not None and copy.sender is None


def test_footers_of_each_list_software_are_stripped() -> None:
    text = "My proposal.\n\nThanks,\nMei\n"
    mailman2 = (text + "_______________________________________________\nWG-ML mailing list\n"
                "WG-ML@lists.example.org\nhttps://lists.example.org/mailman/listinfo/wg-ml\n")
    mailman3 = (text + "_______________________________________________\nwg-ml mailing list"
                " -- wg-ml@lists.example.org\nTo unsubscribe send an email to "
                "wg-ml-leave@lists.example.org\n")
    groupsio = (text + "\n-=-=-=-=-=-=-=-=-=-=-=-\nGroups.io Links: You receive all messages "
                "sent to this group.\nView/Reply Online (#5): https://groups.io/g/wgml/"
                "message/5\nGroup Owner: wgml+owner@groups.io\n-=-=-=-=-=-=-=-=-=-=-=-\n")
    for footed in (mailman2, mailman3, groupsio, text + GOOGLE_FOOTER):
        assert strip_list_footers(footed).strip() == text.strip()
    assert strip_list_footers(text) == text
    # A person's own underscores or "mailing list" are not a footer.
    own = "Title: Our mailing list bot\n________________________\nAbstract: x\n"
    assert strip_list_footers(own) == own


# ---- through the intake: dedupe, attribution, the private notice ---------------------------

def direct_copy(message_id: str) -> bytes:
    return message(f"Mei Chen <{SPEAKER}>", PROPOSAL, message_id=message_id,
                   extra=f"Cc: WG-ML <{LIST}>")


def list_copy_of(message_id: str) -> bytes:
    """The Google Groups copy of that message: the real munged fixture's headers, its list
    and sender adapted to ours, the proposal as its body with the group's footer."""
    raw = fixture("googlegroups_dmarc_munged.eml")
    head = raw.split(b"\n\n", 1)[0].decode()
    head = head.replace("kasan-dev@googlegroups.com", LIST).replace(
        "kasan-dev.googlegroups.com", LIST.replace("@", ".", 1))
    head = re.sub(r"(?m)^(X-Original-From|Reply-To): .*$", rf"\1: Mei Chen <{SPEAKER}>", head)
    head = re.sub(r"(?m)^From: .*$", f'From: "\'Mei Chen\' via wg-ml" <{LIST}>', head)
    head = re.sub(r"(?m)^Message-ID: .*$", f"Message-ID: {message_id}", head)
    head = re.sub(r"(?m)^(?:In-Reply-To|References): .*\n(?:[ \t].*\n)*", "", head)
    head = re.sub(r"(?m)^Subject: .*$", "Subject: Talk proposal", head)
    head = re.sub(r"(?m)^Content-Transfer-Encoding: .*$", "Content-Transfer-Encoding: 8bit",
                  head)
    return (head + "\n\n" + PROPOSAL + GOOGLE_FOOTER).encode()


def text_of(mail: Received) -> str:
    payload = mail.message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode()


async def submissions(mb: MailBot) -> list[Submission]:
    async with mb.db.session() as session:
        return list((await session.scalars(select(Submission))).all())


@pytest.mark.parametrize("order", ["direct first", "list first"])
async def test_a_proposal_through_the_list_is_one_talk_and_the_speaker_told_it_is_public(
        mailbot: MailBot, order: str) -> None:
    await mailbot.open_cycle()
    copies = [direct_copy("<p1@gmail.com>"), list_copy_of("<p1@gmail.com>")]
    if order == "list first":
        copies.reverse()
    outcomes = [(await mailbot.ingest(raw)).outcome for raw in copies]
    assert outcomes[0] == "created"
    [sub] = await submissions(mailbot)
    assert sub.speaker.email == SPEAKER
    assert "You received this message" not in sub.abstract
    [mail] = await mailbot.smtp.wait_for(1, to=SPEAKER)
    body = text_of(mail)
    assert f"also went to the whole mailing list ({LIST})" in body
    assert "abstract is now public" in body
    assert mail.recipients == [SPEAKER]  # privately: never the list


async def test_a_list_copy_with_its_own_message_id_is_not_a_second_talk(
        mailbot: MailBot) -> None:
    await mailbot.open_cycle()
    assert (await mailbot.ingest(direct_copy("<p2@gmail.com>"))).outcome == "created"
    again = await mailbot.ingest(list_copy_of("<regenerated.by.the.list@lists.example.org>"))
    assert again.outcome == "duplicate_list_copy"
    assert len(await submissions(mailbot)) == 1


async def test_a_list_copy_naming_nobody_is_ignored(mailbot: MailBot) -> None:
    await mailbot.open_cycle()
    raw = list_copy_of("<p3@gmail.com>")
    raw = re.sub(rb"(?m)^X-Original-From: .*\n", b"", raw)
    raw = re.sub(rb"(?m)^Reply-To: .*$", f"Reply-To: {LIST}".encode(), raw)
    assert (await mailbot.ingest(raw)).outcome == "ignored_mailing_list"
    assert await submissions(mailbot) == []
    async with mailbot.db.session() as session:
        assert await session.scalar(select(func.count()).select_from(InboundMessage)) == 1


async def test_a_direct_proposal_not_copied_to_the_list_says_nothing_of_it(
        mailbot: MailBot) -> None:
    await mailbot.open_cycle()
    raw = message(f"Mei Chen <{SPEAKER}>", PROPOSAL, message_id="<p4@gmail.com>")
    assert (await mailbot.ingest(raw)).outcome == "created"
    [mail] = await mailbot.smtp.wait_for(1, to=SPEAKER)
    assert "mailing list" not in text_of(mail)


async def test_our_lists_copy_of_a_members_reply_is_theirs(mailbot: MailBot) -> None:
    """Not munged (From is the member's own): it is their message, no longer ignored as
    automatic list mail (tests/email/test_intake.py said so before lists were read)."""
    await mailbot.open_cycle()
    raw = (LISTS.parent / "list_relay.eml").read_bytes()
    assert (await mailbot.ingest(raw)).outcome == "created"
    [mail] = await mailbot.smtp.wait_for(1, to="jane.doe@gmail.com")
    assert "abstract is now public" in text_of(mail)
