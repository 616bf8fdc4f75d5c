"""The site in headless Chromium (DevTools protocol): search, ?q=, filters, JavaScript off,
a hostile talk that never runs, and 1,000 talks still searched."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bot.config import Settings
from storage.db import Database
from storage.models import Speaker, Submission
from tests.sched_helpers import Sched, new_cycle
from tests.site.browser import chromium
from tests.site.conftest import HOSTILE_TITLE, PROGRAM_AT, RECAP_AT, build, seed_session

ROTO = "Roto with SAM 2"


async def built_site(sched: Sched, db: Database, settings: Settings, tmp_path: Path) -> Path:
    await seed_session(db, settings)
    await sched.tick(PROGRAM_AT)
    await sched.tick(RECAP_AT)
    site = tmp_path / "site"
    await build(db, settings, site, RECAP_AT)
    return site


async def test_a_hostile_talk_is_text_and_never_runs(sched: Sched, db: Database,
                                                     london: Settings, tmp_path: Path) -> None:
    site = await built_site(sched, db, london, tmp_path)
    pages = [site / "index.html", *sorted((site / "talks").iterdir()),
             *sorted((site / "sessions").iterdir())]
    async with chromium() as browser:
        for page in pages:
            await browser.open(page.as_uri())
            assert await browser.eval("typeof window.pwned") == "undefined", page
            # The page's own script only; no element a talk's text made.
            assert await browser.eval(
                "Array.from(document.scripts).map(s => s.getAttribute('src'))"
            ) in (["site.js"], []), page
            assert await browser.eval(
                "document.querySelectorAll('img, svg, iframe, object, [onerror], [onload]')"
                ".length") == 0, page
            assert await browser.eval(
                "Array.from(document.links).filter(a => !/^(https?|file):/.test(a.href))"
                ".length") == 0, page
        assert browser.dialogs == []
        await browser.open((site / "index.html").as_uri())
        titles = await browser.eval(
            "Array.from(document.querySelectorAll('.talk .title')).map(t => t.textContent)")
        assert HOSTILE_TITLE in titles
        text = await browser.eval("document.body.innerText")
        assert "onerror=\"window.pwned='img'\"" in text  # shown as the speaker wrote it
        csp = await browser.eval(
            "document.querySelector('meta[http-equiv=Content-Security-Policy]').content")
        assert "script-src 'self'" in csp and "default-src 'none'" in csp


async def test_q_in_the_address_opens_with_the_search_applied(
        sched: Sched, db: Database, london: Settings, tmp_path: Path) -> None:
    site = await built_site(sched, db, london, tmp_path)
    async with chromium() as browser:
        await browser.open((site / "index.html").as_uri() + "?q=rotoscoping")
        assert await browser.hidden_talks() == {ROTO: False, HOSTILE_TITLE: True}
        assert await browser.eval("document.getElementById('q').value") == "rotoscoping"
        assert await browser.eval("document.getElementById('search').hidden") is False
        # Every field is searched: results, speaker, studio, focus area; words are ANDed.
        for query, shown in (("two days saved", {ROTO}), ("evil", {HOSTILE_TITLE}),
                             ("infrastructure", {HOSTILE_TITLE}),
                             ("northlight hair", {ROTO}), ("nothing-like-this", set())):
            await browser.open((site / "index.html").as_uri() + "?q=" + query.replace(" ", "+"))
            hidden = await browser.hidden_talks()
            assert {t for t, h in hidden.items() if not h} == shown, query
        assert await browser.eval("document.getElementById('no-match').hidden") is False


async def test_typing_and_the_filters(sched: Sched, db: Database, london: Settings,
                                      tmp_path: Path) -> None:
    site = await built_site(sched, db, london, tmp_path)
    async with chromium() as browser:
        await browser.open((site / "index.html").as_uri())
        assert await browser.hidden_talks() == {ROTO: False, HOSTILE_TITLE: False}
        await browser.type("#q", "SAM")
        assert await browser.hidden_talks() == {ROTO: False, HOSTILE_TITLE: True}
        await browser.eval("const b = document.getElementById('q'); b.value = '';"
                           "b.dispatchEvent(new Event('input'))")
        assert await browser.hidden_talks() == {ROTO: False, HOSTILE_TITLE: False}
        await browser.eval("const f = document.getElementById('focus');"
                           "f.value = 'infrastructure'; f.dispatchEvent(new Event('change'))")
        assert await browser.hidden_talks() == {ROTO: True, HOSTILE_TITLE: False}
        await browser.open((site / "index.html").as_uri() + "?studio=Northlight+Animation")
        assert await browser.eval("document.getElementById('studio').value") == \
            "northlight animation"
        assert await browser.hidden_talks() == {ROTO: False, HOSTILE_TITLE: True}


async def test_with_javascript_off_every_talk_is_shown(sched: Sched, db: Database,
                                                       london: Settings,
                                                       tmp_path: Path) -> None:
    site = await built_site(sched, db, london, tmp_path)
    async with chromium() as browser:
        await browser.open((site / "index.html").as_uri() + "?q=rotoscoping",
                           javascript=False)
        assert await browser.hidden_talks() == {ROTO: False, HOSTILE_TITLE: False}
        assert await browser.eval("document.getElementById('search').hidden") is True
        text = await browser.eval("document.body.innerText")
        assert "Two days saved per shot." in text and "We tried SAM 2" in text


async def test_a_thousand_talks_still_search(db: Database, london: Settings,
                                             tmp_path: Path) -> None:
    cid = await new_cycle(db, london, title="Big session", deadline="2026-06-30",
                          session="2026-07-10", announce="2026-06-01T09:00:00+01:00")
    async with db.transaction() as s:
        speaker = Speaker(name="Many", studio="Studio M")
        s.add(speaker)
        await s.flush()
        s.add_all([Submission(
            cycle_id=cid, speaker_id=speaker.id, ref=f"WGML-2026-{n:04d}",
            title=f"Talk number {n}" + (" needle" if n == 777 else ""),
            focus_area="content_creation", abstract=f"Abstract {n} of many.",
            results="", studio="Studio M", source="email", status="accepted",
            confidentiality_confirmed=True, attendance="confirmed", publish=True,
            created_at=dt.datetime(2026, 6, 1, tzinfo=dt.UTC)) for n in range(1000)])
    built = await build(db, london, tmp_path / "site", RECAP_AT)
    assert built.talks == 1000
    async with chromium() as browser:
        await browser.open((tmp_path / "site" / "index.html").as_uri() + "?q=needle")
        hidden = await browser.hidden_talks()
        assert len(hidden) == 1000
        assert [t for t, h in hidden.items() if not h] == ["Talk number 777 needle"]
        await browser.type("#q", "x")  # "needlex": nothing
        assert all((await browser.hidden_talks()).values())
        assert await browser.eval("document.getElementById('search-status').textContent") \
            == "0 of 1000 talks match."
