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

_COLON = r"[ \t\u00a0\u202f]*[:：]"

# Localised header field names, by kind (Outlook desktop, web, Mac and mobile; Gmail's and
# Thunderbird's forward headers; Hotmail; Apple Mail). Matched case-insensitively.
_HEADER_NAMES: dict[str, tuple[str, ...]] = {
    "from": ("From", "Từ", "Dari", "Daripada", "De", "Von", "Da", "Van", "Från", "Fra", "Frá",
             "Od", "От", "Від", "Kimden", "Gönderen", "Lähettäjä", "Feladó", "Odesílatel",
             "Odosielateľ", "Από", "De la", "Šalje", "Pošiljatelj", "Saatja", "Siuntėjas", "No",
             "מאת", "من", "差出人", "送信者", "发件人", "寄件者", "寄件人", "보낸 사람",
             "보낸사람"),
    "date": ("Sent", "Date", "Đã gửi", "Ngày", "Dikirim", "Tanggal", "Tarikh", "Envoyé",
             "Envoyé le", "Date d'envoi", "Gesendet", "Datum", "Enviado", "Enviado el",
             "Enviado em", "Enviada em", "Enviada", "Fecha", "Inviato", "Inviato il", "Data",
             "Verzonden", "Skickat", "Sendt", "Dato", "Wysłano", "Wysłane", "Отправлено", "Дата",
             "Надіслано", "Відправлено", "Lähetetty", "Päivämäärä", "Elküldve", "Dátum",
             "Odesláno", "Odoslané", "Tarih", "Gönderildi", "Gönderilme", "Στάλθηκε",
             "Ημερομηνία", "Trimis", "Poslano", "Saadetud", "Išsiųsta", "נשלח", "تاريخ",
             "تم الإرسال", "送信日時", "日付", "発信日時", "发送时间", "日期", "時間",
             "傳送時間", "寄件日期", "보낸 날짜", "날짜"),
    "to": ("To", "Đến", "Kepada", "À", "A", "An", "Para", "Aan", "Till", "Til", "Do", "Кому",
           "Komu", "Kime", "Alıcı", "Vastaanottaja", "Címzett", "Προς", "Către", "Prima",
           "Adressaat", "Kam", "אל", "إلى", "宛先", "收件人", "收件者", "받는 사람", "받는사람"),
    "cc": ("Cc", "CC", "Tembusan", "Kopie", "Copie", "Copia", "Kopia", "DW", "Копия", "Копія",
           "Kopio", "Másolat", "Kopya", "Bilgi", "Κοιν", "Kópia", "עותק", "نسخة", "抄送", "副本",
           "참조"),
    "subject": ("Subject", "Chủ đề", "Tiêu đề", "Perihal", "Subjek", "Objet", "Betreff",
                "Asunto", "Assunto", "Oggetto", "Onderwerp", "Ämne", "Emne", "Temat", "Тема",
                "Aihe", "Tárgy", "Předmět", "Predmet", "Konu", "Θέμα", "Subiect", "Teema",
                "Tema", "נושא", "الموضوع", "件名", "主题", "主旨", "제목"),
    "reply_to": ("Reply-To", "Reply To", "Antwort an", "Répondre à", "Responder a", "Rispondi a",
                 "Antwoord aan", "Svara till", "Svar til", "Odpowiedź do", "Ответить", "返信先"),
}
# Header values are read up to this length: enough for any real one, and it keeps the address
# and date searches linear on a hostile megabyte-long line.
_VALUE_CAP = 300
_KIND = {name.casefold(): kind for kind, names in _HEADER_NAMES.items() for name in names}
_HEADER_LINE = re.compile(
    r"^[ \t\u00a0]*\**[ \t]*(?P<name>"
    + "|".join(sorted((re.escape(n) for n in _KIND), key=len, reverse=True))
    + r")[ \t]*\**" + _COLON + r"[ \t\u00a0]*\**[ \t]*(?P<value>.*)$",
    re.I,
)

# A field name inside a line, after a space: headers flattened onto one line.
_INLINE_FIELD = re.compile(
    r"(?<=\s)\**(" + "|".join(sorted((re.escape(n) for n in _KIND), key=len, reverse=True))
    + r")\**" + _COLON + r"(?=\s)",
    re.I,
)

