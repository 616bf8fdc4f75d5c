"""Building the public archive again (bot.site) when what it shows has changed.

The domain marks the site dirty by queueing a `site.rebuild` outbox row in the transaction of
the change (storage.outbox.enqueue_site_rebuild: at most one waiting, so ten changes before
delivery comes round make one build); the deliverer claims it like any row, once across
replicas, and calls SiteRebuild. A failed build (an unwritable SITE_DIR, a full disk) is a
transient error: logged, the row retried with backoff, never an error of `run` or `tick`.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Any

from bot.config import Settings
from scheduler.outbox_policy import TransientError
from storage.db import Database

log = logging.getLogger("wgml.site")


class SiteRebuild:
    """What a deliverer calls for a `site.rebuild` row, when SITE_DIR is set."""

    def __init__(self, settings: Settings, db: Database) -> None:
        assert settings.site_dir is not None
        self.settings = settings
        self.db = db
        self.directory = Path(settings.site_dir)
        self.builds = 0  # completed in this process, for operators' logs and tests

    async def __call__(self, now: dt.datetime) -> dict[str, Any]:
        # Imported here: `run` keeps the site's libraries (templates, icalendar) out of the
        # service's memory until a site is built (tests/app/test_run_imports.py).
        try:
            from bot.site import build_site
            built = await build_site(self.db, self.directory, self.settings, now=now)
        except Exception as exc:
            log.warning("event=site.build_failed dir=%s error=%s: %s", self.directory,
                        type(exc).__name__, str(exc)[:200])
            raise TransientError(f"site build in {self.directory}: {type(exc).__name__}: "
                                 f"{str(exc)[:300]}") from None
        self.builds += 1
        talks = getattr(built, "talks", None)
        log.info("event=site.built dir=%s talks=%s", self.directory,
                 talks if isinstance(talks, int) else "?")
        return {"site_dir": str(self.directory),
                **({"talks": talks} if isinstance(talks, int) else {})}


def site_rebuild(settings: Settings, db: Database) -> SiteRebuild | None:
    return SiteRebuild(settings, db) if settings.site_dir else None
