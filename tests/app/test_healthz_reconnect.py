"""`GET /healthz` while the database is reachable but has dropped the pool's connections
(a restart, a failover, pg_terminate_backend): 200 at the first try, not a 503 that makes a
load balancer take a healthy replica out."""

from __future__ import annotations

import aiohttp
import pytest
from aiohttp import web
from slack_bolt.async_app import AsyncApp
from sqlalchemy import text
from sqlalchemy.engine import make_url

import storage.db as storage_db
from bot.app.web import build_web_app
from bot.demo.emulator.slack import bound_port
from storage.db import Database
from tests.conftest import TEST_DB, _admin


@pytest.mark.skipif(TEST_DB != "postgres", reason="the PostgreSQL pool's connections")
async def test_healthz_is_200_right_after_the_database_drops_the_pools_connections(
        db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    # Every pooled connection counts as just used, so the idle ping on checkout (which
    # would otherwise hide the dropped connection) never runs: healthz meets it itself.
    monkeypatch.setattr(storage_db, "PING_IDLE", 3600.0)
    app = AsyncApp(token="xoxb-healthz", signing_secret="healthz-secret")
    runner = web.AppRunner(build_web_app(app, db, "healthz-secret"), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    url = f"http://127.0.0.1:{bound_port(site)}/healthz"
    name = make_url(db.url).database
    try:
        async with aiohttp.ClientSession() as http:
            async with http.get(url) as resp:
                assert resp.status == 200, await resp.text()
            async with db.engine.connect() as conn:
                pid = (await conn.execute(text("SELECT pg_backend_pid()"))).scalar_one()
            await _admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                         f"WHERE datname = '{name}'")
            async with http.get(url) as resp:
                assert resp.status == 200, await resp.text()
                assert await resp.json() == {"status": "ok", "database": "ok"}
        async with db.engine.connect() as conn:  # the pool replaced the dropped connection
            assert (await conn.execute(text("SELECT pg_backend_pid()"))).scalar_one() != pid
    finally:
        await runner.cleanup()


async def test_healthz_still_reports_a_database_that_is_down() -> None:
    """The retry is one, and only for a dropped connection: an unreachable database is 503."""
    db = Database("postgresql+asyncpg://postgres@127.0.0.1:1/none")  # nothing listens on 1
    app = AsyncApp(token="xoxb-healthz", signing_secret="healthz-secret")
    runner = web.AppRunner(build_web_app(app, db, "healthz-secret"), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        async with aiohttp.ClientSession() as http, \
                http.get(f"http://127.0.0.1:{bound_port(site)}/healthz") as resp:
            assert resp.status == 503
            assert (await resp.json())["status"] == "unavailable"
    finally:
        await runner.cleanup()
        await db.dispose()
