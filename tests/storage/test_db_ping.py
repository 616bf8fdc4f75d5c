"""PostgreSQL connections are pinged on checkout only after sitting idle (storage.db)."""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest
from sqlalchemy import text
from sqlalchemy.exc import InvalidatePoolError

import storage.db as storage_db
from storage.db import Database
from tests.conftest import TEST_DB, _admin


async def _backend(db: Database) -> int:
    async with db.engine.connect() as conn:
        return int((await conn.execute(text("SELECT pg_backend_pid()"))).scalar_one())


@pytest.mark.skipif(TEST_DB != "postgres", reason="the asyncpg pool only")
async def test_a_connection_cut_while_idle_is_replaced_before_use(
        db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    first = await _backend(db)
    await _admin(f"SELECT pg_terminate_backend({first})")  # e.g. a database restart
    monkeypatch.setattr(storage_db, "PING_IDLE", 0.0)  # every pooled connection counts as idle
    second = await _backend(db)  # no error: the ping found it dead and the pool reconnected
    assert second != first


class _Conn:
    def __init__(self, fails: bool = False) -> None:
        self.pings = 0
        self.fails = fails

    def ping(self) -> None:
        self.pings += 1
        if self.fails:
            raise ConnectionResetError


def test_only_a_connection_idle_for_a_while_is_pinged() -> None:
    now = time.monotonic()
    recent, idle, new = (SimpleNamespace(info={"used_at": now}),
                         SimpleNamespace(info={"used_at": now - 60}), SimpleNamespace(info={}))
    for record, pinged in ((recent, 0), (idle, 1), (new, 1)):
        conn = _Conn()
        storage_db._ping_if_idle(conn, record, None)
        assert conn.pings == pinged
    with pytest.raises(InvalidatePoolError):  # the pool then replaces its connections
        storage_db._ping_if_idle(_Conn(fails=True), idle, None)
