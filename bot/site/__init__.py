"""The public archive: a static website of the published talks (docs/site.md).

`build_site` reads what the domain says may be published (`bot.sessions.archive`), renders
it (`bot.site.pages`: Jinja2, autoescaped; `bot.site.feeds`: feed.ics, feed.xml,
talks.json) and writes it into a folder, replacing only the site's own files, each
atomically (`bot.site.files`). The rendering libraries are imported when a build runs, so
the service carries them only once it builds a site.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from bot.config import Settings
from bot.sessions.archive import read_archive
from bot.site.files import SiteError, check_directory, write_site
from storage.db import Database

__all__ = ["SiteBuilt", "SiteError", "build_site"]


@dataclass(frozen=True)
class SiteBuilt:
    directory: Path
    talks: int
    sessions: int
    files: int = 0

    def line(self) -> str:
        return (f"site built in {self.directory}: {self.talks} talk"
                f"{'' if self.talks == 1 else 's'}, {self.sessions} session"
                f"{'' if self.sessions == 1 else 's'}, {self.files} files "
                f"(open {self.directory / 'index.html'})")


async def build_site(db: Database, directory: str | os.PathLike[str], settings: Settings, *,
                     now: dt.datetime | None = None) -> SiteBuilt:
    """Build the archive as of `now` (default: the clock) into `directory`, created when
    missing. Raises SiteError (one line) when the folder cannot be written; nothing of
    the site already there is changed then."""
    from bot.site.render import render_site

    target = Path(directory)
    await asyncio.to_thread(check_directory, target)
    now = now or dt.datetime.now(dt.UTC)
    async with db.read() as session:
        archive = await read_archive(session, now=now)
    files = await asyncio.to_thread(render_site, archive, settings)
    await asyncio.to_thread(write_site, target, files)
    return SiteBuilt(directory=target, talks=len(archive.talks),
                     sessions=len(archive.sessions), files=len(files))
