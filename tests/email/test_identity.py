"""Only the real mailbox speaks for a speaker (issue 20), through `wgml-bot email ingest`.

Forged `From` headers that name the victim next to the attacker's real mailbox speak for
nobody: stored raw, never answered at any address they mention, never a confirmation or an
edit. A confirmation or an edit counts only as a reply to a message the bot sent the
speaker; the talk's reference in a subject, or a reply to the speaker's own message, is not
one. Runs on SQLite and, with WGML_TEST_DB=postgres, on PostgreSQL.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from sqlalchemy import select

from bot.demo.emulator.slack import SlackEmulator
from storage.db import Database
from storage.models import InboundMessage, Submission
from tests.conftest import LEADS
from tests.email.test_cli import acli
from tests.email_helpers import message, smtp_fixture  # noqa: F401 - fixture
from tests.mail_servers import SmtpServer

VIC = "Vic Tim <vic@studio.example>"
PROPOSAL = ("Title: Denoising with small models\nFocus area: rendering\n"
            "Abstract: We trained a small denoiser on our own renders and it held up.\n")
# The four forms of issue 20: each names vic, each was sent by mallory.
FORGED = [
    "=?utf-8?q?<vic@studio.example>?= <mallory@evil.example>",
    "vic@studio.example <mallory@evil.example>",
    "Victim <vic@studio.example> <mallory@evil.example>",
    "vic@studio.example, mallory@evil.example",
]


async def _ingest(env: dict[str, str], tmp_path: Path, *raws: bytes) -> list[dict[str, str]]:
    folder = tmp_path / f"batch-{uuid.uuid4().hex}"
    folder.mkdir()
    for i, raw in enumerate(raws):
        (folder / f"{i:03}.eml").write_bytes(raw)
    out = await acli("email", "ingest", str(folder), env=env, cwd=tmp_path)
    assert out.returncode == 0, out.stderr.decode()
    return [json.loads(line) for line in out.stdout.decode().splitlines()]


async def _talk(db_url: str) -> Submission:
    db = Database(db_url)
    try:
        async with db.session() as session:
            return (await session.scalars(select(Submission))).one()
    finally:
        await db.dispose()


async def _inbound(db_url: str) -> dict[str, InboundMessage]:
    db = Database(db_url)
    try:
        async with db.session() as session:
            return {r.message_id: r for r in await session.scalars(select(InboundMessage))}
    finally:
        await db.dispose()


async def test_forged_from_headers_confirm_edit_and_create_nothing(
    env: dict[str, str], db_url: str, tmp_path: Path, smtp: SmtpServer, slack: SlackEmulator,
) -> None:
    [created] = await _ingest(env, tmp_path, message(VIC, PROPOSAL, message_id="<v1@studio>"))
    assert created["outcome"] == "created"
    ref = created["submission"]
    [request] = smtp.received
    assert request.recipients == ["vic@studio.example"]
    # The attacker's best guesses at threading: the reference in the subject, and vic's own
    # first message (quoted on a list, say) as In-Reply-To.
    forged = []
    for i, sender in enumerate(FORGED):
        forged.append(message(sender, "yes, I confirm", message_id=f"<yes{i}@evil.example>",
                              subject=f"Re: Talk proposal [{ref}]", in_reply_to="<v1@studio>"))
        forged.append(message(sender, "Title: Pwned\nAbstract: see https://evil.example",
                              message_id=f"<edit{i}@evil.example>",
                              subject=f"Re: Talk proposal [{ref}]"))
        forged.append(message(sender, PROPOSAL.replace("Denoising", "Spam"),
                              message_id=f"<new{i}@evil.example>", subject="A talk"))
    outcomes = await _ingest(env, tmp_path, *forged)
    assert {o["outcome"] for o in outcomes} == {"ignored_ambiguous_sender"}, outcomes
    assert all(o["submission"] is None for o in outcomes)
    stored = await _inbound(db_url)
    for o in outcomes:  # kept, raw, for a person to look at
        row = stored[o["message_id"]]
        assert row.status == "ignored" and row.raw and row.sender is None
    talk = await _talk(env["DATABASE_URL"])
    assert talk.status == "pending_confirmation" and talk.title == "Denoising with small models"
    assert len(smtp.received) == 1  # nobody was answered: not vic, not mallory
    assert slack.channel_messages(LEADS) == []

    # vic's own address as the mail server delivered it (From is not verified here), but
    # not answering anything the bot sent: the subject's reference, vic's own message.
    spoofs = [
        message(VIC, "yes, I confirm", message_id="<s1@evil.example>",
                subject=f"Re: anything [{ref}]"),
        message(VIC, "yes, I confirm", message_id="<s2@evil.example>",
                in_reply_to="<v1@studio>"),
        message("Mallory <mallory@evil.example>", "yes, I confirm",
                message_id="<s3@evil.example>", in_reply_to="<v1@studio>"),
    ]
    outcomes = await _ingest(env, tmp_path, *spoofs)
    assert [o["outcome"] for o in outcomes] == ["not_a_reply_to_bot", "not_a_reply_to_bot",
                                                "not_speaker"]
    assert (await _talk(env["DATABASE_URL"])).status == "pending_confirmation"
    assert len(smtp.received) == 1 and slack.channel_messages(LEADS) == []

    # The real answer to the bot's request, from vic's mailbox (a +tag and another case of
    # the domain are still her mailbox), confirms.
    request_id = request.message["Message-ID"]
    [yes] = await _ingest(env, tmp_path, message(
        "Vic <vic+wgml@Studio.Example>", "yes, I confirm", message_id="<v2@studio>",
        in_reply_to=request_id, references=f"<v1@studio> {request_id}"))
    assert yes["outcome"] == "confirmed"
    assert len(slack.channel_messages(LEADS)) == 1
    confirmed_id = smtp.received[-1].message["Message-ID"]

    # A confirmed talk: an edit answering vic's own message changes nothing; one answering
    # the bot's confirmation makes a version that waits for vic's confirmation.
    [edit] = await _ingest(env, tmp_path, message(
        VIC, "Title: Pwned", message_id="<s4@evil.example>", in_reply_to="<v2@studio>",
        subject=f"Re: [{ref}]"))
    assert edit["outcome"] == "not_a_reply_to_bot"
    assert (await _talk(env["DATABASE_URL"])).title == "Denoising with small models"
    [edit] = await _ingest(env, tmp_path, message(
        VIC, "Title: Denoising with tiny models", message_id="<v3@studio>",
        in_reply_to=confirmed_id))
    assert edit["outcome"] == "edit_pending"
    assert (await _talk(env["DATABASE_URL"])).title == "Denoising with small models"
    edit_request_id = smtp.received[-1].message["Message-ID"]
    # The subject's reference and vic's own edit are what a forger can answer: no confirmation.
    [spoof] = await _ingest(env, tmp_path, message(
        VIC, "yes, I confirm", message_id="<s5@evil.example>", in_reply_to="<v3@studio>",
        subject=f"Re: [{ref}]"))
    assert spoof["outcome"] == "not_a_reply_to_bot"
    assert (await _talk(env["DATABASE_URL"])).title == "Denoising with small models"
    [yes] = await _ingest(env, tmp_path, message(
        VIC, "yes, I confirm", message_id="<v4@studio>", in_reply_to=edit_request_id))
    assert yes["outcome"] == "edit_confirmed"
    assert (await _talk(env["DATABASE_URL"])).title == "Denoising with tiny models"


async def test_mail_from_a_tag_of_the_bots_own_address_is_never_answered(
    env: dict[str, str], tmp_path: Path, smtp: SmtpServer,
) -> None:
    outcomes = await _ingest(env, tmp_path, *[
        message(f"Bot <{addr}>", PROPOSAL, message_id=f"<own{i}@example.org>")
        for i, addr in enumerate(["wgml-bot+x@example.org", "WGML-Bot+loop@EXAMPLE.org"])
    ])
    assert [o["outcome"] for o in outcomes] == ["ignored_own_message"] * 2
    assert smtp.received == []
