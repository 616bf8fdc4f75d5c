"""Pure pieces: how a `Publish:` line is read, the talk page's URL, the program's and the
recap's links within Slack's limits, and the export's `publish`."""

from __future__ import annotations

import csv
import datetime as dt
import io
from types import SimpleNamespace

import pytest

from bot.demo.emulator.blockkit import block_errors
from bot.email.fields import read_fields, without_consent
from bot.email.session_texts import program_email, recap_email
from bot.sessions import program, recap
from bot.slack_ui.said_program import program_post, recap_post
from bot.talks.export import submission_json
from bot.talks.export_write import to_csv
from bot.talks.publish import consent_word, talk_page
from storage.models import Cycle, Speaker, Submission

URL = "https://wgml.example.org/"


@pytest.mark.parametrize("value, expected", [
    ("yes", True), ("YES", True), ("Yes, please", True), ("true", True), ("Oui", True),
    ("ja!", True), ("sí", True), ("はい", True), ("  *yes*", True), ("no", False),
    ("No thanks", False), ("FALSE", False), ("non", False), ("Nein.", False),
    ("not yet", False), ("maybe", None), ("", None), ("2024", None),
])
def test_consent_words(value: str, expected: bool | None) -> None:
    assert consent_word(value) is expected


def test_a_publish_line_is_a_field_only_when_it_says_yes_or_no() -> None:
    assert read_fields("Title: T\n**Publish:** Oui\nAbstract: A")["publish"] == "yes"
    assert read_fields("- Public archive: no\n")["publish"] == "no"
    assert read_fields("Publish it: TRUE")["publish"] == "yes"
    # An abstract's own "Publication: SIGGRAPH 2024" line stays in the abstract.
    fields = read_fields("Abstract: We tried it.\nPublication: SIGGRAPH 2024\nResults: ok")
    assert "publish" not in fields and "SIGGRAPH" in fields["abstract"]
    # The first Publish line counts, as for every field.
    assert read_fields("Publish: no\nPublish: yes")["publish"] == "no"
    assert without_consent("Yes, I confirm.\nPublish: no\nThanks") == "Yes, I confirm.\nThanks"
    assert without_consent("Publish: maybe later") == "Publish: maybe later"


def talk(n: int, publish: bool | None, **extra: object) -> Submission:
    sub = Submission(id=n, ref=f"WGML-2026-{n:03d}", title=f"Talk {n} <b>&", abstract="A",
                     focus_area="content_creation", results="", studio="S", publish=publish,
                     status="accepted", source="slack", votes=[], notes=[], recusals=[],
                     decisions=[])
    sub.speaker = Speaker(name="Ada", slack_user_id=f"U{n}")
    for key, value in extra.items():
        setattr(sub, key, value)
    return sub


def test_only_published_talks_have_a_page() -> None:
    assert talk_page(URL, talk(7, True)) == f"{URL}talks/WGML-2026-007.html"
    assert talk_page(URL.rstrip("/"), talk(7, True)) == f"{URL}talks/WGML-2026-007.html"
    assert talk_page(URL, talk(7, False)) is None and talk_page(URL, talk(7, None)) is None
    assert talk_page(None, talk(7, True)) is None
    assert talk_page("https://x.example/a|b/", talk(7, True)) is None
    assert talk_page("https://x.example/" + "a" * 600 + "/", talk(7, True)) is None


def cycle() -> Cycle:
    return Cycle(id=1, title="July <!channel>", session_date=dt.date(2026, 7, 10),
                 session_time="17:00", timezone="UTC", join_url=None)


def test_program_and_recap_link_published_talks_within_limits() -> None:
    long = "<&>" * 3000
    talks = [talk(1, True, abstract=long, title="&" * 500, studio="<@U1>" * 60),
             talk(2, False), talk(3, None, slides_url="https://s.example.org/x")]
    _, blocks = program_post(program.announced(cycle(), talks, site_url=URL))
    assert block_errors(blocks) == []
    shown = str(blocks)
    assert f"<{URL}talks/WGML-2026-001.html|" in shown
    assert "WGML-2026-002.html" not in shown and "WGML-2026-003.html" not in shown
    _, body = program_email(program.announced(cycle(), talks, site_url=URL))
    assert f"On the public archive: {URL}talks/WGML-2026-001.html" in body
    assert "WGML-2026-002.html" not in body
    huge = [talk(1, True, slides_url="https://s.example.org/" + "a" * 1900,
                 recording_url="https://v.example.org/" + "b" * 1900), talk(2, True)]
    _, blocks = recap_post(recap.posted(cycle(), huge, URL))
    assert block_errors(blocks) == []
    assert f"<{URL}talks/WGML-2026-002.html|talk page>" in str(blocks)
    _, body = recap_email(recap.posted(cycle(), huge, URL))
    assert body.count("On the public archive:") == 2


def export_row(sub: Submission) -> SimpleNamespace:
    """The talk as the streamed export reads it: its columns, its speaker's as speaker_*."""
    values = {c.name: getattr(sub, c.name) for c in Submission.__table__.columns}
    values.update(speaker_name=sub.speaker.name, speaker_email=sub.speaker.email,
                  speaker_slack_user_id=sub.speaker.slack_user_id,
                  speaker_studio=sub.speaker.studio)
    return SimpleNamespace(**values)


def test_export_has_publish() -> None:
    rows = [submission_json(export_row(talk(n, value)))
            for n, value in ((1, True), (2, False), (3, None))]
    assert [r["publish"] for r in rows] == [True, False, None]
    out = to_csv({"cycles": [], "submissions": rows})
    read = list(csv.DictReader(io.StringIO(out)))
    assert [r["publish"] for r in read] == ["True", "False", ""]
