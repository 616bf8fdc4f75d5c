"""Scale-out: three `wgml-bot run --http` replicas on one database, one killed mid-burst.

Behaviour only (no timings): every acknowledged vote is stored, nothing is posted twice, the
call for speakers goes out once although three schedulers want it, and the cards end up
showing what the database holds, delivered by the replicas that survived.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bench.cluster import Cluster, open_call, replica_env, scenario
from bot.demo.emulator.slack import SlackEmulator
from storage.db import Database
from tests.conftest import ANNOUNCE, LEADS, SECRET, TOKEN

LEADERS = [f"USCALE{i:03d}" for i in range(24)]


async def test_replicas_lose_nothing_acknowledged_and_post_once(
    db: Database, db_url: str, tmp_path: Path
) -> None:
    slack = await SlackEmulator(token=TOKEN, members={LEADS: LEADERS}, page_size=200).start()
    call_cycle = await open_call(db, dt.datetime.now(dt.UTC))
    env = replica_env(db_url, slack, token=TOKEN, secret=SECRET, leads=LEADS,
                      announce=ANNOUNCE)
    cluster = Cluster(3, env, tmp_path, SECRET)
    try:
        await cluster.start()
        out = await scenario(cluster, slack, db, leads=LEADS, announce=ANNOUNCE,
                             leaders=LEADERS, talks=3, kill=2, kill_after=5)
    finally:
        await cluster.stop()
        await slack.stop()
    assert cluster.killed == {2}
    # It died mid-burst: some of its presses acknowledged, the rest refused.
    assert out.per_replica[2] >= 5 and out.refused > 0
    assert out.lost == set(), f"acknowledged but not stored: {sorted(out.lost)[:5]}"
    # Nothing stored that nobody pressed, and at most one vote per leader per talk.
    pressed = {(sid, voter) for sid, voter, _ in out.acked}
    assert pressed <= set(out.stored)
    assert len(out.stored) <= out.presses
    assert out.doubled == [], f"posted more than once: {out.doubled}"
    assert sorted(out.card_posts.values()) == [1, 1, 1]  # one card per talk
    assert out.call_posts == 1, "three schedulers, one call for speakers"
    assert out.posts_per_key[f"job:call:{call_cycle}:slack"] == 1
    assert out.cards_agree, "a card does not show the votes the database holds"
