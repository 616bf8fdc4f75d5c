"""The review, the program and a status are facts in the domain (issue 24): what a talk is
called, how many slots are taken, who owes votes; Slack's words for them (mrkdwn, escaping,
emoji, pages) are bot/slack_ui's, so another surface reads the same values."""

from __future__ import annotations

import datetime as dt
import typing
import zoneinfo

import pytest

from bot.curation.program import Slots, program_of
from bot.curation.review import ReviewOutcome, ReviewQuery, ReviewReason, review_of
from bot.curation.said import Refusal
from bot.leaders import UNAVAILABLE_VIEW
from bot.slack_ui.review import review_answer, review_pages
from bot.slack_ui.slots import card_line, slots_line
from bot.slack_ui.status import STATUS_EMOJI, status_with_emoji
from bot.talks.status import Status
from storage.models import Cycle, Speaker, Submission, Vote


def _talk(n: int, status: str = "submitted") -> Submission:
    cycle = Cycle(id=1, title="March <!channel>", deadline=dt.datetime(2026, 3, 31, 23,
                  tzinfo=dt.UTC), session_date=dt.date(2026, 4, 15), status="open", slots=1)
    sub = Submission(id=n, ref=f"WGML-2026-{n:03d}", title="<b>Denoising</b> & *friends*",
                     abstract="a", results="r", studio="Weta & co", status=status,
                     source="email", focus_area="rendering",
                     speaker=Speaker(name="S", email="s@example.org"), cycle=cycle)
    sub.votes = [Vote(voter="ULEAD1", value="yes")]
    return sub


def test_every_status_has_its_slack_emoji() -> None:
    assert set(STATUS_EMOJI) == set(Status)
    assert status_with_emoji("accepted") == ":white_check_mark: accepted"
    assert status_with_emoji("no such status") == "no such status"


def test_the_review_holds_the_talks_as_written_and_slack_escapes_them() -> None:
    talks = [_talk(1), _talk(2, "accepted"), _talk(3, "accepted")]
    review = review_of(talks[0].cycle, talks, {"ULEAD2": 1, "ULEAD1": 0}, 1,
                       zoneinfo.ZoneInfo("UTC"), hidden=True,
                       accepted=[t for t in talks if t.status == "accepted"])
    [rendering] = [g for g in review.groups if g.area == "rendering"]
    assert [t.title for t in rendering.talks] == ["<b>Denoising</b> & *friends*"] * 3
    assert rendering.accepted == 2 and rendering.talks[0].votes is None  # hidden, open
    assert rendering.talks[1].votes is not None and rendering.talks[1].voted == 1
    assert review.missing == [("ULEAD2", 1)] and review.program.state == "over"
    [page] = review_pages(review)
    assert "&lt;b&gt;Denoising&lt;/b&gt; &amp;" in page and "<b>" not in page
    assert "&lt;!channel&gt;" in page and ":white_check_mark: accepted" in page
    assert "Not voted yet (open talks without their vote, of 1): <@ULEAD2> (1)." in page


def test_the_program_counts_and_slack_says_what_they_mean() -> None:
    program = program_of(1, [_talk(1, "accepted"), _talk(2, "accepted")])
    assert (program.accepted, program.state) == (2, "over")
    assert program.studio_counts() == [("Weta & co", 2)]
    assert slots_line(program).startswith(":warning: 2 talks accepted for 1 slots")
    assert card_line(Slots(3, 3)) == ":no_entry: The session's 3 slots are full."


def test_a_review_refused_says_why_in_the_commands_own_name() -> None:
    def said(reason: ReviewReason) -> str:
        return review_answer(ReviewOutcome(ReviewQuery(), reason), "/talks").text

    assert said(ReviewReason.NOT_A_LEADER).startswith("`/talks review` is for the WG-ML leaders")
    assert said(ReviewReason.USAGE).startswith("`/talks review` shows the open call")
    assert "`/talks review ID` reviews one of them" in said(ReviewReason.NO_CALL)
    assert said(ReviewReason.UNAVAILABLE) == UNAVAILABLE_VIEW


def test_the_review_reason_is_an_enum_sharing_the_presses_values() -> None:
    """A bare string let a typo read as "Slack did not answer"; the field is typed (mypy
    refuses `ReviewOutcome(q, "not_a_ledaer")`: arg-type) and a stray value fails here too."""
    assert typing.get_type_hints(ReviewOutcome)["reason"] is ReviewReason
    assert ReviewReason.NOT_A_LEADER == Refusal.NOT_A_LEADER == "not_a_leader"
    assert ReviewReason.UNAVAILABLE == Refusal.UNAVAILABLE
    assert ReviewReason("not_a_leader") is ReviewReason.NOT_A_LEADER
    with pytest.raises(ValueError, match="not_a_ledaer"):
        ReviewReason("not_a_ledaer")
