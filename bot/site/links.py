"""Where things are and which links may be made: talk and session page paths, and the
http(s)-only rule for every link the site writes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from bot.sessions.archive import Archive, ArchiveSession, ArchiveTalk

_SLUG = re.compile(r"[^A-Za-z0-9_-]+")


def safe_url(value: str | None) -> str | None:
    """The URL when it is an http(s) URL with a host and nothing odd in it, else None."""
    if not value:
        return None
    value = value.strip()
    if any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in value):
        return None
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return value


def slug(ref: str) -> str:
    return _SLUG.sub("-", ref).strip("-")[:80] or "talk"


@dataclass(frozen=True)
class Links:
    """Where each talk's and session's page is, from the site's root."""

    talks: dict[str, str]  # ref -> its file name without .html (sanitized)

    @classmethod
    def of(cls, archive: Archive) -> Links:
        taken: set[str] = set()
        talks: dict[str, str] = {}
        for talk in archive.talks:
            name = base = slug(talk.ref)
            n = 2
            while name.lower() in taken:  # refs are unique; their slugs might not be
                name, n = f"{base}-{n}", n + 1
            taken.add(name.lower())
            talks[talk.ref] = name
        return cls(talks)

    def talk(self, talk: ArchiveTalk) -> str:
        return f"talks/{self.talks[talk.ref]}.html"

    def anchor(self, talk: ArchiveTalk) -> str:
        """The talk's element id on the index: its page's name."""
        return f"talk-{self.talks[talk.ref]}"

    @staticmethod
    def session(session: ArchiveSession) -> str:
        return f"sessions/{session.cycle_id}.html"
