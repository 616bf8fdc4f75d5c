"""What the domain says, rendered for Slack at delivery (bot/slack_ui/said.py): a value
survives the outbox's JSON as it was queued, renders to the text the speaker always got,
and a value this version cannot read is refused, never sent half-rendered."""

from __future__ import annotations

import dataclasses
import json

import pytest

from bot.curation.said import AttendanceAsked, DecisionInThread, DecisionTold
from bot.slack_ui.said import UnknownSaid, rendered
from bot.talks.said import EditedInThread, EditSaved, TalkSubmitted


def queued(value: object, **payload: object) -> dict[str, object]:
    """The payload as storage.outbox stores it, through JSON as the column keeps it."""
    said = {"kind": value.KIND, **dataclasses.asdict(value)}  # type: ignore[attr-defined]
    return json.loads(json.dumps({"channel": "U1", "text": "", **payload, "said": said}))


def test_a_payload_without_a_value_is_sent_as_queued() -> None:
    payload = {"channel": "C1", "text": "hello", "thread_ts": "1.2"}
    assert rendered(payload) == payload


def test_the_submitted_dm_names_the_talk_escaped_and_the_command() -> None:
    out = rendered(queued(TalkSubmitted("WGML-2026-007", "<!channel> & friends", "May call",
                                        "/ml")))
    assert out["channel"] == "U1" and "said" not in out and "blocks" not in out
    assert "*&lt;!channel&gt; &amp; friends*" in out["text"]
    assert "`WGML-2026-007` for *May call*" in out["text"]
    assert "`/ml mine`" in out["text"]


def test_edits_say_which_fields_changed_never_the_text() -> None:
    saved = rendered(queued(EditSaved("WGML-2026-007", "T", ["title", "abstract"], 3)))
    assert "version 3 (title and abstract changed)" in saved["text"]
    thread = rendered(queued(EditedInThread("WGML-2026-007", ["results"], 2, "email"),
                             channel="C1", thread_ts="1.2"))
    assert thread["thread_ts"] == "1.2"
    assert "by email" in thread["text"] and "Changed: results." in thread["text"]


def test_the_attendance_question_follows_the_acceptance_in_sections_slack_accepts() -> None:
    value = AttendanceAsked(42, "WGML-2026-007", "T", "May session on Thursday", "UTC")
    long_text = "\n".join(f"line {n} " + "x" * 200 for n in range(40))
    out = rendered(queued(value, text=long_text))
    assert out["text"] == long_text
    blocks = out["blocks"]
    sections = [b for b in blocks if b["type"] == "section"]
    assert all(len(b["text"]["text"]) <= 3000 for b in sections)
    assert len(blocks) <= 50
    buttons = blocks[-1]["elements"]
    assert [b["action_id"] for b in buttons] == ["attend_yes", "attend_no"]
    assert {b["value"] for b in buttons} == {"42"}


def test_the_reminder_asks_alone() -> None:
    value = AttendanceAsked(42, "WGML-2026-007", "T", "May session", "Europe/London",
                            reminder=True)
    out = rendered(queued(value))
    assert out["text"].startswith("A reminder: Can you present *T* (`WGML-2026-007`)")
    assert out["blocks"][0]["text"]["text"] == out["text"]


def test_a_value_this_version_cannot_read_is_refused() -> None:
    with pytest.raises(UnknownSaid):
        rendered({"channel": "U1", "text": "", "said": {"kind": "talk.from_the_future"}})
    with pytest.raises(TypeError):  # a field it does not know: refused, not guessed
        rendered({"channel": "U1", "text": "",
                  "said": {"kind": "talk.edit_unchanged", "ref": "R", "colour": "red"}})


def test_the_acceptance_dm_keeps_its_question_through_the_outbox() -> None:
    ask = AttendanceAsked(7, "WGML-2026-007", "T", "May session", "UTC")
    told = DecisionTold("accepted", "WGML-2026-007", "T & more", "May session (Thu)", "/wgml",
                        introductions="You may like to meet <@U2>.", ask=ask)
    out = rendered(queued(told))
    assert out["text"].startswith("Good news: the WG-ML leaders have accepted your talk "
                                  "*T &amp; more* (`WGML-2026-007`)")
    assert out["text"].endswith("\n\nYou may like to meet <@U2>.")
    assert out["blocks"][-1]["block_id"] == "attend:7"
    undone = rendered(queued(DecisionTold("undone", "R", "T", "S", undone="accepted")))
    assert "saying it was accepted was sent by mistake" in undone["text"]
    assert "blocks" not in undone


def test_the_thread_says_who_decided_and_how_the_speaker_heard() -> None:
    out = rendered(queued(DecisionInThread("ULEAD1", "declined", None, ["dm", "email"]),
                          channel="C1", thread_ts="1.2"))
    assert out["text"] == ("<@ULEAD1> declined this talk. The speaker was told by Slack DM "
                           "and email.")
    nobody = rendered(queued(DecisionInThread("ULEAD1", "accepted")))
    assert "no way to reach the speaker" in nobody["text"]
