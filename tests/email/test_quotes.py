"""The quote stripper on forms beyond the fixtures, and as a property: whatever a person writes
(without lines that look like headers), followed by any quote form a client adds, comes back
exactly."""

from __future__ import annotations

from html import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.email.html import html_to_text
from bot.email.quotes import strip_reply

CALL = ("Hello everyone,\n\nThe WG-ML Mutual Learning Sessions are looking for speakers.\n"
        "Reply to this email with:\n\nTitle:\nFocus area:\nAbstract:\nResults:\n\n"
        "Thank you,\nThe WG-ML leaders")


def quoted(text: str = CALL) -> str:
    return "\n".join(("> " + x) if x else ">" for x in text.split("\n"))


def block(names: tuple[str, ...], values: tuple[str, ...]) -> str:
    return "\n".join(f"{n} {v}" for n, v in zip(names, values, strict=True))


BOT = "WG-ML Bot <wgml-bot@example.org>"
V = (BOT, "2 March 2026 10:04", "wg-ml@lists.example.org", "Call for speakers")
# Header blocks as clients write them, by language (field names with their colon).
BLOCKS = {
    "en": ("From:", "Sent:", "To:", "Subject:"),
    "en-mac": ("From:", "Date:", "To:", "Subject:"),
    "de": ("Von:", "Gesendet:", "An:", "Betreff:"),
    "fr": ("De :", "Envoyé :", "À :", "Objet :"),
    "fr-le": ("De :", "Envoyé le :", "À :", "Objet :"),
    "es": ("De:", "Enviado el:", "Para:", "Asunto:"),
    "it": ("Da:", "Inviato:", "A:", "Oggetto:"),
    "it-data": ("Da:", "Data:", "A:", "Oggetto:"),
    "pt": ("De:", "Enviada em:", "Para:", "Assunto:"),
    "nl": ("Van:", "Verzonden:", "Aan:", "Onderwerp:"),
    "sv": ("Från:", "Skickat:", "Till:", "Ämne:"),
    "da": ("Fra:", "Sendt:", "Til:", "Emne:"),
    "da-dato": ("Fra:", "Dato:", "Til:", "Emne:"),
    "fi": ("Lähettäjä:", "Lähetetty:", "Vastaanottaja:", "Aihe:"),
    "pl": ("Od:", "Wysłano:", "Do:", "Temat:"),
    "cs": ("Od:", "Odesláno:", "Komu:", "Předmět:"),
    "ru": ("От:", "Отправлено:", "Кому:", "Тема:"),
    "uk": ("Від:", "Надіслано:", "Кому:", "Тема:"),
    "tr": ("Kimden:", "Gönderildi:", "Kime:", "Konu:"),
    "hu": ("Feladó:", "Elküldve:", "Címzett:", "Tárgy:"),
    "el": ("Από:", "Στάλθηκε:", "Προς:", "Θέμα:"),
    "ja": ("差出人:", "送信日時:", "宛先:", "件名:"),
    "zh": ("发件人:", "发送时间:", "收件人:", "主题:"),
    "zh-tw": ("寄件者:", "寄件日期:", "收件者:", "主旨:"),
    "ko": ("보낸 사람:", "보낸 날짜:", "받는 사람:", "제목:"),
    "bold": ("*From:*", "*Sent:*", "*To:*", "*Subject:*"),
}
SEPARATORS = [
    "-----Original Message-----", "-------- Original Message --------",
    "----- Original Message -----", "-----Ursprüngliche Nachricht-----",
    "-------- Message d'origine --------", "-------- Mensaje original --------",
    "-------- Messaggio originale --------", "-------- Oorspronkelijk bericht --------",
    "-------- Ursprungligt meddelande --------", "-------- Oprindelig besked --------",
    "-------- Opprinnelig melding --------", "-------- Mensagem original --------",
    "-------- Исходное сообщение --------", "-------- Wiadomość oryginalna --------",
    "-------- Původní zpráva --------", "-------- Alkuperäinen viesti --------",
    "---------- Forwarded message ---------", "________________________________",
]
ATTRIBUTIONS = [
    f"On Mon, Mar 2, 2026 at 10:04 AM {BOT} wrote:",
    "On Mon, Mar 2, 2026 at 10:04 AM WG-ML Bot <wgml-bot@example.org>\nwrote:",
    "On Mon, Mar 2, 2026 at 10:04 AM WG-ML Bot <\nwgml-bot@example.org> wrote:",
    f"On 2 Mar 2026, at 10:04, {BOT} wrote:",
    "On 02/03/2026 10:04, WG-ML Bot wrote:",
    f"Am Mo., 2. März 2026 um 10:04 Uhr schrieb {BOT}:",
    "Am Fr., 28. Apr. 2017 um 11:53 Uhr schrieb WG-ML Bot <\nwgml-bot@example.org>:",
    f"{BOT} schrieb am Fr., 28.\nApr. 2017 um 11:53 Uhr:",
    "Am 02.03.26 um 10:04 schrieb WG-ML Bot:",
    f"Le lun. 2 mars 2026 à 10:04, {BOT} a écrit :",
    f"Le lun. 2 mars 2026 à 10:04, {BOT} a\nécrit :",
    f"El lun, 2 mar 2026 a las 10:04, {BOT} escribió:",
    f"Il giorno lun 2 mar 2026 alle ore 10:04 {BOT} ha scritto:",
    f"Em seg., 2 de mar. de 2026 às 10:04, {BOT} escreveu:",
    f"Op ma 2 mrt 2026 om 10:04 schreef {BOT}:",
    f"Op 2 mrt. 2026, om 10:04 heeft {BOT} het volgende geschreven:",
    f"Den 2 mars 2026 kl. 10:04 skrev {BOT}:",
    f"man. 2. mar. 2026 kl. 10:04 skrev {BOT}:",
    "man. 2. mar. 2026 kl. 10:04 skrev WG-ML Bot <wgml-bot@example.org\n>:",
    f"ma 2.3.2026 klo 10.04 {BOT} kirjoitti:",
    "ma 2.3.2026 klo 10.04 WG-ML Bot (wgml-bot@example.org)\nkirjoitti:",
    f"pon., 2 mar 2026 o 10:04 {BOT} napisał(a):",
    f"W dniu 2.03.2026 o 10:04, {BOT} pisze:",
    f"po 2. 3. 2026 v 10:04 odesílatel {BOT} napsal:",
    f"пн, 2 мар. 2026 г. в 10:04, {BOT}:",
    f"2 мар. 2026 г., в 10:04, пользователь {BOT} написал:",
    "2 мар. 2026 г., в 10:04, пользователь WG-ML Bot\n<wgml-bot@example.org> написал:",
    "02.03.2026 10:04, WG-ML Bot пишет:",
    f"пн, 2 бер. 2026 р. о 10:04 {BOT} пише:",
    f"{BOT}, 2 Mar 2026 Pzt, 10:04 tarihinde şunu yazdı:",
    f"{BOT} ezt írta (időpont: 2026. márc. 2., H, 10:04):",
    f"Στις Δευ 2 Μαρ 2026 στις 10:04 π.μ., ο/η {BOT} έγραψε:",
    f"2026年3月2日(月) 10:04 {BOT}:",
    f"2026/03/02 10:04、{BOT}のメッセージ:",
    f"{BOT} 于2026年3月2日周一 10:04写道：",
    f"2026년 3월 2일 (월) 오전 10:04, {BOT}님이 작성:",
    "2014-10-17 11:28 GMT+03:00 WG-ML Bot <wgml-bot@example.org>:",
]
TOP_POST_ATTRIBUTIONS = [  # no `>` below: the old message follows as it was
    f"---- On Mon, 02 Mar 2026 10:04:00 +0000 {BOT} wrote ----",
    "---- WG-ML Bot wrote ----",
    f"On Monday, March 2, 2026, 10:04:00 AM GMT, {BOT} wrote:",
    f"Den 2. mar. 2026 kl. 10.04 skrev {BOT}:",
]
FOOTERS = [
    "Sent from my iPhone", "Sent from my iPad", "Sent from my mobile device",
    "Sent from my Galaxy", "Sent from my Samsung Galaxy smartphone.",
    "Sent from my Verizon Wireless 4G LTE Droid", "Sent from Yahoo Mail on Android",
    "Sent from Mail for Windows", "Get Outlook for iOS<https://aka.ms/o0ukef>",
    "Get Outlook for Android", "Sendt fra min iPad", "Sendt fra min iPhone",
    "Envoyé de mon iPhone", "Envoyé à partir de Outlook pour iOS", "Von meinem iPhone gesendet",
    "Gesendet von meinem iPad", "Enviado desde mi iPhone", "Enviado do meu iPhone",
    "Inviato da iPhone", "Verzonden vanaf mijn iPhone", "Skickat från min iPhone",
    "Lähetetty iPhonesta", "Отправлено с iPhone", "Wysłane z iPhone'a", "Odesláno z iPhonu",
    "iPhoneから送信", "发自我的iPhone", "iPhone'umdan gönderildi",
]


