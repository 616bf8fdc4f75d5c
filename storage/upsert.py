"""The database's own INSERT, which has ON CONFLICT: PostgreSQL's or SQLite's.

Each dialect's module is imported only when its database is the one in use: importing
`sqlalchemy.dialects.postgresql` weighs about 2 MiB, which a service on SQLite never needs
(and a service on PostgreSQL has loaded with its engine anyway).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

if TYPE_CHECKING:
    from sqlalchemy.dialects import postgresql, sqlite


def insert_for(dialect: str) -> type[postgresql.Insert] | type[sqlite.Insert]:
    """The INSERT construct of the dialect named `dialect` ("postgresql" or "sqlite")."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import Insert as PgInsert

        return PgInsert
    from sqlalchemy.dialects.sqlite import Insert as SqliteInsert

    return SqliteInsert


def session_insert(session: AsyncSession) -> type[postgresql.Insert] | type[sqlite.Insert]:
    """The INSERT construct of the database `session` is bound to."""
    return insert_for(session.get_bind().dialect.name)
