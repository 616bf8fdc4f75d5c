"""A whole call with hostile input, every payload the bot sent checked twice: by the emulator
(Slack's documented limits, refusing like Slack) and by slack_sdk's own models.

27 talks whose titles carry `<!channel>` and 700-`&` abstracts go through the modal, the
cards, votes and decisions, the Home tab, `/wgml review` and the digest.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot.demo.emulator.slack import SlackEmulator
from bot.focus import FOCUS_AREAS
from tests.conftest import ANNOUNCE, LEADERS, LEADS, Running
from tests.curation_support import open_test_cycle, press
from tests.sched_helpers import make_sched

TALKS = 27
TITLE = "<!channel> &&& <@U0ADMIN> " + "&<>" * 35
SLACK_METHODS_WITH_BLOCKS = ("chat.postMessage", "chat.update", "chat.postEphemeral")
VIEW_METHODS = ("views.open", "views.update", "views.publish", "views.push")


def _as_json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def sdk_problems(slack: SlackEmulator) -> list[str]:
    """What slack_sdk's models object to in any payload the emulator received."""
    problems: list[str] = []

    def check_blocks(blocks: Any, where: str) -> None:
        for i, raw in enumerate(_as_json(blocks) or []):
            try:
                block = Block.parse(raw)
                if block is None:
                    problems.append(f"{where}[{i}]: slack_sdk does not know {raw.get('type')}")
                else:
                    block.validate_json()
            except Exception as exc:  # SlackObjectFormationError and friends
                problems.append(f"{where}[{i}]: {exc}")

    for n, call in enumerate(slack.calls):
        if call.method in SLACK_METHODS_WITH_BLOCKS and call.params.get("blocks"):
            check_blocks(call.params["blocks"], f"{call.method}#{n}")
        elif call.method in VIEW_METHODS:
            view = _as_json(call.params.get("view")) or {}
            try:
                View(**view).validate_json()
            except Exception as exc:
                problems.append(f"{call.method}#{n}: {exc}")
    for n, response in enumerate(slack.responses):
        if response.get("blocks"):
            check_blocks(response["blocks"], f"response_url#{n}")
    return problems


async def test_a_whole_hostile_call_stays_within_slacks_limits(running: Running) -> None:
    slack = running.slack
    await open_test_cycle(running, title="March <!channel> " + "&" * 150)
    # The modal, opened as a member would.
    status, _ = await running.sender.command("UMEMBER1", "submit")
    assert status == 200
    await slack.wait_for(lambda: slack.calls_to("views.open"))
    for n in range(TALKS):
        status, body = await running.submit(
            f"USPK{n:05d}", title=f"{TITLE[:140]} {n}", abstract="&" * 700 + f" {n}",
            results="<" * 2990, studio="<b>&</b>" * 11,
            focus_area=list(FOCUS_AREAS)[n % len(FOCUS_AREAS)])
        assert status == 200 and "errors" not in body, body
    await running.settle(timeout=60)
    cards = slack.channel_messages(LEADS)
    assert len(cards) == TALKS, slack.refused[:2]
    # Votes, a decision and an undo update the cards in place.
    from sqlalchemy import select

    from storage.models import Submission
    async with running.db.session() as session:
        rows = (await session.execute(select(Submission.id, Submission.card_ts)
                                      .order_by(Submission.id))).all()
    for leader in LEADERS:
        await press(running, leader, "yes", rows[0][0], rows[0][1])
    await press(running, LEADERS[0], "accept", rows[1][0], rows[1][1])
    await press(running, LEADERS[1], "decline", rows[2][0], rows[2][1])
    await running.settle()
    # The Home tab of a leader and of a speaker.
    from bot.demo.emulator.requests import home_opened
    for user in (LEADERS[0], "USPK00003"):
        status, _ = await running.sender.event(home_opened(user))
        assert status == 200
    await slack.wait_for(lambda: len(slack.calls_to("views.publish")) >= 2)
    # /wgml review for 27 talks: several parts, each under Slack's limits, none lost.
    status, body = await running.sender.command(LEADERS[0], "review")
    assert status == 200
    first = json.loads(body)["text"]
    assert len(first) < 4000 and "(part 1 of" in first
    await slack.wait_for(lambda: any("of" in r["text"] and "(part 2" in r["text"]
                                     for r in slack.responses))
    # The digest after the deadline, and the call and reminders before it.
    sched = make_sched(running.db, running.bot.settings)
    now = dt.datetime.now(dt.UTC)
    for days in (0, 14, 19, 22):
        await sched.tick(now + dt.timedelta(days=days, minutes=1))
    digest = [m for m in slack.channel_messages(LEADS) if "Digest" in m["text"]]
    listed = "\n".join(b["text"]["text"] for m in digest for b in m["blocks"]
                       if b["type"] == "section")
    assert f"{TALKS} confirmed submissions" in digest[0]["text"]
    assert listed.count("• `WGML-") == TALKS  # announced 27, listed 27
    assert slack.channel_messages(ANNOUNCE), "the call for speakers went out"

    assert slack.refused == [], slack.refused[:3]
    assert sdk_problems(slack) == []
    assert "<!channel>" not in json.dumps([c.params for c in slack.calls])
