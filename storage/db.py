"""The async engine and session factory, the same code for SQLite and PostgreSQL."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, InvalidatePoolError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import Session

from storage.iso_text import add_functions


class Database:
    """One engine per process; one AsyncSession per unit of work (`async with db.session()`)."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        kwargs: dict[str, Any] = {"echo": echo}
        if url.startswith("sqlite"):
            # Several writers (scheduler, delivery, handlers) share one file: wait, don't fail.
            kwargs["connect_args"] = {"timeout": 30}
        else:
            # LIFO: a burst reuses the connections just used, whose prepared statements are warm.
            # No pool_pre_ping: on asyncpg it is three round trips (BEGIN, ping, ROLLBACK)
            # on every checkout, more than a vote batch's own work; _ping_if_idle below.
            kwargs.update(pool_size=10, max_overflow=20, pool_use_lifo=True)
        self.engine: AsyncEngine = create_async_engine(url, **kwargs)
        if self.is_sqlite:
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
            # aiosqlite's default transaction handling defers BEGIN; a unit of work that may
            # write takes the write lock at the start so read-then-write never deadlocks into
            # "database is locked". A read (`read()`) begins deferred: under WAL it neither
            # waits for writers nor holds them up, so a vote goes through during an export.
            event.listen(self.engine.sync_engine, "begin", _sqlite_begin)
        else:
            event.listen(self.engine.sync_engine, "connect", _note_use)
            event.listen(self.engine.sync_engine, "checkin", _note_use)
            event.listen(self.engine.sync_engine, "checkout", _ping_if_idle)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        self.read_sessions = async_sessionmaker(
            self.engine.execution_options(**{READ_ONLY: True}), expire_on_commit=False,
            info={READ_ONLY: True},
        )

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        async with self.sessions() as session:
            yield session

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        """A session that only reads: one consistent snapshot, and on SQLite no write lock
        (a deferred BEGIN under WAL), so screens and exports never hold up a vote. Writing
        through it is a bug and raises (`ReadOnlySessionError`) before anything is sent."""
        async with self.read_sessions() as session:
            yield session

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A session whose work is committed on success and rolled back on error."""
        async with self.sessions() as session, session.begin():
            yield session

    async def ping(self) -> None:
        """Raises when the database cannot answer. A pooled connection the server dropped
        (a restart, pg_terminate_backend, a proxy's idle cut) is retried once on a fresh
        one: the pool has then discarded it and its siblings, and a reachable database
        must not be reported down for it."""
        try:
            await self._select_one()
        except DBAPIError as exc:
            if not exc.connection_invalidated:
                raise
            await self._select_one()

    async def _select_one(self) -> None:
        async with self.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        await self.engine.dispose()


PING_IDLE = 2.0  # seconds a connection may sit in the pool and still be trusted unpinged


def _note_use(_dbapi_conn: Any, record: Any) -> None:
    record.info["used_at"] = time.monotonic()


def _ping_if_idle(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
    """What pool_pre_ping does, but only for a connection idle over PING_IDLE seconds.

    A connection back in the pool a moment ago was working a moment ago; one idle longer
    may have been cut (a database restart, a proxy's idle timeout) and is pinged first.
    As with pool_pre_ping, a failed ping replaces every pooled connection (a restarted
    database cut them all).
    """
    used = record.info.get("used_at")
    if used is not None and time.monotonic() - used < PING_IDLE:
        return
    try:
        dbapi_conn.ping()
    except Exception as exc:
        raise InvalidatePoolError(f"ping failed: {type(exc).__name__}") from exc


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # Let SQLAlchemy emit BEGIN itself (see _sqlite_begin).
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()
    add_functions(dbapi_conn)  # the export's fallback for an odd stored time


def _lenient(data: bytes) -> str:
    return str(data, "utf-8", "replace")


async def read_text_leniently(session: AsyncSession) -> None:
    """On SQLite, read text that is not UTF-8 (bytes another tool wrote) with U+FFFD for
    each bad byte instead of failing the whole read: for the export, which one stray byte
    must not stop. Costs a Python call per text value; PostgreSQL holds only valid text."""
    conn = await session.connection()
    if conn.dialect.name == "sqlite":
        raw = await conn.get_raw_connection()
        raw.driver_connection.text_factory = _lenient  # type: ignore[union-attr]


READ_ONLY = "wgml_read_only"


class ReadOnlySessionError(RuntimeError):
    """A `Database.read()` session was asked to write."""


def _sqlite_begin(conn: Any) -> None:
    if conn.get_execution_options().get(READ_ONLY):
        conn.exec_driver_sql("BEGIN")
    else:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


@event.listens_for(Session, "before_flush")
def _refuse_writes_in_reads(session: Session, _context: Any, _instances: Any) -> None:
    if session.info.get(READ_ONLY) and (session.new or session.dirty or session.deleted):
        raise ReadOnlySessionError("a read-only session (Database.read) was asked to write")


def safe_url(url: str) -> str:
    """A database URL fit for a message or a log: the password hidden, in the userinfo and
    in the query string (`?password=`, which asyncpg reads too)."""
    try:
        parsed = make_url(url)
        secret = {key: _HIDDEN for key in parsed.query
                  if any(word in key.lower() for word in ("pass", "pwd", "secret", "token"))}
        return (parsed.update_query_dict(secret).render_as_string(hide_password=True)
                .replace(_HIDDEN, "***"))
    except Exception:
        return "(unparseable URL)"


_HIDDEN = "HIDDENSECRET"
