"""Forged `From` headers arriving over IMAP (a real Dovecot) speak for nobody (issue 20):
stored, never answered, never a confirmation."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from bot.config import Settings
from bot.demo.emulator.slack import SlackEmulator
from storage.db import Database
from storage.models import InboundMessage, Submission
from tests.conftest import LEADS
from tests.email.test_identity import FORGED, PROPOSAL, VIC
from tests.email.test_imap import _append, _imap_settings, _intake, _until
from tests.email_helpers import message, smtp_fixture  # noqa: F401 - fixture
from tests.mail_servers import DOVECOT, Dovecot, SmtpServer

pytestmark = pytest.mark.skipif(
    DOVECOT is None, reason="dovecot is not installed (make system-deps installs dovecot-imapd)"
)


@pytest.fixture(autouse=True)
def _short_idle(monkeypatch: pytest.MonkeyPatch) -> None:
    import handlers.email.imap as module

    monkeypatch.setattr(module, "IDLE_SECONDS", 3.0)  # as in tests/email/test_imap.py


@pytest.fixture(name="dovecot")
def dovecot_fixture() -> Iterator[Dovecot]:
    server = Dovecot().start()
    yield server
    server.stop()


async def _rows(db: Database) -> list[InboundMessage]:
    async with db.session() as session:
        return list(await session.scalars(select(InboundMessage).order_by(InboundMessage.id)))


async def test_forged_senders_over_imap_are_stored_and_never_answered(
    settings: Settings, db: Database, slack: SlackEmulator, smtp: SmtpServer,
    dovecot: Dovecot,
) -> None:
    s = _imap_settings(settings, smtp, dovecot)
    async with _intake(s, db):
        await _append(dovecot, message(VIC, PROPOSAL, message_id="<iv1@studio>"))
        await _until(lambda: _done(db, 1), timeout=60)
        [request] = await smtp.wait_for(1)
        ref = request.message["Subject"].rsplit("[", 1)[1].rstrip("]")
        # Even naming the bot's own request: the header still does not name one mailbox.
        await _append(dovecot, *[
            message(sender, "yes, I confirm", message_id=f"<iyes{i}@evil.example>",
                    subject=f"Re: Talk proposal [{ref}]",
                    in_reply_to=request.message["Message-ID"])
            for i, sender in enumerate(FORGED)])
        await _until(lambda: _done(db, 1 + len(FORGED)), timeout=60)
    rows = await _rows(db)
    assert [r.outcome for r in rows[1:]] == ["ignored_ambiguous_sender"] * len(FORGED)
    assert all(r.raw and r.source == "imap" for r in rows)
    async with db.session() as session:
        talk = (await session.scalars(select(Submission))).one()
    assert talk.status == "pending_confirmation"
    assert len(smtp.received) == 1 and slack.channel_messages(LEADS) == []


async def _done(db: Database, n: int) -> bool:
    rows = await _rows(db)
    return len(rows) >= n and all(r.status != "new" for r in rows)
