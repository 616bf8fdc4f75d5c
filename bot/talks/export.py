"""`wgml-bot export`: the contract's JSON, and CSV for spreadsheets, written as they are read.

Talks are read in id order, CHUNK at a time, as plain column selects (never the ORM graph
with its eager relationships), one query a chunk, and written before the next chunk is
read: memory stays the size of one chunk whatever the size of the history. For the JSON the
database writes each talk's text (storage.json_text: `_DOCUMENT`, its votes, decisions,
notes, recusals and confirmed versions as JSON lists, `_CHILDREN`), and Python adds only the
guidelines' reading (`submission_text`); `submission_json` gives the same as values.
`--cycle` reads through the submissions' cycle index; `--since` collects the ids of talks
created or changed since then from the indexes on the talks' and their children's times
(`selection_ids`).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, select, union
from sqlalchemy.ext.asyncio import AsyncSession

from bot.talks.versions import guideline_reading
from storage.iso_text import from_iso_text, iso_text
from storage.json_text import iso_json, json_bool, json_list, json_object, json_of
from storage.models import (
    Cycle,
    Decision,
    Note,
    Recusal,
    Speaker,
    Submission,
    SubmissionVersion,
    UTCDateTime,
    Vote,
)

CHUNK = 1000  # talks per read: bounded IN lists, bounded memory
# A result row of a column select (sqlalchemy.Row, typed per statement): read by name.
TalkRow = Any


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _iso(value: Any) -> str | None:
    """A time as the export prints it: the reads below have the database write it as text
    (`_as_text`); a model's datetime or a date (the demo's and tests' rows) prints itself."""
    if value is None or value.__class__ is str:
        return from_iso_text(value)
    return value.isoformat()


def _as_text(column: Any) -> ColumnElement[Any]:
    """A column as read for printing: a UTC time as its ISO text, written by the database
    (storage.iso_text); any other column as it is."""
    if isinstance(column.type, UTCDateTime):
        return iso_text(column)
    return column


@dataclass(frozen=True)
class Selection:
    """Which talks an export holds: every talk, one cycle's, those created or changed since
    a moment (a new vote, note or recusal is a change), or only those of some statuses."""

    cycle_id: int | None = None
    since: dt.datetime | None = None
    statuses: tuple[str, ...] | None = None


_UNREAD = frozenset({"email_thread_ids", "email_message_id", "slack_view_id"})
# The talk's own columns under their model names (row.title, row.publish, ...) and its
# speaker's under speaker_*: a row reads like the model, without loading the model.
# (Not the mail threading ids: a JSON document per talk that nothing here reads.)
_TALK_COLUMNS = (
    *(_as_text(c) for c in Submission.__table__.columns if c.name not in _UNREAD),
    Speaker.name.label("speaker_name"), Speaker.email.label("speaker_email"),
    Speaker.slack_user_id.label("speaker_slack_user_id"),
    Speaker.studio.label("speaker_studio"),
)


def _by_talk(model: Any) -> Any:
    return model.submission_id == Submission.id


# A talk's rows in other tables, each list as its JSON text, written by the database
# (storage.json_text): in the order the card shows them; confirmed versions only (an edit
# waiting for its speaker is nobody else's to read); active recusals only.
_CHILDREN = (
    json_list(Vote.__table__, _by_talk(Vote),
              [("voter", json_of(Vote.voter)), ("value", json_of(Vote.value)),
               ("at", iso_json(Vote.at))], [Vote.at, Vote.id], "votes"),
    json_list(Decision.__table__, _by_talk(Decision),
              [("outcome", json_of(Decision.outcome)), ("by", json_of(Decision.by)),
               ("at", iso_json(Decision.at))], [Decision.id], "decisions"),
    json_list(Note.__table__, _by_talk(Note),
              [("by", json_of(Note.by)), ("text", json_of(Note.text)),
               ("at", iso_json(Note.at))], [Note.id], "notes"),
    json_list(Recusal.__table__, (_by_talk(Recusal)) & Recusal.active.is_(True),
              [(None, json_of(Recusal.leader))], [Recusal.id], "recused"),
    json_list(SubmissionVersion.__table__,
              _by_talk(SubmissionVersion) & SubmissionVersion.confirmed_at.is_not(None),
              [(key, (iso_json if key.endswith("_at") else json_of)(
                  getattr(SubmissionVersion, key)))
               for key in ("n", "title", "focus_area", "abstract", "results", "created_at",
                           "confirmed_at", "created_by", "channel")],
              [SubmissionVersion.n], "versions"),
)


def cycle_json(c: TalkRow | Cycle) -> dict[str, Any]:
    return {
        "id": c.id,
        "title": c.title,
        "deadline": c.deadline_date.isoformat(),
        "session_date": c.session_date.isoformat(),
        "status": c.status,
        "slots": c.slots,
        "session_time": c.session_time,
        "join_url": c.join_url,
        "decide_by": _iso(c.decide_by),
    }


