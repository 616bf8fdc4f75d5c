"""What the build writes: the calendar and Atom feeds, talks.json's shape, the atomic swap
that leaves other files alone, and one clear line when DIR cannot be the site's folder."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from icalendar import Calendar

from bot.config import Settings
from bot.site.files import MANIFEST
from storage.db import Database
from tests.sched_helpers import Sched
from tests.site.conftest import HOSTILE_TITLE, PROGRAM_AT, RECAP_AT, build, seed_session

ATOM = "{http://www.w3.org/2005/Atom}"
ROOT = Path(__file__).resolve().parents[2]


def events(directory: Path) -> list[object]:
    cal = Calendar.from_ical((directory / "feed.ics").read_bytes())
    return list(cal.walk("VEVENT"))


async def test_feed_ics_one_event_per_session_stable_uid_local_time(
        sched: Sched, db: Database, london: Settings, tmp_path: Path) -> None:
    seeded = await seed_session(db, london)
    await sched.tick(PROGRAM_AT)
    site = tmp_path / "site"
    await build(db, london, site, PROGRAM_AT)
    [event] = events(site)
    assert str(event["uid"]) == f"cycle-{seeded.cycle_id}@wgml.example.org"
    start = event["dtstart"]
    assert start.params["TZID"] == "Europe/London"
    assert start.dt == dt.datetime(2026, 7, 10, 17, 0, tzinfo=start.dt.tzinfo)
    assert start.dt.utcoffset() == dt.timedelta(hours=1)
    assert "BEGIN:VTIMEZONE" in (site / "feed.ics").read_text()
    assert str(event["location"]) == "https://meet.example.org/wgml-july"
    assert "Roto with SAM 2" in str(event["description"])
    first = (site / "feed.ics").read_bytes()
    await build(db, london, site, PROGRAM_AT + dt.timedelta(hours=1))
    assert (site / "feed.ics").read_bytes() == first  # the same data, the same feed
    # After the session: the same UID, no join URL any more.
    await sched.tick(RECAP_AT)
    await build(db, london, site, RECAP_AT)
    [after] = events(site)
    assert str(after["uid"]) == str(event["uid"])
    assert "location" not in after and "meet.example.org" not in str(after.get("url"))


async def test_uids_without_a_site_url(db: Database, london: Settings, tmp_path: Path) -> None:
    seeded = await seed_session(db, london)
    await build(db, london.model_copy(update={"site_url": None}), tmp_path, RECAP_AT)
    [event] = events(tmp_path)
    assert str(event["uid"]) == f"cycle-{seeded.cycle_id}@wgml-bot"


async def test_feed_xml_is_atom_with_a_program_and_a_recap(
        sched: Sched, db: Database, london: Settings, tmp_path: Path) -> None:
    await seed_session(db, london)
    await sched.tick(PROGRAM_AT)
    await sched.tick(RECAP_AT)
    await build(db, london, tmp_path, RECAP_AT)
    feed = ET.parse(tmp_path / "feed.xml").getroot()  # noqa: S314 (the site's own file)
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == [
        "Recap: July session", "Program: July session"]
    for entry in entries:
        assert entry.findtext(f"{ATOM}id") and entry.findtext(f"{ATOM}updated")
        link = entry.find(f"{ATOM}link")
        assert link is not None and link.get("href", "").startswith(
            "https://wgml.example.org/archive/sessions/")
    # The entry's HTML carries the hostile title escaped, never as markup.
    content = entries[0].findtext(f"{ATOM}content") or ""
    assert "&lt;script&gt;" in content and "<script>" not in content


async def test_talks_json_shape(db: Database, london: Settings, tmp_path: Path) -> None:
    seeded = await seed_session(db, london)
    await build(db, london, tmp_path, RECAP_AT)
    data = json.loads((tmp_path / "talks.json").read_text())
    assert set(data) == {"format", "generated_at", "site_url", "sessions", "talks"}
    assert data["format"] == 1 and data["site_url"] == "https://wgml.example.org/archive/"
    [session] = data["sessions"]
    assert set(session) == {"id", "title", "theme", "date", "time", "timezone", "start",
                            "upcoming", "join_url", "url", "talks"}
    assert session["id"] == seeded.cycle_id and session["date"] == "2026-07-10"
    assert session["start"] == "2026-07-10T16:00:00Z" and session["timezone"] == "Europe/London"
    talk = next(t for t in data["talks"] if t["title"] == HOSTILE_TITLE)
    assert set(talk) == {"ref", "session_id", "title", "speaker", "studio", "focus_area",
                         "focus_label", "abstract", "results", "slides_url", "recording_url",
                         "url"}
    assert talk["slides_url"] is None  # javascript: is not a link
    assert talk["recording_url"] == "https://video.example.org/x?a=1&b=\"2\""
    assert talk["focus_area"] == "infrastructure" and talk["studio"] == "Evil & Co"
    assert session["talks"] == [t["ref"] for t in data["talks"]]
    assert talk["url"].startswith("https://wgml.example.org/archive/talks/")


async def test_the_swap_replaces_only_the_sites_own_files(
        db: Database, london: Settings, tmp_path: Path) -> None:
    seeded = await seed_session(db, london)
    site = tmp_path / "site"
    (site / "talks").mkdir(parents=True)
    (site / "robots.txt").write_text("mine")
    (site / "talks" / "README").write_text("mine too")
    (site / "index.html").write_text("an old index")  # the site's name: replaced
    await build(db, london, site, RECAP_AT)
    assert (site / "robots.txt").read_text() == "mine"
    assert (site / "talks" / "README").read_text() == "mine too"
    assert "Roto with SAM 2" in (site / "index.html").read_text()
    pages = sorted(p.name for p in (site / "talks").iterdir())
    assert len(pages) == 3 and "README" in pages
    assert not [p for p in site.iterdir() if p.name.startswith(".wgml-site-build-")]
    listed = json.loads((site / MANIFEST).read_text())["files"]
    assert "index.html" in listed and "robots.txt" not in listed
    from tests.sched_helpers import set_talk

    await set_talk(db, seeded.talks["roto"], publish=False)
    await build(db, london, site, RECAP_AT)
    assert sorted(p.name for p in (site / "talks").iterdir()) == sorted(
        n for n in pages if "001" not in n)
    assert (site / "talks" / "README").exists() and (site / "robots.txt").exists()
    mode = (site / "index.html").stat().st_mode & 0o777
    assert mode == 0o644


def cli(*args: str, db_url: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SITE_", "WGML_"))}
    env.update(PYTHONPATH=str(ROOT), DATABASE_URL=db_url)
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120, check=False)


async def test_cli_builds_and_says_what_it_wrote(db: Database, db_url: str,
                                                tmp_path: Path) -> None:
    proc = cli("site", "build", str(tmp_path / "out"), db_url=db_url, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    [line] = proc.stdout.splitlines()
    assert line.startswith(f"site built in {tmp_path / 'out'}: 0 talks, 0 sessions")
    assert (tmp_path / "out" / "index.html").exists()


async def test_cli_dir_that_is_a_file_is_one_line_and_exit_1(db: Database, db_url: str,
                                                             tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("a file")
    proc = cli("site", "build", str(tmp_path / "taken"), db_url=db_url, cwd=tmp_path)
    assert proc.returncode == 1 and proc.stdout == ""
    [line] = proc.stderr.strip().splitlines()
    assert "is a file, not a folder" in line and "Traceback" not in proc.stderr
    assert (tmp_path / "taken").read_text() == "a file"


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0,
                    reason="root may write anywhere")
async def test_cli_unwritable_dir_is_one_line_and_exit_1(db: Database, db_url: str,
                                                         tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    try:
        proc = cli("site", "build", str(locked), db_url=db_url, cwd=tmp_path)
    finally:
        locked.chmod(0o700)
    assert proc.returncode == 1
    [line] = proc.stderr.strip().splitlines()
    assert "permission denied" in line


async def test_an_unwritable_dir_is_one_clear_error(db: Database, london: Settings,
                                                    tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    # As a user without write access sees it (the suite may run as root, who has it).
    from bot.site import SiteError, build_site
    from bot.site import files as site_files

    site = tmp_path / "site"
    site.mkdir()
    monkeypatch.setattr(site_files.os, "access", lambda path, mode: False)
    with pytest.raises(SiteError, match="permission denied") as caught:
        await build_site(db, site, london, now=RECAP_AT)
    assert "\n" not in str(caught.value)
    assert list(site.iterdir()) == []
