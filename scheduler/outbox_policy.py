"""Delivery policy: which failures are worth another try, how long to wait, whose claim
is dead. Separate from the Deliverer so the rules read in one place."""

from __future__ import annotations

import datetime as dt
import os
import random
from collections.abc import Awaitable, Callable
from typing import Any

from slack_sdk.errors import SlackApiError

# Transient failures are retried for about six hours (2 s doubling to an hour) before a row
# is marked failed; a 429 never counts towards giving up: Slack said when to come back.
MAX_ATTEMPTS = 16
BASE_DELAY = 2.0  # seconds; doubled each attempt, with jitter, up to MAX_DELAY
MAX_DELAY = 3600.0
CLAIM_SECONDS = 120  # a claim older than this (real time) belongs to a dead or stuck process
# One email's whole SMTP conversation (each step has SMTP_TIMEOUT, and there are several)
# must end well inside its claim: a send outliving its lease would be taken over and sent
# again by another replica while the first may still deliver it.
EMAIL_SEND_SECONDS = CLAIM_SECONDS - 30
UNCERTAIN = "uncertain"  # result flag: an earlier attempt may have been delivered
# Slack allows about one chat.postMessage per second per channel. After a 429 the lane posts
# at most once per POST_INTERVAL for HOT_SECONDS (per process) instead of bouncing off it.
POST_INTERVAL = 1.0
HOT_SECONDS = 60.0


class TransientError(Exception):
    """Worth another try later, optionally not before `retry_after` seconds.

    `uncertain` says the message may have been delivered anyway (timeout, dropped connection,
    5xx), so the next attempt checks before sending again.
    """

    def __init__(self, message: str, retry_after: float | None = None,
                 uncertain: bool = False) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.uncertain = uncertain


class PermanentError(Exception):
    """Retrying cannot help (a 5xx SMTP answer, channel_not_found, ...)."""


EmailSender = Callable[[dict[str, Any]], Awaitable[None]]
Clock = Callable[[], dt.datetime]

def backoff(attempts: int, retry_after: float | None = None) -> float:
    if retry_after is not None:
        # Slack's Retry-After is a floor; a little jitter keeps replicas from stampeding.
        return max(retry_after, 0.0) + random.uniform(0.0, 0.5)
    delay = min(BASE_DELAY * 2 ** max(attempts - 1, 0), MAX_DELAY)
    return delay * random.uniform(0.5, 1.0)  # full-ish jitter keeps replicas apart


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def claim_is_dead(claimed_by: str | None, host: str) -> bool:
    """A claim made on this host by a process that no longer exists."""
    if not claimed_by:
        return True
    parts = claimed_by.rsplit(":", 2)
    if len(parts) != 3 or parts[0] != host or not parts[1].isdigit():
        return False
    pid = int(parts[1])
    return pid != os.getpid() and not _pid_alive(pid)


def retry_after_of(exc: SlackApiError) -> float | None:
    headers = exc.response.headers if exc.response is not None else {}
    value = headers.get("Retry-After") or headers.get("retry-after")
    try:
        return max(float(value), 0.0) if value is not None else None
    except (TypeError, ValueError):
        return None


def classify_smtp_error(exc: BaseException) -> Exception:
    """SMTP 5xx is final; 4xx, refused connections and timeouts are worth another try."""
    code = getattr(exc, "code", None)
    text = f"SMTP {type(exc).__name__}: {exc}"
    if isinstance(code, int) and 500 <= code < 600:
        return PermanentError(text)
    if isinstance(code, int) and 400 <= code < 500:
        return TransientError(text)
    # A dropped connection may come after the server accepted the message.
    return TransientError(text, uncertain=True)
