"""Channels in the Slack emulator: `conversations.create`, `conversations.invite` and
`conversations.join`, answering as Slack does.

Sources: Slack's Web API reference for conversations.create / conversations.invite and
slackapi/slack-api-specs (web-api/slack_web_openapi_v2.json: the error names). Channel names
are lower-case letters, digits, `-` and `_`, at most 80 characters (`invalid_name_required`,
`invalid_name_maxlength`, `invalid_name_specials`, `invalid_name_punctuation`), unique in the
workspace (`name_taken`). A bot token needs `channels:manage` for both methods on public
channels; without it Slack answers `missing_scope` with `needed` and `provided`. A workspace
that lets only admins create channels answers `restricted_action`. `conversations.invite`
takes up to 1000 comma-separated users; without `force`, one bad user fails the call and
invites nobody (`errors` lists each), with the first error as `error`: `cant_invite_self` for
the bot itself, `user_not_found`, `already_in_channel`; `not_in_channel` when the bot is not
a member; `channel_not_found`.

Installed on every SlackEmulator by `register` (one line in bot.demo.emulator.slack).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Any

MAX_NAME = 80
MAX_INVITES = 1000
MANAGE = "channels:manage"
_NAME = re.compile(r"[a-z0-9_-]+")


def name_error(name: str) -> str | None:
    if not name:
        return "invalid_name_required"
    if len(name) > MAX_NAME:
        return "invalid_name_maxlength"
    if not _NAME.fullmatch(name):
        return "invalid_name_specials"
    if not re.search(r"[a-z0-9]", name):
        return "invalid_name_punctuation"
    return None


@dataclass
class Conversations:
    emulator: Any  # the SlackEmulator this lives in (members, channels, users, scopes)
    bot_user_id: str
    # name -> channel id, for every channel of the workspace with a name
    names: dict[str, str] = field(default_factory=dict)
    # Set True to answer conversations.create with restricted_action (admins-only creation).
    restricted: bool = False
    _n: int = 0

    # ---- helpers for tests ------------------------------------------------------------------
    def add_users(self, *users: str) -> None:
        """Members of the workspace who are in no channel yet."""
        for user in users:
            self.emulator.users.setdefault(user, {"name": user.lower()})

    def take_name(self, name: str, channel: str = "CTAKEN001") -> None:
        self.names[name] = channel

    def channel_named(self, name: str) -> str | None:
        return self.names.get(name)

    # ---- checks -----------------------------------------------------------------------------
    def _missing(self, scope: str) -> dict[str, Any] | None:
        granted = self.emulator.scopes
        if granted is None or scope in granted:
            return None
        return {"ok": False, "error": "missing_scope", "needed": scope,
                "provided": ",".join(sorted(granted))}

    def _known(self, user: str) -> bool:
        em = self.emulator
        return user in em.users or any(user in m for m in em.members.values())

    # ---- methods ----------------------------------------------------------------------------
    def create(self, p: dict[str, Any]) -> dict[str, Any]:
        private = str(p.get("is_private", "")).lower() in ("1", "true")
        if (missing := self._missing("groups:write" if private else MANAGE)) is not None:
            return missing
        name = str(p.get("name") or "")
        if (error := name_error(name)) is not None:
            return {"ok": False, "error": error}
        if self.restricted:
            return {"ok": False, "error": "restricted_action"}
        if name in self.names:
            return {"ok": False, "error": "name_taken"}
        self._n += 1
        channel = f"CSUB{self._n:05d}"
        self.names[name] = channel
        info = {"name": name, "is_private": private, "is_member": True, "is_channel": True,
                "created": int(time.time()), "creator": self.bot_user_id}
        self.emulator.channels[channel] = info
        self.emulator.members[channel] = [self.bot_user_id]
        return {"channel": {"id": channel, **info, "name_normalized": name,
                            "is_archived": False, "is_general": False}}

    def invite(self, p: dict[str, Any]) -> dict[str, Any]:
        if (missing := self._missing(MANAGE)) is not None:
            return missing
        channel = str(p.get("channel") or "")
        members = self.emulator.members.get(channel)
        if channel not in self.emulator.channels or members is None:
            return {"ok": False, "error": "channel_not_found"}
        if self.bot_user_id not in members:
            return {"ok": False, "error": "not_in_channel"}
        users = [u.strip() for u in str(p.get("users") or "").split(",") if u.strip()]
        if not users:
            return {"ok": False, "error": "no_user"}
        if len(users) > MAX_INVITES:
            return {"ok": False, "error": "too_many_users"}
        errors = []
        for user in users:
            if user == self.bot_user_id:
                errors.append({"user": user, "ok": False, "error": "cant_invite_self"})
            elif not self._known(user):
                errors.append({"user": user, "ok": False, "error": "user_not_found"})
            elif user in members:
                errors.append({"user": user, "ok": False, "error": "already_in_channel"})
        force = str(p.get("force", "")).lower() in ("1", "true")
        bad = {e["user"] for e in errors}
        if errors and not force:
            return {"ok": False, "error": errors[0]["error"], "errors": errors}
        for user in users:
            if user not in bad and user not in members:
                members.append(user)
        out: dict[str, Any] = {"channel": {"id": channel, **self.emulator.channels[channel],
                                           "num_members": len(members)}}
        if errors:
            out["errors"] = errors
        return out

    def join(self, p: dict[str, Any]) -> dict[str, Any]:
        if (missing := self._missing("channels:join")) is not None:
            return missing
        channel = str(p.get("channel") or "")
        info = self.emulator.channels.get(channel)
        if info is None:
            return {"ok": False, "error": "channel_not_found"}
        members = self.emulator.members.setdefault(channel, [])
        if self.bot_user_id not in members:
            members.append(self.bot_user_id)
        return {"channel": {"id": channel, **info, "is_member": True}}


def register(emulator: Any, bot_user_id: str) -> Conversations:
    """Answer the channel methods on `emulator` (its `methods` table)."""
    conversations = Conversations(emulator, bot_user_id)
    emulator.methods["conversations.create"] = conversations.create
    emulator.methods["conversations.invite"] = conversations.invite
    emulator.methods["conversations.join"] = conversations.join
    return conversations
