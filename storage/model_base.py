"""The schema's ground floor: the naming convention, UTC times in and out, the declarative
base every model derives from, and the rule that no text column stores NUL. Models are in
storage/models.py (the talks and their curation), storage/models_ops.py (what the service
runs on: outbox, job claims, IMAP state) and storage/models_groups.py
(sub-projects, wishes, guideline dismissals); import them all from storage.models."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, DateTime, MetaData, String, TypeDecorator, event
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Timezone-aware UTC in and out, on SQLite (which forgets zones) and PostgreSQL alike."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; store UTC-aware datetimes only")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        assert isinstance(value, dt.datetime)
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dt.datetime: UTCDateTime, dict[str, Any]: JSON}


def _without_nul(mapper: Any, connection: Any, target: Any) -> None:
    """Drop NUL characters from text columns before a row is written.

    PostgreSQL refuses NUL in text (SQLite stores it): mail carries them (a stray byte in a
    body or display name, a UTF-16 part read as UTF-8), and one NUL used to fail the
    message, again on every replay. NUL means nothing in text; raw bytes (LargeBinary) and
    JSON (PostgreSQL's json keeps \\u0000) are left as they are.
    """
    for attr in mapper.column_attrs:
        if not isinstance(attr.columns[0].type, String):  # Text is a String
            continue
        value = target.__dict__.get(attr.key)  # loaded values only: nothing is fetched here
        if isinstance(value, str) and "\x00" in value:
            setattr(target, attr.key, value.replace("\x00", ""))


event.listen(Base, "before_insert", _without_nul, propagate=True)
event.listen(Base, "before_update", _without_nul, propagate=True)
