"""Where IMAP intake stands in a mailbox: UIDVALIDITY and the last UID handled under it."""

from __future__ import annotations

import logging

from storage.db import Database
from storage.models import ImapState

log = logging.getLogger("wgml.imap")


async def last_uid(db: Database, mailbox: str, uidvalidity: int) -> tuple[int, bool]:
    """The last UID handled under this UIDVALIDITY, and whether it was known before."""
    async with db.transaction() as session:
        state = await session.get(ImapState, mailbox)
        if state is None:
            session.add(ImapState(mailbox=mailbox, uidvalidity=uidvalidity, last_uid=0))
            return 0, False
        if state.uidvalidity != uidvalidity:
            # The server renumbered the mailbox: old UIDs mean nothing any more. Unseen mail
            # is read again; the Message-ID check keeps it from being processed twice.
            log.warning("event=imap.uidvalidity_changed mailbox=%s old=%s new=%s",
                        mailbox, state.uidvalidity, uidvalidity)
            state.uidvalidity = uidvalidity
            state.last_uid = 0
            return 0, False
        return int(state.last_uid), True


async def advance(db: Database, mailbox: str, uidvalidity: int, uid: int) -> None:
    """Record `uid` as handled (never moving backwards, never under another UIDVALIDITY)."""
    async with db.transaction() as session:
        state = await session.get(ImapState, mailbox, with_for_update=True)
        if state is not None and state.uidvalidity == uidvalidity and state.last_uid < uid:
            state.last_uid = uid
