"""A raw RFC 5322 message to what the bot needs (pure; never raises on any input).

Decoding is deliberately forgiving: wrong or unknown charsets, broken base64 or
quoted-printable, missing headers and malformed MIME all give the best text that can be read,
because a speaker's reply must never be lost to a parser error.
"""

from __future__ import annotations

import email
import email.message
import hashlib
import re
from dataclasses import dataclass, field
from email.header import decode_header, make_header
from email.parser import BytesParser
from email.utils import getaddresses
from typing import Any

from bot.address import mailbox_key
from bot.email.attachments import text_attachments, with_attached_text
from bot.email.body import leaf_parts, looks_like_html, payload_text, text_parts
from bot.email.fields import read_fields
from bot.email.html import html_to_text
from bot.email.lists import ListHeaders, read_list_headers, strip_list_footers
from bot.email.quotes import strip_reply
from bot.email.sender import read_sender

_MSG_ID = re.compile(r"<[^<>\s]{1,900}>")
_AUTO_SUBJECT = re.compile(
    r"^\s*(automatic reply|auto(matic)?[- ]?reply|autoreply|auto:|out of (the )?office|"
    r"abwesenheitsnotiz|automatische antwort|réponse automatique|respuesta automática|"
    r"risposta automatica|resposta automática|automatisch antwoord|autosvar|"
    r"automaattinen vastaus|odpowiedź automatyczna|automatická odpověď|"
    r"undeliverable|undelivered mail|delivery status notification|mail delivery failed|"
    r"returned mail|不在|自动回复|自動応答|自動返信)",
    re.I,
)
# What a reply or a forward puts before the subject it answers ("Re: Automatic reply: ...").
_SUBJECT_PREFIX = re.compile(
    r"^\s*(?:\[[^\]]{1,60}\]\s*|(?:re|fwd?|aw|wg|sv|vs|antw|odp|tr|rif|r|res)\s*"
    r"(?:\[\d+\])?\s*[:：]\s*)", re.I)
_HEADERS = BytesParser()
# What a header is read from at most: a real References line of 100 ids is ~10 KB, a real
# Subject well under 1 KB; a multi-megabyte header is an attack on the parser, not mail.
MAX_REFERENCES = 100  # the last ones, nearest the message, as mail clients keep them
MAX_HEADER_CHARS = 64 * 1024
MAX_SUBJECT_CHARS = 8 * 1024
# The body text read: a proposal or a reply is a few KB; the quote stripping and the field
# reading are not linear enough to take megabytes of text on the event loop's behalf.
MAX_BODY_CHARS = 256 * 1024
MAX_HTML_CHARS = 1024 * 1024
_BOUNCE_LOCALS = {"mailer-daemon", "postmaster", "mail-daemon", "mailerdaemon"}


@dataclass(frozen=True)
class ParsedEmail:
    sender: str  # the From mailbox, lower-cased ("" when there is none or it is ambiguous)
    sender_name: str
    subject: str
    message_id: str | None  # "<id>" as in the header, None when absent
    in_reply_to: str | None
    references: list[str]
    auto_reply: bool
    auto_reason: str | None  # why it is never answered (auto-submitted, list, bounce, ...)
    reply_text: str
    fields: dict[str, str]
    attachments: list[str] = field(default_factory=list)
    body_source: str = "plain"  # plain | html | none
    defects: list[str] = field(default_factory=list)
    sender_problem: str | None = None  # why `sender` is "": no From, or an ambiguous one
    loops: list[str] = field(default_factory=list)  # X-Loop addresses (the bot's: a loop)
    list_headers: ListHeaders = field(default_factory=ListHeaders)  # see bot.email.lists

    def thread_ids(self) -> list[str]:
        """Every Message-ID this message answers, nearest first."""
        ids = dict.fromkeys([self.in_reply_to] if self.in_reply_to else [])
        ids.update(dict.fromkeys(reversed(self.references)))
        return list(ids)

    def as_inspect(self) -> dict[str, Any]:
        return {
            "from": self.sender,
            "subject": self.subject,
            "message_id": self.message_id,
            "in_reply_to": self.in_reply_to,
            "auto_reply": self.auto_reply,
            "reply_text": self.reply_text,
            "fields": self.fields,
        }


