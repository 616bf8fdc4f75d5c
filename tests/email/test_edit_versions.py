"""Editing a confirmed talk by email: the new text waits for its speaker's confirmation, asked
in the thread; until then no leader sees any of it (checked on every Slack call made)."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import select

from bot.email.intake import process
from bot.talks.export import export_data
from bot.talks.export_write import to_csv
from storage.models import InboundMessage, Submission, SubmissionVersion
from tests.conftest import LEADS
from tests.email_helpers import (  # noqa: F401 - fixtures
    MailBot,
    mailbot_fixture,
    message,
    smtp_fixture,
)

SPEAKER = "Jane Doe <jane.doe@gmail.com>"
ADDRESS = "jane.doe@gmail.com"
BODY = ("Title: SAM 2 for hair roto\nFocus area: content creation\n"
        "Abstract: We ran SAM 2 on 40 shots of hair and fur and compared with artists.\n")
SECRET = "Kestrel"  # the word in the edit nobody may see before the speaker confirms it
EDIT = (f"Title: SAM 2 and {SECRET} for hair roto\n"
        f"Abstract: Now with 80 shots and our {SECRET} matte pass, see https://evil.example\n")


def _body(mail: object) -> str:
    return str(mail.message.get_payload(decode=True).decode())  # type: ignore[attr-defined]


def _leaders_saw(mb: MailBot, word: str) -> bool:
    """Whether any Slack call the bot made (posts, updates, DMs, views) holds `word`."""
    return word in json.dumps([c.params for c in mb.slack.calls], ensure_ascii=False)


async def _talk(mb: MailBot) -> Submission:
    async with mb.db.session() as session:
        return (await session.scalars(select(Submission))).one()


async def _exported(mb: MailBot) -> str:
    async with mb.db.session() as session:
        data = await export_data(session)
    return json.dumps(data) + to_csv(data)


async def _confirmed_talk(mb: MailBot) -> str:
    """A talk confirmed by email; returns the Message-ID of the bot's "thank you"."""
    await mb.open_cycle()
    await mb.ingest(message(SPEAKER, BODY, message_id="<m1@gmail.com>"))
    [request] = await mb.smtp.wait_for(1, to=ADDRESS)
    yes = await mb.ingest(message(SPEAKER, "yes, I confirm", message_id="<m2@gmail.com>",
                                  in_reply_to=request.message["Message-ID"]))
    assert yes.outcome == "confirmed"
    thanks = (await mb.smtp.wait_for(2, to=ADDRESS))[1]
    assert len(mb.slack.channel_messages(LEADS)) == 1
    return str(thanks.message["Message-ID"])


async def _edit(mb: MailBot, answering: str, body: str = EDIT, n: int = 3,
                message_id: str = "<m3@gmail.com>") -> tuple[str, str]:
    """Send an edit; returns (outcome, the Message-ID of the bot's request to confirm it)."""
    out = await mb.ingest(message(SPEAKER, body, message_id=message_id,
                                  in_reply_to=answering))
    request = (await mb.smtp.wait_for(n, to=ADDRESS))[n - 1]
    assert request.message["In-Reply-To"] == message_id
    return out.outcome, str(request.message["Message-ID"])


async def test_an_edit_waits_for_its_speaker_and_no_leader_sees_it_before(
    mailbot: MailBot,
) -> None:
    thanks = await _confirmed_talk(mailbot)
    outcome, request_id = await _edit(mailbot, thanks)
    assert outcome == "edit_pending"
    request = (await mailbot.smtp.wait_for(3, to=ADDRESS))[2].message
    assert request["Auto-Submitted"] == "auto-replied"
    assert "<m3@gmail.com>" in request["References"]
    text = _body((await mailbot.smtp.wait_for(3, to=ADDRESS))[2])
    assert f"SAM 2 and {SECRET} for hair roto" in text and "yes, I confirm" in text
    assert "evil.example" not in text  # the excerpt is link-free, like the first request
    talk = await _talk(mailbot)
    assert talk.title == "SAM 2 for hair roto" and SECRET not in talk.abstract
    assert not _leaders_saw(mailbot, SECRET)
    assert SECRET not in await _exported(mailbot)

    yes = await mailbot.ingest(message(SPEAKER, "Yes, I confirm.", message_id="<m4@gmail.com>",
                                       in_reply_to=request_id))
    assert yes.outcome == "edit_confirmed"
    assert "version 2" in _body((await mailbot.smtp.wait_for(4, to=ADDRESS))[3])
    update = mailbot.slack.calls_to("chat.update")[-1].params
    assert f"SAM 2 and {SECRET} for hair roto" in json.dumps(update["blocks"])
    [card] = [m for m in mailbot.slack.channel_messages(LEADS) if not m["thread_ts"]]
    [note] = [m for m in mailbot.slack.channel_messages(LEADS) if m["thread_ts"] == card["ts"]]
    assert "by email" in note["text"] and "title and abstract" in note["text"]
    assert SECRET not in note["text"]
    async with mailbot.db.session() as session:
        versions = (await session.scalars(select(SubmissionVersion).order_by(
            SubmissionVersion.n))).all()
        data = await export_data(session)
    assert [(v.n, v.channel, v.created_by) for v in versions] == [
        (1, "email", ADDRESS), (2, "email", ADDRESS)]
    assert all(v.confirmed_at is not None and v.statement for v in versions)
    [exported] = data["submissions"]
    assert [v["n"] for v in exported["versions"]] == [1, 2]
    row = to_csv(data).splitlines()[1]
    assert ",2," in row


