"""The speaker's consent by email, through the real pipeline (intake, rules, the outbox, SMTP):
a `Publish: yes|no` line in a new talk or in a reply, written the way Gmail, Outlook (HTML
only) and Apple Mail write it; a consent line is never read as an answer to another question,
a quoted request never answers for the speaker, and only the speaker's mailbox counts."""

from __future__ import annotations

import base64
import datetime as dt
import quopri
from pathlib import Path

from sqlalchemy import select

from bot.email.session_texts import slides_request
from bot.sessions import slides
from storage.models import Submission
from storage.outbox import enqueue_email, remember_thread_id
from tests.email_helpers import (  # noqa: F401 - fixtures
    MailBot,
    mailbot_fixture,
    message,
    smtp_fixture,
)
from tests.site_consent.support import consent, publish_events

SPEAKER = "Mei Chen <mei.chen@gmail.com>"
ADDRESS = "mei.chen@gmail.com"

GMAIL_NEW = """Hi,

Title: Depth estimation for set extension: what broke
Focus area: Content creation
Abstract: We tried three monocular depth models (MiDaS, ZoeDepth,
Depth Anything) on 120 plates for set extension.
Publish: Yes, please
Results: Depth Anything was best on wide shots; all failed on
reflective surfaces.

Best,
Mei

On Mon, Mar 2, 2026 at 10:04 AM WG-ML Bot <wgml-bot@example.org> wrote:

> Hello everyone,
> Publish: no
> Title:
"""


def outlook_html(sender: str, html: str, *, message_id: str, in_reply_to: str | None = None,
                 subject: str = "Talk proposal") -> bytes:
    """An Outlook (web) message: HTML only, base64, as Microsoft 365 sends it."""
    headers = [f"From: {sender}", "To: WG-ML Bot <wgml-bot@example.org>",
               f"Subject: {subject}", "Date: Mon, 02 Mar 2026 11:15:02 +0000",
               f"Message-ID: {message_id}", "MIME-Version: 1.0",
               'Content-Type: text/html; charset="utf-8"', "Content-Transfer-Encoding: base64",
               "x-ms-exchange-messagesentrepresentingtype: 1"]
    if in_reply_to:
        headers += [f"In-Reply-To: {in_reply_to}", f"References: {in_reply_to}"]
    body = base64.encodebytes(html.encode()).decode().replace("\n", "\r\n")
    return ("\r\n".join(headers) + "\r\n\r\n" + body).encode()


def apple_mail(sender: str, text: str, *, message_id: str, in_reply_to: str,
               subject: str) -> bytes:
    """Apple Mail: quoted-printable, the quote under an "On ..., ... wrote:" line."""
    headers = [f"From: {sender}", "To: WG-ML Bot <wgml-bot@example.org>",
               f"Subject: {subject}", "Date: Tue, 21 Jul 2026 08:01:44 +0200",
               f"Message-ID: {message_id}", f"In-Reply-To: {in_reply_to}",
               f"References: {in_reply_to}", "Mime-Version: 1.0 (Mac OS X Mail 16.0)",
               'Content-Type: text/plain; charset="utf-8"',
               "Content-Transfer-Encoding: quoted-printable", "X-Mailer: Apple Mail (2.3774)"]
    body = quopri.encodestring(text.replace("\n", "\r\n").encode()).decode()
    return ("\r\n".join(headers) + "\r\n\r\n" + body).encode()


async def _talk(mb: MailBot) -> Submission:
    async with mb.db.session() as session:
        return (await session.scalars(select(Submission))).one()


async def test_a_new_talk_says_publish_yes_and_a_quoted_no_is_not_the_speakers(
        mailbot: MailBot) -> None:
    await mailbot.open_cycle()
    out = await mailbot.ingest(message(SPEAKER, GMAIL_NEW, message_id="<CAHnew01@gmail.com>"))
    assert out.outcome == "created"
    sub = await _talk(mailbot)
    assert sub.publish is True and sub.status == "pending_confirmation"
    assert "Publish" not in sub.abstract and sub.abstract.endswith("set extension.")
    assert sub.results.startswith("Depth Anything")
    [event] = await publish_events(mailbot.db, sub.id)
    assert event == {"actor": ADDRESS, "publish": True, "previous": None, "via": "email"}
    # Confirmed in a reply that also says "Publish: no": the no is about the archive only.
    [request] = await mailbot.smtp.wait_for(1, to=ADDRESS)
    yes = await mailbot.ingest(message(SPEAKER, "Yes, I confirm.\n\nPublish: nein\n\nMei",
                                       message_id="<CAHnew02@gmail.com>",
                                       in_reply_to=request.message["Message-ID"]))
    assert yes.outcome == "confirmed"
    assert await consent(mailbot.db, sub.id) is False


async def test_outlook_html_only_publish_no(mailbot: MailBot) -> None:
    await mailbot.open_cycle()
    html = ('<html><body dir="ltr"><div class="elementToProof">Title: Kubernetes for ML '
            'inference on the farm</div><div>Focus area: Infrastructure</div><div>Abstract: '
            'We moved 30 inference services to k8s with GPU sharing.</div>'
            '<div><b>Publish:</b> NO</div><div id="appendonsend"></div><hr>'
            '<div id="divRplyFwdMsg"><b>From:</b> WG-ML Bot &lt;wgml-bot@example.org&gt;'
            '</div><div>Publish: yes</div></body></html>')
    out = await mailbot.ingest(outlook_html("Sam Lee <sam.lee@cloudfx.example>", html,
                                            message_id="<SJ0PR02MB01@outlook.com>"))
    assert out.outcome == "created"
    sub = await _talk(mailbot)
    assert sub.publish is False and "NO" not in sub.abstract


