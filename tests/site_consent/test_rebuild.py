"""Rebuilding the public archive from `run` and `tick`: the domain marks the site dirty in the
change's transaction (one waiting `site.rebuild` row however many changes), the deliverer
builds it once; a program and a recap link each published talk to SITE_URL; a failed build is
logged and retried, never an error of the tick; check-config says whether SITE_DIR can be
written."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

import bot.site
from bot.app import operations, parts
from bot.app.checks import check_site_dir, connection_checks
from bot.config import Settings
from bot.demo.emulator.blockkit import block_errors
from bot.demo.emulator.slack import SlackEmulator
from bot.sessions import slides
from bot.talks import versions
from bot.talks.publish import set_publish
from scheduler.site_jobs import SiteRebuild
from storage.db import Database
from storage.models import Submission
from tests.conftest import ANNOUNCE
from tests.sched_helpers import Sched, add_submission, at, make_sched, new_cycle
from tests.site_consent.conftest import SITE_URL
from tests.site_consent.support import rebuild_rows

PROGRAM_AT = at("2026-07-05T09:00:00+00:00")  # five days before the session, 09:00


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[dt.datetime | None]:
    """Every build of the site, by its clock (the real builder still runs)."""
    seen: list[dt.datetime | None] = []
    real = bot.site.build_site

    async def counting(db: Database, directory: Path, settings: Settings, *,
                       now: dt.datetime | None = None) -> Any:
        seen.append(now)
        return await real(db, directory, settings, now=now)

    monkeypatch.setattr(bot.site, "build_site", counting)
    return seen


def site_sched(db: Database, settings: Settings) -> Sched:
    sched = make_sched(db, settings)
    sched.deliverer.site_builder = SiteRebuild(settings, db)
    return sched


async def cycle_with_talks(db: Database, settings: Settings) -> tuple[int, dict[str, int]]:
    cid = await new_cycle(db, settings, title="July session", deadline="2026-06-30",
                          session="2026-07-10", announce="2026-06-01T09:00:00+00:00")
    talks = {name: await add_submission(db, cid, title=f"{name.title()} talk",
                                        status="accepted", slack_user=f"U{name.upper()}")
             for name in ("roto", "depth", "quiet")}
    async with db.transaction() as session:
        for sid in talks.values():
            sub = await session.get(Submission, sid)
            assert sub is not None
            sub.attendance = "confirmed"
            sub.decided_at = at("2026-07-01T09:00:00+00:00")
    return cid, talks


async def change(db: Database, sid: int, **what: Any) -> None:
    """One change of the speaker's, in its own transaction, as a request would make it."""
    async with db.transaction() as session:
        sub = await session.get(Submission, sid)
        assert sub is not None
        if "publish" in what:
            await set_publish(session, sub, what["publish"], by="USPEAKER", via="command",
                              now=dt.datetime.now(dt.UTC), rebuild_site=True)
        if "slides" in what:
            await slides.store(session, sub, what["slides"], None, actor="USPEAKER",
                               now=dt.datetime.now(dt.UTC), rebuild_site=True)


def posted(slack: SlackEmulator) -> list[str]:
    return [str(m.get("blocks")) for m in slack.channel_messages(ANNOUNCE)]