def _forms() -> list[str]:
    out = [f"{a}\n\n{quoted()}" for a in ATTRIBUTIONS]
    out += [f"{a}\n\n{CALL}" for a in TOP_POST_ATTRIBUTIONS]
    out += [f"{block(names, V)}\n\n{CALL}" for names in BLOCKS.values()]
    out += [f"________________________________\n{block(names, V)}\n\n{CALL}"
            for names in BLOCKS.values()]
    out += [f"{s}\n{block(BLOCKS['en-mac'], V)}\n\n{CALL}" for s in SEPARATORS]
    out += [f"{f}\n\n{quoted()}" for f in FOOTERS]
    out += [f"{f}\n\n{block(BLOCKS['en'], V)}\n\n{CALL}" for f in FOOTERS[:3]]
    out += [
        f"From: {BOT}\nReply-To: {BOT}\nDate: Monday, 2 March 2026 at 10:04\n"
        f"To: wg-ml@lists.example.org\nSubject: Call\n\n{CALL}",
        f"Date: Mon, 2 Mar 2026 10:04:00 +0000\nFrom: wgml-bot@example.org\n"
        f"To: wg-ml@lists.example.org\nSubject: Call\n\n{CALL}",
        f"From: {BOT} Sent: Monday, March 2, 2026 10:04 AM To: wg-ml@lists.example.org "
        f"Subject: Call\n\n{CALL}",
        f"From: WG-ML Bot [mailto:wgml-bot@example.org]\nSent: Monday, March 2, 2026 10:04 AM\n"
        f"To: a@example.org; b@example.org; c@example.org; Some Long Name\n<d@example.org>\n"
        f"Cc: e@example.org\nSubject: Call\n\n{CALL}",
        f"-- \nJane Doe\nForge VFX\n\n{quoted()}",
        "Begin forwarded message:\n\n" + block(BLOCKS["en-mac"], V) + "\n\n" + CALL,
    ]
    return out


