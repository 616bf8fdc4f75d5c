"""The marks mail clients put above quoted history, in many languages: header field names,
separator phrases, attribution verbs, dates and times, mobile footers (data, read by
bot.email.quotes). Sources: the clients' own output in tests/email_fixtures.
"""

from __future__ import annotations

import re

COLON = r"[ \t\u00a0\u202f]*[:：]"

# Localised header field names, by kind (Outlook desktop, web, Mac and mobile; Gmail's and
# Thunderbird's forward headers; Hotmail; Apple Mail). Matched case-insensitively.
HEADER_NAMES: dict[str, tuple[str, ...]] = {
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
VALUE_CAP = 300
KIND = {name.casefold(): kind for kind, names in HEADER_NAMES.items() for name in names}
HEADER_LINE = re.compile(
    r"^[ \t\u00a0]*\**[ \t]*(?P<name>"
    + "|".join(sorted((re.escape(n) for n in KIND), key=len, reverse=True))
    + r")[ \t]*\**" + COLON + r"[ \t\u00a0]*\**[ \t]*(?P<value>.*)$",
    re.I,
)

# A field name inside a line, after a space: headers flattened onto one line.
INLINE_FIELD = re.compile(
    r"(?<=\s)\**(" + "|".join(sorted((re.escape(n) for n in KIND), key=len, reverse=True))
    + r")\**" + COLON + r"(?=\s)",
    re.I,
)

# "-----Original Message-----" and its translations; forwards cut the same way.
SEPARATOR_PHRASES = (
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
SEPARATOR = re.compile(
    r"^[ \t]*[-=_*]{2,}[ \t]*(" + "|".join(re.escape(p) for p in SEPARATOR_PHRASES)
    + r")[ \t]*[-=_*]{2,}[ \t]*$|"
    r"^[ \t]*(Begin forwarded message|Début du message réexpédié|Début du message transféré|"
    r"Anfang der weitergeleiteten Nachricht|Inicio del mensaje reenviado|"
    r"Comienzo del mensaje reenviado|Início da mensagem reencaminhada|"
    r"Começo da mensagem encaminhada|Inizio messaggio inoltrato|Doorgestuurd bericht|"
    r"Vidarebefordrat brev|Videresendt brev|Videresendt meddelelse|"
    r"Начало переадресованного сообщения|Początek przekazywanej wiadomości|"
    r"Välitetty viesti|Přeposlaná zpráva|転送されたメッセージ|转发的邮件|以下是转发的邮件)"
    + COLON + r"[ \t]*$",
    re.I,
)
RULE = re.compile(r"^[ \t]*(_{8,}|-{8,}|={8,})[ \t]*$")
# "-------- Anything short --------": a separator in a language the table lacks, which counts
# only when a header block follows it.
DASHED = re.compile(r"^[ \t]*[-=_*]{3,}[ \t]*[^-=_*\s][^-=_*]{1,50}?[ \t]*[-=_*]{3,}[ \t]*$")

# Verbs of attribution lines. Word-bounded for alphabetic scripts; CJK ones are not words.
VERBS = (
    r"wrote|writes|has written|sent|schrieb|geschrieben|a écrit|a ecrit|écrit|escribió|escribio|"
    r"escreveu|ha scritto|scrisse|schreef|heeft geschreven|geschreven|skrev|skriver|kirjoitti|"
    r"napisał\(a\)|napisał|napisała|napisal|napsal\(a\)|napsal|napsala|napísal\(a\)|napísal|"
    r"napísala|написал\(а\)|написала|написал|пишет|писал|пише|написав|написала\(в\)|yazdı|"
    r"írta|έγραψε|a scris|je napisao|je napisala|je napisal|pisze|píše|kirjutas|rašė|"
    r"rakstīja|đã viết|verzond|va escriure|menulis|napisao|написа|написао|כתב|כתבה|كتب"
)
CJK_VERBS = (
    r"のメッセージ|のメール|さんは書きました|は書きました|が書きました|写道|寫道|님이 작성|작성"
)
VERB = re.compile(rf"(?<![\w])({VERBS})(?![\w])|({CJK_VERBS})", re.I)
VERB_AT_END = re.compile(
    rf"((?<![\w])({VERBS})|({CJK_VERBS}))[ \t]*(\(a\))?[ \t]*[:：]$", re.I
)
ADDRESS = re.compile(
    r"[\w.+'-]+@[\w-]+(\.[\w-]+)+|<[^<>]{0,80}@[^<>]{1,120}>|\[mailto:|\([^()]{0,80}@[^()]{1,120}\)"
)
TIME = re.compile(r"(?<!\d)\d{1,2}[:.h]\d{2}(?!\d)")
DATE = re.compile(
    r"(?<!\d)(1[9]|2[0-9])\d{2}(?!\d)|(?<!\d)\d{1,2}[./-]\d{1,2}[./-]\d{2,4}(?!\d)|"
    r"\d{4}[./-]\d{1,2}[./-]\d{1,2}|\d+年|\d+년"
)
# How an attribution's first line can start when the client wrapped it: an opener ("On",
# "Am", "Le", "Den", "W dniu"...), a date or weekday, or a name with its address.
OPENER = re.compile(
    r"^(\W{0,4})(On|Am|Le|El|Op|Il|Em|Den|Dne|W dniu|Dnia|В|У|Στις|Il giorno|Às|"
    r"[^\W\d_]{1,4}[.,]{0,2}[ \t]+\d|\d)", re.I
)

# Mobile and app footers. A line is one only when the whole line is the footer: a phrase of
# sending ("Sent from", "Envoyé de", "Von meinem … gesendet") and a device or mail app.
FOOTER_PHRASES = re.compile(
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
FOOTER_ENDINGS = (
    "gesendet", "gönderildi", "から送信", "送信", "发送", "發送", "에서 보냄", "보냄",
)
DEVICES = re.compile(
    r"iphon|ipad|ipod|android|galaxy|samsung|pixel|huawei|xiaomi|oneplus|blackberry|nokia|"
    r"motorola|droid|wireless|outlook|yahoo|aol|proton|gmail|mail|windows|ios|mobile|móvil|movil|mobil|"
    r"celular|cellulare|handy|smartphone|phone|téléphone|telefon|telefono|telefoon|телефон|"
    r"смартфон|устройств|appareil|dispositivo|device|tablet|apparaat|enhet|enhed|urządzeni|"
    r"laitteesta|zařízení|cihaz|spark|bluemail|edison|fairemail|k-9|thunderbird|手机|手機|"
    r"휴대폰|갤럭시|携帯",
    re.I,
)
ANGLE_ADDRESS = re.compile(r"<[^<>]{0,80}@[^<>]{1,120}>")
CLOSING_BRACKET = re.compile(r"^>[ \t]*[:：]$")
URL = re.compile(r"<[^<>]*>|https?://\S+|\[[^\]]*\]")
