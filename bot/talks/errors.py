"""The talks domain's error a person can fix, apart from the cycles' code: the command line
catches it on every command, and `wgml-bot run` should not load the cycles (and the ORM's
models) just to be able to name it."""

from __future__ import annotations


class CycleError(ValueError):
    """A cycle request a person can fix; the message says how."""
