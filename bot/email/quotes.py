"""What the sender wrote: quoted history, reply headers and signatures removed (pure).

Clients mark quoted history in a few families of ways, in many languages, and every family is
read from a table here rather than case by case:
- an attribution line: a date, a name and an address around a verb ("On … wrote:",
  "Am … schrieb …:", "… napisał(a):", "… 写道："), or Gmail's verbless "date, name <address>:",
  often wrapped over two or three lines by the client ("…schrieb am Fr., 28." / "Apr. 2017 …:",
  "skrev Name <address" / ">:"), followed by `>` lines or, for top-posters, by the old message;
- a header block ("From: / Sent: / To: / Subject:" and its translations, in any order,
  "De : / Envoyé le :" with French spacing), with or without a rule or an "Original Message"
  separator above it;
- `>`-prefixed lines anywhere (bottom-posting and interleaved replies keep the new text).
Signatures end at "-- " or at a mobile footer ("Sent from my iPhone", "Sendt fra min iPad",
"Von meinem iPhone gesendet", "Get Outlook for iOS").

Cutting what someone wrote is worse than keeping a quote, so each cue needs evidence that a
person's sentence would not give: a header block needs From, a date and To or Subject close
together; an attribution above an unquoted message needs an address or a dated time.
"""

from __future__ import annotations

import re

from bot.email.quote_marks import (
    ADDRESS,
    ANGLE_ADDRESS,
    CLOSING_BRACKET,
    COLON,
    DASHED,
    DATE,
    DEVICES,
    FOOTER_ENDINGS,
    FOOTER_PHRASES,
    HEADER_LINE,
    INLINE_FIELD,
    KIND,
    OPENER,
    RULE,
    SEPARATOR,
    TIME,
    URL,
    VALUE_CAP,
    VERB,
    VERB_AT_END,
)


def _is_quoted(line: str) -> bool:
    return line.lstrip(" \t\u00a0").startswith(">")


def _header_kind(line: str) -> tuple[str, str] | None:
    """(kind, value) when the line is a header field ("From: …", "De : …"), else None."""
    head = line[:40]
    if ":" not in head and "：" not in head:
        return None
    m = HEADER_LINE.match(line[: VALUE_CAP + 60])
    if not m:
        return None
    name = " ".join(m.group("name").split()).casefold()
    return KIND.get(name, ""), m.group("value")[:VALUE_CAP]


def _inline_header_at(line: str) -> bool:
    """"From: Jane <j@x> Sent: Monday, … To: … Subject: …" on one line (HTML flattened)."""
    found = _header_kind(line)
    if found is None or found[0] != "from":
        return False
    kinds = {KIND.get(" ".join(m.group(1).split()).casefold(), "")
             for m in INLINE_FIELD.finditer(found[1])}
    if "date" not in kinds or not ("to" in kinds or "subject" in kinds):
        return False
    return bool(ADDRESS.search(found[1])) or {"to", "subject"} <= kinds


def _header_block_at(lines: list[str], i: int) -> bool:
    """Whether a header block of quoted mail starts at line i.

    It needs From, a date and To or Subject within a short run of header lines (a value may
    wrap over a line or two), and a blank line, a rule or the top of the text above it unless
    its From names an address: "To: the team" in a sentence is not a block."""
    if _header_kind(lines[i]) is None:
        return False
    kinds: dict[str, str] = {}
    continuation = 0
    j = i
    end = min(len(lines), i + 16)
    while j < end:
        found = _header_kind(lines[j]) if not _is_quoted(lines[j]) else None
        if found is not None and found[0]:
            kinds.setdefault(found[0], found[1])
            continuation = 0
        elif not lines[j].strip():
            # Some clients put a blank line between fields; only one, and only mid-block.
            if j + 1 < end and _header_kind(lines[j + 1]) and len(kinds) < 3:
                j += 1
                continue
            break
        else:
            continuation += 1
            if continuation > 2:
                break
        j += 1
    preceded = _preceded(lines, i)
    if "from" not in kinds:
        # Hotmail and some forwards start with Date: an exact date and an addressed To.
        return (preceded and "date" in kinds and _evidence(kinds["date"])
                and bool(ADDRESS.search(kinds.get("to", ""))))
    sender = kinds["from"]
    strong = bool(ADDRESS.search(sender)) or "[mailto:" in sender
    dated = "date" in kinds
    addressed = "to" in kinds or "subject" in kinds
    if dated and addressed:
        return preceded or strong
    if dated:
        return preceded and strong
    return preceded and strong and "to" in kinds and "subject" in kinds


