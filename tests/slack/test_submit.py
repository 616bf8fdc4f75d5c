"""The whole Slack path: /wgml submit -> modal -> confirmed submission -> DM and leaders' card."""

from __future__ import annotations

import json

from sqlalchemy import select

from storage.models import AuditEvent, Submission
from tests.conftest import LEADS, Running
from tests.curation_support import open_test_cycle


async def test_submit_command_opens_the_modal(running: Running) -> None:
    status, _ = await running.sender.command("UMEMBER1", "submit")
    assert status == 200
    await running.slack.wait_for(lambda: running.slack.calls_to("views.open"))
    view = running.slack.calls_to("views.open")[0].params["view"]
    labels = {b["block_id"]: b["label"]["text"] for b in view["blocks"] if b["type"] == "input"}
    assert labels["title"] == "Title"
    assert labels["focus_area"] == "Focus area"
    assert labels["abstract"] == "Abstract / outline"
    assert labels["results"].startswith("Results")
    assert labels["studio"] == "Studio or organisation"
    assert labels["email"] == "Email"
    select_el = next(b for b in view["blocks"] if b.get("block_id") == "focus_area")["element"]
    assert select_el["type"] == "static_select"
    assert {o["value"] for o in select_el["options"]} == {
        "content_creation", "llm_pipeline", "infrastructure", "other"}
    check = next(b for b in view["blocks"] if b.get("block_id") == "confirmation")["element"]
    assert "no confidential information" in check["options"][0]["text"]["text"]


async def test_confirmed_submission_reaches_member_and_leaders(running: Running) -> None:
    cycle_id = await open_test_cycle(running)
    status, body = await running.submit("UMEMBER1", user_name="ada")
    assert status == 200, body
    assert body == ""  # a plain ack closes the modal
    await running.settle()
    dms = running.slack.channel_messages("DMEMBER1")
    assert len(dms) == 1
    async with running.db.session() as session:
        sub = (await session.scalars(select(Submission))).one()
        assert sub.status == "submitted"
        assert sub.cycle_id == cycle_id
        assert sub.confidentiality_confirmed and sub.confidentiality_confirmed_at
        assert sub.ref and sub.ref.startswith(f"WGML-{sub.created_at.year}-")
        assert sub.card_ts
        actions = (await session.scalars(select(AuditEvent.action))).all()
    assert sub.ref in dms[0]["text"]
    assert "January session" in dms[0]["text"]
    cards = running.slack.channel_messages(LEADS)
    assert len(cards) == 1
    card = json.dumps(cards[0]["blocks"])
    for text in ("We tried SAM 2 for rotoscoping hair", "Example Studio", "Content creation",
                 "Abstract", "motion blur", sub.ref):
        assert text in card
    action_ids = [e["action_id"] for b in cards[0]["blocks"] if b["type"] == "actions"
                  for e in b["elements"]]
    assert [a for a in action_ids if a.startswith("vote")] == ["vote_yes", "vote_maybe",
                                                                 "vote_no"]
    assert {a for a in action_ids if a.startswith("decide")} == {"decide_accept",
                                                                  "decide_decline"}
    assert "submission.created" in actions and "submission.confirmed" in actions


async def test_unconfirmed_submission_errors_on_the_checkbox(running: Running) -> None:
    status, body = await running.submit(confirmed=False)
    assert status == 200
    answer = json.loads(body)
    assert answer["response_action"] == "errors"
    assert set(answer["errors"]) == {"confirmation"}
    async with running.db.session() as session:
        assert (await session.scalars(select(Submission))).all() == []
    assert running.slack.channel_messages(LEADS) == []


async def test_validation_errors_appear_on_their_fields(running: Running) -> None:
    _, body = await running.submit(
        title="", abstract="short", email="not-an-email", focus_area=None,
        results="x" * 3001, studio="s" * 101,
    )
    answer = json.loads(body)
    assert answer["response_action"] == "errors"
    assert set(answer["errors"]) == {"title", "abstract", "email", "focus_area", "results",
                                     "studio"}
    _, body = await running.submit(title="t" * 151)
    assert "title" in json.loads(body)["errors"]


async def test_double_submission_is_one_submission(running: Running) -> None:
    await open_test_cycle(running)
    first = await running.submit(view_id="VSAMEVIEW1")
    second = await running.submit(view_id="VSAMEVIEW1")
    assert first[0] == second[0] == 200
    await running.settle()
    async with running.db.session() as session:
        assert len((await session.scalars(select(Submission))).all()) == 1
    assert len(running.slack.channel_messages(LEADS)) == 1
    assert len(running.slack.channel_messages("DMEMBER1")) == 1


