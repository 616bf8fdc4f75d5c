"""Email address checks shared by the modal, the settings and email intake."""

from __future__ import annotations

import re
from email.utils import parseaddr

# Deliberately modest: one @, a dot in the domain, no spaces or angle brackets.
# Full RFC 5322 validation rejects nothing a person would type by mistake.
_EMAIL = re.compile(r"^[^@\s<>()\[\],;:\"]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?"
                    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)+$")


def is_valid_email(value: str) -> bool:
    return len(value) <= 254 and bool(_EMAIL.match(value))


def normalise_email(value: str) -> str:
    """The address part of a header value, lower-cased: the key we match senders on."""
    _, addr = parseaddr(value)
    return addr.strip().lower()
