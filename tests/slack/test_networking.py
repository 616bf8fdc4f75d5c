"""Networking through the running bot: /wgml find, /wgml introductions, the card's Similar to."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select, update

from bot.people.networking import PublicWork
from handlers.slack.networking import find_text
from storage.models import Speaker, Submission
from tests.conftest import LEADS, Running
from tests.slack.test_submit import open_test_cycle

ROTO = {
    "title": "SAM 2 for rotoscoping hair and fur",
    "abstract": "We ran SAM 2 on 40 shots of hair and fur to propagate roto masks, then "
                "artists corrected the edges; compared with manual spline roto.",
    "results": "A third faster on clean plates; motion blur failed.",
    "focus_area": "content_creation",
}
ROTO_2 = {
    "title": "Promptable segmentation as a first pass for rotoscoping",
    "abstract": "Our prep team used promptable segmentation masks from clicks as a first pass "
                "before roto artists refined hair and edges on live-action plates.",
    "results": "Half of the first-pass mattes were accepted; thin hair jittered.",
    "focus_area": "content_creation",
}
RAG = {
    "title": "RAG over the pipeline wiki for TD support",
    "abstract": "Retrieval-augmented generation over our pipeline wiki and Confluence answers "
                "TD support questions in Slack with links to its sources.",
    "results": "60 percent of routine questions answered with citations.",
    "focus_area": "llm_pipeline",
}


async def find(running: Running, topic: str, user: str = "UASKER01") -> str:
    status, body = await running.sender.command(user, f"find {topic}".rstrip())
    assert status == 200, body
    answer = json.loads(body)
    assert answer["response_type"] == "ephemeral"
    return str(answer["text"])


async def refs(running: Running) -> dict[str, str]:
    async with running.db.session() as session:
        rows = (await session.execute(select(Submission.title, Submission.ref))).all()
    return {title: ref for title, ref in rows}


async def test_find_lists_who_worked_on_a_topic_with_public_parts_only(
        running: Running) -> None:
    await open_test_cycle(running, "March session")
    await running.submit("UNORTH01", user_name="nora", studio="Northlight",
                         email="nora@northlight.example", **ROTO)
    await running.submit("UKEST001", user_name="kim", studio="Kestrel", **ROTO_2)
    await running.submit("UQUARRY1", user_name="quinn", studio="Quarry Lane", **RAG)
    await running.settle()
    by_title = await refs(running)
    text = await find(running, "rotoscoping")
    assert by_title[ROTO["title"]] in text and by_title[ROTO_2["title"]] in text
    assert by_title[RAG["title"]] not in text
    assert "<@UNORTH01>" in text and "Northlight" in text and "Kestrel" in text
    assert "March session" in text and "Content creation" in text and "proposed" in text
    # Public parts only: never the abstract, the results or an email address.
    assert "propagate" not in text and "clean plates" not in text
    assert "nora@northlight.example" not in text
    text = await find(running, "RAG pipeline docs")
    assert by_title[RAG["title"]] in text and "<@UQUARRY1>" in text


async def test_find_never_shows_declined_withdrawn_or_opted_out_work(running: Running) -> None:
    await open_test_cycle(running)
    await running.submit("UDECLIN1", studio="Declined Studio",
                         **{**ROTO, "title": "Declined roto talk"})
    await running.submit("UWITHDR1", studio="Withdrawn Studio",
                         **{**ROTO, "title": "Withdrawn roto talk"})
    await running.submit("USHY0001", studio="Shy Studio", opt_out=True,
                         **{**ROTO, "title": "Shy roto talk"})
    await running.submit("UOPEN001", studio="Open Studio", **{**ROTO, "title": "Open roto talk"})
    # Never confirmed: the modal refuses it, so it must not exist anywhere.
    await running.submit("UPEND001", confirmed=False, **{**ROTO, "title": "Pending roto talk"})
    async with running.db.transaction() as session:
        await session.execute(update(Submission).where(
            Submission.title == "Declined roto talk").values(status="declined"))
        await session.execute(update(Submission).where(
            Submission.title == "Withdrawn roto talk").values(status="withdrawn"))
    text = await find(running, "roto hair")
    assert "Open roto talk" in text
    for hidden in ("Declined", "Withdrawn", "Shy", "Pending"):
        assert hidden not in text, hidden


async def test_find_answers_empty_long_vague_unknown_and_hostile_topics(
        running: Running) -> None:
    await running.submit("UNORTH01", studio="Northlight", **ROTO)
    assert "/wgml find roto" in await find(running, "")
    assert "/wgml find roto" in await find(running, "   ")
    long_answer = await find(running, "roto " * 100)
    assert "too long" in long_answer
    assert "too general" in await find(running, "the and of")
    assert "Nobody has presented or proposed" in await find(running, "underwater basket weaving")
    hostile = await find(running, "<!channel> & <https://evil.example|x>")
    assert "<!channel>" not in hostile and "&lt;!channel&gt;" in hostile
    assert "<https://evil" not in hostile



async def test_find_reads_the_topic_as_typed_though_slack_sends_entities(
        running: Running) -> None:
    """Slack sends `/wgml find <USD> R&D` as text `find &lt;USD&gt; R&amp;D`: the search is
    for what was typed, and the answer escapes it once, never twice (`&amp;amp;` would show
    as "&amp;")."""
    await running.submit("URND0001", studio="AT&T Studios", title="R&D pipelines for USD",
                         abstract="Our R&D group built asset search over USD stages with an LLM.")
    answer = await find(running, "<USD> R&D")
    assert "*Work on &lt;USD&gt; R&amp;D*" in answer
    assert "R&amp;D pipelines for USD" in answer and "AT&amp;T Studios" in answer
    assert "&amp;amp;" not in answer and "&amp;lt;" not in answer
    nobody = await find(running, "Q&A bots")
    assert "*Q&amp;A bots*" in nobody and "&amp;amp;" not in nobody

async def test_introductions_off_and_on_from_slack(running: Running) -> None:
    await running.submit("USWITCH1", studio="Northlight", **ROTO)
    status, body = await running.sender.command("USWITCH1", "introductions off")
    assert status == 200 and "won't suggest you" in json.loads(body)["text"]
    assert ROTO["title"] not in await find(running, "rotoscoping")
    async with running.db.session() as session:
        speaker = await session.scalar(select(Speaker).where(
            Speaker.slack_user_id == "USWITCH1"))
        assert speaker is not None and speaker.networking_opt_out
    status, body = await running.sender.command("USWITCH1", "introductions on")
    assert "may introduce you" in json.loads(body)["text"]
    assert ROTO["title"] in await find(running, "rotoscoping")
    status, body = await running.sender.command("USWITCH1", "introductions maybe")
    assert "introductions off" in json.loads(body)["text"]
    # Someone who never submitted can opt out before their first talk.
    status, body = await running.sender.command("UNEWBIE1", "introductions off")
    assert status == 200 and "won't suggest you" in json.loads(body)["text"]


async def test_help_mentions_find(running: Running) -> None:
    status, body = await running.sender.command("UMEMBER1", "help")
    assert status == 200 and "/wgml find" in json.loads(body)["text"]


async def test_leaders_card_shows_similar_to_line(running: Running) -> None:
    await open_test_cycle(running)
    await running.submit("UNORTH01", studio="Northlight", **ROTO)
    await running.settle()
    await running.submit("UKEST001", studio="Kestrel", **ROTO_2)
    await running.submit("UQUARRY1", studio="Quarry Lane", **RAG)
    await running.settle()
    by_title = await refs(running)
    cards = running.slack.channel_messages(LEADS)
    assert len(cards) == 3

    def similar_line(card: dict) -> str | None:  # type: ignore[type-arg]
        for block in card["blocks"]:
            if block.get("block_id") == "similar":
                return str(block["elements"][0]["text"])
        return None

    first, second, third = cards
    assert similar_line(first) is None  # nothing to compare with yet
    line = similar_line(second)
    assert line is not None and line.startswith("*Similar to:*")
    assert f"`{by_title[ROTO['title']]}`" in line and "(Northlight)" in line
    assert similar_line(third) is None  # the RAG talk is like neither roto talk


async def test_card_still_goes_out_when_similarity_fails(
        running: Running, monkeypatch: pytest.MonkeyPatch) -> None:
    import scheduler.outbox_cards

    async def broken(*args: object, **kwargs: object) -> list[PublicWork]:
        raise RuntimeError("similarity exploded")

    monkeypatch.setattr(scheduler.outbox_cards, "similar_for_card", broken)
    await open_test_cycle(running)
    await running.submit("UNORTH01", studio="Northlight", **ROTO)
    await running.submit("UKEST001", studio="Kestrel", **ROTO_2)
    await running.settle()
    cards = running.slack.channel_messages(LEADS)
    assert len(cards) == 2
    assert all(b.get("block_id") != "similar" for c in cards for b in c["blocks"])


def test_find_text_says_proposed_accepted_or_presented() -> None:
    today = dt.date(2026, 6, 1)

    def work(ref: str, status: str, session: dt.date | None, slack: str | None) -> PublicWork:
        return PublicWork(submission_id=1, ref=ref, title="Roto & <hair>", studio="S & Co",
                          focus_area="content_creation", speaker_id=1,
                          speaker_name="Ana <b>", speaker_slack_id=slack,
                          cycle_title="May <session>", session_date=session, status=status)

    text = find_text("roto", [
        work("WGML-2026-001", "submitted", None, "UA"),
        work("WGML-2026-002", "accepted", dt.date(2026, 7, 1), None),
        work("WGML-2026-003", "accepted", dt.date(2026, 5, 1), None),
    ], "/wgml", today)
    lines = text.splitlines()
    assert lines[1].endswith("proposed") and "<@UA>" in lines[1]
    assert lines[2].endswith("accepted") and "Ana &lt;b&gt;" in lines[2]
    assert lines[3].endswith("presented")
    assert "Roto &amp; &lt;hair&gt;" in text and "S &amp; Co" in text
    assert "May &lt;session&gt;" in text
