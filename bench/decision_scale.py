"""A decision in a large call: what accepting one talk costs in a 100- and a 1,000-talk call.

Each size gets a fresh database seeded through the models (the call's talks with posted
cards, ~150-word abstracts, two votes each, and twice as many talks of earlier calls, so
similar work has a history to read) and the Slack emulator holding the cards. The bot is
built in-process (the HTTP app, the real press path) with its deliverer driven by hand, so
every Slack call the decision leads to is counted. Measured per press:

- the acknowledgement (the signed HTTP request to its answer),
- the delivery until nothing is pending (the renders and Slack calls it queued),
- `chat.update` and `chat.postMessage` calls, and card renders (`card_blocks` calls).

The baseline in the same run is a vote in the same call (it changes one card). Printed: each
figure at both sizes, the growth ratio 1,000 / 100, and accept / vote.

    python -m bench.decision_scale [--postgres] [--sizes 100,1000]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import random
import sys
import tempfile
import time
import uuid
import zoneinfo
from pathlib import Path
from typing import Any

from aiohttp import web
from sqlalchemy import insert, select

import scheduler.outbox_cards as outbox_cards
from bot.app.service import Bot
from bot.config import Settings
from bot.curation.ack import drain_presses
from bot.demo.emulator.requests import SlackSender
from bot.demo.emulator.slack import SlackEmulator, bound_port
from bot.talks.cycles import CycleRequest, open_cycle
from storage.db import Database
from storage.migrate import stamp_head
from storage.models import Base, Cycle, OutboxMessage, Speaker, Submission, Vote

TOKEN = "xoxb-bench"
SECRET = "bench-secret"
LEADS = "CLEADERS1"
LEADERS = [f"ULEAD{n:03d}" for n in range(1, 11)]
PG = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
WORDS = ("hair groom strand simulation cloth drape solver denoiser path tracing samples roto "
         "matte edge facial capture blendshape lip sync upscaling plate depth stereo crowd "
         "agents relighting hdri colour grading keying despill asset tagging render farm "
         "queue texture material motion blur retargeting mocap fluid smoke volume layout "
         "camera previs inpainting cleanup voice terrain muscle skin optical flow tracking "
         "pipeline artists shots frames model training inference dailies studio").split()


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


async def _database(postgres: bool, tmp: Path) -> tuple[str, str | None]:
    if not postgres:
        return f"sqlite+aiosqlite:///{tmp / f'decision-{uuid.uuid4().hex[:8]}.db'}", None
    import asyncpg
    name = f"wgml_bench_{uuid.uuid4().hex[:10]}"
    conn = await asyncpg.connect(host="127.0.0.1", port=5432, user="postgres")
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return PG.rsplit("/", 1)[0] + f"/{name}", name


async def _drop(name: str | None) -> None:
    if name is None:
        return
    import asyncpg
    conn = await asyncpg.connect(host="127.0.0.1", port=5432, user="postgres")
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


async def seed(db: Database, slack: SlackEmulator, talks: int) -> list[tuple[int, str]]:
    """The call's talks, cards posted (in the database and in the emulator), and a history
    twice as large in an earlier call. Returns (id, card ts) of the call's talks."""
    rng = random.Random(talks)
    now = dt.datetime.now(dt.UTC)
    today = dt.date.today()
    async with db.transaction() as session:
        cycle = await open_cycle(session, CycleRequest(
            title="Big call", deadline=today + dt.timedelta(days=20),
            session_date=today + dt.timedelta(days=40), slots=3),
            zoneinfo.ZoneInfo("UTC"), now)
        old = Cycle(title="Earlier call", deadline=now - dt.timedelta(days=400),
                    deadline_date=today - dt.timedelta(days=400),
                    session_date=today - dt.timedelta(days=380),
                    announce_at=now - dt.timedelta(days=430), status="closed")
        session.add(old)
        await session.flush()
        speakers = [Speaker(name=f"Speaker {n}", slack_user_id=f"USPK{n:06d}",
                            studio=f"Studio {n % 40}") for n in range(talks)]
        session.add_all(speakers)
        await session.flush()
        rows = []
        for n in range(talks * 3):
            current = n < talks
            rows.append({
                "cycle_id": cycle.id if current else old.id,
                "speaker_id": speakers[n % talks].id,
                "title": _text(rng, 7), "focus_area": ("content_creation", "llm_pipeline",
                                                       "infrastructure", "other")[n % 4],
                "abstract": _text(rng, 150), "results": _text(rng, 40), "studio": "",
                "source": "email", "status": "submitted" if current else "accepted",
                "confidentiality_confirmed": True, "confidentiality_confirmed_at": now,
                "email_thread_ids": {}, "card_channel": LEADS if current else None,
                "card_ts": f"{1_700_000_000 + n}.000100" if current else None,
                "created_at": now, "updated_at": now,
            })
        await session.execute(insert(Submission), rows)
        ids = (await session.execute(select(Submission.id, Submission.card_ts).where(
            Submission.cycle_id == cycle.id).order_by(Submission.id))).all()
        await session.execute(insert(Vote), [
            {"submission_id": sid, "voter": LEADERS[(sid + k) % len(LEADERS)], "value": "yes",
             "at": now} for sid, _ in ids for k in range(2)])
        for sid, _ in ids:
            await session.execute(Submission.__table__.update().where(
                Submission.id == sid).values(ref=f"WGML-BENCH-{sid:05d}"))
    for _, ts in ids:
        slack.messages[LEADS].append({"type": "message", "ts": ts, "text": "card",
                                      "blocks": [], "user": "UBOT0001"})
    return [(sid, str(ts)) for sid, ts in ids]


