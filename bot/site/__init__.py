"""The public archive (placeholder for the consent branch's tests; the site branch's builder
replaces this file at merge): `build_site` writes DIR/index.html listing the published talks.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from bot.config import Settings
from storage.db import Database
from storage.models import Submission


@dataclass(frozen=True)
class SiteBuilt:
    directory: Path
    talks: int


async def build_site(db: Database, directory: Path, settings: Settings, *,
                     now: dt.datetime | None = None) -> SiteBuilt:
    async with db.session() as session:
        talks = (await session.scalars(select(Submission).where(
            Submission.publish.is_(True)).order_by(Submission.id))).unique().all()
        items = "".join(f'<li class="talk" id="{html.escape(s.ref or "")}">'
                        f"{html.escape(s.title)}</li>" for s in talks)
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "index.html").write_text(
        f"<!doctype html><title>WG-ML archive</title><ul>{items}</ul>\n", encoding="utf-8")
    return SiteBuilt(directory, len(talks))
