"""The manifest asks for exactly the bot scopes the code needs, and docs/slack-app.md says the same.

The Web API methods the bot calls are read from its source (bot/, handlers/, scheduler/; not
the emulator or the demo's stand-ins); the scopes that grant each come from Slack's published
OpenAPI spec (bot/demo/emulator/openapi, its `security`), not a hand list. A method the spec
does not know fails the test; a scope no method needs fails it too, so the manifest asks for
nothing unused.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from slack_sdk.web.async_client import AsyncWebClient

from bot.demo.emulator.spec import methods, scopes_for

ROOT = Path(__file__).resolve().parents[2]

# The spec lists every conversation type that grants a conversations.* method (channels:,
# groups:, im:, mpim:); the bot needs the types it actually uses the method in. The
# leadership channel is usually private (groups), the announce channel public (channels), a
# speaker's DM an IM; the bot never works in group DMs (mpim).
CONVERSATION_TYPES: dict[str, set[str]] = {
    "conversations.open": {"im"},
    "conversations.members": {"channels", "groups"},
    "conversations.info": {"channels", "groups"},
    "conversations.history": {"channels", "groups", "im"},
    # Sub-projects' channels are public, created and invited into by the bot: channels only.
    "conversations.create": {"channels"},
    "conversations.invite": {"channels"},
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
            for word in re.findall(r"\b([a-z]+(?:_[a-zA-Z]+)+)\b", path.read_text()):
                method = getattr(AsyncWebClient, word, None)
                if callable(method) and not word.startswith("_") and word != "api_call":
                    names.add(word.replace("_", "."))
    return names


def bot_methods() -> set[str]:
    """The methods called with the bot token (apps.connections.open takes the app token)."""
    return {m for m in methods_called() if methods()[m].token == "bot"}


def needed_scopes(method: str) -> set[str]:
    granted = set(scopes_for(method))
    kinds = CONVERSATION_TYPES.get(method)
    if kinds is None:
        return granted  # one scope grants it (users:read, chat:write) or none (views.*)
    return {s for s in granted if s.split(":")[0] in kinds}


def manifest_scopes() -> set[str]:
    manifest = yaml.safe_load((ROOT / "manifest.yml").read_text())
    return set(manifest["oauth_config"]["scopes"]["bot"])


def test_every_method_the_bot_calls_is_in_slacks_spec() -> None:
    called = methods_called()
    assert {"chat.postMessage", "views.open", "conversations.members"} <= called
    unknown = called - methods().keys()
    assert not unknown, f"methods Slack's spec does not have: {unknown}"


def test_conversation_types_name_only_scopes_the_spec_lists() -> None:
    """The per-type table can only narrow the spec's scopes, never invent one."""
    for method, kinds in CONVERSATION_TYPES.items():
        if method in methods():
            assert needed_scopes(method), method
            prefixes = {s.split(":")[0] for s in scopes_for(method)}
            assert kinds <= prefixes, method


def test_manifest_covers_every_method_the_bot_calls() -> None:
    scopes = manifest_scopes()
    for method in bot_methods():
        granted = scopes_for(method)
        assert not granted or granted & scopes, f"{method} needs one of {sorted(granted)}"


def test_manifest_asks_for_exactly_the_scopes_the_code_needs() -> None:
    needed = set().union(*(needed_scopes(m) for m in bot_methods())) | FEATURE_SCOPES
    scopes = manifest_scopes()
    assert scopes - needed == set(), "scopes the bot never uses"
    assert needed - scopes == set(), "scopes the bot needs and the manifest lacks"


def test_app_token_scope_comes_from_the_spec_additions() -> None:
    assert "apps.connections.open" in methods_called()
    assert scopes_for("apps.connections.open") == {"connections:write"}


def test_the_slack_app_page_lists_the_manifests_scopes() -> None:
    section = (ROOT / "docs" / "slack-app.md").read_text()
    listed = set(re.findall(r"`([a-z]+:[a-z]+)`", section)) - {"connections:write"}
    listed |= {s for s in manifest_scopes() if ":" not in s and f"`{s}`" in section}
    assert listed == manifest_scopes()
