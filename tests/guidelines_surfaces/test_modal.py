"""The speaker sees the session guidelines' concerns before anything is stored: the form
comes back, filled in, with the concerns on top; they revise it or submit it as it is. A talk
that raises none goes through exactly as before."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, select

from bot.demo.emulator.blockkit import view_errors
from bot.slack_ui.blocks import EDIT_CALLBACK
from bot.slack_ui.guidelines import READ_MARKER, split_read
from storage.models import AuditEvent, Submission
from tests.conftest import LEADS, Running
from tests.curation_support import open_test_cycle, posted_card

PITCH = ("We tried our new compositing suite on 40 shots of hair. Pricing starts at $99 a "
         "seat; contact our sales team for a free trial.")
CONFIDENTIAL = ("We trained a matting model on our proprietary dataset of 40 shows, shared "
                "under NDA, and compared it with artists' roto.")
FIXED = "We ran SAM 2 on 40 shots of hair and fur and compared it with our artists' roto."


async def submissions(running: Running) -> int:
    async with running.db.session() as session:
        return int(await session.scalar(select(func.count()).select_from(Submission)) or 0)


def state_of(view: dict[str, Any]) -> dict[str, Any]:
    """What the speaker would submit from the returned view, untouched: its initial values."""
    out: dict[str, Any] = {}
    for block in view["blocks"]:
        if block.get("type") != "input":
            continue
        element = block["element"]
        out[block["block_id"]] = (element.get("initial_value")
                                  or element.get("initial_option", {}).get("value")
                                  or [o["value"] for o in element.get("initial_options", [])])
    return out


async def test_a_pitch_comes_back_with_its_concern_and_nothing_is_stored(
        running: Running) -> None:
    await open_test_cycle(running)
    status, body = await running.submit(view_id="VPITCH0001", abstract=PITCH)
    assert status == 200
    answer = json.loads(body)
    assert answer["response_action"] == "update"
    view = answer["view"]
    assert view_errors(view) == []  # Slack's limits on the view itself
    intro = view["blocks"][0]["text"]["text"]
    assert "Product pitch" in intro and "pricing" in intro.lower() and "contact our sales" in intro
    assert "as it is" in intro
    # The form again, as the speaker left it: nothing they wrote is lost.
    filled = state_of(view)
    assert filled["abstract"] == PITCH
    assert filled["title"] == "We tried SAM 2 for rotoscoping hair"
    assert filled["focus_area"] == "content_creation"
    assert filled["email"] == "member@example.org" and filled["studio"] == "Example Studio"
    assert filled["confirmation"] == ["no_confidential_information"]
    assert split_read(view["private_metadata"]) == ("", frozenset({"pitch"}))
    assert view["callback_id"] == "wgml_submit"
    # A retried first submission shows the same again, and still stores nothing.
    status, again = await running.submit(view_id="VPITCH0001", abstract=PITCH)
    assert json.loads(again)["response_action"] == "update"
    await running.settle()
    assert await submissions(running) == 0
    assert running.slack.channel_messages(LEADS) == []


async def test_submitted_as_it_is_the_talk_is_stored_once(running: Running) -> None:
    await open_test_cycle(running)
    _, body = await running.submit(view_id="VPITCH0002", abstract=PITCH)
    metadata = json.loads(body)["view"]["private_metadata"]
    assert metadata.startswith(READ_MARKER)
    for _ in range(2):  # Slack retries the second submission too: one talk
        status, body = await running.sender.submit_view(
            "UMEMBER1", "VPITCH0002", private_metadata=metadata,
            title="We tried SAM 2 for rotoscoping hair", focus_area="content_creation",
            abstract=PITCH, email="member@example.org", confirmed=True)
        assert status == 200 and body == ""  # a plain ack closes the modal
    await running.settle()
    assert await submissions(running) == 1
    async with running.db.session() as session:
        sub = (await session.scalars(select(Submission))).one()
        assert sub.status == "submitted"
        stored = sub.guideline_concerns
        assert stored is not None
        assert [c["rule"] for c in stored["concerns"]] == ["pitch"]
    [card] = running.slack.channel_messages(LEADS)
    assert "Product pitch" in json.dumps(card["blocks"])


async def test_revised_the_talk_is_stored_without_a_concern(running: Running) -> None:
    await open_test_cycle(running)
    _, body = await running.submit(view_id="VREVISE001", abstract=PITCH)
    metadata = json.loads(body)["view"]["private_metadata"]
    status, body = await running.sender.submit_view(
        "UMEMBER1", "VREVISE001", private_metadata=metadata,
        title="We tried SAM 2 for rotoscoping hair", focus_area="content_creation",
        abstract=FIXED, email="member@example.org", confirmed=True)
    assert status == 200 and body == ""
    await running.settle()
    async with running.db.session() as session:
        sub = (await session.scalars(select(Submission))).one()
        assert sub.abstract == FIXED
        assert sub.guideline_concerns is not None and sub.guideline_concerns["concerns"] == []
    [card] = running.slack.channel_messages(LEADS)
    assert "Guidelines" not in json.dumps(card["blocks"])


async def test_a_revision_raising_another_concern_is_shown_once_more(running: Running) -> None:
    await open_test_cycle(running)
    _, body = await running.submit(view_id="VREVISE002", abstract=PITCH)
    metadata = json.loads(body)["view"]["private_metadata"]
    _status, body = await running.sender.submit_view(
        "UMEMBER1", "VREVISE002", private_metadata=metadata,
        title="We tried SAM 2 for rotoscoping hair", focus_area="content_creation",
        abstract=CONFIDENTIAL, email="member@example.org", confirmed=True)
    answer = json.loads(body)
    assert answer["response_action"] == "update"
    assert "Confidential information" in answer["view"]["blocks"][0]["text"]["text"]
    assert split_read(answer["view"]["private_metadata"])[1] == {"pitch", "confidential"}
    assert await submissions(running) == 0


async def test_a_talk_without_concerns_goes_through_as_before(running: Running) -> None:
    await open_test_cycle(running)
    status, body = await running.submit()
    assert status == 200 and body == ""
    await running.settle()
    assert await submissions(running) == 1
    async with running.db.session() as session:
        actions = (await session.scalars(select(AuditEvent.action))).all()
    assert "submission.confirmed" in actions
    [card] = running.slack.channel_messages(LEADS)
    assert "guideline" not in json.dumps(card["blocks"])


OFF_TOPIC = ("A survey of click-through prediction for ad ranking: which features matter, "
             "and where the field is heading.")


async def test_relevance_and_practical_never_hold_the_form_the_speaker_hears_by_dm(
        running: Running) -> None:
    """Only the two strict boundaries (pitch, confidential) bring the form back; the talk
    that only reads off-topic or theoretical goes in at once (a DM and a card, as the
    contract says of every confirmed talk) and its speaker is told the concerns by DM."""
    await open_test_cycle(running)
    status, body = await running.submit(title="Ad ranking today", abstract=OFF_TOPIC,
                                        results="")
    assert status == 200 and body == ""
    await running.settle()
    assert await submissions(running) == 1
    [card] = running.slack.channel_messages(LEADS)
    assert "guideline" in json.dumps(card["blocks"])
    dms = running.slack.channel_messages("DMEMBER1")
    noted = [m for m in dms if "session guidelines" in m.get("text", "")]
    assert len(noted) == 1
    assert "edit" in noted[0]["text"] and "`WGML-" in noted[0]["text"]
    assert any("is in as" in m.get("text", "") for m in dms)


async def test_form_errors_come_before_the_guidelines(running: Running) -> None:
    _, body = await running.submit(abstract=PITCH, confirmed=False)
    answer = json.loads(body)
    assert answer["response_action"] == "errors" and set(answer["errors"]) == {"confirmation"}


async def test_the_longest_form_with_every_concern_fits_slacks_limits(
        running: Running) -> None:
    """3000-character fields of `&` (five times longer escaped) and every rule at once."""
    abstract = (PITCH + " " + CONFIDENTIAL + " " + "&<>" * 1000)[:3000]
    _, body = await running.submit(title="&" * 150, abstract=abstract, results="&" * 3000,
                                   studio="<" * 100)
    answer = json.loads(body)
    assert answer["response_action"] == "update"
    assert view_errors(answer["view"]) == []
    assert state_of(answer["view"])["abstract"] == abstract


async def test_the_edit_form_shows_the_concerns_before_saving(running: Running) -> None:
    await open_test_cycle(running)
    sid, _ = await posted_card(running)
    async with running.db.session() as session:
        ref = (await session.get(Submission, sid)).ref  # type: ignore[union-attr]
    assert ref
    fields = dict(title="We tried SAM 2 for rotoscoping hair", focus_area="content_creation",
                  abstract=PITCH, email="member@example.org", confirmed=True)
    _, body = await running.sender.submit_view("UMEMBER1", "VEDIT00001",
                                               callback_id=EDIT_CALLBACK,
                                               private_metadata=ref, **fields)
    answer = json.loads(body)
    assert answer["response_action"] == "update"
    view = answer["view"]
    assert view_errors(view) == [] and view["callback_id"] == EDIT_CALLBACK
    assert split_read(view["private_metadata"]) == (ref, frozenset({"pitch"}))
    assert view["submit"]["text"] == "Save"
    async with running.db.session() as session:
        assert (await session.get(Submission, sid)).abstract != PITCH  # type: ignore[union-attr]
    # Saved as it is: the new version, with its concern, reaches the card.
    _, body = await running.sender.submit_view("UMEMBER1", "VEDIT00001",
                                               callback_id=EDIT_CALLBACK,
                                               private_metadata=view["private_metadata"],
                                               **fields)
    assert body == ""
    await running.settle()
    async with running.db.session() as session:
        sub = await session.get(Submission, sid)
        assert sub is not None and sub.abstract == PITCH
        assert [c["rule"] for c in (sub.guideline_concerns or {})["concerns"]] == ["pitch"]
    update = running.slack.calls_to("chat.update")[-1].params
    assert "Product pitch" in json.dumps(update["blocks"])
