"""Slack's documented Block Kit limits: the emulator refuses like Slack (with the JSON pointer),
and what the bot builds stays within them for hostile input (700 `&`, `<!channel>` titles,
27 talks)."""

from __future__ import annotations

import datetime as dt
import json
import re
import zoneinfo
from typing import Any

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.curation.review import review_of
from bot.demo.emulator.blockkit import block_errors, view_errors
from bot.demo.emulator.slack import SlackEmulator
from bot.focus import CONFIDENTIALITY_STATEMENT, FOCUS_AREAS
from bot.slack_ui.blocks import card_blocks, submission_modal
from bot.slack_ui.parts import answer_parts
from bot.slack_ui.review import review_messages, review_pages
from scheduler.texts import CallFacts, DigestFacts, DigestItem, call_post, digest_posts
from storage.models import Cycle, Speaker, Submission, Vote
from tests.conftest import TOKEN

UTC = dt.UTC
HOSTILE_TITLE = "<!channel> " + "&" * 60 + " <@U0ADMIN> " + "x" * 60


def _plain(text: str) -> dict[str, str]:
    return {"type": "plain_text", "text": text}


def _modal(**extra: Any) -> dict[str, Any]:
    view: dict[str, Any] = {"type": "modal", "title": _plain("T"), "blocks": []}
    view.update(extra)
    return view


# ---- the emulator's validator ------------------------------------------------------------
@pytest.mark.parametrize(("view", "pointer"), [
    (_modal(title=_plain("x" * 25)), "/view/title/text"),
    (_modal(submit=_plain("x" * 25)), "/view/submit/text"),
    (_modal(close=_plain("x" * 25)), "/view/close/text"),
    (_modal(blocks=[{"type": "divider"}] * 101), "/view/blocks"),
    (_modal(blocks=[{"type": "input", "label": _plain("L"), "element": {
        "type": "checkboxes", "action_id": "c", "options": [
            {"text": _plain("ok"), "value": "v", "description": _plain("d" * 76)}]}}],
        submit=_plain("Go")), "/view/blocks/0/element/options/0/description/text"),
    (_modal(blocks=[{"type": "input", "label": _plain("L"), "element": {
        "type": "checkboxes", "action_id": "c", "options": [
            {"text": _plain(f"o{n}"), "value": f"v{n}"} for n in range(11)]}}],
        submit=_plain("Go")), "/view/blocks/0/element/options"),
    (_modal(blocks=[{"type": "input", "label": _plain("L"), "element": {
        "type": "static_select", "action_id": "s", "options": [
            {"text": _plain(f"o{n}"), "value": f"v{n}"} for n in range(101)]}}],
        submit=_plain("Go")), "/view/blocks/0/element/options"),
    (_modal(blocks=[{"type": "input", "label": _plain("L" * 2001), "element": {
        "type": "plain_text_input", "action_id": "t"}}], submit=_plain("Go")),
     "/view/blocks/0/label/text"),
    (_modal(blocks=[{"type": "input", "label": _plain("L"), "element": {
        "type": "plain_text_input", "action_id": "t", "placeholder": _plain("p" * 151)}}],
        submit=_plain("Go")), "/view/blocks/0/element/placeholder/text"),
    (_modal(private_metadata="m" * 3001), "/view/private_metadata"),
])
def test_views_are_checked_where_slack_checks_them(view: dict[str, Any], pointer: str) -> None:
    errors = view_errors(view)
    assert any(e.endswith(f"[json-pointer:{pointer}]") for e in errors), errors


@pytest.mark.parametrize(("block", "pointer"), [
    ({"type": "section", "text": {"type": "mrkdwn", "text": "x"}, "fields": [
        {"type": "mrkdwn", "text": "f"}] * 11}, "/blocks/0/fields"),
    ({"type": "context", "elements": [{"type": "mrkdwn", "text": "c"}] * 11},
     "/blocks/0/elements"),
    ({"type": "actions", "elements": [
        {"type": "button", "action_id": f"b{n}", "text": _plain("b")} for n in range(26)]},
     "/blocks/0/elements"),
    ({"type": "actions", "elements": [{"type": "button", "action_id": "b", "text": _plain("b"),
                                       "value": "v" * 2001}]}, "/blocks/0/elements/0/value"),
    ({"type": "actions", "block_id": "k" * 256, "elements": [
        {"type": "button", "action_id": "b", "text": _plain("b")}]}, "/blocks/0/block_id"),
    ({"type": "actions", "elements": [{"type": "button", "action_id": "a" * 256,
                                       "text": _plain("b")}]}, "/blocks/0/elements/0/action_id"),
    ({"type": "actions", "elements": [{"type": "button", "action_id": "b", "text": _plain("b"),
                                       "confirm": {"title": _plain("t" * 101), "text": _plain("x"),
                                                   "confirm": _plain("y"), "deny": _plain("n")}}]},
     "/blocks/0/elements/0/confirm/title/text"),
    ({"type": "section", "text": {"type": "mrkdwn", "text": "&amp;" * 601}},
     "/blocks/0/text/text"),
])
def test_message_blocks_are_checked_where_slack_checks_them(block: dict[str, Any],
                                                            pointer: str) -> None:
    errors = block_errors([block])
    assert any(e.endswith(f"[json-pointer:{pointer}]") for e in errors), errors


