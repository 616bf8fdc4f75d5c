"""The program, the day's reminder, the slides request and the recap are values
(bot/sessions/said_program.py) worded by each surface: through the outbox's JSON, Slack gets
the words the domain used to compose itself, escaped as before, and the list the same mail.
A row queued as finished text by an earlier version is sent as it was queued."""

from __future__ import annotations

import datetime as dt

from bot.email.session_texts import program_email, recap_email
from bot.sessions import program, recap, slides
from bot.slack_ui.said import rendered
from storage.models import Cycle, Speaker, Submission
from tests.slack.test_said import queued

SITE = "https://wgml.example.org/"
WHEN = "Thursday 09 July 2026, 17:00 Europe/London (16:00 UTC)"
PAGE = f"{SITE}talks/WGML-2026-001.html"


def cycle() -> Cycle:
    return Cycle(id=3, title="July <!channel> & co", session_date=dt.date(2026, 7, 9),
                 session_time="17:00", timezone="Europe/London",
                 join_url="https://meet.example/j")


def talks() -> list[Submission]:
    ada = Submission(id=1, ref="WGML-2026-001", title="Denoise <b> & more",
                     abstract="We tried it.\nIt worked.", focus_area="content_creation",
                     studio=None, publish=True, status="accepted", source="slack",
                     slides_url="https://s.example/d", recording_url=None)
    ada.speaker = Speaker(name="Ada", slack_user_id="U1", studio="North  Studio")
    fur = Submission(id=2, ref="WGML-2026-002", title="Fur", abstract="A",
                     focus_area="content_creation", studio="", publish=None,
                     status="accepted", source="email", slides_url=None, recording_url=None)
    fur.speaker = Speaker(name=None, slack_user_id=None, studio=None)
    return [ada, fur]


def section(text: str) -> dict[str, object]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def test_the_program_is_worded_at_delivery() -> None:
    out = rendered(queued(program.announced(cycle(), talks(), site_url=SITE)))
    assert out["text"] == f"Program: July &lt;!channel&gt; &amp; co, {WHEN}: 2 talks"
    assert out["blocks"] == [
        {"type": "header", "text": {"type": "plain_text",
                                    "text": "Program: July &lt;!channel&gt; &amp; co"}},
        section(f"*{WHEN}*\n<https://meet.example/j|Join the session>"),
        section("*Denoise &lt;b&gt; &amp; more*\n<@U1>, North Studio · Content creation\n"
                f"We tried it.\nIt worked.\n<{PAGE}|The talk on the public archive>"),
        section("*Fur*\na member, independent · Content creation\nA")]
    update = rendered(queued(program.announced(cycle(), talks(), update=True)))
    assert update["text"].startswith("Updated program: July")


def test_the_program_mail_is_the_same_value_in_plain_text() -> None:
    subject, body = program_email(program.announced(cycle(), talks(), site_url=SITE))
    assert subject == "Program: July <!channel> & co, 09 July 2026"
    assert body == (
        f"Program of July <!channel> & co\n\nWhen: {WHEN}\nJoin: https://meet.example/j\n\n"
        "1. Denoise <b> & more\n   Ada, North Studio (Content creation)\n\n"
        f"   We tried it.\n   It worked.\n   On the public archive: {PAGE}\n\n"
        "2. Fur\n   a member, independent (Content creation)\n\n   A\n\n\n"
        "The WG-ML bot, for the ASWF Machine Learning Working Group\n")


def test_the_days_reminder_and_the_slides_request() -> None:
    assert rendered(queued(program.today(cycle(), talks())))["text"] == (
        f":calendar: Today: *July &lt;!channel&gt; &amp; co*, {WHEN}. "
        "<https://meet.example/j|Join here>\n• Denoise &lt;b&gt; &amp; more\n• Fur")
    ask = rendered(queued(slides.asked(talks()[0])))
    assert ask["text"] == (
        "Thank you for presenting *Denoise &lt;b&gt; &amp; more* (`WGML-2026-001`)! If you "
        "can share your slides and the recording, the group keeps them with the talk for "
        "everyone who missed it.")
    assert ask["blocks"][0] == section(ask["text"])
    assert ask["blocks"][1]["block_id"] == "slides:1"
    assert [e["action_id"] for e in ask["blocks"][1]["elements"]] == [slides.SLIDES_OPEN]


def test_the_recap_in_slack_and_by_mail() -> None:
    out = rendered(queued(recap.posted(cycle(), talks(), SITE)))
    assert out["text"] == "Recap: July &lt;!channel&gt; &amp; co: 2 talks"
    assert out["blocks"][1:] == [
        section("Thank you to everyone who presented on Thursday 09 July 2026. Slides and "
                "recordings, where the speakers shared them:"),
        section(f"• *Denoise &lt;b&gt; &amp; more*, <@U1>: <https://s.example/d|slides> · "
                f"<{PAGE}|talk page>"),
        section("• *Fur*, a member: no links shared")]
    subject, body = recap_email(recap.posted(cycle(), talks(), SITE))
    assert subject == "Recap: July <!channel> & co"
    assert body.startswith("Recap of July <!channel> & co (09 July 2026)\n\n"
                           "1. Denoise <b> & more (Ada)\n   Slides: https://s.example/d\n"
                           "   Recording: not shared\n")


def test_a_program_queued_as_text_by_an_earlier_version_is_sent_as_queued() -> None:
    old = {"channel": "CANN", "text": "Program: July: 1 talks",
           "blocks": [section("*Thursday*\nThe join link follows.")]}
    assert rendered(old) == old
