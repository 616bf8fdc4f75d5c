"""What the sender wrote: quoted history, reply headers and signatures removed (pure).

Clients mark quoted history in a few families of ways, in many languages:
- an attribution line ("On Mon, 2 Mar 2026 at 10:00, Jane <j@x> wrote:", wrapped over two or
  three lines by some clients, "Am … schrieb …:", "Le … a écrit :", "El … escribió:",
  "… のメッセージ:", Gmail's Japanese "2026年3月2日(月) 10:00 Jane <j@x>:") followed by `>` lines
  or, for top-posters without `>`, by the old message itself;
- Outlook's header block ("From: … Sent: … To: … Subject: …", localised) or a separator
  ("-----Original Message-----");
- `>`-prefixed lines anywhere (bottom-posting and interleaved replies keep the new text).
Signatures end at "-- " or at a mobile footer ("Sent from my iPhone").
"""

from __future__ import annotations

import re

_WS = r"[ \t\u00a0\u3000]"

# Attribution lines, matched on one line or on up to three lines joined (clients wrap them).
# Each ends in a colon (":" or "："), which _attribution_at checks first.
_ATTRIBUTION = [
    re.compile(r"^On\b.{4,}\bwrote\s*:$", re.I | re.S),
    re.compile(r"^.{0,200}\bwrote\s*:$", re.I | re.S),  # "Jane Doe wrote:", "2026/03/02 … wrote:"
    re.compile(r"^Am\b.{4,}\bschrieb\b.*:$", re.I | re.S),
    re.compile(r"^.{0,200}\bschrieb\s*:$", re.I | re.S),
    re.compile(r"^Le\b.{4,}\ba\s+écrit\s*:$", re.I | re.S),
    re.compile(r"^.{0,200}\ba\s+écrit\s*:$", re.I | re.S),
    re.compile(r"^El\b.{4,}\bescribió\s*:$", re.I | re.S),
    re.compile(r"^.{0,200}\bescribió\s*:$", re.I | re.S),
    re.compile(r"^Op\b.{4,}\bschreef\b.*:$", re.I | re.S),
    re.compile(r"^Il\b.{4,}\bha\s+scritto\s*:$", re.I | re.S),
    re.compile(r"^Em\b.{4,}\bescreveu\s*:$", re.I | re.S),
    re.compile(
        r"^.{0,200}(のメッセージ|のメール|さんは書きました|は書きました|より)\s*[:：]$", re.S
    ),
    # Gmail in Japanese and others: a date, then a name and <address>, then a colon.
    re.compile(r"^.{0,120}\d{4}.{0,120}<[^<>\s@]+@[^<>\s@]+>\s*[:：]$", re.S),
]

_SEPARATORS = re.compile(
    r"^\s*(-{2,}\s*(Original Message|Original Nachricht|Ursprüngliche Nachricht|"
    r"Message d'origine|Mensaje original|Messaggio originale|Oorspronkelijk bericht|"
    r"Forwarded message|Weitergeleitete Nachricht|Message transféré|Mensaje reenviado|"
    r"Original Message|元のメッセージ|転送メッセージ)\s*-{2,}|"
    r"Begin forwarded message:|Début du message réexpédié :|Anfang der weitergeleiteten "
    r"Nachricht:|Inicio del mensaje reenviado:)\s*$",
    re.I,
)

# Outlook's header block: "From:" then, within a few lines, "Sent:"/"Date:"/"To:"/"Subject:".
_HEADER_FROM = re.compile(
    r"^\s*\*?(From|De|Von|Da|Van|Från|差出人|发件人|寄件者)\s*\*?\s*[:：]", re.I
)
_HEADER_OTHER = re.compile(
    r"^\s*\*?(Sent|Date|To|Cc|Subject|Envoyé|Gesendet|Datum|An|Betreff|Enviado|Fecha|Para|"
    r"Asunto|Objet|À|Inviato|Oggetto|Verzonden|Onderwerp|Aan|送信日時|日付|宛先|件名|"
    r"发送时间|主题|收件人)\s*\*?\s*[:：]",
    re.I,
)

