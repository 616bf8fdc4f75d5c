"""Who is published: on an announced program or presented, the last confirmed text, and
only with the speaker's consent; nothing of the leaders'."""

from __future__ import annotations

import json
from pathlib import Path

from bot.config import Settings
from bot.sessions import archive
from scheduler import jobs
from storage.db import Database
from tests.sched_helpers import Sched, at, set_talk
from tests.site.conftest import (
    HOSTILE_TITLE,
    PROGRAM_AT,
    RECAP_AT,
    build,
    seed_session,
    site_text,
)

NEVER = ("Unconsented talk", "Refused talk", "Declined talk", "Withdrawn talk", "Absent talk",
         "Voting talk", "PENDING", "LEADERS ONLY NOTE", "ULEAD", "USPK",
         "mallory@studio.example")


def test_the_job_names_are_the_schedulers() -> None:
    assert archive.PROGRAM_JOBS == (jobs.JOB_PROGRAM, jobs.JOB_PROGRAM_UPDATE)
    assert archive.RECAP_JOB == jobs.JOB_RECAP


async def test_nothing_is_published_before_the_program(db: Database, london: Settings,
                                                      tmp_path: Path) -> None:
    await seed_session(db, london)
    built = await build(db, london, tmp_path / "site", at("2026-07-01T09:00:00+01:00"))
    assert (built.talks, built.sessions) == (0, 0)
    text = site_text(tmp_path / "site")
    assert "Roto with SAM 2" not in text and "July session" not in text


async def test_the_announced_program_shows_consented_confirmed_text_only(
        sched: Sched, db: Database, london: Settings, tmp_path: Path) -> None:
    seeded = await seed_session(db, london)
    await sched.tick(PROGRAM_AT)
    built = await build(db, london, tmp_path / "site", PROGRAM_AT)
    assert (built.talks, built.sessions) == (2, 1)
    text = site_text(tmp_path / "site")
    assert "Roto with SAM 2" in text and "We tried SAM 2 for rotoscoping hair." in text
    assert "Two days saved per shot." in text
    for word in NEVER:
        assert word not in text, word
    data = json.loads((tmp_path / "site" / "talks.json").read_text())
    assert [t["title"] for t in data["talks"]] == ["Roto with SAM 2", HOSTILE_TITLE]
    assert data["sessions"][0]["join_url"] == "https://meet.example.org/wgml-july"
    assert data["sessions"][0]["upcoming"] is True
    # Withdrawing consent: the next build drops the talk and its page, title and all.
    await set_talk(db, seeded.talks["roto"], publish=False)
    built = await build(db, london, tmp_path / "site", PROGRAM_AT)
    assert built.talks == 1
    assert "Roto with SAM 2" not in site_text(tmp_path / "site")
    assert not list((tmp_path / "site" / "talks").glob("*001*"))


async def test_presented_talks_stay_with_their_links_and_the_join_url_goes(
        sched: Sched, db: Database, london: Settings, tmp_path: Path) -> None:
    seeded = await seed_session(db, london)
    await sched.tick(PROGRAM_AT)
    await set_talk(db, seeded.talks["roto"], slides_url="https://slides.example.org/roto")
    await sched.tick(RECAP_AT)
    built = await build(db, london, tmp_path / "site", RECAP_AT)
    assert (built.talks, built.sessions) == (2, 1)
    text = site_text(tmp_path / "site")
    assert "https://slides.example.org/roto" in text
    assert "meet.example.org" not in text  # the session is over: no join link
    for word in NEVER:
        assert word not in text, word
    data = json.loads((tmp_path / "site" / "talks.json").read_text())
    assert data["sessions"][0]["upcoming"] is False


async def test_a_presented_talk_without_an_announced_program_is_published(
        db: Database, london: Settings, tmp_path: Path) -> None:
    await seed_session(db, london)  # no tick: the program never went out
    built = await build(db, london, tmp_path / "site", RECAP_AT)
    assert built.talks == 2
    assert "Roto with SAM 2" in site_text(tmp_path / "site")


async def test_an_empty_database_builds_an_empty_valid_site(
        db: Database, london: Settings, tmp_path: Path) -> None:
    built = await build(db, london, tmp_path / "new" / "site", RECAP_AT)
    assert (built.talks, built.sessions) == (0, 0)
    site = tmp_path / "new" / "site"
    assert "No talks are published yet" in (site / "index.html").read_text()
    data = json.loads((site / "talks.json").read_text())
    assert data["talks"] == [] and data["sessions"] == []