# "-----Original Message-----" and its translations; forwards cut the same way.
_SEPARATOR_PHRASES = (
    "Original Message", "Original Nachricht", "Originalnachricht", "Original-Nachricht",
    "Ursprüngliche Nachricht", "Ursprüngliche Mitteilung", "Message d'origine",
    "Message d’origine", "Message original", "Mensaje original", "Mensagem original",
    "Messaggio originale", "Messaggio Originale", "Oorspronkelijk bericht", "Origineel bericht",
    "Oorspronkelijk e-mailbericht", "Ursprungligt meddelande", "Originalmeddelande",
    "Oprindelig besked", "Oprindelig meddelelse", "Opprinnelig melding",
    "Opprinnelig e-post", "Alkuperäinen viesti", "Исходное сообщение",
    "Оригинальное сообщение", "Первоначальное сообщение", "Вихідне повідомлення",
    "Оригінальне повідомлення", "Wiadomość oryginalna", "Oryginalna wiadomość",
    "Původní zpráva", "Pôvodná správa", "Eredeti üzenet", "Orijinal mesaj",
    "Özgün ileti", "Αρχικό μήνυμα", "Mesaj original", "Mesajul original", "Izvorna poruka",
    "Izvorno sporočilo", "Algne kiri", "元のメッセージ", "原始邮件", "原始郵件", "원본 메시지",
    "Forwarded message", "Forwarded Message", "Weitergeleitete Nachricht",
    "Message transféré", "Mensaje reenviado", "Mensagem encaminhada", "Messaggio inoltrato",
    "Doorgestuurd bericht", "Vidarebefordrat meddelande", "Videresendt meddelelse",
    "Videresendt melding", "Välitetty viesti", "Пересылаемое сообщение",
    "Пересланное сообщение", "Przekazana wiadomość", "Přeposlaná zpráva", "Továbbított üzenet",
    "İletilen ileti", "Προωθημένο μήνυμα", "転送メッセージ", "转发的邮件", "轉寄郵件",
    "전달된 메시지", "Reply message", "Reply Message",
)
_SEPARATOR = re.compile(
    r"^[ \t]*[-=_*]{2,}[ \t]*(" + "|".join(re.escape(p) for p in _SEPARATOR_PHRASES)
    + r")[ \t]*[-=_*]{2,}[ \t]*$|"
    r"^[ \t]*(Begin forwarded message|Début du message réexpédié|Début du message transféré|"
    r"Anfang der weitergeleiteten Nachricht|Inicio del mensaje reenviado|"
    r"Comienzo del mensaje reenviado|Início da mensagem reencaminhada|"
    r"Começo da mensagem encaminhada|Inizio messaggio inoltrato|Doorgestuurd bericht|"
    r"Vidarebefordrat brev|Videresendt brev|Videresendt meddelelse|"
    r"Начало переадресованного сообщения|Początek przekazywanej wiadomości|"
    r"Välitetty viesti|Přeposlaná zpráva|転送されたメッセージ|转发的邮件|以下是转发的邮件)"
    + _COLON + r"[ \t]*$",
    re.I,
)
_RULE = re.compile(r"^[ \t]*(_{8,}|-{8,}|={8,})[ \t]*$")
# "-------- Anything short --------": a separator in a language the table lacks, which counts
# only when a header block follows it.
_DASHED = re.compile(r"^[ \t]*[-=_*]{3,}[ \t]*[^-=_*\s][^-=_*]{1,50}?[ \t]*[-=_*]{3,}[ \t]*$")

# Verbs of attribution lines. Word-bounded for alphabetic scripts; CJK ones are not words.
_VERBS = (
    r"wrote|writes|has written|sent|schrieb|geschrieben|a écrit|a ecrit|écrit|escribió|escribio|"
    r"escreveu|ha scritto|scrisse|schreef|heeft geschreven|geschreven|skrev|skriver|kirjoitti|"
    r"napisał\(a\)|napisał|napisała|napisal|napsal\(a\)|napsal|napsala|napísal\(a\)|napísal|"
    r"napísala|написал\(а\)|написала|написал|пишет|писал|пише|написав|написала\(в\)|yazdı|"
    r"írta|έγραψε|a scris|je napisao|je napisala|je napisal|pisze|píše|kirjutas|rašė|"
    r"rakstīja|đã viết|verzond|va escriure|menulis|napisao|написа|написао|כתב|כתבה|كتب"
)
_CJK_VERBS = (
    r"のメッセージ|のメール|さんは書きました|は書きました|が書きました|写道|寫道|님이 작성|작성"
)
_VERB = re.compile(rf"(?<![\w])({_VERBS})(?![\w])|({_CJK_VERBS})", re.I)
_VERB_AT_END = re.compile(
    rf"((?<![\w])({_VERBS})|({_CJK_VERBS}))[ \t]*(\(a\))?[ \t]*[:：]$", re.I
)
_ADDRESS = re.compile(
    r"[\w.+'-]+@[\w-]+(\.[\w-]+)+|<[^<>]{0,80}@[^<>]{1,120}>|\[mailto:|\([^()]{0,80}@[^()]{1,120}\)"
)
_TIME = re.compile(r"(?<!\d)\d{1,2}[:.h]\d{2}(?!\d)")
_DATE = re.compile(
    r"(?<!\d)(1[9]|2[0-9])\d{2}(?!\d)|(?<!\d)\d{1,2}[./-]\d{1,2}[./-]\d{2,4}(?!\d)|"
    r"\d{4}[./-]\d{1,2}[./-]\d{1,2}|\d+年|\d+년"
)
# How an attribution's first line can start when the client wrapped it: an opener ("On",
# "Am", "Le", "Den", "W dniu"...), a date or weekday, or a name with its address.
_OPENER = re.compile(
    r"^(\W{0,4})(On|Am|Le|El|Op|Il|Em|Den|Dne|W dniu|Dnia|В|У|Στις|Il giorno|Às|"
    r"[^\W\d_]{1,4}[.,]{0,2}[ \t]+\d|\d)", re.I
)