_SIGNATURE_FOOTERS = re.compile(
    r"^\s*(Sent from (my )?(iPhone|iPad|Android|mobile|Samsung.*|Galaxy.*|BlackBerry.*|"
    r"Pixel.*|phone|Huawei.*)|Sent from Outlook.*|Get Outlook for (iOS|Android).*|"
    r"Sent from Mail for Windows.*|Sent from (Yahoo|ProtonMail|Proton Mail|my Huawei).*|"
    r"Sent via .*|Sent with Proton Mail.*|Envoyé de mon (iPhone|iPad|appareil.*|mobile)|"
    r"Envoyé depuis .*|Obtenir Outlook pour .*|Von meinem (iPhone|iPad|Smartphone|Handy).*|"
    r"Gesendet von (meinem )?(iPhone|iPad|Smartphone|Outlook).*|Von Outlook für .*|"
    r"Enviado desde mi (iPhone|iPad|móvil|celular|dispositivo.*|Samsung.*)|"
    r"Enviado desde Outlook.*|Obtener Outlook para .*|Inviato da(l mio)? (iPhone|iPad).*|"
    r"iPhoneから送信|iPadから送信|Androidから送信|Outlook for iOS から送信)\s*\.?\s*$",
    re.I,
)


def _is_quoted(line: str) -> bool:
    return line.lstrip(" \t\u00a0").startswith(">")


def _attribution_at(lines: list[str], i: int) -> int:
    """How many lines (1 to 3) form an attribution starting at line i; 0 if none."""
    first = lines[i].strip()
    if not first or _is_quoted(lines[i]):
        return 0
    for span in (1, 2, 3):
        if i + span > len(lines):
            break
        chunk = [x.strip() for x in lines[i : i + span]]
        if span > 1 and (not chunk[-1] or _is_quoted(lines[i + span - 1])):
            break
        joined = " ".join(chunk)
        if len(joined) > 400:
            break
        # Every attribution ends in a colon: most lines are ruled out without 13 regexes.
        if joined.endswith((":", "：")) and any(p.match(joined) for p in _ATTRIBUTION):
            # A wrapped attribution must start like one (a date, "On", a name...), not be
            # the end of a paragraph that happens to end in "wrote:".
            if span > 1 and not _starts_like_attribution(chunk[0]):
                continue
            return span
    return 0


def _starts_like_attribution(line: str) -> bool:
    return bool(
        re.match(r"^(On|Am|Le|El|Op|Il|Em)\b", line) or re.match(r"^\d", line)
        or "@" in line or "<" in line
    )


def _outlook_block_at(lines: list[str], i: int) -> bool:
    if not _HEADER_FROM.match(lines[i]):
        return False
    others = 0
    for line in lines[i + 1 : i + 7]:
        if not line.strip():
            continue
        if _HEADER_OTHER.match(line):
            others += 1
        else:
            break
    return others >= 1 and (others >= 2 or bool(re.search(r"@|<|\[mailto:", lines[i])))


def _signature_at(lines: list[str], i: int) -> bool:
    line = lines[i]
    if line.rstrip("\r") in ("-- ", "--", "—", "-- \u00a0") or line.strip() == "__":
        return True
    return bool(_SIGNATURE_FOOTERS.match(line))


def strip_reply(text: str) -> str:
    """The new text of a reply; the whole text when nothing looks quoted."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if _signature_at(lines, i):
            break
        if _SEPARATORS.match(line):
            break
        if re.match(r"^\s*_{8,}\s*$", line):
            # Outlook's rule before its header block; a lone rule in the text is kept.
            nxt = next((j for j in range(i + 1, min(i + 4, len(lines))) if lines[j].strip()), None)
            if nxt is not None and _outlook_block_at(lines, nxt):
                break
        if _outlook_block_at(lines, i):
            break
        span = _attribution_at(lines, i)
        if span:
            rest = [x for x in lines[i + span :] if x.strip()]
            if rest and _is_quoted(rest[0]):
                i += span  # bottom-posting or interleaved: drop the header, keep reading
                continue
            header = " ".join(x.strip() for x in lines[i : i + span])
            if re.search(r"\d|@|<", header):
                break  # top-posting without ">": everything below is the old message
            # "Here is what I wrote:" followed by the speaker's own text is not a header.
        if not _is_quoted(line):
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
