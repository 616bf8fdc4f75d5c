"""Scale-out: replicas of `wgml-bot run --http` sharing one PostgreSQL database.

Talks submitted through different replicas, a burst of vote presses spread round-robin over
them, one replica SIGKILLed mid-burst, each replica's scheduler wanting the same call for
speakers. Reports acknowledged-but-lost votes (must be 0), posts per idempotency key (must
be 1), whether the cards show what the database holds, and the burst's acknowledgement
latency against a single replica doing the same work in the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import logging
import tempfile
from pathlib import Path

from bench.cluster import Cluster, Outcome, open_call, replica_env, scenario
from bench.common import fresh_postgres, pct, postgres_reachable, summary
from bot.demo.emulator.slack import SlackEmulator
from storage.db import Database
from storage.models import Base

TOKEN = "xoxb-bench"
SECRET = "bench-secret"
LEADS = "CLEADS"
ANNOUNCE = "CANNOUNCE"


def parse(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="python -m bench.scaleout", description=__doc__)
    ap.add_argument("--replicas", type=int, default=3)
    ap.add_argument("--leaders", type=int, default=60)
    ap.add_argument("--talks", type=int, default=5)
    return ap.parse_args(argv or [])


async def one_run(name: str, size: int, kill: int | None, args: argparse.Namespace) -> Outcome:
    leaders = [f"UL{i:05d}" for i in range(args.leaders)]
    slack = await SlackEmulator(token=TOKEN, members={LEADS: leaders}, page_size=200).start()
    url = await fresh_postgres(name)
    db = Database(url)
    async with db.engine.begin() as conn:
        await conn.run_sync(Base.metadata.create_all)
    await open_call(db, dt.datetime.now(dt.UTC))
    work = Path(tempfile.mkdtemp(prefix=f"{name}-"))
    env = replica_env(url, slack, token=TOKEN, secret=SECRET, leads=LEADS, announce=ANNOUNCE)
    cluster = Cluster(size, env, work, SECRET)
    try:
        await cluster.start()
        share = args.leaders * args.talks // size
        return await scenario(cluster, slack, db, leads=LEADS, announce=ANNOUNCE,
                              leaders=leaders, talks=args.talks, kill=kill,
                              kill_after=share // 3)
    finally:
        await cluster.stop()
        await slack.stop()
        await db.dispose()


async def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    logging.getLogger("wgml").setLevel(logging.ERROR)
    if not await postgres_reachable():  # no server: the other benchmarks still run
        print("== Scale-out: skipped, PostgreSQL is not reachable at PG_URL ==")
        return 0
    single = await one_run("wgml_bench_single", 1, None, args)
    multi = await one_run("wgml_bench_scaleout", args.replicas, args.replicas - 1, args)
    print(f"== Scale-out: {args.replicas} replicas on one PostgreSQL database, "
          f"{multi.presses} vote presses on {args.talks} talks, replica "
          f"{args.replicas - 1} SIGKILLed after acknowledging a third of its share ==")
    print(f"1 replica   {summary(single.ack_latencies)}  burst {single.burst_seconds:.2f} s")
    print(f"{args.replicas} replicas  {summary(multi.ack_latencies)}  burst "
          f"{multi.burst_seconds:.2f} s (killed one)")
    ratio = pct(multi.ack_latencies, 99) / pct(single.ack_latencies, 99)
    print(f"p99 ratio {args.replicas} replicas / 1 replica: {ratio:.2f}x; acknowledged per "
          f"replica {dict(sorted(multi.per_replica.items()))}; refused by the dead replica "
          f"{multi.refused}")
    ok = True
    for label, out in (("1 replica", single), (f"{args.replicas} replicas", multi)):
        good = (not out.lost and not out.doubled and out.cards_agree and out.call_posts == 1
                and all(n == 1 for n in out.card_posts.values()))
        ok &= good
        print(f"{label}: acknowledged {len(out.acked)}, stored {len(out.stored)}, "
              f"acknowledged but lost {len(out.lost)}; keys posted twice {len(out.doubled)}; "
              f"cards posted {sum(out.card_posts.values())} for {out.talks} talks; "
              f"calls for speakers {out.call_posts}; cards agree with the database "
              f"{'yes' if out.cards_agree else 'NO'} ({'ok' if good else 'FAILED'})")
    return 0 if ok else 1


if __name__ == "__main__":
    import sys

    raise SystemExit(asyncio.run(main(sys.argv[1:])))