async def test_a_spoofed_confirmation_of_an_edit_confirms_nothing(mailbot: MailBot) -> None:
    thanks = await _confirmed_talk(mailbot)
    _, request_id = await _edit(mailbot, thanks)
    attempts = [
        # Another mailbox answering the real request.
        ("Eve <eve@example.net>", "<e1@example.net>", request_id, "not_speaker"),
        # The speaker's address, answering the speaker's own edit (a forger can write that).
        (SPEAKER, "<e2@evil.example>", "<m3@gmail.com>", "not_a_reply_to_bot"),
        # The speaker's mailbox answering an older mail of the bot: not about this text.
        (SPEAKER, "<m5@gmail.com>", thanks, "edit_not_this_request"),
    ]
    for sender, mid, answering, expected in attempts:
        out = await mailbot.ingest(message(sender, "yes, I confirm", message_id=mid,
                                           in_reply_to=answering))
        assert out.outcome == expected, (mid, out.outcome)
    assert (await _talk(mailbot)).title == "SAM 2 for hair roto"
    assert not _leaders_saw(mailbot, SECRET)


async def test_a_clear_no_drops_the_edit_and_says_so(mailbot: MailBot) -> None:
    thanks = await _confirmed_talk(mailbot)
    _, request_id = await _edit(mailbot, thanks)
    no = await mailbot.ingest(message(SPEAKER, "No, please drop that.",
                                      message_id="<m4@gmail.com>", in_reply_to=request_id))
    assert no.outcome == "edit_dropped"
    assert "dropped" in _body((await mailbot.smtp.wait_for(4, to=ADDRESS))[3])
    late = await mailbot.ingest(message(SPEAKER, "yes, I confirm",
                                        message_id="<m5@gmail.com>", in_reply_to=request_id))
    assert late.outcome == "already_confirmed"  # nothing waits any more
    assert (await _talk(mailbot)).title == "SAM 2 for hair roto"
    assert not _leaders_saw(mailbot, SECRET)
    async with mailbot.db.session() as session:
        assert [v.n for v in (await session.scalars(select(SubmissionVersion))).all()] == [1]


async def test_a_newer_edit_replaces_the_older_one(mailbot: MailBot) -> None:
    thanks = await _confirmed_talk(mailbot)
    _, first = await _edit(mailbot, thanks)
    _, second = await _edit(mailbot, first, body="Title: SAM 2 and Cutie for hair roto\n",
                            n=4, message_id="<m4@gmail.com>")
    old = await mailbot.ingest(message(SPEAKER, "yes, I confirm", message_id="<m5@gmail.com>",
                                       in_reply_to=first))
    assert old.outcome == "edit_not_this_request"
    assert not _leaders_saw(mailbot, SECRET) and not _leaders_saw(mailbot, "Cutie")
    yes = await mailbot.ingest(message(SPEAKER, "yes, I confirm", message_id="<m6@gmail.com>",
                                       in_reply_to=second))
    assert yes.outcome == "edit_confirmed"
    talk = await _talk(mailbot)
    assert talk.title == "SAM 2 and Cutie for hair roto"
    assert SECRET not in talk.abstract  # the first edit was replaced, not merged
    assert not _leaders_saw(mailbot, SECRET)


async def test_edits_of_a_withdrawn_talk_or_after_the_session_are_refused(
    mailbot: MailBot,
) -> None:
    thanks = await _confirmed_talk(mailbot)
    mailbot.clock.fixed = dt.datetime.now(dt.UTC) + dt.timedelta(days=41)
    out, _ = await _edit(mailbot, thanks)
    assert out == "closed_session"
    assert "session date has come" in _body((await mailbot.smtp.wait_for(3, to=ADDRESS))[2])
    mailbot.clock.fixed = None
    async with mailbot.db.transaction() as session:
        (await session.scalars(select(Submission))).one().status = "withdrawn"
    out, _ = await _edit(mailbot, thanks, n=4, message_id="<m4@gmail.com>")
    assert out == "closed_withdrawn"
    assert "it was withdrawn" in _body((await mailbot.smtp.wait_for(4, to=ADDRESS))[3])
    assert (await _talk(mailbot)).title == "SAM 2 for hair roto"
    assert not _leaders_saw(mailbot, SECRET)


async def test_a_replayed_edit_keeps_its_request_confirmable(mailbot: MailBot) -> None:
    thanks = await _confirmed_talk(mailbot)
    _, request_id = await _edit(mailbot, thanks)
    async with mailbot.db.session() as session:
        row = await session.scalar(select(InboundMessage).where(
            InboundMessage.message_id == "<m3@gmail.com>"))
    assert row is not None
    again = await process(mailbot.db, mailbot.bot.settings, row.id,
                          now=mailbot.bot.services.now(), replay=True)
    assert again.outcome == "edit_pending"
    await mailbot.settle()
    assert len(await mailbot.smtp.wait_for(3, to=ADDRESS)) == 3  # not asked twice
    yes = await mailbot.ingest(message(SPEAKER, "yes, I confirm", message_id="<m4@gmail.com>",
                                       in_reply_to=request_id))
    assert yes.outcome == "edit_confirmed"
