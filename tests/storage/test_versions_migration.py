"""The versions migration gives each talk already confirmed its version 1 (confirmed when the
talk was), and nothing to talks still waiting for their speaker."""

from __future__ import annotations

import datetime as dt

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Connection

from storage.db import Database
from storage.migrate import alembic_config, upgrade


def _before_versions(url: str) -> str:
    """The revision just before the versions migration (whatever number it is given)."""
    script = ScriptDirectory.from_config(alembic_config(url))
    [rev] = [r for r in script.walk_revisions()
             if r.path and r.path.endswith("_submission_versions.py")]
    assert isinstance(rev.down_revision, str)
    return rev.down_revision


async def test_confirmed_talks_get_version_one(db_url: str) -> None:
    db = Database(db_url)
    cfg = alembic_config(db.url)
    sqlite = db_url.startswith("sqlite")

    def at(text_: str) -> dt.datetime:  # stored as the models store it on each database
        moment = dt.datetime.fromisoformat(text_)
        return moment if sqlite else moment.replace(tzinfo=dt.UTC)
    try:
        def _to(connection: Connection) -> None:
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, _before_versions(db.url))

        async with db.engine.begin() as conn:
            await conn.run_sync(_to)
            await conn.execute(text(
                "INSERT INTO speakers (id, name, email, slack_user_id, studio, "
                "networking_opt_out, created_at) VALUES "
                "(1, 'Ada', 'ada@studio.example', 'UADA', 'S', :f, :at), "
                "(2, 'Bo', 'bo@studio.example', NULL, '', :f, :at)"),
                {"f": False, "at": at("2026-01-02 10:00:00")})
            for sid, speaker, source, status, confirmed, confirmed_at in (
                    (1, 1, "slack", "submitted", True, "2026-01-03 09:00:00"),
                    (2, 2, "email", "pending_confirmation", False, None),
                    (3, 2, "email", "accepted", True, "2026-01-04 09:00:00")):
                await conn.execute(text(
                    "INSERT INTO submissions (id, ref, speaker_id, title, focus_area, abstract, "
                    "results, studio, source, status, confidentiality_confirmed, "
                    "confidentiality_confirmed_at, email_thread_ids, created_at, updated_at) "
                    "VALUES (:id, :ref, :sp, :title, 'other', 'An abstract long enough.', '', "
                    "'', :source, :status, :c, :cat, '{}', :at, :at)"),
                    {"id": sid, "ref": f"WGML-2026-00{sid}", "sp": speaker,
                     "title": f"Talk {sid}", "source": source, "status": status,
                     "c": confirmed, "cat": at(confirmed_at) if confirmed_at else None,
                     "at": at("2026-01-02 12:00:00")})
        await upgrade(db)
        async with db.engine.connect() as conn:
            rows = (await conn.execute(text(
                "SELECT submission_id, n, title, channel, created_by, confirmed_at "
                "FROM submission_versions ORDER BY submission_id"))).all()
        assert [(r[0], r[1], r[2], r[3], r[4]) for r in rows] == [
            (1, 1, "Talk 1", "slack", "UADA"), (3, 1, "Talk 3", "email", "bo@studio.example")]
        assert all(r[5] is not None for r in rows)
        assert "2026-01-03" in str(rows[0][5])
    finally:
        await db.dispose()
