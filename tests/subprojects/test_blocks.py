"""What the bot sends for sub-projects stays within Slack's Block Kit limits for any input
(checked by the emulator's own rules, bot.demo.emulator.blockkit)."""

from __future__ import annotations

import json

from bot.demo.emulator.blockkit import block_errors, view_errors
from bot.people.themes import Talk, Theme, ThemeMark
from bot.slack_ui.subprojects import (
    evidence_post,
    invitation_post,
    proposal_modal,
    read_propose_value,
    talk_option,
    themes_blocks,
)
from bot.subprojects.launch import Evidence, EvidenceTalk

HOSTILE = "<!channel> & " + "&<>" * 60


def theme(n: int, talks: int = 40) -> Theme:
    members = tuple(Talk(id=n * 1000 + i + 1, title=HOSTILE, studio=HOSTILE, speaker=HOSTILE,
                         ref=f"WGML-2026-{i:03d}", opted_out=i % 7 == 0)
                    for i in range(talks))
    return Theme(name=HOSTILE, terms=(HOSTILE,) * 6, talks=members, studios=talks,
                 cohesion=0.5)


def test_many_big_hostile_themes_fit_one_message_and_say_what_is_left() -> None:
    themes = [theme(n) for n in range(30)]
    blocks = themes_blocks(themes, 1200, {3: ThemeMark(9, "CSUB1", "wgml-x", "active")},
                           heading="*Common pain points*")
    assert block_errors(blocks) == [] and len(blocks) <= 50
    assert "more candidates" in json.dumps(blocks)
    shown = [b for b in blocks if b["type"] != "actions"]  # a button's value is never shown
    assert "<!channel>" not in json.dumps(shown)
    values = [e["value"] for b in blocks if b["type"] == "actions" for e in b["elements"]]
    assert values and all(len(v) <= 2000 for v in values)
    parsed = read_propose_value(values[0])
    assert parsed is not None and len(parsed[1]) == 40
    for bad in ("", "x", "{}", '{"n": "a", "t": []}', '{"n": "a", "t": [true]}',
                '{"n": "a", "t": [-1]}', json.dumps({"n": "a", "t": list(range(1, 200))})):
        assert read_propose_value(bad) is None, bad


def test_the_modal_and_the_posts_are_within_limits_for_any_input() -> None:
    options = [talk_option(i, f"WGML-2026-{i:03d}", HOSTILE * 3, HOSTILE) for i in range(1, 101)]
    view = proposal_modal(theme_name=HOSTILE, name=HOSTILE[:150], channel="wgml-x",
                          statement="&" * 2900, options=options, hidden=3,
                          metadata=json.dumps({"k": "k" * 40, "n": HOSTILE[:80],
                                               "h": list(range(100))}))
    assert view_errors(view) == []
    named = tuple(EvidenceTalk(i, f"WGML-2026-{i:03d}", HOSTILE * 3, HOSTILE, HOSTILE, None,
                               "https://example.org/s", None) for i in range(100))
    ev = Evidence(named, 5, (), (), 40)
    text, blocks = evidence_post(HOSTILE * 3, ("&" * 2900 + "\n") * 3, ev, "ULEAD1", "/wgml", 1)
    assert block_errors(blocks) == [] and "<!channel>" not in text + json.dumps(blocks)
    text, blocks = invitation_post(1, HOSTILE * 3, "&" * 2900, "CSUB1", "wgml-x", 100, 40)
    assert block_errors(blocks) == [] and "<!channel>" not in text + json.dumps(blocks)