async def test_submission_without_open_cycle_waits_and_member_is_told(running: Running) -> None:
    await running.submit()
    await running.settle()
    dm = running.slack.channel_messages("DMEMBER1")[0]["text"]
    assert "next call for speakers" in dm
    async with running.db.session() as session:
        sub = (await session.scalars(select(Submission))).one()
        assert sub.cycle_id is None
    cycle_id = await open_test_cycle(running, "February session")
    async with running.db.session() as session:
        sub = (await session.scalars(select(Submission))).one()
        assert sub.cycle_id == cycle_id


async def test_hostile_text_is_escaped_everywhere(running: Running) -> None:
    await open_test_cycle(running)
    await running.submit(
        title="<!channel> Free GPUs & <https://evil.example|click me>",
        abstract="Hello <!here> <@U999> & friends, this abstract has enough words in it.",
        studio="<!everyone>",
    )
    await running.settle()
    card = running.slack.channel_messages(LEADS)[0]
    rendered = json.dumps(card["blocks"]) + card["text"]
    mrkdwn_texts = [
        t for b in card["blocks"] for t in
        ([b["text"]["text"]] if b.get("text", {}).get("type") == "mrkdwn" else [])
        + [f["text"] for f in b.get("fields", [])]
        + [e["text"] for e in b.get("elements", []) if e.get("type") == "mrkdwn"]
    ]
    for text in [*mrkdwn_texts, card["text"]]:
        assert "<!channel>" not in text and "<!here>" not in text and "<!everyone>" not in text
        assert "<https://evil" not in text and "<@U999>" not in text
    assert "&lt;!channel&gt;" in rendered and "&amp;" in rendered
    # plain_text (the header) is never parsed for mentions, but a client checking the raw
    # request, as an acceptance suite does, must not find the string anywhere either.
    assert "<!channel>" not in rendered and "<https://evil" not in rendered
    dm = running.slack.channel_messages("DMEMBER1")[0]["text"]
    assert "<!channel>" not in dm and "&lt;!channel&gt;" in dm



async def test_card_header_fits_slack_when_escaping_lengthens_the_title(running: Running) -> None:
    """A 150-character title of `&` escapes to 750 characters; the header must still fit
    Slack's 150, or real Slack (and the emulator) answers invalid_blocks and no card appears."""
    await open_test_cycle(running)
    await running.submit(title="&<>" * 50)
    await running.settle()
    card = running.slack.channel_messages(LEADS)[0]
    header = card["blocks"][0]["text"]["text"]
    assert len(header) <= 150 and header.startswith("WGML-") and header.endswith("…")
    assert "<" not in header and "&amp;&lt;&gt;" in header

async def test_mine_lists_submissions_with_status(running: Running) -> None:
    status, body = await running.sender.command("UMEMBER1", "mine")
    assert status == 200 and "no submissions yet" in body
    await open_test_cycle(running)
    await running.submit(title="Coding assistants in our pipeline", focus_area="llm_pipeline")
    status, body = await running.sender.command("UMEMBER1", "mine")
    text = json.loads(body)["text"]
    assert "Coding assistants in our pipeline" in text and "with the leaders" in text
    status, body = await running.sender.command("UOTHER01", "mine")
    assert "no submissions yet" in body


async def test_help_and_unknown_subcommands(running: Running) -> None:
    status, body = await running.sender.command("UMEMBER1", "help")
    assert status == 200 and "/wgml submit" in body and "confidential" in body
    status, body = await running.sender.command("UMEMBER1", "frobnicate")
    assert status == 200 and "frobnicate" in body and "/wgml submit" in body
    status, body = await running.sender.command("UMEMBER1", "")
    assert status == 200 and "/wgml submit" in body


async def test_submit_prefills_known_email_and_studio(running: Running) -> None:
    await running.submit(email="ada@studio.example", studio="Studio A")
    await running.sender.command("UMEMBER1", "submit")
    await running.slack.wait_for(lambda: running.slack.calls_to("views.open"))
    view = running.slack.calls_to("views.open")[-1].params["view"]
    email = next(b for b in view["blocks"] if b.get("block_id") == "email")["element"]
    studio = next(b for b in view["blocks"] if b.get("block_id") == "studio")["element"]
    assert email["initial_value"] == "ada@studio.example"
    assert studio["initial_value"] == "Studio A"


async def test_expired_trigger_tells_the_member(running: Running) -> None:
    running.slack.fail("views.open", 200, error="expired_trigger_id")
    status, _ = await running.sender.command("UMEMBER1", "submit")
    assert status == 200
    # Told through the command's response_url (seen in any channel), not chat.postEphemeral.
    await running.slack.wait_for(lambda: running.slack.responses)
    note = running.slack.responses[0]
    assert note["response_type"] == "ephemeral" and "expired_trigger_id" in note["text"]
    assert not running.slack.ephemeral
