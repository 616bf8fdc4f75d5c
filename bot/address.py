"""Email addresses in their normal form: what a valid one looks like, one mailbox's key, and
whether mail comes from a speaker. A leaf every floor may import (settings, the talks, the
email surface)."""

from __future__ import annotations

import re

# Deliberately modest: one @, a dot in the domain, no spaces or angle brackets.
# Full RFC 5322 validation rejects nothing a person would type by mistake.
_EMAIL = re.compile(r"^[^@\s<>()\[\],;:\"]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?"
                    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)+$")


def is_valid_email(value: str) -> bool:
    return len(value) <= 254 and bool(_EMAIL.match(value))


def mailbox_key(address: str) -> str:
    """One mailbox's key: lower-cased, less any +tag (`Vic+talk@Studio.example` and
    `vic@studio.example` are one mailbox). For caps and for recognising the bot itself."""
    local, at, domain = address.strip().lower().rpartition("@")
    if not at:
        return address.strip().lower()
    return f"{local.split('+', 1)[0] or local}@{domain}"


def is_speakers_address(stored: str | None, sender: str) -> bool:
    """Whether mail from `sender` comes from the speaker whose address is `stored`.

    A stored address without a +tag is the whole mailbox, so its +tags are the speaker's
    too; a stored address with a tag matches only itself (the rest of the mailbox may be
    somebody else's alias). Case never matters.
    """
    if not stored or not sender:
        return False
    stored, sender = stored.strip().lower(), sender.strip().lower()
    if stored == sender:
        return True
    local = stored.rpartition("@")[0]
    return "+" not in local and mailbox_key(sender) == stored
