"""HTML mail to clean text, with the stdlib parser (no network, no external resources).

Quoted parts that mail clients mark in HTML (Gmail's `gmail_quote`, Apple Mail's and
Thunderbird's `<blockquote type="cite">`, Outlook's reply divider) are turned into `> ` lines
so the plain-text quote stripper removes them the same way for every client.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCK = {
    "p", "div", "br", "tr", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "table",
    "section", "article", "header", "footer", "pre", "hr", "dl", "dt", "dd", "address",
    "center", "blockquote", "title",
}
_PARAGRAPH = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "ul", "ol", "pre",
              "hr"}
_SKIP = {"script", "style", "head", "title", "noscript", "template", "svg", "object", "xml"}
_VOID = {"br", "hr", "img", "meta", "link", "input", "area", "base", "col", "embed", "source",
         "track", "wbr", "param"}
# Classes and ids whose whole content is quoted history or a signature.
_QUOTE_MARKERS = ("gmail_quote", "yahoo_quoted", "moz-cite-prefix", "protonmail_quote",
                  "zmail_extra", "mail_android_quote", "replyquote")
# Outlook's reply dividers: the quoted message follows them outside the element (Outlook web's
# `appendonsend` and `divRplyFwdMsg`, new Outlook's reference container, Outlook mobile's), so
# everything from them to the end of the document is quoted history.
_REST_MARKERS = ("divrplyfwdmsg", "appendonsend", "mail-editor-reference-message-container",
                 "outlookmessageheader", "ms-outlook-mobile-reference-message",
                 "messagereplysection")
_SIGNATURE_MARKERS = ("gmail_signature", "moz-signature", "applesignature", "signature")


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.stack: list[tuple[str, str]] = []  # (tag, role) for open elements
        self.skip_depth = 0
        self.quote_depth = 0
        self.signature_depth = 0
        self.pre_depth = 0
        self.rest_quoted = False  # past an Outlook divider: the rest is the old message

    # Lines are flushed at block boundaries, each prefixed by the quote depth in force.
    def _flush(self, *, force: bool = False) -> None:
        text = "".join(self.current)
        self.current = []
        if self.pre_depth == 0:
            text = re.sub(r"[ \t\r\n\f\v\u00a0]+", " ", text).strip()
        if not text and not force:
            return
        for piece in text.split("\n") if text else [""]:
            quoted = self.quote_depth or self.rest_quoted
            self.lines.append(("> " + piece) if quoted else piece)

    def _paragraph(self) -> None:
        """A paragraph boundary: one blank line, never several."""
        self._flush()
        if self.lines and self.lines[-1].strip() not in ("", ">"):
            self.lines.append("> " if self.quote_depth or self.rest_quoted else "")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        tag = tag.lower()
        attributes = {k.lower(): (v or "") for k, v in attrs}
        marker = " ".join((attributes.get("class", ""), attributes.get("id", ""))).lower()
        role = ""
        if tag in _SKIP:
            role = "skip"
        elif tag == "blockquote" or any(m in marker for m in _QUOTE_MARKERS):
            role = "quote"
        elif any(m in marker for m in _SIGNATURE_MARKERS):
            role = "signature"
        if (not self.rest_quoted and self.quote_depth == 0 and not self.skip_depth
                and any(m in marker for m in _REST_MARKERS)):
            self._flush()
            self.rest_quoted = True
        if tag == "br":
            self._flush(force=True)
        elif tag in _PARAGRAPH:
            self._paragraph()
        elif tag in _BLOCK:
            self._flush()
        if tag == "li":
            self.current.append("- ")
        if tag in ("td", "th"):
            self.current.append(" ")
        if tag == "hr" and self.quote_depth == 0 and not self.rest_quoted:
            # Outlook puts its "From: / Sent:" header after a rule; the text stripper decides.
            self.lines.append("________________________________")
        if tag == "img":
            alt = attributes.get("alt", "")
            if alt:
                self.current.append(alt)
        if tag in _VOID:
            return
        self.stack.append((tag, role))
        if role == "skip":
            self.skip_depth += 1
        elif role == "quote":
            self.quote_depth += 1
        elif role == "signature":
            self.signature_depth += 1
        if tag == "pre":
            self.pre_depth += 1

    def handle_endtag(self, tag: str) -> None:
        tag = tag.lower()
        if tag in _VOID:
            return
        # Close up to the matching open tag; browsers forgive unbalanced HTML and so do we.
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                break
        else:
            return
        if tag in _PARAGRAPH:
            self._paragraph()
        elif tag in _BLOCK:
            self._flush()
        while len(self.stack) > index:
            open_tag, role = self.stack.pop()
            if role == "skip":
                self.skip_depth -= 1
            elif role == "quote":
                self.quote_depth -= 1
            elif role == "signature":
                self.signature_depth -= 1
            if open_tag == "pre":
                self.pre_depth -= 1

    def handle_data(self, data: str) -> None:
        if self.skip_depth or self.signature_depth:
            return
        self.current.append(data)

    def text(self) -> str:
        self._flush()
        out: list[str] = []
        for line in self.lines:
            if line.strip() in ("", ">") and out and out[-1].strip() in ("", ">"):
                continue
            out.append(line.rstrip())
        return "\n".join(out).strip("\n")


def html_to_text(html: str) -> str:
    """Readable text from HTML; never raises (a broken document gives what could be read)."""
    parser = _TextExtractor()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # html.parser is lenient, but a bug here must not lose the message
        return re.sub(r"<[^>]*>", " ", html)
    return parser.text()
