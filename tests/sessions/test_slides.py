"""After the session: slides and recording links by the DM's form or by email; `/wgml find`
shows them for presented talks."""

from __future__ import annotations

import datetime as dt
import json
from email.message import EmailMessage
from typing import Any

from bot.demo.emulator.requests import view_submission
from bot.email.fields import read_links
from bot.email.intake import ingest
from bot.email.session_texts import slides_request
from bot.sessions.slides import asked, check_url
from storage.models import Cycle, Submission
from storage.outbox import enqueue_email, remember_thread_id
from tests.conftest import Running
from tests.curation_support import email_card, exported, open_test_cycle, press, settled
from tests.sessions.test_attendance import accepted, answer_button, attend_dm, capture_email

GRACE = "grace@studio.example"


def form_state(slides: str | None, recording: str | None, confirmed: bool) -> dict[str, Any]:
    return {"values": {
        "slides": {"slides_input": {"type": "url_text_input", "value": slides}},
        "recording": {"recording_input": {"type": "url_text_input", "value": recording}},
        "no_confidential": {"no_confidential_input": {
            "type": "checkboxes",
            "selected_options": [{"value": "yes"}] if confirmed else []}},
    }}


async def submit_form(running: Running, user: str, sid: int, slides: str | None,
                      recording: str | None, confirmed: bool = True) -> dict[str, Any]:
    status, body = await running.sender.post(view_submission(
        user, "VSLIDES01", form_state(slides, recording, confirmed),
        callback_id="wgml_slides", private_metadata=str(sid)))
    assert status == 200, body
    await settled(running)
    return json.loads(body) if body else {}


async def presented(running: Running) -> int:
    """A talk accepted and confirmed, its session a day ago."""
    await open_test_cycle(running)
    sid, _ = await accepted(running)
    await answer_button(running, "UMEMBER1", "yes", sid, attend_dm(running)["ts"])
    async with running.db.transaction() as session:
        sub = await session.get(Submission, sid)
        assert sub is not None and sub.cycle_id is not None
        cycle = await session.get(Cycle, sub.cycle_id)
        assert cycle is not None
        cycle.session_date = dt.date.today() - dt.timedelta(days=1)
    return sid


async def test_the_form_opens_validates_and_saves(running: Running) -> None:
    sid = await presented(running)
    status, body = await running.sender.press("UMEMBER1", "slides_open", str(sid),
                                              channel="DMEMBER1", message_ts="1.000001")
    assert status == 200, body
    await settled(running)
    [opened] = running.slack.calls_to("views.open")[-1:]
    view = opened.params["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert view["callback_id"] == "wgml_slides"  # and the emulator accepted its Block Kit
    bad = await submit_form(running, "UMEMBER1", sid, "javascript:alert(1)", None)
    assert "http" in bad["errors"]["slides"]
    unconfirmed = await submit_form(running, "UMEMBER1", sid, "https://s.example.org/a", None,
                                    confirmed=False)
    assert "no_confidential" in unconfirmed["errors"]
    stranger = await submit_form(running, "UMEMBER2", sid, "https://s.example.org/a", None)
    assert "errors" in stranger
    assert (await exported(running, sid))["slides_url"] is None
    ok = await submit_form(running, "UMEMBER1", sid, "https://s.example.org/deck",
                           "https://v.example.org/rec")
    assert "errors" not in ok
    data = await exported(running, sid)
    assert data["slides_url"] == "https://s.example.org/deck"
    assert data["recording_url"] == "https://v.example.org/rec"
    status, body = await running.sender.command("UMEMBER2", "find rotoscoping")
    found = json.loads(body)["text"]
    assert "presented" in found and "<https://s.example.org/deck|slides>" in found


async def test_someone_else_cannot_open_the_form(running: Running) -> None:
    sid = await presented(running)
    before = len(running.slack.calls_to("views.open"))
    status, _ = await running.sender.press("UMEMBER2", "slides_open", str(sid),
                                           channel="DMEMBER2", message_ts="1.000002")
    assert status == 200
    await settled(running)
    assert len(running.slack.calls_to("views.open")) == before
    assert "Only the talk's speaker" in running.slack.ephemeral[-1]["text"]


def mail(in_reply_to: str, sender: str, body: str, n: int) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "wgml-bot@example.org"
    msg["Subject"] = "Re: your slides and recording"
    msg["Message-ID"] = f"<slides.{n}@mail.studio.example>"
    msg["In-Reply-To"] = in_reply_to
    msg["References"] = in_reply_to
    msg.set_content(body)
    return bytes(msg)


async def test_links_by_email(running: Running) -> None:
    capture_email(running)
    await open_test_cycle(running)
    sid, ts = await email_card(running)
    await press(running, "ULEAD2", "accept", sid, ts)
    await settled(running)
    async with running.db.transaction() as session:
        sub = await session.get(Submission, sid)
        assert sub is not None
        sub.attendance = "confirmed"
        request_id = await enqueue_email(
            session, to=[GRACE], subject="Re: your slides and recording",
            text=slides_request(asked(sub)), domain="example.org", key="test:slides")
        assert request_id
        remember_thread_id(sub, request_id)
    settings = running.bot.settings
    now = dt.datetime.now(dt.UTC)
    spoof = mail(request_id, "mallory@evil.example",
                 "Slides: https://evil.example/x\nI confirm no confidential information", 1)
    await ingest(running.db, settings, spoof, source="ingest", now=now)
    bad = mail(request_id, GRACE, "Slides: ftp://files.example/x\nI confirm no confidential "
                                  "information", 2)
    out = await ingest(running.db, settings, bad, source="ingest", now=now)
    assert out.outcome == "links_refused"
    unconfirmed = mail(request_id, GRACE, "Slides: https://s.example.org/g", 3)
    out = await ingest(running.db, settings, unconfirmed, source="ingest", now=now)
    assert out.outcome == "links_refused"
    assert (await exported(running, sid))["slides_url"] is None
    good = mail(request_id, GRACE, "Slides: https://s.example.org/g\nRecording: "
                                   "<https://v.example.org/g>\nI confirm my slides hold no "
                                   "confidential information.", 4)
    out = await ingest(running.db, settings, good, source="ingest", now=now)
    assert out.outcome == "links_saved"
    data = await exported(running, sid)
    assert data["slides_url"] == "https://s.example.org/g"
    assert data["recording_url"] == "https://v.example.org/g"


def test_links_are_read_and_checked() -> None:
    assert read_links("Hi\n*Slides:* https://a.example/s\nRecording: https://b.example/r\n") \
        == {"slides_url": "https://a.example/s", "recording_url": "https://b.example/r"}
    assert read_links("Slides:\nRecording: \n") == {}
    for bad in ("javascript:alert(1)", "ftp://x.example/a", "http://", "https://a b.example",
                "data:text/html,x", "x" * 3000):
        assert check_url(bad)[0] is None and check_url(bad)[1], bad
    assert check_url("HTTPS://Slides.Example.org/x?y=1") == (
        "HTTPS://Slides.Example.org/x?y=1", None)
