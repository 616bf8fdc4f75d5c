"""The export's writers: the JSON document item by item and the CSV rows, from the values
bot.talks.export reads (`wgml-bot export` streams them; the demo and tests write whole
documents with `to_json` and `to_csv`)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import Any, TextIO

from bot.talks.votes import tally


class JsonDocument:
    """A JSON object written key by key, a list item by item: the document `json.dumps`
    of the whole would give (the same values), with each list item on a line of its own,
    so nothing is held but the item being written."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.keys = 0
        self.items = -1  # -1: no list open
        out.write("{")

    def _key(self, key: str) -> None:
        self.out.write(("," if self.keys else "") + "\n  " + json.dumps(key) + ": ")
        self.keys += 1

    def value(self, key: str, value: Any) -> None:
        self._key(key)
        self.out.write(_dumps(value))

    def begin_list(self, key: str) -> None:
        self._key(key)
        self.out.write("[")
        self.items = 0

    def items_(self, values: Iterable[Any]) -> None:
        self.texts_(_dumps(v) for v in values)

    def texts_(self, texts: Iterable[str]) -> None:
        """List items already written as JSON text (bot.talks.export.submission_text)."""
        text = ",\n    ".join(texts)
        if text:
            self.out.write(("," if self.items else "") + "\n    " + text)
            self.items += 1

    def end_list(self) -> None:
        self.out.write("\n  ]" if self.items else "]")
        self.items = -1

    def list(self, key: str, values: Iterable[Any]) -> None:
        self.begin_list(key)
        self.items_(values)
        self.end_list()

    def close(self) -> None:
        self.out.write("\n}\n" if self.keys else "}\n")


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def to_json(data: dict[str, Any]) -> str:
    out = io.StringIO()
    doc = JsonDocument(out)
    for key, value in data.items():
        if isinstance(value, list):
            doc.list(key, value)
        else:
            doc.value(key, value)
    doc.close()
    return out.getvalue()


# Each column once (there used to be a second abstract, results, created_at, decided_by
# and decided_at after cycle_decide_by); docs/operating.md says what each holds.
CSV_COLUMNS = [
    "id", "ref", "cycle_id", "title", "focus_area", "status", "source",
    "confidentiality_confirmed", "confidentiality_confirmed_at", "speaker_name",
    "speaker_email", "speaker_slack_user_id", "studio", "votes_yes", "votes_maybe", "votes_no",
    "abstract", "results", "created_at", "decided_by", "decided_at", "recused", "notes",
    "cycle_slots", "cycle_session_time", "cycle_join_url", "cycle_decide_by", "versions",
    "last_confirmed_at", "attendance", "slides_url", "recording_url", "guidelines", "publish",
]


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    # Spreadsheets run cells starting with = + - @ as formulas: neutralise user text.
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value


def csv_row(s: dict[str, Any], cycle: dict[str, Any] | None) -> dict[str, Any]:
    """One talk's CSV row from its export JSON and its cycle's."""
    counts = tally(x["value"] for x in s["votes"])
    cycle = cycle or {}
    row = {
        **{k: s[k] for k in CSV_COLUMNS if k in s},
        "speaker_name": s["speaker"]["name"],
        "speaker_email": s["speaker"]["email"],
        "speaker_slack_user_id": s["speaker"]["slack_user_id"],
        "studio": s["speaker"]["studio"],
        "votes_yes": counts["yes"], "votes_maybe": counts["maybe"], "votes_no": counts["no"],
        "recused": " ".join(s.get("recused") or []),
        # One cell: each note as "by (at): text", notes separated by a blank line.
        "notes": "\n\n".join(f"{n['by']} ({n['at']}): {n['text']}"
                              for n in s.get("notes") or []),
        "cycle_slots": cycle.get("slots"), "cycle_session_time": cycle.get("session_time"),
        "cycle_join_url": cycle.get("join_url"), "cycle_decide_by": cycle.get("decide_by"),
        # How many confirmed versions, and when the text the leaders see was confirmed.
        "versions": len(s.get("versions") or []),
        # The rules the guidelines raised, dismissed ones included ("pitch confidential").
        "guidelines": " ".join(g["rule"] for g in s.get("guidelines") or []),
        "last_confirmed_at": max((v["confirmed_at"] for v in s.get("versions") or []
                                  if v["confirmed_at"]), default=None),
    }
    return {k: safe_cell(v) for k, v in row.items()}


def csv_writer(out: TextIO) -> csv.DictWriter[str]:
    # CRLF as RFC 4180 says; it also makes the writer quote a field holding a bare \r, which
    # with "\n" alone it would write unquoted, breaking the row for every reader.
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    return writer


def csv_cells_writer(out: TextIO) -> Any:
    """A writer of rows given as their cells in CSV_COLUMNS order (bot.talks.export_csv),
    the header written: the same dialect as `csv_writer`."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    return writer


def to_csv(data: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv_writer(out)
    cycles = {c["id"]: c for c in data["cycles"]}
    writer.writerows(csv_row(s, cycles.get(s["cycle_id"])) for s in data["submissions"])
    return out.getvalue()
