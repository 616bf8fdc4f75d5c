"""What a press on a card answers the presser (bot/curation/said.py's `Answer`), worded by
bot/slack_ui/answers.py: through the outbox's JSON, the same words the domain used to
compose itself; a value this version cannot read is refused, never sent half-worded."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.curation.said import (
    Answer,
    Closed,
    OverSlots,
    OwnVote,
    RecusalToggled,
    Refusal,
    StudioHeavy,
    answer_fields,
)
from bot.slack_ui.answers import MISSING, REFUSAL, REFUSALS, answer_text
from bot.slack_ui.said import UnknownSaid, rendered


def queued(value: Answer) -> dict[str, Any]:
    """An ephemeral answer's payload as bot.curation.actions queues it, through JSON."""
    return json.loads(json.dumps({"channel": "C1", "user": "U1",
                                  "said": answer_fields(value)}))


def test_every_refusal_has_its_words() -> None:
    assert set(REFUSALS) == set(Refusal)
    assert rendered(queued(Refusal.MISSING)) == {"channel": "C1", "user": "U1", "text": MISSING}
    assert answer_text(Refusal.NOT_A_LEADER) == REFUSAL
    assert answer_text("a listener's own words") == "a listener's own words"


def test_a_closed_talk_says_who_decided_and_what_to_do() -> None:
    said = rendered(queued(Closed("accepted", "ULEAD9", "decide")))["text"]
    assert said == ("This talk was already accepted by <@ULEAD9>, so nothing changed. "
                    "Undo it first if that was a mistake.")
    assert rendered(queued(Closed("declined", None, "vote")))["text"] == (
        "This talk was already declined, so nothing changed. Undo the decision first if it "
        "was a mistake.")
    assert answer_text(Closed("withdrawn", None, "undo")) == (
        "The speaker withdrew this talk, so there is nothing to undo.")
    assert answer_text(Closed("submitted", None, "undo")) == (
        "There is no decision to undo: the talk is open for votes.")
    # An undo pressed (or forged) for a talk its speaker has not confirmed: not "open".
    assert answer_text(Closed("pending_confirmation", None, "undo")) == (
        "This talk is still waiting for the speaker's confidentiality confirmation, so "
        "there is nothing to undo.")


def test_recusal_votes_and_warnings() -> None:
    assert rendered(queued(RecusalToggled("WGML-2026-001", True)))["text"].startswith(
        "You have recused yourself from `WGML-2026-001`: your vote")
    assert answer_text(RecusalToggled("#4", False)) == (
        "You are back on `#4`: your vote counts again once you cast it.")
    assert answer_text(OwnVote("R-1", "maybe")).startswith("Your vote on `R-1`: *maybe*.")
    assert answer_text(OverSlots(5, 4)) == (
        ":warning: Accepted, past the session's slots: 5 talks are accepted for 4 slots.")
    assert rendered(queued(StudioHeavy("Fur & <Co>", 3, 4)))["text"] == (
        ":warning: Accepted. Fur &amp; &lt;Co&gt; now holds 3 of the 4 accepted talks "
        "(most of the program).")


def test_an_answer_this_version_cannot_read_is_refused() -> None:
    with pytest.raises(TypeError):
        rendered({"channel": "C1", "user": "U1",
                  "said": {"kind": "curation.refusal", "reason": "from_the_future"}})
    with pytest.raises(UnknownSaid):
        rendered({"channel": "C1", "user": "U1", "said": {"kind": "curation.nope"}})