def _preceded(lines: list[str], i: int) -> bool:
    """A blank line, the top of the text, a rule or a separator above line i."""
    if i == 0 or not lines[i - 1].strip():
        return True
    return bool(RULE.match(lines[i - 1]) or SEPARATOR.match(lines[i - 1])
                or DASHED.match(lines[i - 1]))


# "Label: value" in any language, for header blocks whose names no table here has.
_LABEL = re.compile(r"^[ \t]*\**[ \t]*([^\W\d_][^\W\d_'’.-]*(?:[ \t][^\W\d_][^\W\d_'’.-]*){0,2})"
                    r"[ \t]*\**" + COLON + r"[ \t]*\**[ \t]*(.*)$")
# A field of the call's template: never a header, whatever it holds.
_TEMPLATE = re.compile(
    r"^[ \t]*[-*•]?[ \t]*[*_]{0,2}(talk\s+)?(title|focus|area|track|abstract|outline|summary|"
    r"description|results?|studio|organi[sz]ation|company|affiliation|what\s+worked)\b",
    re.I,
)


def _label_block_at(lines: list[str], i: int) -> bool:
    """A header block in a language without a table: four or more "Label: value" lines in a
    row, the first naming an address (the sender) and the next one or two a dated time, with a
    blank line or a rule above and the person's text above that (at the top, cutting would
    leave nothing: ambiguous, so kept). The call's template fields never count."""
    if not _LABEL.match(lines[i][:VALUE_CAP]) or not _preceded(lines, i):
        return False
    rows: list[str] = []
    for line in lines[i : i + 8]:
        m = _LABEL.match(line[:VALUE_CAP])
        if not m or _TEMPLATE.match(line) or _is_quoted(line):
            break
        rows.append(m.group(2))
    if len(rows) < 4 or not ADDRESS.search(rows[0]):
        return False
    return any(_evidence(value) for value in rows[1:3]) and any(x.strip() for x in lines[:i])


def _evidence(text: str) -> bool:
    """An address, or a time with a year or numeric date: what an attribution carries and a
    person's sentence ending in "wrote:" does not."""
    if ADDRESS.search(text):
        return True
    return any(
        DATE.search(text[: time.start()] + " " + text[time.end() :])
        for time in TIME.finditer(text)
    )


def _unwrap(chunk: list[str]) -> str:
    joined = ""
    for part in chunk:
        if joined and not (joined.endswith("<") or part.startswith((">", "@"))):
            joined += " "
        joined += part
    return joined


def _attribution_text(text: str, *, quoted_follows: bool, span: int) -> bool:
    """Whether `text` (one to four lines joined) is an attribution line."""
    dashed = False
    if text.startswith(("--", "==")) and text.endswith(("--", "==")):
        text = text.strip("-= \t")  # Zoho: "---- On … wrote ----"
        dashed = True
    if len(text) > 400:
        return False
    if not (text.endswith((":", "：")) or dashed):
        # Old Gmail, right above the quote: "2011/4/7 Name <address>" with no colon.
        return (quoted_follows and span == 1 and text[:1].isdigit() and text.endswith(">")
                and bool(DATE.search(text)) and bool(ADDRESS.search(text)))
    if VERB.search(text):
        if _evidence(text):
            return True
        if dashed and VERB_AT_END.search(text + ":"):
            return True  # Android's "---- Jane Doe wrote ----": the dashes are the evidence
        # "Jane wrote:" right above `>` lines needs nothing more.
        return quoted_follows and span == 1 and len(text) <= 200 and bool(
            VERB_AT_END.search(text if text.endswith((":", "：")) else text + ":")
        )
    # Gmail in Japanese, Russian...: "2026年3月2日(月) 10:04 Name <address>:", no verb, or a
    # verb of a language the table lacks: at most three words after the address, and a date.
    if len(text) > 250 or not DATE.search(text):
        return False
    ends = [m.end() for m in ANGLE_ADDRESS.finditer(text)]
    if not ends:
        return False
    tail = text[ends[-1] :].rstrip(":： ").lstrip(")")
    if not tail.strip():
        return True
    return (len(tail) <= 30 and len(tail.split()) <= 3 and not re.search(r"[.,;!?]", tail)
            and _evidence(text))