class Counter:
    def __init__(self) -> None:
        self.renders = 0
        real = outbox_cards.card_blocks

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.renders += 1
            return real(*args, **kwargs)

        outbox_cards.card_blocks = counted  # type: ignore[assignment]


async def measure(bot: Bot, sender: SlackSender, slack: SlackEmulator, counter: Counter,
                  user: str, action: str, value: str, ts: str) -> dict[str, float]:
    calls, renders = len(slack.calls), counter.renders
    began = time.perf_counter()
    status, body = await sender.press(user, action, value, channel=LEADS, message_ts=ts)
    ack = time.perf_counter() - began
    assert status == 200, body
    await drain_presses()
    delivery_began = time.perf_counter()
    while True:
        report = await bot.deliverer.drain(dt.datetime.now(dt.UTC))
        async with bot.db.read() as session:
            left = await session.scalar(select(OutboxMessage.id).where(
                OutboxMessage.status.in_(("pending", "sending")),
                OutboxMessage.lane.like("slack:%")).limit(1))
        if left is None and not report.progressed:
            break
    delivered = time.perf_counter() - delivery_began
    made = [c.method for c in slack.calls[calls:]]
    return {"ack": ack, "delivery": delivered, "updates": made.count("chat.update"),
            "posts": made.count("chat.postMessage"), "renders": counter.renders - renders}


async def one_size(talks: int, postgres: bool, tmp: Path, counter: Counter
                   ) -> dict[str, dict[str, float]]:
    slack = SlackEmulator(token=TOKEN, members={LEADS: list(LEADERS)})
    await slack.start()
    url, name = await _database(postgres, tmp)
    db = Database(url)
    try:
        async with db.engine.begin() as conn:
            await conn.run_sync(Base.metadata.create_all)
            await conn.run_sync(stamp_head)
        cards = await seed(db, slack, talks)
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            database_url=url, slack_bot_token=TOKEN,  # type: ignore[arg-type]
            slack_signing_secret=SECRET,  # type: ignore[arg-type]
            slack_api_url=slack.url, leadership_channel_id=LEADS)
        bot = Bot.build(settings, db=db)
        runner = web.AppRunner(bot.web_app(), access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        sender = SlackSender(f"http://127.0.0.1:{bound_port(site)}/slack/events", SECRET)
        try:
            (vote_id, vote_ts), (accept_id, accept_ts) = cards[10], cards[20]
            # Warm-up: the leaders' cache and the first render's imports.
            await measure(bot, sender, slack, counter, LEADERS[9], "vote_no",
                          f"{cards[5][0]}:no", cards[5][1])
            out = {
                "vote": await measure(bot, sender, slack, counter, LEADERS[9], "vote_yes",
                                      f"{vote_id}:yes", vote_ts),
                "accept": await measure(bot, sender, slack, counter, LEADERS[0],
                                        "decide_accept", f"{accept_id}:accept", accept_ts),
            }
        finally:
            await sender.close()
            await runner.cleanup()
    finally:
        await db.dispose()
        await slack.stop()
        await _drop(name)
    return out


def _row(label: str, small: float, large: float, unit: str = "") -> str:
    ratio = large / small if small else float("nan")
    if unit == "s":
        return f"  {label:<34} {small:9.3f} s {large:9.3f} s   {ratio:6.2f}x"
    return f"  {label:<34} {small:9.0f}   {large:9.0f}     {ratio:6.2f}x"


async def run(sizes: tuple[int, int], postgres: bool) -> int:
    counter = Counter()
    with tempfile.TemporaryDirectory() as tmp:
        small = await one_size(sizes[0], postgres, Path(tmp), counter)
        large = await one_size(sizes[1], postgres, Path(tmp), counter)
    print(f"decision_scale ({'PostgreSQL' if postgres else 'SQLite'}): a vote and an accept "
          f"in a {sizes[0]}- and a {sizes[1]}-talk call")
    print(f"  {'':<34} {sizes[0]:>9}   {sizes[1]:>9}   growth")
    for press in ("vote", "accept"):
        s, big = small[press], large[press]
        print(_row(f"{press}: acknowledgement", s["ack"], big["ack"], "s"))
        print(_row(f"{press}: delivery until settled", s["delivery"], big["delivery"], "s"))
        print(_row(f"{press}: chat.update calls", s["updates"], big["updates"]))
        print(_row(f"{press}: chat.postMessage calls", s["posts"], big["posts"]))
        print(_row(f"{press}: card renders", s["renders"], big["renders"]))
    for label, size in ((f"{sizes[0]} talks", small), (f"{sizes[1]} talks", large)):
        vote, accept = size["vote"], size["accept"]
        calls = (accept["updates"] + accept["posts"]) / max(1, vote["updates"] + vote["posts"])
        print(f"  accept / vote at {label}: Slack calls {calls:.2f}x, renders "
              f"{accept['renders'] / max(1, vote['renders']):.2f}x, delivery "
              f"{accept['delivery'] / max(1e-9, vote['delivery']):.2f}x")
    return 0


async def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.decision_scale")
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--sizes", default="100,1000")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    small, large = (int(x) for x in args.sizes.split(","))
    return await run((small, large), args.postgres)


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
