"""Mail that came through the working group's mailing list, as lists really send it.

The call goes to the list with Reply-To set to the bot, but Mailman, Google Groups and
groups.io rewrite what they pass on: a copy of a speaker's proposal can come back through
the list with a `List-Id` of MAILING_LIST_ADDRESS, its From rewritten to "Name via Group"
<the list> for DMARC (the sender then in `X-Original-From`, Google Groups, or `Reply-To`,
Mailman 3), and a footer appended. Here:

- a copy from our list (its List-Id names MAILING_LIST_ADDRESS) is recognised;
- it is attributed to the real sender only by the list's own headers, and only when the
  list rewrote From to its own address: then exactly one mailbox in X-Original-From, or else
  in Reply-To (never the list itself). Any other X-Original-From is the sender's own words,
  and anyone can write it. An unattributable copy is ignored (the direct copy, or the
  speaker's next message, is what counts);
- a proposal that went to the list (a list copy, or the list among its To/Cc) makes the
  confirmation request say, privately to the speaker, that the abstract is now public;
- the copy is de-duplicated against the direct one: by Message-ID in the intake, and, for
  lists that give the copy a new Message-ID, by the same speaker's same abstract;
- list footers (Mailman 2/3, Google Groups, groups.io) are stripped from the text.
"""

from __future__ import annotations

import datetime as dt
import email.message
import re
from dataclasses import dataclass
from email.utils import getaddresses
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.address import mailbox_key
from bot.email.sender import read_sender
from storage.models import Speaker, Submission

# Why a message is "automatic" that only says it came through a list: cleared for our list.
LIST_REASONS = frozenset({"mailing-list", "precedence-list", "precedence-bulk"})
DUPLICATE_WINDOW = dt.timedelta(days=3)  # a list holds a copy for moderation this long at most


@dataclass(frozen=True)
class ListHeaders:
    """What the headers say about a list, read at parse time (no settings needed)."""

    list_id: str = ""  # inside the <...> of List-Id, lower-cased
    from_address: str = ""  # the From mailbox as sent (lower-cased), "" when not one
    original_from: tuple[str, str] | None = None  # (address, name): exactly one mailbox
    original_from_headers: int = 0  # how many X-Original-From there were
    reply_to: tuple[tuple[str, str], ...] = ()  # every Reply-To mailbox
    recipients: tuple[str, ...] = ()  # To and Cc mailboxes, lower-cased


def _mailboxes(msg: email.message.Message, name: str) -> list[tuple[str, str]]:
    try:
        values = [str(v) for v in msg.get_all(name) or []][:5]
        return [(addr.lower(), who) for who, addr in getaddresses(values) if "@" in addr][:50]
    except Exception:
        return []


def read_list_headers(msg: email.message.Message, from_address: str) -> ListHeaders:
    raw_id = str(msg.get("List-Id") or "")[:1000]
    found = re.search(r"<([^<>\s]+)>", raw_id)
    list_id = (found.group(1) if found else raw_id.strip()).lower()
    original: tuple[str, str] | None = None
    try:
        values = [str(v) for v in msg.get_all("X-Original-From") or []]
    except Exception:
        values = []
    if values:
        sender = read_sender(values)  # the same strict reading as From; several: nobody
        if sender.address:
            original = (sender.address, sender.name)
    recipients = tuple(a for name in ("To", "Cc") for a, _ in _mailboxes(msg, name))
    return ListHeaders(list_id, from_address, original, len(values),
                       tuple(_mailboxes(msg, "Reply-To")), recipients)


def list_id_of(address: str) -> str:
    """The List-Id a list at `address` sends: Mailman, Google Groups and groups.io all use
    the address with its @ as a dot (wgml@lists.example.org -> wgml.lists.example.org)."""
    return address.strip().lower().replace("@", ".", 1)


@dataclass(frozen=True)
class ListCopy:
    sender: str | None  # whom the list's own headers say sent it; None: they do not say
    name: str
    munged: bool  # From was rewritten to the list's address


def list_copy(headers: ListHeaders, list_address: str | None) -> ListCopy | None:
    """The copy our list passed on, or None for any other message (or no list set)."""
    if not list_address or not headers.list_id or headers.list_id != list_id_of(list_address):
        return None
    ours = mailbox_key(list_address)
    if mailbox_key(headers.from_address) != ours:
        return ListCopy(headers.from_address or None, "", munged=False)
    if headers.original_from_headers:  # the list said who: exactly one mailbox, or nobody
        found = headers.original_from
        if found is None or mailbox_key(found[0]) == ours:
            return ListCopy(None, "", munged=True)
        return ListCopy(found[0], found[1], munged=True)
    others = [(a, n) for a, n in headers.reply_to if mailbox_key(a) != ours]
    if len(others) == 1:
        return ListCopy(others[0][0], others[0][1], munged=True)
    return ListCopy(None, "", munged=True)


