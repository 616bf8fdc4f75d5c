"""Proposals sent as attachments: a plain-text file (.txt) is read as if it were the body;
anything else (.docx, .pdf, images) is not read, and the speaker is told so plainly rather
than left to think the leaders saw it. No library here reads Word or PDF files well enough
to trust with someone's abstract without a person checking it.

Signatures (PGP/MIME, S/MIME) are not attachments a person chose: they are never mentioned.
"""

from __future__ import annotations

import email.message
from collections.abc import Callable

MAX_TEXT_ATTACHMENT_CHARS = 64 * 1024  # an abstract is a few KB; more is not a proposal
SIGNATURES = frozenset({"application/pgp-signature", "application/pkcs7-signature",
                        "application/x-pkcs7-signature", "application/pgp-keys"})


def _is_text_file(part: email.message.Message) -> bool:
    name = (part.get_filename() or "").lower()
    return part.get_content_type() == "text/plain" and (
        name.endswith(".txt") or (part.get("Content-Disposition") or "").lower().startswith(
            "attachment"))


def text_attachments(leaves: list[email.message.Message],
                     decode: Callable[[email.message.Message], str]) -> list[str]:
    """The text of each plain-text file attached (leaf parts, in order), decoded with the
    body's own forgiving decoder."""
    found: list[str] = []
    for part in leaves:
        try:
            if _is_text_file(part):
                text = decode(part)[:MAX_TEXT_ATTACHMENT_CHARS].strip()
                if text:
                    found.append(text)
        except Exception:  # noqa: S112 - an unreadable attachment is one not read
            continue
    return found


def with_attached_text(reply_text: str, attached: list[str]) -> str:
    """The reply followed by the attached proposal text (the body usually says "attached")."""
    texts = [t for t in attached if t not in reply_text]
    return "\n\n".join([reply_text.strip(), *texts]).strip() if texts else reply_text


def unread(attachments: list[str]) -> list[str]:
    """The attachments (as ParsedEmail names them, "name (type)") the bot did not read."""
    out: list[str] = []
    for label in attachments:
        kind = label.rsplit("(", 1)[-1].rstrip(")") if label.endswith(")") else label
        if kind in SIGNATURES or kind == "text/plain":
            continue  # text files are read; signatures are not the sender's content
        out.append(label)
    return out


def unread_notice(labels: list[str]) -> str:
    names = ", ".join(label.rsplit(" (", 1)[0] for label in labels[:5])
    return (f"Your message had attachments ({names}). I do not read attachments other than "
            "plain-text (.txt) files, so the leaders will not see what is in them: please "
            "paste your proposal (Title:, Focus area:, Abstract:, Results:) into the text of "
            "a reply.")


def with_unread_notice(text: str, labels: list[str]) -> str:
    """An answer to the speaker with the notice after its greeting line."""
    if not labels:
        return text
    greeting, sep, rest = text.partition("\n\n")
    notice = unread_notice(labels)
    return f"{greeting}{sep}{notice}\n\n{rest}" if sep else f"{notice}\n\n{text}"