FORMS = _forms()
WORDS = ["we", "tried", "the", "model", "on", "hair", "shots", "from", "sent", "wrote", "to",
         "date", "subject", "original", "message", "Jane", "our", "team", "render", "farm",
         "2026", "10:04", "March", "de", "von", "an", "da", "van", "Fra", "De", "On", "Am",
         "Le", "El", "skrev", "schrieb", "écrit", "<jane@example.org>", "(draft)", "und",
         "и", "написал", "的", "モデル", "and", "failed", "SAM", "2", "worked", "clean",
         "plates", "motion", "blur", "ML", "NeRF", "cost", "40%", "hours"]
_line = st.lists(st.sampled_from(WORDS), min_size=1, max_size=12).map(" ".join)
_field = st.tuples(st.sampled_from(["Title:", "Focus area:", "Abstract:", "Results:", "Studio:"]),
                   _line).map(" ".join)
_paragraph = st.lists(st.one_of(_line, _field), min_size=1, max_size=5).map("\n".join)
PERSON = st.lists(_paragraph, min_size=1, max_size=4).map("\n\n".join)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(PERSON, st.sampled_from(FORMS), st.sampled_from(["\n\n", "\n\n\n", "\n"]))
def test_the_person_text_and_nothing_else(person: str, form: str, gap: str) -> None:
    assert strip_reply(person) == person  # alone, nothing in it looks quoted
    assert strip_reply(person + gap + form) == person


