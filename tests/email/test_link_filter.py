"""The link filter knows no TLD list: any `label.label` with a TLD of letters, IPv4
literals, ideographic and fullwidth dots, schemes and `www.` are links, in the body and in
the Subject the auto-reply echoes; ordinary text (versions, abbreviations, CJK) is kept."""

from __future__ import annotations

import pytest

from bot.email.texts import without_links
from tests.email_helpers import (  # noqa: F401 - fixtures
    MailBot,
    mailbot_fixture,
    message,
    smtp_fixture,
)

LINKS = ["evil.de/reset", "login-corp.de/renew", "203.0.113.7/owa", "microsoft-login.eu/x",
         "evil。com", "ｅｖｉｌ．ｃｏｍ/x", "ｗｗｗ．evil", "hxxps://x.y", "münchen.de",
         "a.b.c.evil.museum", "(https://evil.example/a)", "evil.com_abc"]


@pytest.mark.parametrize("link", LINKS)
def test_a_link_is_removed(link: str) -> None:
    assert without_links(f"Reset at {link} today") == "Reset at [link removed] today"


@pytest.mark.parametrize("text", ["SAM 2 for hair roto, v2.0 results", "e.g. the U.S. model",
                                  "ありがとう。次の発表", "Depth 3.5 to 4.25 m"])
def test_ordinary_text_is_kept(text: str) -> None:
    assert without_links(text) == text


async def test_the_auto_reply_quotes_no_link_in_body_or_subject(mailbot: MailBot) -> None:
    await mailbot.open_cycle()
    raw = message("Ann <ann@studio.example>",
                  "Title: Renew at login-corp.de/renew\n"
                  "Abstract: Your mailbox is full, see 203.0.113.7/owa or evil。com now.",
                  message_id="<links@studio.example>",
                  subject="Urgent microsoft-login.eu/x ｅｖｉｌ．ｃｏｍ")
    assert (await mailbot.ingest(raw)).outcome == "created"
    [answer] = mailbot.smtp.received
    body = answer.message.get_payload(decode=True).decode()
    subject = str(answer.message["Subject"])
    for text in (body, subject):
        for piece in ("login-corp", "203.0.113", "evil", "microsoft-login", "ｅｖｉｌ"):
            assert piece not in text, text
    assert "[link removed]" in body and "[link removed]" in subject
