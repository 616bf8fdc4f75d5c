"""Wishes in the export: the contract's JSON list, and a CSV of their own (one row a wish)."""

from __future__ import annotations

import csv
import io
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.wishes.model import WishView
from bot.wishes.store import every_wish

CSV_COLUMNS = ["id", "text", "by", "status", "backers", "backer_count", "studios",
               "answered_by", "created_at", "closed_by"]


def wish_json(w: WishView) -> dict[str, Any]:
    return {"id": w.id, "text": w.text, "by": w.by, "backers": list(w.backers),
            "status": w.status, "answered_by": list(w.answered_by),
            "created_at": w.created_at.isoformat(),
            # Beyond the contract's fields (added, not changed):
            "studios": list(w.studios), "closed_by": w.closed_by}


async def wishes_json(session: AsyncSession) -> list[dict[str, Any]]:
    """Every wish in id order, whatever its status (the export's `wishes`)."""
    return [wish_json(w) for w in await every_wish(session)]


def _cell(value: Any) -> Any:
    # Spreadsheets run cells starting with = + - @ as formulas: neutralise user text.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def wishes_csv(wishes: list[dict[str, Any]]) -> str:
    """The export's `wishes` as CSV: lists as space-separated cells (studios by "; ")."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for w in wishes:
        writer.writerow({k: _cell(v) for k, v in {
            "id": w["id"], "text": w["text"], "by": w["by"], "status": w["status"],
            "backers": " ".join(w["backers"]), "backer_count": len(w["backers"]),
            "studios": "; ".join(w.get("studios") or []),
            "answered_by": " ".join(w["answered_by"]), "created_at": w["created_at"],
            "closed_by": w.get("closed_by"),
        }.items()})
    return out.getvalue()
