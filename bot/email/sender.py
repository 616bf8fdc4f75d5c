"""Who sent a message, read strictly from its From header (the email surface's own)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from email.policy import default as default_policy

from bot.address import is_valid_email, mailbox_key

# An address-like token: what a forged display name carries to pose as the sender. Read
# after NFKC (a fullwidth `＠` is `@` then), spaces around the `@` allowed (`vic @ x.org`).
# With spaces, only a domain with a dot counts: "Jane @ Weta FX" is a name.
_ADDRESS_LIKE = re.compile(r"[^\s<>\"(),;:@]+@[^\s<>\"(),;:@]+"
                           r"|[^\s<>\"(),;:@]+\s*@\s*[^\s<>\"(),;:@]+\.[^\W\d_]{2,}\b")


@dataclass(frozen=True)
class Sender:
    """Who sent a message, read strictly from its From header.

    `address` is "" when the header does not name exactly one mailbox unambiguously;
    `problem` then says why, and the message speaks for nobody.
    """

    address: str
    name: str
    problem: str | None = None


def read_sender(values: list[str]) -> Sender:
    """The one mailbox of a message's From header(s), by the standard library's strict
    (RFC 5322) parser, or a problem.

    Nothing is taken from a display name or an encoded word, and nothing is guessed: an
    obsolete or malformed header (`vic@x <mallory@y>`, `Victim <vic@x> <mallory@y>`),
    several mailboxes or From headers, a group, or a display name carrying another address
    (`=?utf-8?q?<vic@x>?= <mallory@y>`) make an ambiguous sender, never one of its guesses.
    """
    if not values:
        return Sender("", "", "no-from")
    if len(values) > 1:
        return Sender("", "", "several-from-headers")
    raw = values[0]
    try:
        header = default_policy.header_factory("from", raw)
        groups = list(header.groups)
        defects = [type(d).__name__ for d in header.defects]
    except Exception as exc:  # the strict parser refused it outright
        return Sender("", "", f"unparsable-from: {type(exc).__name__}")
    # A control character in the display name is harmless (it is dropped below); anything
    # else the parser had to repair means it was guessing.
    if [d for d in defects if d != "NonPrintableDefect"]:
        return Sender("", "", "malformed-from: " + ",".join(sorted(set(defects))))
    if len(groups) != 1 or groups[0].display_name is not None:
        return Sender("", "", "group-or-several-mailboxes")
    addresses = list(groups[0].addresses)
    if len(addresses) != 1:
        return Sender("", "", "several-mailboxes" if addresses else "no-mailbox")
    mailbox = addresses[0]
    address = mailbox.addr_spec
    if (not address.isprintable() or not is_valid_email(address)
            or address.lower() not in raw.lower()):  # not spelled out: from an encoded word
        return Sender("", "", "invalid-address")
    name = " ".join("".join(ch if ch.isprintable() else " " for ch in mailbox.display_name)
                    .split())
    for token in _ADDRESS_LIKE.findall(unicodedata.normalize("NFKC", name)):
        token = "".join(token.split())
        if mailbox_key(token.strip(".'`")) != mailbox_key(address):
            return Sender("", "", "address-in-display-name")
    return Sender(address.lower(), name)


