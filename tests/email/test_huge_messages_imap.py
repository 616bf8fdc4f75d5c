"""Over IMAP a message over EMAIL_MAX_BYTES is never fetched (its RFC822.SIZE is read
first): it is marked handled with a log line, and the mail around it goes through."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from bot.config import Settings
from bot.demo.emulator.slack import SlackEmulator
from storage.db import Database
from storage.models import InboundMessage, Submission
from tests.email.test_imap import (
    _append,
    _client,
    _count,
    _imap_settings,
    _intake,
    _last_uid_is,
    _proposal,
    _until,
)
from tests.email_helpers import message, smtp_fixture  # noqa: F401 - fixture
from tests.mail_servers import DOVECOT, Dovecot, SmtpServer

pytestmark = pytest.mark.skipif(DOVECOT is None, reason="dovecot is not installed")


@pytest.fixture(autouse=True)
def _short_idle(monkeypatch: pytest.MonkeyPatch) -> None:
    import handlers.email.imap as module

    monkeypatch.setattr(module, "IDLE_SECONDS", 3.0)  # as in tests/email/test_imap.py


@pytest.fixture(name="dovecot")
def dovecot_fixture() -> Iterator[Dovecot]:
    server = Dovecot().start()
    yield server
    server.stop()


async def test_a_message_over_the_limit_is_not_fetched_and_marked_handled(
    settings: Settings, db: Database, slack: SlackEmulator, smtp: SmtpServer,
    dovecot: Dovecot, caplog: pytest.LogCaptureFixture,
) -> None:
    huge = message("Big <big@studio.example>", "Title: Big\n" + "x" * 200_000,
                   message_id="<huge@studio.example>")
    await _append(dovecot, _proposal(1), huge, _proposal(3))
    s = _imap_settings(settings, smtp, dovecot, email_max_bytes=100_000)
    with caplog.at_level(logging.WARNING, logger="wgml.imap"):
        async with _intake(s, db):
            await _until(lambda: _last_uid_is(db, 3), timeout=60)
            await smtp.wait_for(2)
    assert await _count(db, InboundMessage) == 2  # the huge one was never fetched
    assert await _count(db, Submission) == 2
    assert any("event=imap.too_large uid=2" in r.getMessage() for r in caplog.records)
    client = await _client(dovecot)
    await client.select("INBOX")
    unseen = await client.uid_search("UNSEEN", charset=None)
    assert unseen.lines[0].strip() == b""  # all three marked handled
    await client.logout()
