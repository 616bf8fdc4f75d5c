"""A talk answering a wish: the form's optional select (omitted with no open wish, within
Block Kit's limits with many), an email's `Topic:` line (number or words, never echoed to
the sender), and the backers told once when the talk is on the announced program."""

from __future__ import annotations

import datetime as dt
import json
from email.message import EmailMessage
from email.utils import make_msgid

from sqlalchemy import select

from bot.config import Settings
from bot.demo.emulator.blockkit import view_errors
from bot.demo.emulator.requests import modal_state, view_submission
from bot.demo.emulator.slack import SlackEmulator
from bot.email.fields import read_fields
from bot.email.intake import ingest
from bot.wishes.export import wishes_json
from bot.wishes.store import ask, press
from storage.db import Database
from storage.models import OutboxMessage, Submission, WishAnswer
from storage.outbox import KIND_EMAIL
from tests.conftest import Running
from tests.sched_helpers import add_submission, at, make_sched, new_cycle

NOW = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)
HOSTILE = "Gaussian splatting <!channel> & friends in production " * 6


def words(n: int) -> str:
    """Three words of its own per wish, so the wishes are no near-duplicates of each other."""
    return " ".join("x" + "".join(chr(97 + (n // 26 ** i) % 26) for i in range(3)) + end
                    for end in ("kq", "vw", "zj"))


async def _wish(db: Database, member: str, text: str) -> int:
    async with db.transaction() as session:
        result = await ask(session, member, text, NOW)
    assert result.wish is not None
    return result.wish.id


async def _opened_form(running: Running, user: str) -> dict[str, object]:
    before = len(running.slack.calls_to("views.open"))
    status, _ = await running.sender.command(user, "submit")
    assert status == 200
    await running.slack.wait_for(lambda: len(running.slack.calls_to("views.open")) > before)
    view = running.slack.calls_to("views.open")[-1].params["view"]
    return dict(view if isinstance(view, dict) else json.loads(view))


def _select(view: dict[str, object]) -> dict[str, object] | None:
    blocks = view["blocks"]
    assert isinstance(blocks, list)
    return next((b for b in blocks if b.get("block_id") == "answers_wish"), None)


async def test_the_form_offers_open_wishes_within_slacks_limits(running: Running) -> None:
    assert _select(await _opened_form(running, "UADA")) is None  # no open wish: no block
    for n in range(120):
        await _wish(running.db, f"UW{n:03d}", f"{words(n)} {HOSTILE}"[:300])
    view = await _opened_form(running, "UADA")
    assert view_errors(view) == []
    block = _select(view)
    assert block is not None and block["optional"] is True
    assert block["label"]["text"] == "Answers a requested topic"  # type: ignore[index]
    options = block["element"]["options"]  # type: ignore[index]
    assert len(options) == 100 and all(len(o["text"]["text"]) <= 75 for o in options)
    assert "<!channel>" not in json.dumps(options)


async def test_a_talk_submitted_with_the_select_answers_the_wish(running: Running) -> None:
    wish_id = await _wish(running.db, "UADA", "Gaussian splatting in production")
    state = modal_state(title="Splats at scale", focus_area="content_creation",
                        abstract="We put gaussian splats into our lighting pipeline.",
                        email="bob@studio.example", confirmed=True)
    state["values"]["answers_wish"] = {"answers_wish_select": {
        "type": "static_select", "selected_option": {"value": str(wish_id)}}}
    status, body = await running.sender.post(view_submission("UBOB", "VANSWER1", state))
    assert status == 200, body
    async with running.db.session() as session:
        [link] = (await session.scalars(select(WishAnswer))).all()
        sub = await session.get(Submission, link.submission_id)
    assert link.wish_id == wish_id and sub is not None and sub.title == "Splats at scale"
    assert link.announced_at is None  # answered only once on an announced program


def _mail(body: str, sender: str = "stranger@elsewhere.example") -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "wgml-bot@example.org"
    msg["Subject"] = "A talk proposal"
    msg["Message-ID"] = make_msgid(domain="elsewhere.example")
    msg.set_content(body)
    return bytes(msg)


def test_the_topic_field_is_read() -> None:
    fields = read_fields("Title: Splats\nTopic: #3\nAbstract: We tried it.")
    assert fields["topic"] == "#3" and fields["title"] == "Splats"
    assert read_fields("Requested topic:  gaussian   splatting\n")["topic"] == \
        "gaussian splatting"


async def test_a_topic_line_links_by_number_or_words_and_is_never_echoed(
        db: Database, settings: Settings) -> None:
    secret_words = "Gaussian splatting in production for the hidden show Zebra"
    wish_id = await _wish(db, "UADA", secret_words)
    other = await _wish(db, "UBOB", "LLM assistants for pipeline TDs")
    for topic, expected in ((f"#{wish_id}", wish_id), ("llm assistants pipeline", other),
                            ("something nobody asked for", None)):
        raw = _mail(f"Title: A talk on {topic[:5]}\nTopic: {topic}\n"
                    "Abstract: We tried a thing for months and measured it.\n")
        outcome = await ingest(db, settings, raw, source="ingest", now=NOW)
        assert outcome.outcome == "created"
        async with db.session() as session:
            sub = await session.scalar(select(Submission).where(
                Submission.ref == outcome.submission))
            assert sub is not None
            links = (await session.scalars(select(WishAnswer).where(
                WishAnswer.submission_id == sub.id))).all()
        assert [link.wish_id for link in links] == ([expected] if expected else [])
    async with db.session() as session:
        mails = (await session.scalars(select(OutboxMessage).where(
            OutboxMessage.kind == KIND_EMAIL))).all()
    assert len(mails) == 3
    for mail in mails:  # the answers to the stranger quote no wish
        assert "Zebra" not in json.dumps(mail.payload) and "hidden show" not in mail.payload[
            "text"] and "assistants" not in mail.payload["text"].lower()


async def test_the_backers_are_told_once_when_the_talk_is_on_the_program(
        db: Database, settings: Settings, slack: SlackEmulator) -> None:
    sched = make_sched(db, settings)
    cid = await new_cycle(db, settings, title="July session", deadline="2026-06-30",
                          session="2026-07-10", announce="2026-06-01T09:00:00+00:00")
    wish_id = await _wish(db, "UADA", HOSTILE[:300])
    async with db.transaction() as session:
        await press(session, wish_id, "UBOB", NOW, action_us=1)
        await press(session, wish_id, "UCAROL", NOW, action_us=1)
        await press(session, wish_id, "UCAROL", NOW, action_us=2)  # withdrew: not told
    sid = await add_submission(db, cid, title="Splats <b>at</b> scale", status="accepted",
                               slack_user="USPK1")
    async with db.transaction() as session:
        sub = await session.get(Submission, sid)
        assert sub is not None
        sub.attendance, sub.attendance_asked_at = "confirmed", NOW
        session.add(WishAnswer(wish_id=wish_id, submission_id=sid, linked_at=NOW))
    await sched.tick(at("2026-07-05T09:00:00+00:00"))  # PROGRAM_DAYS before: the program
    for user in ("UADA", "UBOB"):
        [dm] = slack.channel_messages("D" + user[1:])
        assert "WGML-2026-" in dm["text"] and "<!channel>" not in dm["text"]
        assert "Splats &lt;b&gt;at&lt;/b&gt; scale" in dm["text"]
    assert slack.channel_messages("DCAROL") == []
    async with db.session() as session:
        [wish] = await wishes_json(session)
    assert wish["status"] == "answered" and wish["answered_by"] == [f"WGML-2026-{sid:03d}"]
    # A later change to the program (an update) tells nobody again.
    sid2 = await add_submission(db, cid, title="Another talk", status="accepted",
                                slack_user="USPK2")
    async with db.transaction() as session:
        sub = await session.get(Submission, sid2)
        assert sub is not None
        sub.attendance, sub.attendance_asked_at = "confirmed", NOW
    report, _ = await sched.tick(at("2026-07-06T09:00:00+00:00"))
    assert any(r.startswith("program_update") for r in report.ran)
    assert len(slack.channel_messages("DADA")) == 1 and len(slack.channel_messages("DBOB")) == 1