async def test_many_changes_in_a_tick_make_one_build(
        db: Database, settings: Settings, slack: SlackEmulator, site_dir: Path,
        builds: list[dt.datetime | None]) -> None:
    sched = site_sched(db, settings)
    _, talks = await cycle_with_talks(db, settings)
    await change(db, talks["roto"], publish=True)
    await change(db, talks["depth"], publish=True)
    await change(db, talks["roto"], slides="https://slides.example.org/roto")
    await change(db, talks["depth"], publish=True)  # the same again: nothing to build
    assert [r.status for r in await rebuild_rows(db)] == ["pending"]
    # The program goes out in the same tick: still the one build, after everything.
    report, _ = await sched.tick(PROGRAM_AT)
    assert any(r.startswith("program:") for r in report.ran) and not report.errors
    assert builds == [PROGRAM_AT]
    assert [r.status for r in await rebuild_rows(db)] == ["sent"]
    page = (site_dir / "index.html").read_text()
    assert "Roto talk" in page and "Depth talk" in page and "Quiet talk" not in page
    # The program links each published talk (and only those) to its page on SITE_URL.
    [program] = posted(slack)
    refs = {}
    async with db.session() as session:
        for name, sid in talks.items():
            refs[name] = (await session.get(Submission, sid)).ref  # type: ignore[union-attr]
    assert f"<{SITE_URL}talks/{refs['roto']}.html|" in program
    assert f"<{SITE_URL}talks/{refs['depth']}.html|" in program
    assert f"talks/{refs['quiet']}.html" not in program
    assert block_errors(slack.channel_messages(ANNOUNCE)[0]["blocks"]) == []
    # Nothing changed since: a later tick builds nothing.
    await sched.tick(PROGRAM_AT + dt.timedelta(minutes=1))
    assert len(builds) == 1
    # The recap (seven days after the session) builds once more and links the pages.
    await sched.tick(at("2026-07-17T09:00:00+00:00"))
    assert len(builds) == 2
    recap = posted(slack)[-1]
    assert "Recap" in str(slack.channel_messages(ANNOUNCE)[-1]["text"])
    assert f"<{SITE_URL}talks/{refs['roto']}.html|talk page>" in recap
    assert "slides.example.org/roto" in recap and f"talks/{refs['quiet']}" not in recap


async def test_a_failed_build_is_retried_and_the_tick_goes_on(
        db: Database, settings: Settings, slack: SlackEmulator, site_dir: Path) -> None:
    site_dir.parent.mkdir(parents=True)
    site_dir.write_text("a file where the site should go")  # noqa: ASYNC240 - a setup step
    _, talks = await cycle_with_talks(db, settings)
    await change(db, talks["roto"], publish=True)
    # `wgml-bot tick`'s own path: the deliverer built from the settings.
    result = await operations.tick(settings, db, PROGRAM_AT)
    assert not result.jobs.errors and result.delivery.retried >= 1
    [row] = await rebuild_rows(db)
    assert row.status == "pending" and row.last_error is not None
    assert "site build" in row.last_error and str(site_dir) in row.last_error
    due = row.next_attempt_at  # SQLite hands it back without its zone
    assert (due if due.tzinfo else due.replace(tzinfo=dt.UTC)) > PROGRAM_AT  # backing off
    # Another change meanwhile waits for the same build.
    await change(db, talks["depth"], publish=True)
    assert len(await rebuild_rows(db)) == 1
    site_dir.unlink()  # noqa: ASYNC240 - the operator fixes it; the retry builds
    later = PROGRAM_AT + dt.timedelta(hours=1)
    result = await operations.tick(settings, db, later)
    [row] = await rebuild_rows(db)
    assert row.status == "sent" and row.result == {"site_dir": str(site_dir), "talks": 2}
    page = (site_dir / "index.html").read_text()
    assert "Roto talk" in page and "Depth talk" in page


async def test_without_site_dir_nothing_is_queued(
        db: Database, settings: Settings, slack: SlackEmulator) -> None:
    plain = settings.model_copy(update={"site_dir": None, "site_url": None})
    assert parts.deliverer(plain, db).site_builder is None
    assert parts.deliverer(settings, db).site_builder is not None
    _, talks = await cycle_with_talks(db, plain)
    async with db.transaction() as session:
        sub = await session.get(Submission, talks["roto"])
        assert sub is not None
        await set_publish(session, sub, True, by="U1", via="command",
                          now=dt.datetime.now(dt.UTC))
    sched = make_sched(db, plain)
    await sched.tick(PROGRAM_AT)
    assert await rebuild_rows(db) == []
    assert "talks/" not in posted(slack)[0]  # no SITE_URL: no links