async def test_emulator_refuses_like_slack_on_every_surface() -> None:
    slack = await SlackEmulator(token=TOKEN, members={"CLEADS": ["U1"]}).start()
    client = AsyncWebClient(token=TOKEN, base_url=slack.url)
    bad_section = [{"type": "section", "text": {"type": "mrkdwn", "text": "y" * 3001}}]
    try:
        for call in (
            client.chat_postMessage(channel="CLEADS", text="t", blocks=bad_section),
            client.chat_postEphemeral(channel="CLEADS", user="U1", text="t",
                                      blocks=bad_section),
        ):
            with pytest.raises(SlackApiError) as failed:
                await call
            answer = failed.value.response.data
            assert isinstance(answer, dict)
            assert answer["error"] == "invalid_blocks"
            assert answer["errors"] == [
                "must be less than 3001 characters [json-pointer:/blocks/0/text/text]"]
            assert answer["response_metadata"]["messages"] == [
                "[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]"]
        for view_call in (
            client.views_open(trigger_id="1.2", view=_modal(title=_plain("x" * 25))),
            client.views_update(view_id="V1", view=_modal(title=_plain("x" * 25))),
            client.views_publish(user_id="U1", view={"type": "home", "blocks": bad_section}),
        ):
            with pytest.raises(SlackApiError) as failed:
                await view_call
            answer = failed.value.response.data
            assert isinstance(answer, dict) and answer["error"] == "invalid_arguments"
            [message] = answer["response_metadata"]["messages"]
            assert message.startswith("[ERROR] must be less than") and "[json-pointer:/view/" \
                in message
        assert len(slack.refused) == 5 and slack.channel_messages("CLEADS") == []
    finally:
        await slack.stop()


async def test_response_url_is_an_endpoint_the_emulator_hands_out() -> None:
    from slack_sdk.webhook.async_client import AsyncWebhookClient

    slack = await SlackEmulator(token=TOKEN).start()
    try:
        url = slack.new_response_url()
        hook = AsyncWebhookClient(url)
        assert (await hook.send(text="hello", response_type="ephemeral")).status_code == 200
        refused = await hook.send(text="t", blocks=[{"type": "header", "text": _plain("h" * 151)}])
        assert refused.status_code == 400 and slack.refused
        for _ in range(4):
            await hook.send(text="again")
        assert (await hook.send(text="a sixth time")).status_code == 404  # five uses, as Slack
        assert (await AsyncWebhookClient(url + "x").send(text="t")).status_code == 404
        assert [r["text"] for r in slack.responses][:1] == ["hello"]
    finally:
        await slack.stop()


# ---- what the bot builds ---------------------------------------------------------------
def test_submission_modal_keeps_the_whole_statement_and_slacks_limits() -> None:
    view = submission_modal(email="a@b.org", studio="&" * 100, cycle_line="*x*")
    assert view_errors(view) == []
    shown = json.dumps(view)
    assert json.dumps(CONFIDENTIALITY_STATEMENT)[1:-1] in shown  # in full, not cut at 75/150
    [confirm] = [b for b in view["blocks"] if b.get("block_id") == "confirmation"]
    option = confirm["element"]["options"][0]
    assert len(option["text"]["text"]) <= 75 and len(option["description"]["text"]) <= 75


def _submission(n: int, *, title: str = HOSTILE_TITLE, abstract: str = "&" * 700,
                status: str = "submitted", studio: str = "Studio <b>&</b>") -> Submission:
    cycle = Cycle(id=1, title="March <!channel> " + "&" * 150, theme="<!here>" * 40,
                  deadline=dt.datetime(2026, 3, 31, 23, tzinfo=UTC),
                  session_date=dt.date(2026, 4, 15), status="open")
    speaker = Speaker(name="<!everyone> " + "&" * 300, email="s@example.org", studio=studio)
    sub = Submission(id=n, ref=f"WGML-2026-{n:03d}", title=title, abstract=abstract,
                     results="<" * 3000, studio=studio, status=status, source="email",
                     focus_area=list(FOCUS_AREAS)[n % len(FOCUS_AREAS)], speaker=speaker,
                     cycle=cycle)
    sub.votes = [Vote(voter=f"ULEAD{k}", value="yes") for k in range(n % 4)]
    return sub


