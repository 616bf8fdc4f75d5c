"""What each `ok: false` Slack answers means for a message in the outbox.

Every error has one defined outcome:
- retried: Slack said when (429 `ratelimited` with Retry-After) or the failure is Slack's
  own (5xx, `internal_error`, `fatal_error`, `request_timeout`, `service_unavailable`);
  a code nobody listed is retried too, within the outbox's MAX_ATTEMPTS, never endlessly;
- dead-lettered: retrying cannot help (the channel is gone, the text too long, the user
  deactivated). The row is marked failed with the code and what to do in `last_error`, which
  `wgml-bot outbox list` shows; `wgml-bot outbox retry ID` sends it again once fixed.
- for errors only the operator can fix (a revoked token, a missing scope, the bot not in
  the channel, an archived channel, a workspace restriction) the log says so once per process
  at ERROR, and `wgml-bot check-config` lists the dead-lettered rows by reason.
- `message_not_found` / `cant_update_message` on a card's chat.update: the card was
  deleted (or is not the bot's to edit); scheduler.outbox_cards posts it afresh.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from slack_sdk.errors import SlackApiError
from sqlalchemy import select

from bot.config import Check
from scheduler.outbox_policy import PermanentError, TransientError
from storage.db import Database
from storage.models import OutboxMessage
from storage.outbox import KIND_EMAIL

log = logging.getLogger("wgml.outbox")

# 429s do not count towards MAX_ATTEMPTS (Slack said when to come back), but a lane that
# Slack has refused this many times in a row is failed rather than retried for ever.
MAX_RATE_LIMITED_ATTEMPTS = 64


@dataclass(frozen=True)
class Meaning:
    outcome: str  # "retry" or "dead"
    why: str  # what happened, for `outbox list`
    fix: str = ""  # what the operator does; empty when nobody needs to act

    @property
    def operator(self) -> bool:
        return bool(self.fix)


_REINSTALL = ("reinstall the app to the workspace (manifest.yml), set the new SLACK_BOT_TOKEN, "
              "then `wgml-bot outbox retry ID`")
MEANINGS: dict[str, Meaning] = {
    "ratelimited": Meaning("retry", "Slack rate limit; retried after Retry-After"),
    "rate_limited": Meaning("retry", "Slack rate limit; retried after Retry-After"),
    "internal_error": Meaning("retry", "Slack's own error; retried"),
    "fatal_error": Meaning("retry", "Slack's own error; retried"),
    "request_timeout": Meaning("retry", "Slack timed out; retried"),
    "service_unavailable": Meaning("retry", "Slack unavailable; retried"),
    "channel_not_found": Meaning(
        "dead", "the channel does not exist or the bot cannot see it",
        "check the channel ID setting; for a private channel invite the bot "
        "(/invite @wgml-bot)"),
    "not_in_channel": Meaning(
        "dead", "the bot is not a member of the channel",
        "invite the bot to the channel (/invite @wgml-bot), then `wgml-bot outbox retry ID`"),
    "is_archived": Meaning(
        "dead", "the channel is archived",
        "unarchive the channel or set a new channel ID, then `wgml-bot outbox retry ID`"),
    "restricted_action": Meaning(
        "dead", "a workspace setting forbids the bot this (e.g. posting in the channel)",
        "ask a workspace admin to allow the app to post there"),
    "missing_scope": Meaning(
        "dead", "the token lacks a scope this call needs",
        "add the scope to manifest.yml's bot scopes and " + _REINSTALL),
    "token_revoked": Meaning("dead", "the bot token was revoked", _REINSTALL),
    "account_inactive": Meaning("dead", "the app was uninstalled or its bot deactivated",
                                _REINSTALL),
    "invalid_auth": Meaning("dead", "Slack does not accept SLACK_BOT_TOKEN",
                            "copy the Bot User OAuth Token again; " + _REINSTALL),
    "not_authed": Meaning("dead", "no token was sent", "set SLACK_BOT_TOKEN"),
    "msg_too_long": Meaning("dead", "the message text is over Slack's 40,000 characters"),
    "no_text": Meaning("dead", "the message had neither text nor blocks"),
    "invalid_blocks": Meaning("dead", "Slack refused the message's blocks"),
    "invalid_blocks_format": Meaning("dead", "the blocks were not a JSON array"),
    "invalid_arguments": Meaning("dead", "Slack refused the call's arguments"),
    "invalid_metadata_format": Meaning("dead", "Slack refused the message metadata"),
    "invalid_metadata_schema": Meaning("dead", "Slack refused the message metadata"),
    "user_not_found": Meaning("dead", "the user no longer exists in the workspace"),
    "user_not_in_channel": Meaning("dead", "the user is not in that channel (ephemeral)"),
    "cant_update_message": Meaning("dead", "the message is not the bot's to edit"),
    "message_not_found": Meaning("dead", "the message to edit was deleted"),
    "edit_window_closed": Meaning("dead", "the message is too old to edit"),
    # conversations.invite: already a member is the goal reached (outbox_send treats it so)
    "already_in_channel": Meaning("dead", "the member is already in the channel"),
    "cant_invite_self": Meaning("dead", "the bot cannot invite itself"),
    "cant_invite": Meaning("dead", "Slack does not let that user be invited (a guest or bot)"),
}
# chat.update errors after which a card is posted again instead of edited.
REPOST_CARD = frozenset({"message_not_found", "cant_update_message", "edit_window_closed"})
CODE = re.compile(r"^[a-z_.A-Z]+: ([a-z_]+)\b")

_told: set[tuple[str, str]] = set()  # (code, detail) already logged at ERROR this process


class SlackRefusal(PermanentError):
    """A dead-lettered Slack answer: its `code`, and what the operator can do."""

    def __init__(self, message: str, code: str, meaning: Meaning) -> None:
        super().__init__(message)
        self.code = code
        self.meaning = meaning


def _detail(code: str, body: Any) -> str:
    """The part of Slack's answer that says more: the scope `needed`, the block errors."""
    if not hasattr(body, "get"):
        return ""
    if code == "missing_scope" and body.get("needed"):
        return f"needed {body.get('needed')}, token has {body.get('provided') or 'none'}"
    messages = (body.get("response_metadata") or {}).get("messages") or body.get("errors") or []
    return "; ".join(str(m) for m in messages[:3])[:300]


