"""VOTE_VISIBILITY=hidden: nothing the bot sends to Slack shows a vote's value (or who cast
it) before the talk is decided, except each leader's own vote, privately to them."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.config import ConfigError, load_settings
from tests.conftest import Running
from tests.curation_support import (
    card,
    db_votes,
    exported,
    open_test_cycle,
    posted_card,
    press,
    settled,
    votes_section,
)


@pytest.fixture
def settings(settings: Any) -> Any:
    return settings.model_copy(update={"vote_visibility": "hidden"})


def payloads_except_own(running: Running) -> list[tuple[str, str]]:
    """Every Slack call the bot made, as (method, JSON), less ephemerals to their voter."""
    out = []
    for call in running.slack.calls:
        if call.method == "chat.postEphemeral":
            continue  # checked one by one below: each goes to the voter it describes
        out.append((call.method, json.dumps(call.params, ensure_ascii=False, default=str)))
    return out


async def test_hidden_votes_never_leak_until_the_decision(running: Running) -> None:
    await open_test_cycle(running)
    sid, ts = await posted_card(running)
    await press(running, "ULEAD1", "yes", sid, ts)
    await press(running, "ULEAD2", "no", sid, ts)
    await settled(running)
    before = card(running, ts)["blocks"]
    assert votes_section(running, ts).endswith("2 leaders have voted.")
    await press(running, "ULEAD1", "maybe", sid, ts)  # a changed value changes nothing shown
    await settled(running)
    assert card(running, ts)["blocks"] == before
    assert await db_votes(running, sid) == {"ULEAD1": "maybe", "ULEAD2": "no"}

    status, review = await running.sender.command("ULEAD3", "review")
    assert status == 200 and "2 voted (hidden until decided)" in review

    for method, payload in payloads_except_own(running):
        for voter in ("ULEAD1", "ULEAD2"):
            assert f"<@{voter}>" not in payload, (method, payload[:300])
        for word in ("Yes 1", "No 1", "Maybe 1", "yes 1", "no 1", "maybe 1", "Yes:", "No:",
                     "Maybe:"):
            assert word not in payload, (method, word)
    for word in ("yes 1", "no 1", "maybe 1", "Yes:", "No:", "<@ULEAD1>", "<@ULEAD2>"):
        assert word not in review
    # Each voter hears their own vote, privately, and nobody else's.
    own = [(e["user"], e["text"]) for e in running.slack.ephemeral]
    assert ("ULEAD1", own[0][1]) == own[0] and "*yes*" in own[0][1]
    assert all(user in ("ULEAD1", "ULEAD2") for user, _ in own)
    assert any(user == "ULEAD2" and "*no*" in text for user, text in own)
    assert all("*no*" not in text for user, text in own if user == "ULEAD1")

    # The tally appears with the decision.
    await press(running, "ULEAD3", "accept", sid, ts)
    await settled(running)
    shown = votes_section(running, ts)
    assert "Maybe 1" in shown and "No 1" in shown and "<@ULEAD1>" in shown
    assert (await exported(running, sid))["votes"]  # the export is the operator's


def test_vote_visibility_is_validated() -> None:
    with pytest.raises(ConfigError, match="VOTE_VISIBILITY"):
        load_settings(_env_file=None, vote_visibility="secret")
    assert load_settings(_env_file=None, vote_visibility="Hidden").vote_visibility == "hidden"


def test_leader_studios_is_parsed_strictly() -> None:
    for bad in ("ULEAD1", "ULEAD1=", "lead=Studio", "ULEAD1=A;ULEAD1=B"):
        with pytest.raises(ConfigError, match="LEADER_STUDIOS"):
            load_settings(_env_file=None, leader_studios=bad)
    ok = load_settings(_env_file=None, leader_studios=" ULEAD1 = Studio  A ; ;ULEAD2=B")
    assert ok.leader_studio_map == {"ULEAD1": "Studio A", "ULEAD2": "B"}