def _html(text: str) -> str:
    return "".join(f"<div>{escape(line)}</div>" if line else "<div><br></div>"
                   for line in text.split("\n"))


CALL_HTML = _html(CALL)
HTML_FORMS = [
    f"<div class='gmail_quote'><div class='gmail_attr'>On Mon, Mar 2, 2026 at 10:04 AM WG-ML Bot"
    f" &lt;wgml-bot@example.org&gt; wrote:</div><blockquote class='gmail_quote'>{CALL_HTML}"
    "</blockquote></div>",
    f"<div id='appendonsend'></div><hr><div id='divRplyFwdMsg'><b>From:</b> WG-ML Bot<br>"
    f"<b>Sent:</b> Monday<br><b>To:</b> list<br><b>Subject:</b> Call</div>{CALL_HTML}",
    f"<div><hr id='stopSpelling'>Date: Mon, 2 Mar 2026 10:04:00 +0000<br>From: "
    f"wgml-bot@example.org<br>To: list@example.org<br>Subject: Call<br><br>{CALL_HTML}</div>",
    "<div style='border:none;border-top:solid #E1E1E1 1.0pt'><p><b>Von:</b> WG-ML Bot "
    "&lt;wgml-bot@example.org&gt;<br><b>Gesendet:</b> Montag, 2. März 2026 10:04<br><b>An:</b>"
    f" list@example.org<br><b>Betreff:</b> Call</p></div>{CALL_HTML}",
    f"<div class='yahoo_quoted'><div>On Monday, March 2, 2026, 10:04 AM GMT, WG-ML Bot wrote:"
    f"</div>{CALL_HTML}</div>",
    f"<div class='moz-cite-prefix'>On 02/03/2026 10:04, WG-ML Bot wrote:<br></div>"
    f"<blockquote type='cite'>{CALL_HTML}</blockquote>",
    f"<div class='ms-outlook-mobile-reference-message'><hr><b>From:</b> WG-ML Bot<br>"
    f"<b>Sent:</b> Monday<br><b>To:</b> list<br><b>Subject:</b> Call<br>{CALL_HTML}</div>",
]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(PERSON, st.sampled_from(HTML_FORMS))
def test_html_quote_forms_add_nothing(person: str, form: str) -> None:
    html = f"<html><body>{_html(person)}{form}</body></html>"
    alone = strip_reply(html_to_text(f"<html><body>{_html(person)}</body></html>"))
    assert strip_reply(html_to_text(html)) == alone
    assert alone.split() == person.split()


@pytest.mark.parametrize("text", [
    # Lines that look like a header, an attribution or a footer, inside what a person wrote.
    "From: our tests, the model failed on hair.\nTo: the team, thanks.",
    "Title: Roto\n\nDate: any day in spring\nTo: whoever reviews this\nSubject: may change",
    "Von: unserem Team.\nAn: alle.\nBetreff: Kosten.",
    "De : notre équipe.\nÀ : tout le monde.",
    "In 2019 I wrote:\nML will replace roto by 2021.",
    "Here is what Jane wrote:\nWe should talk about lookdev.",
    "On your render farm you can run:\n\n    make caches",
    "Results: On 2 March at 10:04 the model wrote:\nits own summary.",
    "Sent from the Tokyo office: we can present on 19 March.",
    "Sent from my desk, which is much easier than my mobile phone.",
    "We compared the original message with the model's rewrite.",
    "I have a question about -- signatures in the middle of a line.",
    "Subject to approval, we can share footage.\nFrom next week on we are free.",
])
def test_the_person_text_is_kept(text: str) -> None:
    assert strip_reply(text) == text


