"""Channel names as Slack takes them, and the emulator answering the channel methods as
Slack does (through the real slack-sdk client)."""

from __future__ import annotations

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.demo.emulator.slack import BOT_USER_ID, SlackEmulator
from bot.subprojects.names import alternative, name_problem, suggest
from tests.conftest import TOKEN


@pytest.mark.parametrize(("name", "error"), [
    ("", "invalid_name_required"),
    ("a" * 81, "invalid_name_maxlength"),
    ("Hair-Matting", "invalid_name_specials"),
    ("hair matting", "invalid_name_specials"),
    ("hair#matting", "invalid_name_specials"),
    ("---", "invalid_name_punctuation"),
    ("a" * 80, None),
    ("wgml-hair_matting-2", None),
])
def test_channel_name_rules(name: str, error: str | None) -> None:
    assert name_problem(name) == error


def test_suggested_names_are_always_valid() -> None:
    assert suggest("Hair & fur matting") == "wgml-hair-fur-matting"
    assert suggest("Débruitage des rendus") == "wgml-debruitage-des-rendus"
    assert suggest("<!channel> ✨") == "wgml-channel"
    assert suggest("✨✨") == "wgml-subproject"
    long = suggest("word " * 40)
    assert name_problem(long) is None and len(long) <= 80 and not long.endswith("-")
    for name in ("x", "hair matting", "ÄÖÜ", "a" * 200, "-_-"):
        assert name_problem(suggest(name)) is None, name
    assert alternative("wgml-hair") == "wgml-hair-2"
    assert alternative("wgml-hair-2", 3) == "wgml-hair-3"
    assert len(alternative("a" * 80)) == 80


def client(slack: SlackEmulator) -> AsyncWebClient:
    return AsyncWebClient(token=TOKEN, base_url=slack.url)


async def error_of(call: object) -> dict[str, object]:
    with pytest.raises(SlackApiError) as caught:
        await call  # type: ignore[misc]
    return dict(caught.value.response.data)  # type: ignore[arg-type]


async def test_create_follows_slacks_name_rules(slack: SlackEmulator) -> None:
    web = client(slack)
    for name, error in (("", "invalid_name_required"), ("A" * 81, "invalid_name_maxlength"),
                        ("Hair Matting", "invalid_name_specials")):
        assert (await error_of(web.conversations_create(name=name)))["error"] == error
    made = await web.conversations_create(name="wgml-hair")
    channel = made["channel"]
    assert channel["name"] == "wgml-hair" and channel["is_member"] and not channel["is_private"]
    assert (await error_of(web.conversations_create(name="wgml-hair")))["error"] == "name_taken"
    info = await web.conversations_info(channel=channel["id"])
    assert info["channel"]["name"] == "wgml-hair"
    members = await web.conversations_members(channel=channel["id"])
    assert members["members"] == [BOT_USER_ID]


async def test_invite_answers_as_slack_does(slack: SlackEmulator) -> None:
    web = client(slack)
    slack.conversations.add_users("UANNA001", "UBEN0001")
    channel = (await web.conversations_create(name="wgml-roto"))["channel"]["id"]
    done = await web.conversations_invite(channel=channel, users="UANNA001")
    assert done["channel"]["id"] == channel
    again = await error_of(web.conversations_invite(channel=channel, users="UANNA001"))
    assert again["error"] == "already_in_channel"
    assert (await error_of(web.conversations_invite(channel=channel, users=BOT_USER_ID))
            )["error"] == "cant_invite_self"
    unknown = await error_of(web.conversations_invite(channel=channel, users="UBEN0001,UNOBODY1"))
    assert unknown["error"] == "user_not_found"
    assert "UBEN0001" not in slack.members[channel]  # one bad user: nobody invited
    assert (await error_of(web.conversations_invite(channel="CNOPE0001", users="UBEN0001"))
            )["error"] == "channel_not_found"
    slack.members[channel].remove(BOT_USER_ID)
    assert (await error_of(web.conversations_invite(channel=channel, users="UBEN0001"))
            )["error"] == "not_in_channel"


async def test_missing_scope_and_restricted_action(slack: SlackEmulator) -> None:
    web = client(slack)
    slack.scopes = {"chat:write", "commands"}
    refused = await error_of(web.conversations_create(name="wgml-x"))
    assert refused["error"] == "missing_scope" and refused["needed"] == "channels:manage"
    assert refused["provided"] == "chat:write,commands"
    answer = await web.auth_test()
    assert answer.headers.get("x-oauth-scopes") == "chat:write,commands"
    slack.scopes = None
    slack.conversations.restricted = True
    assert (await error_of(web.conversations_create(name="wgml-x")))["error"] == \
        "restricted_action"