def went_to_list(headers: ListHeaders, list_address: str | None) -> bool:
    """The message reached the whole list: a copy from it, or the list among To/Cc."""
    if not list_address:
        return False
    ours = mailbox_key(list_address)
    return list_copy(headers, list_address) is not None or any(
        mailbox_key(r) == ours for r in headers.recipients)


def public_notice(list_address: str) -> str:
    return (f"Please note: your message also went to the whole mailing list ({list_address}),"
            " so your abstract is now public to its members. If it holds anything "
            "confidential, tell the list's moderators and the working group's leaders at "
            "once; replying here only changes what the leaders see.")


def with_public_notice(text: str, list_address: str) -> str:
    """The confirmation request with the notice after its greeting line."""
    greeting, sep, rest = text.partition("\n\n")
    return f"{greeting}{sep}{public_notice(list_address)}\n\n{rest}" if sep else \
        f"{public_notice(list_address)}\n\n{text}"


async def earlier_copy(session: AsyncSession, sender: str, abstract: str, now: dt.datetime
                       ) -> Submission | None:
    """The same speaker's submission with the same abstract, made lately by email: the other
    copy of a message that reached the bot twice (directly and through the list) under two
    Message-IDs."""
    wanted = " ".join(abstract.split())
    if not wanted:
        return None
    rows = (await session.scalars(
        select(Submission).join(Speaker, Submission.speaker_id == Speaker.id).where(
            Speaker.email == sender, Submission.source == "email",
            Submission.created_at >= now - DUPLICATE_WINDOW))).all()
    return next((s for s in rows if " ".join(s.abstract.split()) == wanted), None)


# ---- footers -------------------------------------------------------------------------------
_RULE = re.compile(r"^_{20,}\s*$")  # Mailman's line above its footer
_TRAILING_RULE = re.compile(r"\s*_{20,}\s*$")
_MAILMAN = re.compile(r"^\S.{0,80} mailing list(?: -- \S+@\S+)?\s*$|^To unsubscribe send an "
                      r"email to \S+@\S+|^https?://\S+/(?:mailman|listinfo)/", re.I)
_GOOGLE = re.compile(r"^You received this message because you are subscribed to the Google"
                     r"(?: Groups|$)", re.I)
_GROUPSIO_RULE = re.compile(r"^(?:-=){5,}-?\s*$")
_GROUPSIO = re.compile(r"^Groups\.io Links:", re.I)


def _footer_end(lines: list[str], i: int) -> int | None:
    """Where a footer starting at line i ends (exclusive), or None when none starts there."""
    line = lines[i].strip()
    if _RULE.match(line) and any(_MAILMAN.match(x.strip()) for x in lines[i + 1:i + 4]):
        return _paragraph_end(lines, i + 1)
    if _MAILMAN.match(line) and i + 1 < len(lines) and \
            lines[i + 1].lower().startswith("to unsubscribe send an email to"):
        return _paragraph_end(lines, i)
    if _GOOGLE.match(line):
        return len(lines)  # Google Groups' footer is always the end of the message
    if _GROUPSIO_RULE.match(line) and i + 1 < len(lines) and _GROUPSIO.match(lines[i + 1]):
        for j in range(i + 2, min(len(lines), i + 20)):
            if _GROUPSIO_RULE.match(lines[j].strip()):
                return j + 1
        return len(lines)
    return None


def _paragraph_end(lines: list[str], i: int) -> int:
    j = i
    while j < len(lines) and lines[j].strip():
        j += 1
    return j


def strip_list_footers(text: str) -> str:
    """The text without the footers lists append (a quoted one goes with its quote)."""
    if not any(key in text for key in ("mailing list", "Google Groups", "Groups.io",
                                       "unsubscribe", "______")):
        return text  # the common case, at the cost of one scan
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        end = _footer_end(lines, i)
        if end is None:
            out.append(lines[i])
            i += 1
            continue
        # A flowed line ending in a space is joined to Mailman's rule below it: cut the rule.
        if out:
            out[-1] = _TRAILING_RULE.sub("", out[-1])
        # A signature separator right above Google's footer belongs to the footer.
        while out and out[-1].strip() in ("--", "-- ", ""):
            if out[-1].strip() in ("--", "-- "):
                out.pop()
                break
            out.pop()
        i = end
    return "\n".join(out).rstrip() + ("\n" if text.endswith("\n") else "")


def resolve(headers: ListHeaders, auto_reason: str | None, list_address: str | None
            ) -> dict[str, Any] | None:
    """How a parsed message changes when it is our list's copy: the ParsedEmail fields to
    replace (none for any other message), or None for a copy the list's headers attribute
    to nobody."""
    copy = list_copy(headers, list_address)
    if copy is None:
        return {}
    if copy.sender is None:
        return None
    reason = None if auto_reason in LIST_REASONS else auto_reason
    changes: dict[str, Any] = {"auto_reply": reason is not None, "auto_reason": reason}
    if copy.munged:  # From is the list's: the sender is whom its headers name
        changes.update(sender=copy.sender, sender_name=copy.name, sender_problem=None)
    return changes  # not munged: From is the sender's own; only the list's marks go