@pytest.mark.parametrize("text,expected", [
    ("Reply\n\nSent from Samsung MobileWG-ML Bot <wgml-bot@example.org> wrote:\n\n> x",
     "Reply"),
    ("Reply\n\n02.04.2012 14:20 пользователь \"bot@example.org\" <\nbot@example.org> написал:"
     "\n\n> x", "Reply"),
    ("Reply\n\nLe 23 janv. 2015 à 22:03, Bob <bob@example.com<mailto:bob@example.com>> a "
     "écrit:\n\n> x", "Reply"),
    ("Reply\n\nFrom: Bob\nSent: Monday, March 2, 2026 10:04 AM\nTo: list\nSubject: x\n\nold",
     "Reply"),
    ("Reply\nFrom: Bob <bob@example.com>\nSent: Monday, March 2, 2026 10:04 AM\nTo: list\n"
     "Subject: x\n\nold", "Reply"),
    # An attribution wrapped under the person's paragraph keeps the paragraph.
    ("We met on 2 March 2026 at 10:04 and agreed.\nJane wrote:\n> old", "We met on 2 March "
     "2026 at 10:04 and agreed."),
    # Interleaved: the answers below each quote are kept.
    (f"On Mon, Mar 2, 2026 at 10:04 AM {BOT} wrote:\n> Title:\nTitle: Roto\n> Abstract:\n"
     "Abstract: SAM 2 on hair.", "Title: Roto\nAbstract: SAM 2 on hair."),
])
def test_quotes_are_cut(text: str, expected: str) -> None:
    assert strip_reply(text) == expected


@pytest.mark.parametrize("text,expected", [
    # A header block in a language without a table, under a separator the table lacks.
    ("Xin chào\n\n-------- Thư gốc --------\nTừ: Bot <bot@example.org>\nĐã gửi: 2/3/2026 10:04\n"
     "Đến: list@example.org\nChủ đề: Call\n\nold", "Xin chào"),
    ("Bună ziua\n\nDe la: Bot <bot@example.org>\nTrimis: luni, 2 martie 2026 10:04\n"
     "Către: list@example.org\nSubiect: Call\n\nold", "Bună ziua"),
    ("Pozdrav\n\nŠalje: Bot <bot@example.org>\nPoslano: 2. ožujka 2026. 10:04\n"
     "Prima: list@example.org\nPredmet: Call\n\nold", "Pozdrav"),
    ("Tere\n\nKellelt: Bot <bot@example.org>\nSaatmisaeg: 2.03.2026 10:04\n"
     "Kellele: list@example.org\nTeema: Call\n\nold", "Tere"),
    ("Hola\n\nDe: Bot <bot@example.org>\nEnviat: dilluns, 2 de març de 2026 10:04\n"
     "Per a: list@example.org\nAssumpte: Call\n\nold", "Hola"),
    # Hotmail's block starting with Date, without From.
    ("Blah\n\nDate: Wed, 16 May 2012 00:15:02 -0600\nTo: someone@example.com\n\nold", "Blah"),
    ("Hi\n\n  *From:* bob@example.com [mailto:\n  bob@example.com]\n  *Date:* Wed, 16 May 2012 "
     "00:15:02 -0600\n  *To:* someone@example.com\n\nold", "Hi"),
    ("Replying ok\n2011/4/7 Nathan Ivanova <support@example.com>\n\n>  Cool beans", "Replying ok"),
    ("Test reply\n\nOn 11-Apr-2011, at 6:54 PM, Roman <roman@example.com> sent:\n> Test",
     "Test reply"),
    ("Lorem\n\nOp 13-02-2014 3:18 schreef Julius Caesar <pantheon@rome.example>:\n\nOld", "Lorem"),
    ("Lorem\nPå 14 september 2015 på 17:17, Valdemar <v@example.com> skrev:\n\nOld", "Lorem"),
    ("Vâng\n\nVào 14:24 8 tháng 6, 2017, Hùng Nguyễn <hung@example.com> đã viết:\n\nOld", "Vâng"),
    ("Test reply\n\nOn Nov 30, 2011, at 12:47 PM, Somebody <\n416ffd3258d4@somebody.example>\n"
     "wrote:\n\nTest message", "Test reply"),
    ("Thanks Thanmai\nOn Mar 8, 2012 9:59 AM, \"Example.com\" <\nr+7f1b094c@example.com> wrote:\n\n"
     "\n>**\n>  Blah-blah-blah", "Thanks Thanmai"),
    ("Test reply\n\n2014-10-17 11:28 GMT+03:00 Postmaster <\npostmaster@example.org>:\n\n> First",
     "Test reply"),
])
def test_more_quote_forms(text: str, expected: str) -> None:
    assert strip_reply(text) == expected


