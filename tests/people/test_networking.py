"""Confidentiality and consent rules of networking, against SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools

from sqlalchemy import select

from bot.email.said import introductions_text
from bot.people.networking import (
    PublicWork,
    asks_for_no_introductions,
    find_work,
    introduced,
    introductions_for,
    introductions_said,
    set_introductions,
    similar_for_card,
)
from bot.slack_ui.blocks import card_blocks
from bot.slack_ui.decisions import introductions
from storage.db import Database
from storage.models import AuditEvent, Cycle, Speaker, Submission

NOW = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
_ids = itertools.count(1)

ROTO_TEXT = (
    "We used SAM 2 to propagate rotoscoping masks on hair and fur shots, then roto artists "
    "corrected the edges by hand; compared with manual spline roto on 40 shots."
)
ROTO_RESULTS = "Roto time fell by a third on clean plates; motion blur and hair strands failed."
RAG_TEXT = (
    "Retrieval-augmented generation over our pipeline wiki answers TD support questions in "
    "Slack with links to the Confluence pages it used."
)


async def add(db: Database, *, title: str, abstract: str = ROTO_TEXT, results: str = ROTO_RESULTS,
              studio: str = "Studio", status: str = "submitted", confirmed: bool = True,
              name: str | None = None, slack: str | None = None, email: str | None = None,
              opt_out: bool = False, speaker_id: int | None = None,
              cycle_id: int | None = None) -> Submission:
    n = next(_ids)
    async with db.transaction() as session:
        if speaker_id is not None:
            speaker = await session.get(Speaker, speaker_id)
            assert speaker is not None
        else:
            speaker = Speaker(name=name or f"Speaker {n}", slack_user_id=slack, email=email,
                              studio=studio, networking_opt_out=opt_out)
            session.add(speaker)
            await session.flush()
        sub = Submission(
            speaker_id=speaker.id, title=title, focus_area="content_creation",
            abstract=abstract, results=results, studio=studio, source="slack", status=status,
            confidentiality_confirmed=confirmed,
            confidentiality_confirmed_at=NOW if confirmed else None,
            cycle_id=cycle_id, created_at=NOW, updated_at=NOW,
        )
        session.add(sub)
        await session.flush()
        sub.ref = f"WGML-2026-{sub.id:03d}"
    return await reload(db, sub.id)


async def reload(db: Database, sid: int) -> Submission:
    async with db.session() as session:
        sub = await session.get(Submission, sid)
        assert sub is not None
        return sub


async def test_only_confirmed_live_submissions_are_ever_shown(db: Database) -> None:
    target = await add(db, title="SAM 2 for roto of hair", studio="Northlight")
    visible = await add(db, title="Rotoscoping hair with SAM 2, submitted", studio="A")
    accepted = await add(db, title="Rotoscoping hair with SAM 2, accepted", studio="B",
                         status="accepted")
    hidden = [
        await add(db, title="Rotoscoping hair with SAM 2, pending", studio="C",
                  status="pending_confirmation", confirmed=False),
        await add(db, title="Rotoscoping hair with SAM 2, declined", studio="D",
                  status="declined"),
        await add(db, title="Rotoscoping hair with SAM 2, withdrawn", studio="E",
                  status="withdrawn"),
        # Submitted but never confirmed (a status out of step must not leak it either).
        await add(db, title="Rotoscoping hair with SAM 2, unconfirmed", studio="F",
                  confirmed=False),
    ]
    hidden_ids = {h.id for h in hidden}
    async with db.session() as session:
        card = await similar_for_card(session, target, k=10)
        found = await find_work(session, "rotoscoping hair", k=20)
        intros = await introductions_for(session, target, k=10)
    assert {w.submission_id for w in card} == {visible.id, accepted.id}
    assert {w.submission_id for w in found} == {target.id, visible.id, accepted.id}
    assert {i.work.submission_id for i in intros} == {visible.id, accepted.id}
    for shown in (card, found, [i.work for i in intros]):
        assert not hidden_ids & {w.submission_id for w in shown}


async def test_public_parts_only(db: Database) -> None:
    await add(db, title="Rotoscoping hair with SAM 2", studio="Kestrel",
              email="secret.person@kestrel.example", slack="UKESTREL1")
    async with db.session() as session:
        works = await find_work(session, "roto")
    assert len(works) == 1
    fields = {f.name for f in dataclasses.fields(PublicWork)}
    assert not fields & {"abstract", "results", "email"}
    rendered = repr(works)
    assert "secret.person" not in rendered and "propagate" not in rendered
    assert works[0].ref.startswith("WGML-") and works[0].studio == "Kestrel"


async def test_opted_out_people_are_never_suggested_to_others(db: Database) -> None:
    target = await add(db, title="SAM 2 for roto of hair", studio="Northlight", slack="UTGT")
    shy = await add(db, title="Rotoscoping hair with SAM 2", studio="Shy Studio",
                    slack="USHY", opt_out=True)
    open_ = await add(db, title="Roto of hair and fur with SAM 2", studio="Open Studio",
                      slack="UOPEN")
    async with db.session() as session:
        intros = await introductions_for(session, target)
        found = await find_work(session, "rotoscoping hair")
        card = await similar_for_card(session, target)
    assert [i.slack_user_id for i in intros] == ["UOPEN"]
    assert shy.id not in {w.submission_id for w in found}
    assert open_.id in {w.submission_id for w in found}
    # Leaders curate every submission: the card still shows the near-duplicate.
    assert shy.id in {w.submission_id for w in card}


async def test_a_speaker_who_opted_out_gets_no_introductions(db: Database) -> None:
    target = await add(db, title="SAM 2 for roto of hair", studio="Northlight", opt_out=True)
    await add(db, title="Rotoscoping hair with SAM 2", studio="Elsewhere", slack="UELSE")
    async with db.session() as session:
        assert await introductions_for(session, target) == []


async def test_introductions_are_other_studios_other_people_one_entry_each(
        db: Database) -> None:
    target = await add(db, title="SAM 2 for roto of hair", studio="Northlight",
                       slack="UTGT", email="me@northlight.example")
    # Same studio (spelled differently), the same person under a second identity, and the
    # speaker's own older talk: none of them is an introduction.
    await add(db, title="Rotoscoping hair with SAM 2 again", studio="northlight ltd",
              slack="UCOLLEAGUE")
    await add(db, title="Rotoscoping hair with SAM 2 by email", studio="Freelance",
              email="ME@northlight.example")
    await add(db, title="Rotoscoping hair with SAM 2, older", studio="Old place",
              speaker_id=target.speaker_id)
    other = await add(db, title="Rotoscoping hair and fur with SAM 2", studio="Kestrel",
                      slack="UKESTREL", name="Kim")
    await add(db, title="Roto for hair with SAM 2, part two", studio="Kestrel",
              speaker_id=other.speaker_id)
    await add(db, title="RAG over the pipeline wiki", abstract=RAG_TEXT, results="",
              studio="Quarry", slack="UQUARRY")
    async with db.session() as session:
        intros = await introductions_for(session, target)
    assert [(i.slack_user_id, i.studio) for i in intros] == [("UKESTREL", "Kestrel")]


async def test_introductions_message_is_escaped_and_says_how_to_opt_out(db: Database) -> None:
    target = await add(db, title="SAM 2 for roto of hair", studio="Northlight")
    await add(db, title="<!channel> Rotoscoping hair with SAM 2 & friends", studio="<b>X</b>",
              slack="UX1")
    await add(db, title="Roto of hair with SAM 2", studio="Mail Studio", name="Ana <@U0>")
    async with db.session() as session:
        intros = await introductions_for(session, target)
    assert len(intros) == 2
    text = introductions(introduced(intros))
    assert "<@UX1>" in text and "<!channel>" not in text and "&lt;!channel&gt;" in text
    assert "&lt;b&gt;X&lt;/b&gt;" in text and "Ana &lt;@U0&gt;" in text
    assert "introductions off" in text
    plain = introductions_text(introduced(intros))
    assert "<!channel> Rotoscoping" in plain and "no introductions" in plain
    assert introductions_text([]) == "" and introductions([]) == ""


async def test_nothing_close_means_no_introductions_and_no_card_line(db: Database) -> None:
    target = await add(db, title="RAG over the pipeline wiki", abstract=RAG_TEXT, results="")
    await add(db, title="SAM 2 for roto of hair", studio="Elsewhere")
    async with db.session() as session:
        assert await introductions_for(session, target) == []
        assert await similar_for_card(session, target) == []
    blocks = card_blocks(target, similar=[])
    assert "Similar to" not in str(blocks)


async def test_card_lists_similar_work_with_cycle_and_escaping(db: Database) -> None:
    async with db.transaction() as session:
        cycle = Cycle(title="March session", deadline=NOW, deadline_date=NOW.date(),
                      session_date=NOW.date(), announce_at=NOW)
        session.add(cycle)
        await session.flush()
        cycle_id = cycle.id
    target = await add(db, title="SAM 2 for roto of hair", studio="Northlight",
                       cycle_id=cycle_id)
    close = await add(db, title="Rotoscoping hair & fur with <SAM 2>", studio="<Kestrel>",
                      status="accepted", cycle_id=cycle_id)
    async with db.session() as session:
        similar = await similar_for_card(session, target)
    assert [w.submission_id for w in similar] == [close.id]
    assert similar[0].cycle_title == "March session" and similar[0].status == "accepted"
    blocks = card_blocks(target, similar=similar)
    line = next(b for b in blocks if b.get("block_id") == "similar")["elements"][0]["text"]
    assert line.startswith("*Similar to:*")
    assert f"`{close.ref}`" in line
    assert "Rotoscoping hair &amp; fur with &lt;SAM 2&gt;" in line and "(&lt;Kestrel&gt;)" in line
    # The line sits before the buttons so leaders read it before voting.
    kinds = [b.get("block_id") or b["type"] for b in blocks]
    assert kinds.index("similar") < kinds.index(f"vote:{target.id}")


async def test_consent_can_be_changed_and_is_audited(db: Database) -> None:
    sub = await add(db, title="SAM 2 for roto of hair", studio="Northlight", slack="UCHANGE")
    async with db.transaction() as session:
        speaker = await session.get(Speaker, sub.speaker_id)
        assert speaker is not None
        assert await set_introductions(session, speaker, allowed=False, actor="UCHANGE")
        assert not await set_introductions(session, speaker, allowed=False, actor="UCHANGE")
    async with db.session() as session:
        speaker = await session.get(Speaker, sub.speaker_id)
        assert speaker is not None and speaker.networking_opt_out
        actions = (await session.scalars(select(AuditEvent.action))).all()
    assert actions == ["networking.opt_out"]


def test_email_words_that_ask_for_no_introductions() -> None:
    for text in ("No introductions, please.", "please don't introduce me", "Do not introduce me",
                 "I'd like to opt out of introductions", "opt-out of networking"):
        assert asks_for_no_introductions(text), text
    for text in ("Introductions would be great!", "Yes, I confirm.", "", "introduce me please"):
        assert not asks_for_no_introductions(text), text


async def test_accepted_message_can_append_introductions(db: Database) -> None:
    """The decision step (issue 4) appends this to the speaker's "accepted" DM or email."""
    target = await add(db, title="SAM 2 for roto of hair", studio="Northlight", slack="UACC1")
    await add(db, title="Rotoscoping hair with SAM 2", studio="Kestrel", slack="UKEST9")
    async with db.transaction() as session:
        sub = await session.get(Submission, target.id)
        assert sub is not None
        sub.status = "accepted"
        accepted_dm = "Your talk is accepted."
        extra = introductions(await introductions_said(session, sub))
        email_extra = introductions_text(await introductions_said(session, sub))
    message = accepted_dm + ("\n\n" + extra if extra else "")
    assert message.startswith("Your talk is accepted.\n\nPeople from other studios")
    assert "<@UKEST9> (Kestrel)" in message
    assert "Kestrel" in email_extra and "<@" not in email_extra
    # An unrelated accepted talk gets nothing appended.
    lone = await add(db, title="RAG over the pipeline wiki", abstract=RAG_TEXT, results="")
    async with db.session() as session:
        assert introductions_text(await introductions_said(session, lone)) == ""
        assert await introductions_said(session, lone) == []
