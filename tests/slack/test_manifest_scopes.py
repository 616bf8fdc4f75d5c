"""The manifest asks for exactly the bot scopes the code needs, and docs/slack-app.md says the same.

The Web API methods the bot calls are read from its source (bot/, handlers/, scheduler/; not
the emulator or the demo's stand-ins) and mapped to the scopes Slack's method reference lists
for them. A new method without a row here fails the test, so the manifest cannot fall behind
the code; a scope no method needs fails it too, so the manifest asks for nothing unused.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from slack_sdk.web.async_client import AsyncWebClient

ROOT = Path(__file__).resolve().parents[2]

# Slack's method reference (api.slack.com/methods/<method>), bot token scopes. For the
# conversations.* methods the bot works in public and private channels and in DMs: the
# leadership channel is usually private (groups:*), the announce channel public (channels:*),
# a speaker's DM an IM (im:*).
METHOD_SCOPES: dict[str, set[str]] = {
    "auth.test": set(),
    "chat.postMessage": {"chat:write"},
    "chat.update": {"chat:write"},
    "chat.postEphemeral": {"chat:write"},
    "conversations.open": {"im:write"},
    "conversations.members": {"channels:read", "groups:read"},
    "conversations.info": {"channels:read", "groups:read"},
    "conversations.history": {"channels:history", "groups:history", "im:history"},
    "users.info": {"users:read"},
    "views.open": set(),
    "views.update": set(),
    "views.publish": set(),
}
# The slash command is a feature, not a method: its scope comes with it.
FEATURE_SCOPES = {"commands"}
NOT_THE_BOT = ("bot/demo/",)


def methods_called() -> set[str]:
    """Every Web API method named in the bot's code, as `client.chat_postMessage(` or as
    `"chat_update"` passed to a generic caller."""
    names: set[str] = set()
    for folder in ("bot", "handlers", "scheduler"):
        for path in (ROOT / folder).rglob("*.py"):
            rel = path.relative_to(ROOT).as_posix()
            if rel.startswith(NOT_THE_BOT):
                continue
            for word in re.findall(r"\b([a-z]+_[a-zA-Z]+)\b", path.read_text()):
                method = getattr(AsyncWebClient, word, None)
                if callable(method) and "_" in word and not word.startswith("_") \
                        and word not in ("api_call",):
                    names.add(word.replace("_", ".", 1))
    return names


def manifest_scopes() -> set[str]:
    manifest = yaml.safe_load((ROOT / "manifest.yml").read_text())
    return set(manifest["oauth_config"]["scopes"]["bot"])


def test_every_method_the_bot_calls_has_a_known_scope() -> None:
    called = methods_called()
    assert {"chat.postMessage", "views.open", "conversations.members"} <= called
    unknown = called - METHOD_SCOPES.keys()
    assert not unknown, f"add these methods' scopes (Slack's method reference): {unknown}"


def test_manifest_asks_for_exactly_the_scopes_the_code_needs() -> None:
    needed = set().union(*(METHOD_SCOPES[m] for m in methods_called())) | FEATURE_SCOPES
    scopes = manifest_scopes()
    assert scopes - needed == set(), "scopes the bot never uses"
    assert needed - scopes == set(), "scopes the bot needs and the manifest lacks"


def test_the_slack_app_page_lists_the_manifests_scopes() -> None:
    section = (ROOT / "docs" / "slack-app.md").read_text()
    listed = set(re.findall(r"`([a-z]+:[a-z]+)`", section)) - {"connections:write"}
    listed |= {s for s in manifest_scopes() if ":" not in s and f"`{s}`" in section}
    assert listed == manifest_scopes()
