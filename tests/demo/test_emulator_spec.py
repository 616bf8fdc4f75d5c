"""The emulator holds every Web API call to Slack's published OpenAPI spec."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.demo.emulator.slack import METHODS, SlackEmulator
from bot.demo.emulator.spec import call_problems, methods, scopes_for

TOKEN = "xoxb-spec"


@pytest.fixture
async def emulator() -> AsyncIterator[SlackEmulator]:
    emu = SlackEmulator(token=TOKEN, members={"CLEADS": ["U1"]})
    await emu.start()
    yield emu
    await emu.stop()


def test_every_emulated_method_is_in_the_spec() -> None:
    assert set(METHODS) <= set(methods())


def test_spec_arguments_and_scopes_read_from_the_pinned_file() -> None:
    post = methods()["chat.postMessage"]
    assert post.arguments["channel"].required
    assert post.arguments["blocks"].json_shape == "array"
    assert post.arguments["unfurl_links"].type == "boolean"
    assert "metadata" in post.arguments  # from additions.json
    assert scopes_for("chat.postMessage") == {"chat:write"}  # chat:write:bot, granular
    assert scopes_for("views.open") == frozenset()
    assert "not_in_channel" in post.errors and "is_archived" in post.errors


def test_missing_unknown_and_mistyped_arguments() -> None:
    assert call_problems("chat.postMesage", {}, set()) is None
    assert call_problems("chat.postMessage", {"channel": "C1", "text": "hi"}, set()) == []
    missing = call_problems("chat.postMessage", {"text": "hi"}, set())
    assert missing == ["missing required field: channel [json-pointer:/channel]"]
    unknown = call_problems("chat.postMessage", {"channel": "C1", "txt": "hi"}, set())
    assert unknown == ["unknown argument: txt [json-pointer:/txt]"]
    # A form carries booleans as Slack reads them; Python's str(True) is not one.
    assert call_problems("chat.postMessage", {"channel": "C1", "unfurl_links": "0"}, set()) == []
    assert call_problems("chat.postMessage", {"channel": "C1", "unfurl_links": "True"}, set())
    # blocks: a JSON-encoded array in a form, the array itself in a JSON body.
    assert call_problems("chat.postMessage", {"channel": "C1", "blocks": "[]"}, set()) == []
    assert call_problems("chat.postMessage", {"channel": "C1", "blocks": "{not json"}, set())
    assert call_problems("chat.postMessage", {"channel": "C1", "blocks": []}, {"blocks"}) == []
    assert call_problems("chat.postMessage", {"channel": "C1", "blocks": {"a": 1}},
                         {"blocks"})
    assert call_problems("chat.postMessage", {"channel": "C1", "unfurl_links": 1},
                         {"unfurl_links"})
    assert call_problems("conversations.history", {"channel": "C1", "limit": "ten"}, set())
    assert call_problems("views.open", {"trigger_id": "1.x", "view": json.dumps([1])}, set())


async def test_a_real_client_gets_slacks_answers(emulator: SlackEmulator) -> None:
    client = AsyncWebClient(token=TOKEN, base_url=emulator.url)
    ok = await client.chat_postMessage(channel="CLEADS", text="hi", unfurl_links=False,
                                       metadata={"event_type": "x", "event_payload": {}})
    assert ok["ok"]
    with pytest.raises(SlackApiError) as refused:
        await client.chat_postMessage(channel="CLEADS", text="hi", icon="x")
    assert refused.value.response["error"] == "invalid_arguments"
    assert refused.value.response["response_metadata"]["messages"] == [
        "[ERROR] unknown argument: icon [json-pointer:/icon]"]
    with pytest.raises(SlackApiError) as unknown:
        await client.api_call("chat.postMesage", json={"channel": "C1"})
    assert unknown.value.response["error"] == "unknown_method"
    # include_all_metadata goes as a query string boolean ("1"): accepted.
    page = await client.conversations_history(channel="CLEADS", include_all_metadata=True)
    assert page["ok"]
    assert [v["method"] for v in emulator.spec_violations] == ["chat.postMessage",
                                                                "chat.postMesage"]
    assert len(emulator.calls_to("chat.postMessage")) == 2


async def test_exact_error_bodies_are_answered(emulator: SlackEmulator) -> None:
    client = AsyncWebClient(token=TOKEN, base_url=emulator.url)
    body = {"ok": False, "error": "missing_scope", "needed": "groups:history",
            "provided": "chat:write,commands"}
    emulator.fail("conversations.history", 200, body=body)
    with pytest.raises(SlackApiError) as exc:
        await client.conversations_history(channel="CLEADS")
    assert exc.value.response.data == body