async def _presented_by_email(mb: MailBot) -> tuple[int, str]:
    """A talk by email, accepted, presented; the bot's request for its slides sent."""
    await mb.open_cycle()
    await mb.ingest(message(SPEAKER, "Title: Depth for set extension\nFocus area: content "
                                     "creation\nAbstract: We tried three depth models.\n",
                            message_id="<CAHp1@gmail.com>"))
    [request] = await mb.smtp.wait_for(1, to=ADDRESS)
    yes = await mb.ingest(message(SPEAKER, "yes, I confirm", message_id="<CAHp2@gmail.com>",
                                  in_reply_to=request.message["Message-ID"]))
    assert yes.outcome == "confirmed"
    async with mb.db.transaction() as session:
        sub = (await session.scalars(select(Submission))).one()
        sub.status, sub.attendance = "accepted", "confirmed"
        sub.decided_at = dt.datetime.now(dt.UTC)
        request_id = await enqueue_email(
            session, to=[ADDRESS], subject=f"Re: your slides and recording ({sub.ref})",
            text=slides_request(slides.asked(sub)), domain="example.org", key="test:slides")
        assert request_id
        remember_thread_id(sub, request_id)
        sid = sub.id
    await mb.settle()
    asked = (await mb.smtp.wait_for(3, to=ADDRESS))[2]
    text = asked.message.get_payload(decode=True).decode()
    assert '"Publish: yes"' in text and "\nPublish:" not in text
    return sid, request_id


async def test_the_slides_reply_says_publish_and_the_site_is_built(
        mailbot: MailBot, site_dir: Path) -> None:
    sid, request_id = await _presented_by_email(mailbot)
    quoted = "\n".join("> " + line for line in slides_request(slides.asked(
        await _talk(mailbot))).splitlines())
    reply = ("Here you go!\n\nSlides: https://slides.example.org/depth\n"
             "Recording: https://video.example.org/depth\n"
             "I confirm my slides hold no confidential information.\n"
             "Publish: Oui\n\nMei\n\n"
             "On 21 Jul 2026, at 07:00, WG-ML Bot <wgml-bot@example.org> wrote:\n\n" + quoted)
    out = await mailbot.ingest(apple_mail(SPEAKER, reply, message_id="<A1B2@icloud.com>",
                                          in_reply_to=request_id,
                                          subject="Re: your slides and recording"))
    assert out.outcome == "links_saved"
    assert await consent(mailbot.db, sid) is True
    thanks = (await mailbot.smtp.wait_for(4, to=ADDRESS))[3]
    assert "will be listed on the public archive" in thanks.message.get_payload(
        decode=True).decode()
    # The site was built again (which talks it lists, and when, is tests/site's: a talk is
    # listed once its program is announced or its session is over).
    assert (site_dir / "index.html").exists() and (site_dir / ".wgml-site.json").exists()

    # A reply whose only news is "Publish: no": noted, never read as "I won't present".
    out = await mailbot.ingest(message(SPEAKER, "Publish: no\n\nSorry, legal asked.",
                                       message_id="<CAHp4@gmail.com>",
                                       in_reply_to=thanks.message["Message-ID"],
                                       subject="Re: your slides and recording"))
    assert out.outcome == "publish_noted"
    sub = await _talk(mailbot)
    assert sub.publish is False and sub.attendance == "confirmed"
    noted = (await mailbot.smtp.wait_for(5, to=ADDRESS))[4]
    assert "will not be listed" in noted.message.get_payload(decode=True).decode()
    assert "Depth for set extension" not in (site_dir / "index.html").read_text()
    assert [e["publish"] for e in await publish_events(mailbot.db, sid)] == [True, False]


async def test_a_quoted_request_and_a_stranger_answer_for_nobody(mailbot: MailBot) -> None:
    sid, request_id = await _presented_by_email(mailbot)
    # Links without a Publish line, the request quoted Gmail-style: no answer on the archive.
    quoted = "\n".join("> " + line for line in slides_request(slides.asked(
        await _talk(mailbot))).splitlines())
    out = await mailbot.ingest(message(
        SPEAKER, "Slides: https://slides.example.org/d\nI confirm my slides hold no "
                 "confidential information.\n\nOn Tue, Jul 21, 2026 at 7:00 AM WG-ML Bot "
                 f"<wgml-bot@example.org> wrote:\n\n{quoted}\n",
        message_id="<CAHq1@gmail.com>", in_reply_to=request_id))
    assert out.outcome == "links_saved"
    assert await consent(mailbot.db, sid) is None
    # Someone else answering the request: ignored.
    out = await mailbot.ingest(message("Eve <eve@evil.example>", "Publish: yes",
                                       message_id="<eve1@evil.example>",
                                       in_reply_to=request_id))
    assert out.outcome == "not_speaker"
    assert await consent(mailbot.db, sid) is None
