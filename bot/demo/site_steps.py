"""The demo's last step (docs/site.md): the public archive built from what the story made,
with `wgml-bot site build`, as an operator runs it; the demo prints where it is.

Ada agrees to publication first. The ways a speaker gives that agreement (the slides
form's checkbox, `Publish: yes` by email) are the consent work's; until the story presses
them, this step records her agreement on the talk itself.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import html
import tempfile
from pathlib import Path

from sqlalchemy import select

from bot.demo.play import ADA, Demo, Skip
from storage.models import Cycle, Submission


async def the_public_archive(demo: Demo) -> None:
    if not demo.state.get("confirmed"):
        raise Skip("no speaker confirmed presenting earlier in the story")
    now = dt.datetime.now(dt.UTC)
    async with demo.bot.db.transaction() as session:
        ada = await session.get(Submission, demo.state[ADA])
        cycle = await session.get(Cycle, demo.state["cycle_id"])
        if ada is None or cycle is None:
            raise RuntimeError("Ada's talk or the demo's cycle is gone")
        if ada.publish is not True:
            ada.publish, ada.publish_at = True, now
            demo.note("Ada agrees to list her talk, slides and recording on the public "
                      "archive.")
        title = ada.title
        others = list((await session.scalars(select(Submission.title).where(
            Submission.cycle_id == cycle.id, Submission.id != ada.id))).all())
        built_at = dt.datetime.combine(cycle.session_date + dt.timedelta(days=7),
                                       dt.time(10, 0), tzinfo=demo.settings.zone)
    directory = demo.state.get("site_dir") or Path(tempfile.mkdtemp(prefix="wgml-demo-site-"))
    demo.state["site_dir"] = directory
    demo.note(f"The operator runs `wgml-bot site build {directory} --now "
              f"{built_at.isoformat()}`.")
    if await demo.cli(["site", "build", str(directory), "--now", built_at.isoformat()],
                      demo.settings) != 0:
        raise RuntimeError("`wgml-bot site build` failed")
    index = Path(directory) / "index.html"
    page = await asyncio.to_thread(index.read_text, encoding="utf-8")
    if html.escape(title, quote=False) not in page:
        raise RuntimeError("Ada's talk is not on the public archive")
    if [t for t in others if html.escape(t, quote=False) in page]:
        raise RuntimeError("a talk without its speaker's agreement is on the public archive")
    demo.note(f"The public archive: {index.resolve().as_uri()} (a search links as "
              "index.html?q=hair); nobody else's talk is on it, as nobody else agreed.")