def _attribution_at(lines: list[str], i: int) -> int:
    """How many lines (1 to 4) form an attribution starting at line i; 0 if none."""
    first = lines[i].strip()
    if not first or _is_quoted(lines[i]):
        return 0
    for span in (1, 2, 3, 4):
        if i + span > len(lines):
            break
        last = lines[i + span - 1].strip()
        if span > 1 and (not last or _is_quoted(lines[i + span - 1])):
            # "skrev Name <address" / ">:": the `>` closes the address, it quotes nothing.
            if not (CLOSING_BRACKET.match(last) and lines[i + span - 2].count("<")
                    > lines[i + span - 2].count(">")):
                break
        # Every attribution ends in a colon or Zoho's dashes: most lines are out at once.
        if not last.endswith((":", "：", "--", "==")) and not (span == 1 and last.endswith(">")):
            continue
        chunk = [x.strip() for x in lines[i : i + span]]
        text = _unwrap(chunk)
        rest = next((x for x in lines[i + span :] if x.strip()), "")
        if not _attribution_text(text, quoted_follows=_is_quoted(rest), span=span):
            continue
        # A wrapped attribution starts like one (an opener, a date, a name with its address),
        # not with the end of the person's paragraph.
        if span > 1 and not (
            OPENER.match(chunk[0]) or "@" in chunk[0] or "<" in chunk[0]
            or chunk[1].startswith(("<", "("))
        ):
            continue
        if any(_starts_attribution(chunk[k - 1], chunk[k])
               and _attribution_text(_unwrap(chunk[k:]), quoted_follows=False, span=span - k)
               for k in range(1, span)):
            return 0  # the attribution starts on a later line; this one is the person's
        return span
    return 0


def _starts_attribution(before: str, line: str) -> bool:
    """Whether `line` can be the first line of an attribution although `before` is not blank:
    it starts like one and does not continue an address that `before` opened."""
    if line.startswith(("<", "(", ">", "@")):
        return False
    if before.count("<") > before.count(">") or before.count("(") > before.count(")"):
        return False
    return bool(OPENER.match(line)) or "@" in line or "<" in line


def _signature_at(line: str) -> bool:
    stripped = line.strip()
    if line.rstrip("\r") in ("-- ", "--", "—", "-- \u00a0") or stripped == "__":
        return True
    if not stripped or len(stripped) > 90 or _is_quoted(line):
        return False
    bare = URL.sub(" ", stripped).strip().rstrip(".!").strip()
    if not bare or len(bare.split()) > 9:
        return False
    if not (FOOTER_PHRASES.match(bare) or bare.casefold().endswith(FOOTER_ENDINGS)):
        return False
    return bool(DEVICES.search(bare)) and not re.search(r"[,;?]", bare)


def _quoted_after(lines: list[str], i: int) -> bool:
    nxt = next((lines[j] for j in range(i + 1, min(i + 4, len(lines))) if lines[j].strip()), None)
    return nxt is not None and _is_quoted(nxt)


def _block_after(lines: list[str], i: int) -> bool:
    nxt = next((j for j in range(i + 1, min(i + 4, len(lines))) if lines[j].strip()), None)
    return nxt is not None and (
        _header_block_at(lines, nxt) or _attribution_at(lines, nxt) > 0
        or _label_block_at(lines, nxt)
        or bool(SEPARATOR.match(lines[nxt]))
    )


def strip_reply(text: str) -> str:
    """The new text of a reply; the whole text when nothing looks quoted."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if _is_quoted(line):
            i += 1
            continue
        if _signature_at(line):
            break
        if SEPARATOR.match(line):
            break
        if RULE.match(line) and (_block_after(lines, i) or _quoted_after(lines, i)):
            # Outlook's rule above its header block; a lone rule in the text is kept.
            break
        if DASHED.match(line) and _block_after(lines, i):
            # Outlook's rule above its header block; a lone rule in the text is kept.
            break
        head = line[:60]
        if ("：" in head or ":" in head) and (
            _header_block_at(lines, i) or _inline_header_at(line) or _label_block_at(lines, i)
        ):
            break
        span = _attribution_at(lines, i)
        if span:
            rest = next((x for x in lines[i + span :] if x.strip()), "")
            if _is_quoted(rest):
                i += span  # bottom-posting or interleaved: drop the header, keep reading
                continue
            break  # top-posting without ">": everything below is the old message
        kept.append(line.rstrip())
        i += 1
    return _tidy(kept)


def _tidy(lines: list[str]) -> str:
    out: list[str] = []
    for line in lines:
        if not line.strip():
            if out and not out[-1].strip():
                continue
            out.append("")
        else:
            out.append(line)
    return "\n".join(out).strip("\n").strip()
