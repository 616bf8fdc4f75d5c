"""A sub-project's lifecycle, apart from the store (which loads the themes' code): the
scheduler's planning reads it on every tick."""

from __future__ import annotations

from enum import StrEnum


class SubprojectStatus(StrEnum):
    PROPOSED = "proposed"
    ACTIVE = "active"
    GRADUATED = "graduated"  # became an ASWF project: it has a repository
    CLOSED = "closed"


STATUSES = tuple(s.value for s in SubprojectStatus)