def synthetic_message_id(raw: bytes) -> str:
    """A stable id for a message that has none: the same bytes always give the same id."""
    return f"<sha256-{hashlib.sha256(raw).hexdigest()[:40]}@synthetic.wgml-bot.invalid>"


def message_id_of(raw: bytes) -> str:
    """The Message-ID to key the raw message on, read without parsing the rest."""
    try:
        # Headers only: the body (most of the bytes) is not needed for the id.
        msg = _HEADERS.parsebytes(raw[:200_000], headersonly=True)
        found = _ids(_header(msg, "Message-ID"))
        if found:
            return found[0]
    except Exception:  # noqa: S110 - any failure means: use the hash
        pass
    return synthetic_message_id(raw)


def parse_message(raw: bytes) -> ParsedEmail:
    try:
        return _parse(raw)
    except Exception as exc:  # the last line of defence: never raise, keep what we can
        return ParsedEmail(
            sender="", sender_name="", subject="", message_id=None, in_reply_to=None,
            references=[], auto_reply=False, auto_reason=None, reply_text="", fields={},
            body_source="none", defects=[f"{type(exc).__name__}: {exc}"],
        )


def _parse(raw: bytes) -> ParsedEmail:
    if isinstance(raw, str):  # tolerate callers handing us text
        raw = raw.encode("utf-8", "surrogateescape")
    msg = email.message_from_bytes(raw)
    name, sender, sender_problem = _from(msg)
    subject = _one_line(_header(msg, "Subject", limit=MAX_SUBJECT_CHARS))
    ids = _ids(_header(msg, "Message-ID"))
    reply_to_ids = _ids(_header(msg, "In-Reply-To"))
    references = _ids(_header(msg, "References", tail=True))[-MAX_REFERENCES:]
    text, source, attachments = _body(msg)
    reply_text = strip_reply(strip_list_footers(_bounded(text, MAX_BODY_CHARS)))
    # A proposal in an attached .txt file reads as if it were in the body.
    reply_text = with_attached_text(reply_text, text_attachments(leaf_parts(msg),
                                                                  payload_text))
    reason = auto_reason(msg, sender, subject)
    fields = read_fields(reply_text)
    if reason == "auto-subject" and fields and not (reply_to_ids or references):
        # A subject alone ("Auto-reply triage with small LLMs") does not make a filled-in
        # template an out-of-office: no header said it was automatic. Not so in a thread:
        # an out-of-office answering the bot quotes the talk's fields back.
        reason = None
    defects = [type(d).__name__ for d in getattr(msg, "defects", [])]
    return ParsedEmail(
        sender=sender,
        sender_name=name,
        subject=subject,
        message_id=ids[0] if ids else None,
        in_reply_to=reply_to_ids[0] if reply_to_ids else None,
        references=references,
        auto_reply=reason is not None,
        auto_reason=reason,
        reply_text=reply_text,
        fields=fields,
        attachments=attachments,
        body_source=source,
        defects=defects,
        sender_problem=sender_problem,
        loops=loop_addresses(msg),
        list_headers=read_list_headers(msg, sender or _list_from(msg)),
    )


_COMMENT = re.compile(r"\([^()]*\)")
_SPACE = re.compile(r"\s")


def auto_reason(msg: email.message.Message, sender: str, subject: str) -> str | None:
    """Why a message must never be answered, or None for a person's own message."""
    # RFC 3834's keyword, less parameters (`; owner-email=...`) and RFC 5322 comments
    # (`no (sent by a person)` is still "no").
    auto = _COMMENT.sub("", _header(msg, "Auto-Submitted")).strip().lower()
    if auto and auto.split(";")[0].strip() != "no":
        return "auto-submitted"
    precedence = _header(msg, "Precedence").strip().lower()
    if precedence in ("bulk", "junk", "list", "auto_reply"):
        return f"precedence-{precedence}"
    for name in ("X-Autoreply", "X-Autorespond", "X-Autoresponder", "X-Autogenerated"):
        if msg.get(name) is not None:
            return "autoreply-header"
    if msg.get("List-Id") is not None or msg.get("List-Unsubscribe") is not None:
        return "mailing-list"
    local = mailbox_key(sender).split("@", 1)[0]  # mailer-daemon+x@ is mailer-daemon
    if local in _BOUNCE_LOCALS:
        return "bounce"
    if msg.get_content_type() == "multipart/report":
        return "report"
    return_path = _header(msg, "Return-Path").strip()
    if return_path == "<>":
        return "bounce"
    if _AUTO_SUBJECT.match(_without_prefixes(subject)):
        return "auto-subject"
    return None


