"""Slack's rules for channel names, checked before Slack is asked (and the same answers
Slack gives): lower-case letters, digits, `-` and `_`, at most 80 characters, not only
punctuation. Source: conversations.create in Slack's Web API reference ("Channel names may
only contain lowercase letters, numbers, hyphens, and underscores, and must be 80 characters
or less") and its error list (slackapi/slack-api-specs, web-api/slack_web_openapi_v2.json).
"""

from __future__ import annotations

import re
import unicodedata

MAX_CHANNEL_NAME = 80
PREFIX = "wgml-"
_ALLOWED = re.compile(r"[a-z0-9_-]+")
_OTHER = re.compile(r"[^a-z0-9_]+")

# What each of Slack's refusals means to a leader, in the modal's error line.
PROBLEMS = {
    "invalid_name_required": "A channel needs a name.",
    "invalid_name_maxlength": f"At most {MAX_CHANNEL_NAME} characters.",
    "invalid_name_specials": "Only lower-case letters, digits, - and _ (no spaces or "
                             "capitals).",
    "invalid_name_punctuation": "A name needs a letter or a digit, not only - or _.",
    "invalid_name": "Slack does not accept this name; try letters, digits and -.",
}


def name_problem(name: str) -> str | None:
    """The error Slack would answer for this channel name, or None when it is valid."""
    if not name:
        return "invalid_name_required"
    if len(name) > MAX_CHANNEL_NAME:
        return "invalid_name_maxlength"
    if not _ALLOWED.fullmatch(name):
        return "invalid_name_specials"
    if not any(c.isalnum() for c in name):
        return "invalid_name_punctuation"
    return None


def suggest(name: str) -> str:
    """A valid channel name from a sub-project's name: "Hair & fur matting" gives
    `wgml-hair-fur-matting` (accents folded, anything else a hyphen, cut at a word)."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    slug = _OTHER.sub("-", folded).strip("-_")
    slug = slug or "subproject"
    out = PREFIX + slug if not slug.startswith(PREFIX) else slug
    if len(out) > MAX_CHANNEL_NAME:
        cut = out[:MAX_CHANNEL_NAME]
        out = cut.rsplit("-", 1)[0] if "-" in cut[len(PREFIX):] else cut
    return out.strip("-_")


def alternative(name: str, n: int = 2) -> str:
    """Another name to propose when `name` is taken: `name-2` (shortened to fit)."""
    tail = f"-{n}"
    base = re.sub(r"-\d+$", "", name) or "wgml-subproject"
    return base[:MAX_CHANNEL_NAME - len(tail)].rstrip("-_") + tail
