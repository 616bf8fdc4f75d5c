"""The App Home tab over the real HTTP path: members see their call, leaders the balance."""

from __future__ import annotations

import json
from typing import Any

from bot.demo.emulator.requests import home_action, home_opened
from tests.conftest import LEADERS, Running
from tests.slack.test_submit import open_test_cycle


async def open_home(running: Running, user: str) -> dict[str, Any]:
    before = len(running.slack.calls_to("views.publish"))
    status, _ = await running.sender.event(home_opened(user))
    assert status == 200
    await running.slack.wait_for(lambda: len(running.slack.calls_to("views.publish")) > before)
    call = running.slack.calls_to("views.publish")[-1]
    assert call.params["user_id"] == user
    view = call.params["view"]
    return view if isinstance(view, dict) else json.loads(view)


def mrkdwn_of(view: dict[str, Any]) -> str:
    texts = []
    for b in view["blocks"]:
        if isinstance(b.get("text"), dict):
            texts.append(b["text"]["text"])
        texts += [f["text"] for f in b.get("fields", [])]
        texts += [e.get("text", "") for e in b.get("elements", []) if isinstance(e, dict)]
    return "\n".join(t for t in texts if isinstance(t, str))


async def test_member_sees_call_deadline_submissions_and_submit_button(running: Running) -> None:
    view = await open_home(running, "UMEMBER1")
    assert view["type"] == "home"
    assert "No call for speakers is open" in mrkdwn_of(view)
    await open_test_cycle(running, "January <!channel> session")
    await running.submit("UMEMBER1", title="Roto & <b>hair</b> <!here>")
    await running.settle()
    view = await open_home(running, "UMEMBER1")
    text = mrkdwn_of(view)
    assert "January &lt;!channel&gt; session" in text and "<!channel>" not in text
    assert "end of day, UTC" in text  # the deadline, in TIMEZONE
    assert "Roto &amp; &lt;b&gt;hair&lt;/b&gt; &lt;!here&gt;" in text and "<!here>" not in text
    assert "with the leaders" in text
    assert "For leaders" not in json.dumps(view)
    buttons = [b["accessory"] for b in view["blocks"] if b.get("accessory")]
    assert buttons[0]["action_id"] == "home_submit"


async def test_home_submit_button_opens_the_modal(running: Running) -> None:
    await running.submit("UMEMBER1", email="ada@studio.example")
    status, _ = await running.sender.post(home_action("UMEMBER1", "home_submit", "submit"))
    assert status == 200
    await running.slack.wait_for(lambda: running.slack.calls_to("views.open"))
    call = running.slack.calls_to("views.open")[-1]
    assert call.params["trigger_id"]
    view = call.params["view"]
    assert view["callback_id"] == "wgml_submit"
    email = next(b for b in view["blocks"] if b.get("block_id") == "email")["element"]
    assert email["initial_value"] == "ada@studio.example"


async def test_leader_sees_counts_by_focus_and_studio_and_missing_votes(running: Running
                                                                       ) -> None:
    await open_test_cycle(running)
    await running.submit("UMEMBER1", studio="Studio <A>", focus_area="llm_pipeline")
    await running.submit("UMEMBER2", studio="Studio <A>", focus_area="llm_pipeline",
                         title="RAG over our pipeline docs")
    await running.submit("UMEMBER3", studio="Studio B", focus_area="infrastructure",
                         title="GPU scheduling", confirmed=False)  # never reaches the leaders
    await running.settle()
    view = await open_home(running, LEADERS[0])
    text = mrkdwn_of(view)
    assert "For leaders" in json.dumps(view)
    assert "LLMs for pipeline: 2" in text and "Content creation: 0" in text
    assert "Studio &lt;A&gt;: 2" in text and "Studio B" not in text
    assert "You owe votes on 2 talks" in text and "of 2 open for votes" in text
    for leader in LEADERS:  # paginated conversations.members (page size 2) read in full
        assert f"<@{leader}> 2" in text
    assert "RAG over our pipeline docs" in text


async def test_messages_tab_and_unreadable_leadership_channel(running: Running) -> None:
    status, _ = await running.sender.event(home_opened("UMEMBER1", tab="messages"))
    assert status == 200
    running.slack.members.clear()  # the bot was removed from the leadership channel
    view = await open_home(running, LEADERS[0])
    assert "For leaders" not in json.dumps(view)  # still a member's view, no crash
    assert all(c.params.get("user_id") != "UMEMBER1"
               for c in running.slack.calls_to("views.publish"))


def test_long_lists_stay_within_slacks_limits() -> None:
    import zoneinfo
    from collections import Counter

    from bot.slack_ui.home import HomeData, Review, home_view
    from storage.models import Submission

    mine = [Submission(ref=f"WGML-2026-{n:03d}", title="&<>" * 60, status="submitted")
            for n in range(60)]
    from bot.curation.owed import OwedTalk
    from storage.models import Cycle

    review = Review(by_focus=Counter({"other": 60}),
                    by_studio=Counter({f"Studio {n} & co": 1 for n in range(30)}),
                    by_status=Counter({"submitted": 60}), leaders=40,
                    cycle=Cycle(title="<b>" * 100), open_talks=10_000, owed=9_990,
                    owed_first=[OwedTalk(n, f"WGML-2026-{n:03d}", "<b>" * 40, None, None)
                                for n in range(10)],
                    owed_by={f"U{n:08d}": 9_990 - n for n in range(40)})
    view = home_view(HomeData("UMEMBER1", None, mine, review), zoneinfo.ZoneInfo("UTC"))
    texts = [b["text"]["text"] for b in view["blocks"] if b.get("type") == "section"
             and "text" in b]
    assert all(len(t) <= 3000 for t in texts)
    assert any("lists them all" in t for t in texts)
    assert any("You owe votes on 9990 talks" in t and "`/wgml review owed` lists all 9990"
               in t for t in texts)
    assert len(view["blocks"]) <= 100
    # No entity cut in half: every & starts a whole escape.
    import re
    for text in texts:
        assert not re.search(r"&(?!amp;|lt;|gt;)", text)