async def cycles_json(session: AsyncSession, cycle_id: int | None = None
                      ) -> list[dict[str, Any]]:
    query = select(Cycle.id, Cycle.title, Cycle.deadline_date, Cycle.session_date,
                   Cycle.status, Cycle.slots, Cycle.session_time, Cycle.join_url,
                   Cycle.decide_by).order_by(Cycle.id)
    if cycle_id is not None:
        query = query.where(Cycle.id == cycle_id)
    return [cycle_json(c) for c in (await session.execute(query)).all()]


def _guidelines(s: TalkRow) -> list[dict[str, Any]]:
    # The session guidelines' concerns about the confirmed text, as the card shows them.
    return [{"rule": c.get("rule"), "reason": c.get("reason"),
             "dismissed_by": c.get("dismissed_by"), "dismissed_at": c.get("dismissed_at")}
            for c in guideline_reading(s)]


def _head(s: TalkRow) -> dict[str, Any]:
    return {
        "id": s.id,
        "ref": s.ref,
        "cycle_id": s.cycle_id,
        "title": s.title,
        "focus_area": s.focus_area,
        "abstract": s.abstract,
        "results": s.results,
        "source": s.source,
        "confidentiality_confirmed": s.confidentiality_confirmed,
        "confidentiality_confirmed_at": _iso(s.confidentiality_confirmed_at),
        "status": s.status,
        "speaker": {
            "name": s.speaker_name,
            "email": s.speaker_email,
            "slack_user_id": s.speaker_slack_user_id,
            "studio": s.studio or s.speaker_studio,
        },
    }


def _middle(s: TalkRow) -> dict[str, Any]:
    # Beyond the contract's fields (added, not changed): the current decision and every
    # decision and undo that led to it (`decisions`), as the card's history shows them.
    return {"created_at": _iso(s.created_at), "decided_by": s.decided_by,
            "decided_at": _iso(s.decided_at)}


def _tail(s: TalkRow) -> dict[str, Any]:
    return {
        "attendance": s.attendance,
        "slides_url": s.slides_url,
        "recording_url": s.recording_url,
        "guidelines": _guidelines(s),
        # The speaker's consent to the public archive: true, false (refused or withdrawn),
        # null (never answered).
        "publish": s.publish,
    }


_STUDIO = case((func.coalesce(Submission.studio, "") != "", Submission.studio),
               else_=Speaker.studio)  # the talk's studio, else its speaker's
_LISTS = {c.name: c.element for c in _CHILDREN}
# The talk's JSON text up to its guidelines, and from there on, written by the database: the
# keys, order and text of json.dumps(submission_json(row)) (tests/talks/test_export_sql.py).
_DOCUMENT = json_object([
    *((name, json_of(getattr(Submission, name))) for name in (
        "id", "ref", "cycle_id", "title", "focus_area", "abstract", "results", "source")),
    ("confidentiality_confirmed", json_bool(Submission.confidentiality_confirmed)),
    ("confidentiality_confirmed_at", iso_json(Submission.confidentiality_confirmed_at)),
    ("status", json_of(Submission.status)),
    ("speaker", json_object([("name", json_of(Speaker.name)), ("email", json_of(Speaker.email)),
                             ("slack_user_id", json_of(Speaker.slack_user_id)),
                             ("studio", json_of(_STUDIO))])),
    ("votes", _LISTS["votes"]), ("created_at", iso_json(Submission.created_at)),
    ("decided_by", json_of(Submission.decided_by)),
    ("decided_at", iso_json(Submission.decided_at)),
    *((name, _LISTS[name]) for name in ("decisions", "notes", "recused", "versions")),
    *((name, json_of(getattr(Submission, name))) for name in (
        "attendance", "slides_url", "recording_url")),
], close=False)
_DOCUMENT_END = json_object([("publish", json_bool(Submission.publish))], lead=", ")
# What guideline_reading reads, for the talks with a stored reading only.
READING = (
    Submission.guideline_concerns,
    *(case((Submission.guideline_concerns.is_not(None), c), else_=None).label(f"read_{c.key}")
      for c in (Submission.title, Submission.abstract, Submission.results)),
)
_TEXT_COLUMNS = (Submission.id, _DOCUMENT.label("document"),
                 _DOCUMENT_END.label("document_end"), *READING)


def read_guidelines(row: TalkRow) -> list[dict[str, Any]]:
    """`_guidelines` of a row read with READING."""
    if row.guideline_concerns is None:
        return []
    return _guidelines(SimpleNamespace(guideline_concerns=row.guideline_concerns,
                                       title=row.read_title, abstract=row.read_abstract,
                                       results=row.read_results))


def submission_text(s: TalkRow) -> str:
    """One talk of the export as its JSON text, from a row of `_TEXT_COLUMNS`: what
    `json.dumps(submission_json(...))` gives (the same keys, order and text), all written by
    the database but the guidelines' reading."""
    return f'{s.document}, "guidelines": {_dumps(read_guidelines(s))}{s.document_end}'


def _children_of(s: TalkRow, name: str) -> list[Any]:
    text = getattr(s, name, None)
    return json.loads(text) if text else []