@pytest.mark.parametrize("text", [
    # Three "Label: value" lines that are the person's, not a header block.
    "Title: Roto\nStudio: Forge <info@forge.example>\nResults: 2 March 2026 at 10:04 it worked",
    "Contact: Jane <jane@example.org>\nWhen: 2 March 2026 10:04\nWhere: room 2\nWhy: demo",
    "Thanks\n\nContact: Jane <jane@example.org>\nWhen: 2 March 2026 10:04\nWhere: room 2",
    "Notes\n-------- draft --------\nWe tried it on 40 shots.",
])
def test_labels_and_rules_of_the_person_are_kept(text: str) -> None:
    assert strip_reply(text) == text


@pytest.mark.parametrize("text", [
    "hi\n\nFrom: " + "a" * 200_000 + "\nSent: x 10:04 2026\nTo: y",
    "hi\n\nXyz: " + "a" * 200_000 + "\nAbc: 10:04 2026\nDef: y\nGhi: z",
    "From: " + "a" * 200_000 + " Sent: x To: y",
    "On 2 Mar 2026 " + "x" * 300_000 + "\nwrote:\n> q",
    "<" * 200_000 + "\n>:",
])
def test_hostile_long_lines_are_read_in_linear_time(text: str) -> None:
    # Quadratic regex work on these took minutes; the run's per-test timeout is the judge.
    assert strip_reply(text)


@pytest.mark.parametrize("line", [
    # Verbs no table here has: a date, a time, the address and at most three words after it.
    f"Þann mán. 2. mar. 2026 kl. 10:04 skrifaði {BOT}:",
    f"Më 2 mar 2026, në 10:04, {BOT} shkroi:",
    f"O luns, 2 de mar. de 2026 ás 10:04, {BOT} escribiu:",
    f"Ar Llun, 2 Maw 2026 am 10:04 ysgrifennodd {BOT}:",
    "El dl., 2 de març 2026 a les 10:04, WG-ML Bot (<wgml-bot@example.org>) va escriure:",
    f"pon, 2. ožu 2026. u 10:04 {BOT} napisao je:",
    f"пн, 2.03.2026 г. в 10:04 ч. {BOT} написа:",
])
@pytest.mark.parametrize("below", [quoted(), CALL])
def test_attributions_in_languages_without_a_verb_in_the_table(line: str, below: str) -> None:
    assert strip_reply(f"Our talk: ML denoising.\n\nAna\n\n{line}\n\n{below}") == (
        "Our talk: ML denoising.\n\nAna")


@pytest.mark.parametrize("text", [
    "Contact me at Jane <jane@example.org> after 2 March 2026 10:04 thanks:\nWe will be there.",
    "We met Jane <jane@example.org> on 2.3.2026 at 10:04 and said:\nthe plan works.",
])
def test_a_sentence_with_an_address_and_a_date_is_kept(text: str) -> None:
    assert strip_reply(text) == text