def test_check_config_says_whether_site_dir_can_be_written(tmp_path: Path,
                                                           settings: Settings) -> None:
    def line(where: Path) -> str:
        return check_site_dir(settings.model_copy(update={"site_dir": str(where)})).line()

    assert line(tmp_path).startswith("ok   SITE_DIR: ") and "writable" in line(tmp_path)
    assert line(tmp_path / "a" / "b").startswith("ok ") and "first build creates it" in \
        line(tmp_path / "a" / "b")
    afile = tmp_path / "file"
    afile.write_text("x")
    assert line(afile).startswith("FAIL SITE_DIR: ") and "is a file" in line(afile)
    assert line(afile / "site").startswith("FAIL") and "cannot be created" in \
        line(afile / "site")


async def test_check_config_prints_one_site_dir_line(settings: Settings) -> None:
    found = [c for c in await connection_checks(settings) if c.name == "SITE_DIR"]
    assert len(found) == 1 and found[0].ok
    none = settings.model_copy(update={"site_dir": None})
    assert not [c for c in await connection_checks(none) if c.name == "SITE_DIR"]


async def test_a_new_confirmed_text_of_a_published_talk_rebuilds_the_archive(
        db: Database, settings: Settings, slack: SlackEmulator, site_dir: Path,
        builds: list[dt.datetime | None]) -> None:
    """An accepted talk on the archive edited by its speaker (the Slack form's confirmed edit,
    or an emailed edit confirmed later): the archive shows the new text after one build; a
    talk not on the archive changes no page."""
    sched = site_sched(db, settings)
    _, talks = await cycle_with_talks(db, settings)
    await change(db, talks["roto"], publish=True)
    await sched.tick(PROGRAM_AT)
    assert len(builds) == 1 and "Roto talk" in (site_dir / "index.html").read_text()
    now = PROGRAM_AT + dt.timedelta(minutes=5)
    async with db.transaction() as session:
        roto = await session.get(Submission, talks["roto"])
        quiet = await session.get(Submission, talks["quiet"])
        assert roto is not None and quiet is not None
        for sub in (roto, quiet):  # the texts they confirmed when they submitted
            await versions.record_confirmed(session, sub, actor="USPEAKER", channel="slack",
                                            now=now - dt.timedelta(days=30))
        await versions.apply_confirmed(
            session, quiet, {"title": "Quiet talk, renamed"}, actor="UQUIET", channel="slack",
            now=now, leadership_channel=None, rebuild_site=True)
    assert [r.status for r in await rebuild_rows(db)] == ["sent"]  # not on the archive
    async with db.transaction() as session:
        roto = await session.get(Submission, talks["roto"])
        assert roto is not None
        fields, _ = await versions.apply_confirmed(
            session, roto, {"title": "Roto with fewer keys"}, actor="UROTO", channel="slack",
            now=now, leadership_channel=None, rebuild_site=True)
        assert fields == ["title"]
    assert [r.status for r in await rebuild_rows(db)].count("pending") == 1
    await sched.tick(now + dt.timedelta(minutes=1))
    page = (site_dir / "index.html").read_text()
    assert len(builds) == 2 and "Roto with fewer keys" in page and "Quiet talk" not in page
    # An edit waiting for the speaker changes nothing public until confirmed (by email).
    async with db.transaction() as session:
        roto = await session.get(Submission, talks["roto"])
        assert roto is not None
        pending = await versions.stage_pending(session, roto, {"title": "Roto, final"},
                                               actor="roto@example.org", channel="email",
                                               now=now)
        assert pending is not None
    assert [r.status for r in await rebuild_rows(db)].count("pending") == 0
    async with db.transaction() as session:
        roto = await session.get(Submission, talks["roto"])
        waiting = await versions.pending_of(session, talks["roto"])
        assert roto is not None and waiting is not None
        await versions.confirm_pending(session, roto, waiting, actor="roto@example.org",
                                       now=now, leadership_channel=None, rebuild_site=True)
    await sched.tick(now + dt.timedelta(minutes=2))
    assert len(builds) == 3 and "Roto, final" in (site_dir / "index.html").read_text()