def test_card_abstract_is_sized_after_escaping_and_says_it_was_shortened() -> None:
    blocks = card_blocks(_submission(1))
    assert block_errors(blocks) == []
    [abstract] = [b for b in blocks if b.get("text", {}).get("text", "").startswith("*Abstract")]
    text = abstract["text"]["text"]
    assert "&amp;" in text and "…" in text and "shortened" in text and "700" in text
    assert "&amp" not in text.replace("&amp;", "")  # no entity cut in half


def _digest(n: int) -> DigestFacts:
    items = [DigestItem(ref=f"WGML-2026-{k:03d}", title=HOSTILE_TITLE + f" {k}",
                        speaker="<!channel>" * 10, studio="&" * 80,
                        focus_area=list(FOCUS_AREAS)[k % len(FOCUS_AREAS)],
                        status="submitted", votes={f"U{v:08d}": "yes" for v in range(k % 5)})
             for k in range(1, n + 1)]
    return DigestFacts("March <!channel>", dt.datetime(2026, 3, 31, 23, tzinfo=UTC), items, 2,
                       [f"ULEAD{k:04d}" for k in range(300)])


@pytest.mark.parametrize("talks", [1, 27, 400])
def test_digest_lists_every_talk_within_slacks_limits(talks: int) -> None:
    posts = digest_posts(_digest(talks), zoneinfo.ZoneInfo("UTC"))
    listed = ""
    for text, blocks in posts:
        assert block_errors(blocks) == [], block_errors(blocks)[:3]
        assert len(text) <= 4000
        listed += "\n".join(b["text"]["text"] for b in blocks if b["type"] == "section") + "\n"
    lines = [line for line in listed.split("\n") if line.startswith("• `WGML-")]
    assert len(lines) == talks  # announced N, lists N
    for k, line in enumerate(lines, 1):  # each line whole, in order
        assert re.fullmatch(rf"• `WGML-2026-{k:03d}` \*[^*]+…\*, .+: yes \d maybe 0 no 0", line)
    assert f"{talks} confirmed submission" in posts[0][0]
    assert "<!channel>" not in listed and listed.count("<@ULEAD") == 300
    if talks == 400:
        assert len(posts) > 1 and "(part 2 of" in posts[1][0]


@pytest.mark.parametrize("talks", [27, 400])
def test_review_of_many_talks_is_paged_visibly_and_complete(talks: int) -> None:
    from bot.curation.review import ReviewQuery
    from bot.slack_ui.review import ReviewAnswer

    subs = [_submission(n) for n in range(1, talks + 1)]
    leaders = {f"ULEAD{k}": talks for k in range(40)}
    pages = review_pages(review_of(subs[0].cycle, subs, leaders, talks,
                                   zoneinfo.ZoneInfo("UTC")), cycle_id=1)
    assert (len(pages) > 1) == (talks == 400)
    joined = ""
    for n, page in enumerate(pages, 1):
        nxt = ReviewQuery(1, False, n + 1) if n < len(pages) else None
        messages = review_messages(ReviewAnswer(page, nxt))
        assert len(messages) <= 5  # a press's response_url takes five
        for message in messages:
            assert len(message["text"]) < 4000
            assert block_errors(message.get("blocks") or []) == []
        assert ("blocks" in messages[-1]) == (nxt is not None)
        if nxt is not None:
            assert f"Page {n} of {len(pages)}" in page and "/wgml review 1 page" in page
        joined += "\n".join(m["text"] for m in messages) + "\n"
    refs = re.findall(r"`(WGML-2026-\d+)`", joined)
    assert sorted(refs) == sorted(s.ref for s in subs)  # every talk, once
    assert "<!channel>" not in joined and "more part(s)" not in joined


def test_call_template_has_no_angle_bracket_placeholders() -> None:
    facts = CallFacts(1, "March <!channel>", "<!here>" * 200,
                      dt.datetime(2026, 3, 31, 23, tzinfo=UTC), dt.date(2026, 4, 15))
    _, blocks = call_post(facts, zoneinfo.ZoneInfo("UTC"), "/talks", "bot@example.org")
    assert block_errors(blocks) == []
    rendered = json.dumps(blocks)
    assert "<a short title>" not in rendered and "[a short title]" in rendered
    assert "<" not in rendered.replace("<!date", "")


def test_an_answer_past_six_messages_says_what_it_left_out() -> None:
    parts = answer_parts("\n".join(f"• line {n} " + "x" * 300 for n in range(200)),
                         where="the cards")
    assert len(parts) == 6 and all(len(p) < 4000 for p in parts)
    assert "more part(s) Slack will not let me send" in parts[-1]