# Mobile and app footers. A line is one only when the whole line is the footer: a phrase of
# sending ("Sent from", "Envoyé de", "Von meinem … gesendet") and a device or mail app.
_FOOTER_PHRASES = re.compile(
    r"^(sent (from|with|via|using|on)|get outlook for|envoy[ée] (de|depuis|à partir de|a partir "
    r"de|avec|via)|obtenir outlook pour|télécharger outlook pour|von meinem|gesendet (von|mit|"
    r"über|vom|aus)|holen sie sich outlook|outlook für .{1,20} (beziehen|herunterladen)|"
    r"enviad[oa] (desde|do|da|de|a partir d[oe]|con|com|pelo|por|via)|obt(ener|enha|er) "
    r"(o )?outlook para|baixe o outlook|descargar outlook|inviato (da|dal|con|tramite|"
    r"dall)|scarica outlook|ottieni outlook|(verzonden|verstuurd) (vanaf|met|van|via|vanuit)|"
    r"download outlook|outlook voor .{1,20} downloaden|skickat (från|med)|skaffa outlook|"
    r"hämta outlook|sendt (fra|med)|hent outlook|få outlook|lähetetty|(wysłane|wysłano) "
    r"(z|ze|przy|za)|pobierz outlook|отправлено (с|из|через|со)|получите outlook|"
    r"(надіслано|відправлено) (з|із|зі)|odesláno (z|ze|pomocí)|odoslané (z|zo)|"
    r"küldve|elküldve|gönderildi|iphone'?umdan|ipad'?imden|android'?imden|"
    r"从我的|從我的|发自我的|發自我的|来自我的|來自我的)",
    re.I,
)
# Footers whose verb comes last ("Von meinem iPhone gesendet", "iPhoneから送信").
_FOOTER_ENDINGS = (
    "gesendet", "gönderildi", "から送信", "送信", "发送", "發送", "에서 보냄", "보냄",
)
_DEVICES = re.compile(
    r"iphon|ipad|ipod|android|galaxy|samsung|pixel|huawei|xiaomi|oneplus|blackberry|nokia|"
    r"motorola|droid|wireless|outlook|yahoo|aol|proton|gmail|mail|windows|ios|mobile|móvil|movil|mobil|"
    r"celular|cellulare|handy|smartphone|phone|téléphone|telefon|telefono|telefoon|телефон|"
    r"смартфон|устройств|appareil|dispositivo|device|tablet|apparaat|enhet|enhed|urządzeni|"
    r"laitteesta|zařízení|cihaz|spark|bluemail|edison|fairemail|k-9|thunderbird|手机|手機|"
    r"휴대폰|갤럭시|携帯",
    re.I,
)
_ANGLE_ADDRESS = re.compile(r"<[^<>]{0,80}@[^<>]{1,120}>")
_CLOSING_BRACKET = re.compile(r"^>[ \t]*[:：]$")
_URL = re.compile(r"<[^<>]*>|https?://\S+|\[[^\]]*\]")


def _is_quoted(line: str) -> bool:
    return line.lstrip(" \t\u00a0").startswith(">")


def _header_kind(line: str) -> tuple[str, str] | None:
    """(kind, value) when the line is a header field ("From: …", "De : …"), else None."""
    head = line[:40]
    if ":" not in head and "：" not in head:
        return None
    m = _HEADER_LINE.match(line[: _VALUE_CAP + 60])
    if not m:
        return None
    name = " ".join(m.group("name").split()).casefold()
    return _KIND.get(name, ""), m.group("value")[:_VALUE_CAP]


