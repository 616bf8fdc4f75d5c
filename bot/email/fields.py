"""The call's reply template (`Title:`, `Focus area:`, `Abstract:`, `Results:`, `Studio:`,
`Topic:`, the requested topic a talk answers, and `Publish:`, the speaker's yes or no to the
public archive).

Labels are read case-insensitively, with the variants people type ("Abstract / outline:",
"Studio or organisation:", "*Title:*"); a value runs over several lines until the next label.
"""

from __future__ import annotations

import re

from bot.focus import focus_area_key
from bot.talks.publish import consent_word

_LABELS: list[tuple[str, str]] = [
    ("title", r"(talk\s+)?title|subject\s+of\s+(the\s+)?talk"),
    ("focus_area", r"focus(\s*[-_]?\s*area)?|area|track"),
    ("abstract", r"abstract(\s*(/|or|and)\s*outline)?|outline|summary|description"),
    ("results", r"results?(\s*\([^)]{0,80}\))?|what\s+worked(\s+and\s+(what\s+)?failed)?"),
    ("studio", r"studio(\s*(/|or)\s*organi[sz]ation)?|organi[sz]ation|company|affiliation"),
    # The wish a talk answers (bot.wishes): its number or its words.
    ("topic", r"(requested\s+)?topic|answers?(\s+a)?\s+(requested\s+)?topic|wish"),
    # The speaker's consent to the public archive (bot.talks.publish): yes or no.
    ("publish", r"publish(\s+(it|this|my\s+talk))?|publication|(public\s+)?archive"),
]
_LINE = re.compile(
    r"^[ \t]*[-*•]?[ \t]*[*_]{0,2}(?P<label>"
    + "|".join(f"(?P<{key}>{pattern})" for key, pattern in _LABELS)
    + r")[*_]{0,2}[ \t]*[:：][*_]{0,2}[ \t]*(?P<value>.*)$",
    re.I,
)
FIELD_NAMES = tuple(key for key, _ in _LABELS)
# A closing ("Best,", "Thanks!", "Viele Grüße") and up to two short lines after it (a name)
# end the letter, not the last field.
_CLOSING = re.compile(
    r"\n[ \t]*(?:best(?: regards| wishes)?|(?:kind |warm |many )?(?:regards|thanks)|thank you"
    r"|cheers|all the best|sincerely|cordialement|bien à vous|saludos|un saludo|atentamente"
    r"|(?:viele|beste|liebe) grüße|mit freundlichen grüßen|gruß|よろしくお願いします[。]?"
    r"|よろしくお願いいたします[。]?)[ \t]*[,.!]?[ \t]*(?:\n[^\n]{1,60}){0,2}\s*$",
    re.I,
)
_SINGLE_LINE = ("title", "focus_area", "studio", "topic", "publish")


def read_fields(text: str) -> dict[str, str]:
    """The template fields found in `text`; focus_area as a focus-area key ("other" if unknown).

    A label repeated later (a second "Title:") does not overwrite the first one.
    """
    found: dict[str, list[str]] = {}
    current: str | None = None
    for line in text.split("\n"):
        match = _LINE.match(line)
        if match:
            key = next(k for k in FIELD_NAMES if match.group(k) is not None)
            if key == "publish" and consent_word(match.group("value")) is None:
                # "Published: SIGGRAPH 2024" inside an abstract is the abstract's, not an
                # answer: only a yes or a no makes the line a field.
                if current is not None:
                    found[current].append(line.rstrip())
                continue
            if key in found:
                current = None  # a repeat: ignore it and its continuation
                continue
            found[key] = [match.group("value").strip()]
            current = key
        elif current is not None:
            if current in _SINGLE_LINE and not line.strip():
                current = None  # a title or studio wrapped by the client ends at a blank line
                continue
            found[current].append(line.rstrip())
    fields: dict[str, str] = {}
    last = next(reversed(found), None)  # the field written last, where a closing would follow
    for key, lines in found.items():
        value = "\n".join(lines).strip()
        if key == last:
            value = _CLOSING.sub("", "\n" + value).strip()
        value = re.sub(r"\n{3,}", "\n\n", value)
        if key in _SINGLE_LINE:
            value = " ".join(value.split())  # single-line fields: wrapped lines joined
        if not value:
            continue
        if key == "focus_area":
            value = focus_area_key(value) or "other"
        if key == "publish":
            value = "yes" if consent_word(value) else "no"
        fields[key] = value
    return fields


# After the session: the speaker's `Slides:` and `Recording:` lines (bot.sessions.slides).
_LINK_LINE = re.compile(
    r"^[ \t]*[-*•]?[ \t]*[*_]{0,2}(?P<label>slides?|deck|recording|video)[*_]{0,2}[ \t]*"
    r"[:：][*_]{0,2}[ \t]*<?(?P<value>[^\s<>]*)>?[ \t]*$", re.I)


def read_links(text: str) -> dict[str, str]:
    """`Slides:` and `Recording:` values (the first of each; empty values are not links)."""
    found: dict[str, str] = {}
    for line in text.split("\n"):
        match = _LINK_LINE.match(line)
        if not match or not match.group("value"):
            continue
        key = ("recording_url" if match.group("label").lower() in ("recording", "video")
               else "slides_url")
        found.setdefault(key, match.group("value"))
    return found


def without_consent(text: str) -> str:
    """The text without its `Publish: yes|no` lines, so that a consent to the archive is
    never read as an answer to another question ("Yes, I confirm.\nPublish: no")."""
    kept = []
    for line in text.split("\n"):
        match = _LINE.match(line)
        if match and match.group("publish") is not None \
                and consent_word(match.group("value")) is not None:
            continue
        kept.append(line)
    return "\n".join(kept)
