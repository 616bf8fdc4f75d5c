"""By email the confirmation request lists the guidelines' concerns, plain text, under a
short heading, before it asks the speaker to confirm (real SMTP: aiosmtpd receives it). The
talk is never refused: a "yes" confirms it as always, and the leaders' card shows them."""

from __future__ import annotations

import json

from sqlalchemy import select

from bot.email.texts import CONCERNS_HEAD, confirmation_request, edit_request
from bot.guidelines import Concern
from storage.models import Submission, SubmissionVersion
from tests.conftest import LEADS
from tests.email_helpers import (  # noqa: F401 - fixtures
    MailBot,
    mailbot_fixture,
    message,
    smtp_fixture,
)

SPEAKER = "Jane Doe <jane.doe@gmail.com>"
PITCH_BODY = ("Title: Our matting suite\nFocus area: content creation\n"
              "Abstract: We tried our suite on 40 shots of hair. Pricing starts at $99; "
              "contact our sales team at sales.example.com for a demo.\n")
FINE_BODY = ("Title: SAM 2 for hair roto\nFocus area: content creation\n"
             "Abstract: We ran SAM 2 on 40 shots of hair and fur and compared with artists.\n")


def body_of(mail: object) -> str:
    return mail.message.get_payload(decode=True).decode().replace("\r\n", "\n")  # type: ignore[attr-defined]


async def test_the_confirmation_request_lists_the_concerns_before_asking(
        mailbot: MailBot) -> None:
    await mailbot.open_cycle()
    first = await mailbot.ingest(message(SPEAKER, PITCH_BODY, message_id="<g1@gmail.com>"))
    assert first.outcome == "created"
    [request] = await mailbot.smtp.wait_for(1, to="jane.doe@gmail.com")
    body = body_of(request)
    assert CONCERNS_HEAD in body
    notes = body[body.index(CONCERNS_HEAD):body.index("please confirm")]
    assert "- Product pitch:" in notes and "pricing" in notes.lower()
    assert "contact our sales" in notes
    assert "confirm it as it is" in notes
    assert body.index(CONCERNS_HEAD) < body.index("yes, I confirm")
    assert "sales.example.com" not in body  # the speaker's words quoted without links
    # Never refused: the speaker confirms, the leaders see the talk with its concern.
    yes = await mailbot.ingest(message(SPEAKER, "yes, I confirm", message_id="<g2@gmail.com>",
                                       in_reply_to=request.message["Message-ID"]))
    assert yes.outcome == "confirmed"
    [card] = mailbot.slack.channel_messages(LEADS)
    assert "Product pitch" in json.dumps(card["blocks"])
    async with mailbot.db.session() as session:
        sub = (await session.scalars(select(Submission))).one()
        assert sub.status == "submitted"
        assert "pitch" in [c["rule"] for c in (sub.guideline_concerns or {})["concerns"]]


async def test_a_talk_without_concerns_gets_the_request_as_before(mailbot: MailBot) -> None:
    await mailbot.ingest(message(SPEAKER, FINE_BODY, message_id="<h1@gmail.com>"))
    [request] = await mailbot.smtp.wait_for(1, to="jane.doe@gmail.com")
    assert CONCERNS_HEAD not in body_of(request)


async def test_an_edit_by_email_lists_the_new_versions_concerns(mailbot: MailBot) -> None:
    await mailbot.ingest(message(SPEAKER, FINE_BODY, message_id="<k1@gmail.com>"))
    [request] = await mailbot.smtp.wait_for(1, to="jane.doe@gmail.com")
    await mailbot.ingest(message(SPEAKER, "yes, I confirm", message_id="<k2@gmail.com>",
                                 in_reply_to=request.message["Message-ID"]))
    mails = await mailbot.smtp.wait_for(2, to="jane.doe@gmail.com")
    edit = await mailbot.ingest(message(
        SPEAKER, "Abstract: We trained on our proprietary dataset of 40 shows, under NDA.\n",
        message_id="<k3@gmail.com>", in_reply_to=mails[1].message["Message-ID"]))
    assert edit.outcome == "edit_pending"
    asked = (await mailbot.smtp.wait_for(3, to="jane.doe@gmail.com"))[2]
    body = body_of(asked)
    assert CONCERNS_HEAD in body and "- Confidential information:" in body
    yes = await mailbot.ingest(message(SPEAKER, "yes, I confirm", message_id="<k4@gmail.com>",
                                       in_reply_to=asked.message["Message-ID"]))
    assert yes.outcome == "edit_confirmed"
    update = mailbot.slack.calls_to("chat.update")[-1].params
    assert "Confidential information" in json.dumps(update["blocks"])


def test_the_texts_say_each_concern_on_one_plain_line() -> None:
    sub = Submission(ref="WGML-2026-001", title="T", focus_area="other", abstract="A",
                     results="")
    concerns = [Concern("pitch", "reads as a product pitch: 'pricing'"),
                Concern("confidential", "mentions 'under nda'\nsecond line <b>x</b>")]
    text = confirmation_request(sub, "Jane", None, concerns)
    notes = text[text.index(CONCERNS_HEAD):text.index("please confirm")].splitlines()
    assert [line for line in notes if line.startswith("- ")] == [
        "- Product pitch: reads as a product pitch: 'pricing'",
        "- Confidential information: mentions 'under nda' second line <b>x</b>"]
    version = SubmissionVersion(title="T", abstract="A")
    assert CONCERNS_HEAD in edit_request(sub, version, ["abstract"], "Jane", concerns)
    assert CONCERNS_HEAD not in confirmation_request(sub, "Jane", None)