def _inline_header_at(line: str) -> bool:
    """"From: Jane <j@x> Sent: Monday, … To: … Subject: …" on one line (HTML flattened)."""
    found = _header_kind(line)
    if found is None or found[0] != "from":
        return False
    kinds = {_KIND.get(" ".join(m.group(1).split()).casefold(), "")
             for m in _INLINE_FIELD.finditer(found[1])}
    if "date" not in kinds or not ("to" in kinds or "subject" in kinds):
        return False
    return bool(_ADDRESS.search(found[1])) or {"to", "subject"} <= kinds


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
                and bool(_ADDRESS.search(kinds.get("to", ""))))
    sender = kinds["from"]
    strong = bool(_ADDRESS.search(sender)) or "[mailto:" in sender
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
    return bool(_RULE.match(lines[i - 1]) or _SEPARATOR.match(lines[i - 1])
                or _DASHED.match(lines[i - 1]))


# "Label: value" in any language, for header blocks whose names no table here has.
_LABEL = re.compile(r"^[ \t]*\**[ \t]*([^\W\d_][^\W\d_'’.-]*(?:[ \t][^\W\d_][^\W\d_'’.-]*){0,2})"
                    r"[ \t]*\**" + _COLON + r"[ \t]*\**[ \t]*(.*)$")
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
    if not _LABEL.match(lines[i][:_VALUE_CAP]) or not _preceded(lines, i):
        return False
    rows: list[str] = []
    for line in lines[i : i + 8]:
        m = _LABEL.match(line[:_VALUE_CAP])
        if not m or _TEMPLATE.match(line) or _is_quoted(line):
            break
        rows.append(m.group(2))
    if len(rows) < 4 or not _ADDRESS.search(rows[0]):
        return False
    return any(_evidence(value) for value in rows[1:3]) and any(x.strip() for x in lines[:i])


def _evidence(text: str) -> bool:
    """An address, or a time with a year or numeric date: what an attribution carries and a
    person's sentence ending in "wrote:" does not."""
    if _ADDRESS.search(text):
        return True
    return any(
        _DATE.search(text[: time.start()] + " " + text[time.end() :])
        for time in _TIME.finditer(text)
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
                and bool(_DATE.search(text)) and bool(_ADDRESS.search(text)))
    if _VERB.search(text):
        if _evidence(text):
            return True
        if dashed and _VERB_AT_END.search(text + ":"):
            return True  # Android's "---- Jane Doe wrote ----": the dashes are the evidence
        # "Jane wrote:" right above `>` lines needs nothing more.
        return quoted_follows and span == 1 and len(text) <= 200 and bool(
            _VERB_AT_END.search(text if text.endswith((":", "：")) else text + ":")
        )
    # Gmail in Japanese, Russian...: "2026年3月2日(月) 10:04 Name <address>:", no verb, or a
    # verb of a language the table lacks: at most three words after the address, and a date.
    if len(text) > 250 or not _DATE.search(text):
        return False
    ends = [m.end() for m in _ANGLE_ADDRESS.finditer(text)]
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
            if not (_CLOSING_BRACKET.match(last) and lines[i + span - 2].count("<")
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
            _OPENER.match(chunk[0]) or "@" in chunk[0] or "<" in chunk[0]
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
    return bool(_OPENER.match(line)) or "@" in line or "<" in line


def _signature_at(line: str) -> bool:
    stripped = line.strip()
    if line.rstrip("\r") in ("-- ", "--", "—", "-- \u00a0") or stripped == "__":
        return True
    if not stripped or len(stripped) > 90 or _is_quoted(line):
        return False
    bare = _URL.sub(" ", stripped).strip().rstrip(".!").strip()
    if not bare or len(bare.split()) > 9:
        return False
    if not (_FOOTER_PHRASES.match(bare) or bare.casefold().endswith(_FOOTER_ENDINGS)):
        return False
    return bool(_DEVICES.search(bare)) and not re.search(r"[,;?]", bare)


def _quoted_after(lines: list[str], i: int) -> bool:
    nxt = next((lines[j] for j in range(i + 1, min(i + 4, len(lines))) if lines[j].strip()), None)
    return nxt is not None and _is_quoted(nxt)


def _block_after(lines: list[str], i: int) -> bool:
    nxt = next((j for j in range(i + 1, min(i + 4, len(lines))) if lines[j].strip()), None)
    return nxt is not None and (
        _header_block_at(lines, nxt) or _attribution_at(lines, nxt) > 0
        or _label_block_at(lines, nxt)
        or bool(_SEPARATOR.match(lines[nxt]))
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
        if _SEPARATOR.match(line):
            break
        if _RULE.match(line) and (_block_after(lines, i) or _quoted_after(lines, i)):
            # Outlook's rule above its header block; a lone rule in the text is kept.
            break
        if _DASHED.match(line) and _block_after(lines, i):
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