def _tell_operator_once(method: str, code: str, detail: str, meaning: Meaning) -> None:
    if (code, detail) in _told:
        return
    _told.add((code, detail))
    log.error("event=outbox.operator_needed method=%s error=%s%s: %s; %s", method, code,
              f" ({detail})" if detail else "", meaning.why, meaning.fix)


def slack_failure(method: str, exc: SlackApiError) -> Exception:
    """The outbox's exception for an `ok: false` answer that is neither a 429 nor a 5xx."""
    body = exc.response.data if exc.response is not None else {}
    code = str(body.get("error") or "") if hasattr(body, "get") else ""
    meaning = MEANINGS.get(code)
    if meaning is None or meaning.outcome == "retry":
        return TransientError(f"{method}: {code or 'unknown error'}")
    detail = _detail(code, body)
    if meaning.operator:
        _tell_operator_once(method, code, detail, meaning)
    text = f"{method}: {code}" + (f" ({detail})" if detail else "") + f": {meaning.why}"
    if meaning.fix:
        text += f"; {meaning.fix}"
    return SlackRefusal(text, code, meaning)


def code_of(last_error: str | None) -> str | None:
    """The Slack error code a dead-lettered row's last_error starts with, if any."""
    found = CODE.match(last_error or "")
    return found.group(1) if found and found.group(1) in MEANINGS else None


async def dead_letter_check(db: Database) -> Check:
    """check-config's line: Slack messages dead-lettered for a reason the operator fixes."""
    async with db.session() as session:
        rows = (await session.execute(
            select(OutboxMessage.id, OutboxMessage.last_error).where(
                OutboxMessage.status == "failed", OutboxMessage.kind != KIND_EMAIL))).all()
    reasons: Counter[str] = Counter()
    ids: dict[str, list[int]] = {}
    for row_id, error in rows:
        code = code_of(error)
        if code is not None and MEANINGS[code].operator:
            reasons[code] += 1
            ids.setdefault(code, []).append(row_id)
    if not reasons:
        return Check("slack outbox", True, "no Slack message dead-lettered for a setting")
    worst = reasons.most_common(1)[0][0]
    detail = ", ".join(f"{code} x{n} (ids {', '.join(map(str, ids[code][:5]))})"
                       for code, n in reasons.most_common())
    return Check("slack outbox", False, f"dead-lettered: {detail}", MEANINGS[worst].fix)
