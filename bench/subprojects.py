"""A sub-project's form against Slack's 3 seconds: the time from submitting the "Propose a
sub-project" modal to its answer (leader check, the claim, conversations.create, attaching
the channel and queueing the evidence, 100 invitations and the announcements), next to the
bot's answer to `/wgml help` in the same run (the floor: a signed request, bolt, one reply).

The theme has 100 talks (the most a modal lists) among 3,000 in the database, each from its
own speaker on Slack, so every one is invited. Real parts: the bot in this process on SQLite,
the Slack emulator, signed HTTP requests. `python -m bench.subprojects`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import statistics
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from aiohttp import web

from bot.app.service import Bot
from bot.config import Settings
from bot.demo.emulator.requests import SlackSender, interactive, slash_command
from bot.demo.emulator.slack import SlackEmulator, bound_port
from bot.slack_ui.subprojects import MODAL_CALLBACK
from bot.subprojects.store import theme_key
from storage.db import Database
from storage.migrate import stamp_head
from storage.models import Base, Speaker, Submission

SECRET = "bench-secret"
TOKEN = "xoxb-bench"
LEADS = "CLEADS"
TALKS = 3000
THEME = 100
ROUNDS = 9


async def seed(db: Database) -> list[int]:
    async with db.transaction() as session:
        subs = []
        for n in range(TALKS):
            speaker = Speaker(name=f"Speaker {n}", studio=f"Studio {n % 40}",
                              slack_user_id=f"USPK{n:05d}")
            sub = Submission(speaker=speaker, title=f"Hair mattes, attempt {n}",
                             focus_area="content_creation", abstract="We tried matting.",
                             results="Fine strands vanished and edges chattered.",
                             studio=f"Studio {n % 40}", source="slack", status="submitted",
                             confidentiality_confirmed=True, ref=f"WGML-2026-{n + 1:04d}",
                             created_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC))
            session.add(sub)
            subs.append(sub)
        await session.flush()
        return [s.id for s in subs[:THEME]]


def submission(view_id: str, ids: list[int], n: int) -> bytes:
    values = {
        "name": {"name_input": {"type": "plain_text_input", "value": f"Hair mattes {n}"}},
        "channel": {"channel_input": {"type": "plain_text_input",
                                      "value": f"wgml-hair-{n}"}},
        "statement": {"statement_input": {"type": "plain_text_input",
                                          "value": "Fine strands vanish in every matte."}},
        "talks": {"talks_select": {"type": "multi_static_select", "selected_options": [
            {"text": {"type": "plain_text", "text": str(i)}, "value": str(i)} for i in ids]}},
    }
    meta = json.dumps({"k": theme_key([*ids, -n]), "n": "hair", "h": []})
    return interactive({
        "type": "view_submission", "team": {"id": "T0WGML01", "domain": "wgml"},
        "user": {"id": "ULEAD1", "username": "ulead1", "team_id": "T0WGML01"},
        "api_app_id": "AEMULATOR", "trigger_id": "1.x",
        "view": {"id": view_id, "type": "modal", "callback_id": MODAL_CALLBACK,
                 "state": {"values": values}, "private_metadata": meta, "hash": "h"}})


async def timed(sender: SlackSender, body: bytes) -> float:
    began = time.perf_counter()
    status, text = await sender.post(body)
    elapsed = time.perf_counter() - began
    if status != 200 or "errors" in text:
        raise RuntimeError(f"HTTP {status}: {text[:300]}")
    return elapsed


async def measure() -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        db = Database(url)
        async with db.engine.begin() as conn:
            await conn.run_sync(Base.metadata.create_all)
            await conn.run_sync(stamp_head)
        ids = await seed(db)
        slack = await SlackEmulator(token=TOKEN, members={LEADS: ["ULEAD1"]}).start()
        slack.conversations.add_users(*(f"USPK{n:05d}" for n in range(THEME)))
        settings = Settings(_env_file=None, database_url=url,  # type: ignore[call-arg]
                            slack_bot_token=TOKEN, slack_signing_secret=SECRET,  # type: ignore[arg-type]
                            slack_api_url=slack.url, leadership_channel_id=LEADS,
                            announce_channel_id="CANNOUNCE")
        bot = Bot.build(settings, db=db)
        runner = web.AppRunner(bot.web_app(), access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        sender = SlackSender(f"http://127.0.0.1:{bound_port(site)}/slack/events", SECRET)
        try:
            await timed(sender, slash_command("ULEAD1", "help"))  # warm: leaders cached
            helps, forms = [], []
            for n in range(ROUNDS):
                helps.append(await timed(sender, slash_command("ULEAD1", "help")))
                forms.append(await timed(sender, submission(f"V{uuid.uuid4().hex[:10]}",
                                                            ids, n)))
        finally:
            await sender.close()
            await runner.cleanup()
            await slack.stop()
            await db.dispose()
    return {"help": helps, "form": forms}


async def main() -> int:
    figures = await measure()
    help_ms = statistics.median(figures["help"]) * 1000
    form_ms = statistics.median(figures["form"]) * 1000
    worst = max(figures["form"]) * 1000
    print(f"sub-project form ({THEME} talks of {TALKS}, SQLite): median {form_ms:.0f} ms, "
          f"worst {worst:.0f} ms of Slack's 3000 ms; /wgml help median {help_ms:.0f} ms; "
          f"ratio {form_ms / help_ms:.1f}x the floor")
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
