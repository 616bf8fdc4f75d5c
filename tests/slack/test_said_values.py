"""The values of notes, withdrawal, the unconfirmed flag and attendance, rendered for Slack
(bot/slack_ui/said_curation.py, said_sessions.py): through the outbox's JSON, the same words
the domain used to compose itself, escaped as before."""

from __future__ import annotations

from bot.curation.said import NoteInThread, WithdrawAnswer, WithdrawnInThread
from bot.sessions.said import AttendanceAnswer, AttendanceInThread, SilentSpeaker, SpeakersSilent
from bot.slack_ui.said import rendered
from bot.slack_ui.said_curation import withdraw_answer
from bot.slack_ui.said_sessions import answer_text
from bot.talks.said import UnconfirmedFlagged
from tests.slack.test_said import queued


def test_thread_lines_render_as_the_domain_wrote_them() -> None:
    assert rendered(queued(NoteInThread("UL1", "a <b> & c")))["text"] == \
        "<@UL1> noted:\na &lt;b&gt; &amp; c"
    assert rendered(queued(WithdrawnInThread("US1")))["text"] == (
        "<@US1> withdrew this accepted talk; it needs to come off the programme.")
    assert rendered(queued(AttendanceInThread(True)))["text"] == \
        "The speaker confirmed they will present."
    assert rendered(queued(AttendanceInThread(False)))["text"] == (
        "The speaker cannot present, so this accepted talk is withdrawn and a slot is free. "
        "No undecided talk is left in this cycle.")
    best = rendered(queued(AttendanceInThread(False, "Fur & <x>", "WGML-2026-002",
                                              "2 yes, 0 maybe, 0 no")))["text"]
    assert best.endswith("The best-voted undecided talk is *Fur &amp; &lt;x&gt;* "
                         "(`WGML-2026-002`, 2 yes, 0 maybe, 0 no).")


def test_the_unconfirmed_flag_names_the_speaker_never_the_title() -> None:
    text = rendered(queued(UnconfirmedFlagged("WGML-2026-003", name="Dana <x>",
                                              email="d@s.example")))["text"]
    assert text.startswith(":raising_hand: `WGML-2026-003` from Dana &lt;x&gt; (d@s.example) ")
    assert "<@U1>" in rendered(queued(UnconfirmedFlagged("R", slack_user="U1")))["text"]
    assert " from an unknown speaker " in rendered(queued(UnconfirmedFlagged("R")))["text"]


def test_the_silent_speakers_list_survives_json() -> None:
    value = SpeakersSilent("May <call>", "2026-06-05", 2, [
        SilentSpeaker("WGML-2026-001", "Hair", slack_user="U1"),
        SilentSpeaker("WGML-2026-002", "Fur", contact="eve@f.example")])
    text = rendered(queued(value))["text"]
    assert text.splitlines() == [
        ":hourglass: 2 accepted speakers of *May &lt;call&gt;* have not said whether they "
        "will present (Friday 05 June); please ask them:",
        "• *Hair* (`WGML-2026-001`), <@U1>",
        "• *Fur* (`WGML-2026-002`), eve@f.example"]


def test_answers_are_worded_by_the_surface() -> None:
    assert withdraw_answer(WithdrawAnswer("usage", "/ml")).startswith(
        "Which talk? Give its reference, e.g. `/ml withdraw WGML-2026-007`")
    assert withdraw_answer(WithdrawAnswer("done", "/ml", "R-2026-1", "A & b", "accepted")) == (
        "Withdrawn: *A &amp; b* (`R-2026-1`). The leaders had accepted it; they will see that "
        "you withdrew it. Thank you for letting us know.")
    assert answer_text(AttendanceAnswer("unchanged", "R-1", "T")) == "Noted already: *T* (`R-1`)."
    assert "`/ml submit` any time" in answer_text(AttendanceAnswer("declined", "R-1", "T",
                                                                   command="/ml"))
