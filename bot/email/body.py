"""A message's text as its parts carry it: charsets decoded forgivingly (wrong, unknown or
missing ones, UTF-16 without a BOM), the plain and HTML parts found among nested MIME,
attachments named, format=flowed joined (pure; never raises on any input)."""

from __future__ import annotations

import codecs
import email
import email.message
from email.header import decode_header, make_header


def decode_bytes(data: bytes, charset: str | None) -> str:
    """Bytes to text under the declared charset, falling back sensibly; never raises."""
    names: list[str] = []
    if charset:
        cs = charset.strip().strip('"').lower()
        # Mail declared as Latin-1 or ASCII is in practice often Windows-1252 (curly quotes).
        cs = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252",
              "us-ascii": "utf-8", "ascii": "utf-8", "x-sjis": "shift_jis",
              "sjis": "shift_jis", "shift-jis": "cp932", "shift_jis": "cp932",
              "ks_c_5601-1987": "cp949", "gb2312": "gb18030", "gbk": "gb18030",
              "unknown-8bit": "utf-8", "x-unknown": "utf-8"}.get(cs, cs)
        try:
            names.append(codecs.lookup(cs).name)
        except LookupError:
            pass
    elif (sniffed := _utf16_without_charset(data)) is not None:
        names.append(sniffed)
        data = data[: len(data) - len(data) % 2]  # a stray last byte (an MTA's newline)
    names += ["utf-8", "cp1252"]
    for name in names:
        try:
            return data.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode(names[0] if names else "utf-8", errors="replace")


def _utf16_without_charset(data: bytes) -> str | None:
    """UTF-16 sent without a charset (some Windows tools): a byte-order mark, or ASCII-range
    text with a NUL beside every character. Read as UTF-8 it decodes "fine", NULs and all."""
    if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return "utf-16"
    sample = data[:2000]
    sample = sample[: len(sample) - len(sample) % 2]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def _payload_text(part: email.message.Message) -> str:
    try:
        data = part.get_payload(decode=True)
    except Exception:
        data = None
    if not isinstance(data, bytes):
        raw = part.get_payload()
        data = raw.encode("utf-8", "surrogateescape") if isinstance(raw, str) else b""
    try:
        charset = part.get_content_charset()
    except Exception:
        charset = None
    return decode_bytes(data, charset)


def _is_attachment(part: email.message.Message) -> bool:
    try:
        disposition = (part.get("Content-Disposition") or "").split(";")[0].strip().lower()
        return disposition == "attachment" or bool(part.get_filename())
    except Exception:
        return True


def text_parts(msg: email.message.Message) -> tuple[str | None, str | None, list[str]]:
    """The first text/plain part (format=flowed joined) and the first text/html part, each
    decoded; what else the message carries is named in the list (attachments)."""
    plain: str | None = None
    html: str | None = None
    attachments: list[str] = []
    for part in _leaf_parts(msg):
        ctype = part.get_content_type()
        if _is_attachment(part) or not ctype.startswith("text/"):
            name = _safe_filename(part)
            attachments.append(f"{name} ({ctype})" if name else ctype)
            continue
        if ctype == "text/plain" and plain is None:
            plain = _payload_text(part)
            if (part.get_param("format") or "").lower() == "flowed":  # type: ignore[union-attr]
                delsp = (part.get_param("delsp") or "").lower() == "yes"  # type: ignore[union-attr]
                plain = unflow(plain, delsp=delsp)
        elif ctype == "text/html" and html is None:
            html = _payload_text(part)
    return plain, html, attachments


def unflow(text: str, *, delsp: bool = False) -> str:
    """RFC 3676 format=flowed: join soft-broken lines (ending in a space) of equal quote
    depth, so a paragraph Thunderbird or Apple Mail wrapped at 72 columns is one line again."""
    out: list[str] = []
    pending: str | None = None
    pending_depth = 0
    for line in text.replace("\r\n", "\n").split("\n"):
        depth = len(line) - len(line.lstrip(">"))
        content = line[depth:]
        if content.startswith(" "):
            content = content[1:]  # space-stuffing
        if pending is not None and depth == pending_depth:
            content = pending + content
        elif pending is not None:
            out.append(">" * pending_depth + (" " if pending_depth else "") + pending)
        pending = None
        soft = content.endswith(" ") and content.rstrip(" ") != "--"
        if soft:
            pending = content[:-1] if delsp else content
            pending_depth = depth
            continue
        out.append(">" * depth + (" " if depth else "") + content)
    if pending is not None:
        out.append(">" * pending_depth + (" " if pending_depth else "") + pending)
    return "\n".join(out)


def looks_like_html(text: str) -> bool:
    head = text.lstrip()[:200].lower()
    return head.startswith(("<!doctype html", "<html"))


def _leaf_parts(msg: email.message.Message) -> list[email.message.Message]:
    """Leaf parts in order, without descending into attached messages (forwards, bounces)."""
    out: list[email.message.Message] = []

    def visit(part: email.message.Message, depth: int) -> None:
        if depth > 20 or len(out) > 200:
            return
        ctype = part.get_content_type()
        if part.is_multipart() and not ctype.startswith("message/"):
            payload = part.get_payload()
            if isinstance(payload, list):
                for sub in payload:
                    if isinstance(sub, email.message.Message):
                        visit(sub, depth + 1)
            return
        out.append(part)

    visit(msg, 0)
    return out


def _safe_filename(part: email.message.Message) -> str:
    try:
        name = part.get_filename() or ""
        name = str(make_header(decode_header(name))) if name else ""
    except Exception:
        name = ""
    return "".join(ch for ch in name if ch.isprintable())[:200]


# What bot.email.reply hands bot.email.attachments: a .txt file is read like the body.
leaf_parts = _leaf_parts
payload_text = _payload_text