def submission_json(s: TalkRow) -> dict[str, Any]:
    """One talk of the export as values, from its row (`_TALK_COLUMNS`, and `_CHILDREN`
    when they were read; a row read without them has empty lists)."""
    return {
        **_head(s),
        "votes": _children_of(s, "votes"),
        **_middle(s),
        "decisions": _children_of(s, "decisions"),
        # The leaders' own: the export is the operator's, never a speaker's surface.
        "notes": _children_of(s, "notes"),
        "recused": _children_of(s, "recused"),
        "versions": _children_of(s, "versions"),
        **_tail(s),
    }


def _changed_since(since: dt.datetime) -> Select[Any]:
    """The ids of talks created or changed since `since`, each part read by an index."""
    return union(
        select(Submission.id).where(Submission.created_at >= since),
        select(Submission.id).where(Submission.updated_at >= since),
        select(Vote.submission_id).where(Vote.at >= since),
        select(Note.submission_id).where(Note.at >= since),
        select(Recusal.submission_id).where(Recusal.at >= since),
    )  # type: ignore[return-value]


def _where(query: Select[Any], selection: Selection) -> Select[Any]:
    if selection.cycle_id is not None:
        query = query.where(Submission.cycle_id == selection.cycle_id)
    if selection.statuses is not None:
        query = query.where(Submission.status.in_(selection.statuses))
    return query


async def selection_ids(session: AsyncSession, selection: Selection) -> list[int] | None:
    """The ids a `--since` export holds, in order (plain ints: 100,000 are under 4 MiB);
    None when the selection is read by keyset over the talks' own indexes instead."""
    if selection.since is None:
        return None
    changed = _changed_since(selection.since).subquery()
    query = _where(select(Submission.id).where(Submission.id.in_(select(changed.c[0]))),
                   selection)
    return list((await session.scalars(query.order_by(Submission.id))).all())


async def count_talks(session: AsyncSession, selection: Selection,
                      ids: Sequence[int] | None = None) -> int:
    if ids is not None:
        return len(ids)
    return int(await session.scalar(_where(select(func.count(Submission.id)), selection)) or 0)


async def talk_chunks(session: AsyncSession, selection: Selection = Selection(), *,
                      children: bool = True, chunk: int = CHUNK,
                      progress: Callable[[int, int], None] | None = None,
                      columns: Sequence[Any] | None = None,
                      joins: Callable[[Select[Any]], Select[Any]] = lambda q: q,
                      ) -> AsyncIterator[list[TalkRow]]:
    """The selected talks' rows in id order, a chunk at a time, each with its children's
    lists as JSON text (`_CHILDREN`; none read when `children` is false: the calendar needs
    only the talk), all in one query per chunk; or, given, `columns` (with the talk's id
    as `id`) from the talks, their speakers and what `joins` adds. `progress(done, total)`
    hears about each chunk."""
    ids = await selection_ids(session, selection)
    total = await count_talks(session, selection, ids) if progress is not None else 0
    if columns is None:
        columns = (*_TALK_COLUMNS, *_CHILDREN) if children else _TALK_COLUMNS
    base = _where(joins(select(*columns).join(Speaker, Speaker.id == Submission.speaker_id)),
                  selection)
    done, last, start = 0, 0, 0
    conn = await session.connection()
    while True:
        if ids is None:  # keyset: the next ids after the last one read
            query = base.where(Submission.id > last).order_by(Submission.id).limit(chunk)
        else:
            part = ids[start:start + chunk]
            start += chunk
            if not part:
                return
            query = base.where(Submission.id.in_(part)).order_by(Submission.id)
        rows = (await conn.execute(query)).all()
        if not rows:
            return
        last = rows[-1].id
        done += len(rows)
        yield rows
        if progress is not None:
            progress(done, total)
        if ids is None and len(rows) < chunk:
            return


async def submissions_json(session: AsyncSession, selection: Selection = Selection(),
                           progress: Callable[[int, int], None] | None = None, *,
                           children: bool = True) -> AsyncIterator[list[dict[str, Any]]]:
    """The export's `submissions`, a chunk at a time (without votes, decisions, notes,
    recusals and versions when `children` is false)."""
    async for part in talk_chunks(session, selection, children=children, progress=progress):
        yield [submission_json(row) for row in part]


async def submissions_text(session: AsyncSession, selection: Selection = Selection(),
                           progress: Callable[[int, int], None] | None = None,
                           ) -> AsyncIterator[list[str]]:
    """The export's `submissions` as their JSON text (`submission_text`), a chunk at a
    time: what `json.dumps` of `submissions_json`'s values gives."""
    async for part in talk_chunks(session, selection, progress=progress,
                                  columns=_TEXT_COLUMNS):
        yield [submission_text(row) for row in part]


async def export_data(session: AsyncSession, cycle_id: int | None = None,
                      progress: Callable[[int, int], None] | None = None, *,
                      since: dt.datetime | None = None) -> dict[str, Any]:
    """The talks' part of the export as one dict (the demo and tests; the command streams
    the same values through `JsonDocument`)."""
    selection = Selection(cycle_id=cycle_id, since=since)
    submissions: list[dict[str, Any]] = []
    async for part in submissions_json(session, selection, progress):
        submissions += part
    return {"cycles": await cycles_json(session, cycle_id), "submissions": submissions}