def _without_prefixes(subject: str) -> str:
    for _ in range(10):
        shorter = _SUBJECT_PREFIX.sub("", subject, count=1)
        if shorter == subject:
            break
        subject = shorter
    return subject


def loop_addresses(msg: email.message.Message) -> list[str]:
    """The addresses X-Loop headers name: whoever processed the message automatically."""
    try:
        values = [str(v) for v in msg.get_all("X-Loop") or []][:20]
    except Exception:
        return []
    return [addr.lower() for _name, addr in getaddresses(values) if "@" in addr][:20]


def _header(msg: email.message.Message, name: str, *, limit: int = MAX_HEADER_CHARS,
            tail: bool = False) -> str:
    """A header decoded to text (RFC 2047 words in any charset); "" when absent or broken.

    Only `limit` characters of it are read (its end with `tail`: the newest References),
    cut at whitespace so no encoded word or id is read half."""
    raw = _raw_header(msg, name)
    if len(raw) > limit:
        raw = raw[-limit:] if tail else raw[:limit]
        spaces = [m.start() for m in _SPACE.finditer(raw)]
        if spaces:
            raw = raw[spaces[0] + 1:] if tail else raw[:spaces[-1]]
    return _decoded(raw)


def _bounded(text: str, limit: int) -> str:
    """At most `limit` characters of text, cut at a line end when there is one."""
    if len(text) <= limit:
        return text
    cut = text.rfind("\n", 0, limit)
    return text[:cut if cut > 0 else limit]


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _ids(value: str) -> list[str]:
    found = _MSG_ID.findall(value)
    if not found and value.strip() and " " not in value.strip() and len(value.strip()) < 900:
        found = [f"<{value.strip().strip('<>')}>"]  # some clients forget the brackets
    # A dict keeps the order and makes each check O(1): a list made a References header of
    # 20,000 ids take seconds (quadratic) on the event loop.
    seen: dict[str, None] = {}
    for item in found:
        # A control character (NUL above all: PostgreSQL refuses it in text) makes no
        # usable id; the message is then keyed on its hash, never stuck unstorable.
        if item.isprintable():
            seen.setdefault(item)
    return list(seen)


def _raw_header(msg: email.message.Message, name: str) -> str:
    try:
        value = msg.get(name)
    except Exception:
        return ""
    return "" if value is None else str(value)


def _from(msg: email.message.Message) -> tuple[str, str, str | None]:
    # One strict reading (bot.email.sender.read_sender) of the header as sent: no fallback that
    # digs an address out of a malformed header, since the address a lenient reading finds
    # is the one a forger chose.
    try:
        values = [str(v) for v in msg.get_all("From") or []]
    except Exception:
        values = []
    found = read_sender(values)
    return found.name, found.address, found.problem


def _list_from(msg: email.message.Message) -> str:
    """The From mailbox even when it is not one person's (lists' From lines are plain)."""
    try:
        found = getaddresses([str(v) for v in msg.get_all("From") or []][:1])
    except Exception:
        return ""
    return found[0][1].lower() if len(found) == 1 else ""


def _decoded(text: str) -> str:
    if "=?" not in text:
        return text  # no encoded word: what decode_header and make_header would give back
    try:
        return str(make_header(decode_header(text)))
    except Exception:
        return text


def _body(msg: email.message.Message) -> tuple[str, str, list[str]]:
    plain, html, attachments = text_parts(msg)
    if plain is not None and plain.strip():
        if looks_like_html(plain) and html is None:
            return html_to_text(_bounded(plain, MAX_HTML_CHARS)), "html", attachments
        return plain, "plain", attachments
    if html is not None:
        return html_to_text(_bounded(html, MAX_HTML_CHARS)), "html", attachments
    return plain or "", "plain" if plain is not None else "none", attachments
