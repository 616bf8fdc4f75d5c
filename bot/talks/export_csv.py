"""`wgml-bot export --format csv`: each talk's row (export_write.CSV_COLUMNS) written by the
database, cell by cell, a chunk at a time (bot.talks.export.talk_chunks).

The cells are what `export_write.csv_row` makes of the talk's export JSON (the same text,
tests/talks/test_export_csv.py checks it against that on both databases): the votes counted,
the recusals and notes joined, the versions counted and the last confirmation's time, the
cycle's columns, each time as its ISO text and each text cell neutralised for spreadsheets
(a leading = + - @ tab or CR quoted with ', as `safe_cell` does), so no child row, dict or
datetime is built in Python. Only the session guidelines' rules are read in Python
(`read_guidelines`: the stored reading must be of the talk's current text), for the talks
that have a reading.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.talks.export import READING, Selection, read_guidelines, talk_chunks
from bot.talks.export_write import CSV_COLUMNS, FORMULA_STARTS, safe_cell
from bot.talks.votes import VOTE_VALUES
from storage.json_text import iso_plain, joined, max_iso
from storage.models import Cycle, Note, Recusal, Speaker, Submission, SubmissionVersion, Vote


def _safe(text: Any) -> ColumnElement[Any]:
    """A text cell as `safe_cell` leaves it: a leading formula character quoted with '."""
    return case((func.substr(text, 1, 1).in_(FORMULA_STARTS), literal("'") + text),
                else_=text)


def _votes(value: str) -> ColumnElement[int]:
    return (select(func.count()).select_from(Vote)
            .where(Vote.submission_id == Submission.id, Vote.value == value).scalar_subquery())


_CONFIRMED = (SubmissionVersion.submission_id == Submission.id) & \
    SubmissionVersion.confirmed_at.is_not(None)

_CELLS: dict[str, Any] = {
    "id": Submission.id, "ref": _safe(Submission.ref), "cycle_id": Submission.cycle_id,
    "title": _safe(Submission.title), "focus_area": _safe(Submission.focus_area),
    "status": _safe(Submission.status), "source": _safe(Submission.source),
    "confidentiality_confirmed": Submission.confidentiality_confirmed,
    "confidentiality_confirmed_at": _safe(iso_plain(Submission.confidentiality_confirmed_at)),
    "speaker_name": _safe(Speaker.name), "speaker_email": _safe(Speaker.email),
    "speaker_slack_user_id": _safe(Speaker.slack_user_id),
    "studio": _safe(case((func.coalesce(Submission.studio, "") != "", Submission.studio),
                         else_=Speaker.studio)),
    **{f"votes_{value}": _votes(value) for value in VOTE_VALUES},
    "abstract": _safe(Submission.abstract), "results": _safe(Submission.results),
    "created_at": _safe(iso_plain(Submission.created_at)),
    "decided_by": _safe(Submission.decided_by),
    "decided_at": _safe(iso_plain(Submission.decided_at)),
    "recused": _safe(joined(Recusal.__table__, (Recusal.submission_id == Submission.id)
                            & Recusal.active.is_(True), Recusal.leader, [Recusal.id], " ",
                            "recused")),
    # One cell: each note as "by (at): text", notes separated by a blank line.
    "notes": _safe(joined(Note.__table__, Note.submission_id == Submission.id,
                          Note.by + " (" + func.coalesce(iso_plain(Note.at), "None") + "): "
                          + Note.text, [Note.id], "\n\n", "notes")),
    "cycle_slots": Cycle.slots, "cycle_session_time": _safe(Cycle.session_time),
    "cycle_join_url": _safe(Cycle.join_url),
    "cycle_decide_by": Cycle.decide_by,  # a date: the csv module writes its isoformat()
    "versions": select(func.count()).select_from(SubmissionVersion).where(_CONFIRMED)
    .scalar_subquery(),
    "last_confirmed_at": _safe(select(max_iso(SubmissionVersion.confirmed_at))
                               .where(_CONFIRMED).scalar_subquery()),
    "attendance": _safe(Submission.attendance), "slides_url": _safe(Submission.slides_url),
    "recording_url": _safe(Submission.recording_url),
    "guidelines": literal(""),  # read in Python below, for the talks with a reading
    "publish": Submission.publish,
}
assert list(_CELLS) == CSV_COLUMNS
GUIDELINES = CSV_COLUMNS.index("guidelines")
COLUMNS = (*(cell.label(name) for name, cell in _CELLS.items()), *READING)


def _with_cycle(query: Select[Any]) -> Select[Any]:
    return query.outerjoin(Cycle, Cycle.id == Submission.cycle_id)


def _row(row: Any) -> Sequence[Any]:
    cells = row[:len(CSV_COLUMNS)]
    if row.guideline_concerns is None:
        return cells
    rules = " ".join(c["rule"] for c in read_guidelines(row))
    return (*cells[:GUIDELINES], safe_cell(rules), *cells[GUIDELINES + 1:])


async def csv_rows(session: AsyncSession, selection: Selection,
                   progress: Callable[[int, int], None] | None = None,
                   ) -> AsyncIterator[list[Sequence[Any]]]:
    """The CSV's rows after its header, in CSV_COLUMNS order, a chunk at a time."""
    async for part in talk_chunks(session, selection, columns=COLUMNS, joins=_with_cycle,
                                  progress=progress):
        yield [_row(row) for row in part]
