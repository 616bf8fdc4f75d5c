"""A proposal in an attachment: a .txt file is read; .pdf/.docx are not, and the speaker is
told so in the answer; a signature (S/MIME, PGP) is never taken for an attachment."""

from __future__ import annotations

from email.message import EmailMessage

from bot.email.attachments import unread
from bot.email.reply import parse_message
from tests.email.test_lists import text_of
from tests.email_helpers import (  # noqa: F401 - fixtures
    FIXTURES,
    MailBot,
    mailbot_fixture,
    smtp_fixture,
)

PROPOSAL = ("Title: Denoising path-traced previews\nFocus area: rendering\n"
            "Abstract: A small U-Net trained on our own renders cuts preview time by 60% "
            "for lighting artists; we show where it smears fine hair.\n")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def with_attachment(body: str, filename: str, data: bytes, maintype: str, subtype: str,
                    message_id: str = "<att1@studio.example>") -> bytes:
    msg = EmailMessage()
    msg["From"] = "Ines Duarte <ines@studio.example>"
    msg["To"] = "WG-ML Bot <wgml-bot@example.org>"
    msg["Subject"] = "Talk proposal"
    msg["Message-ID"] = message_id
    msg.set_content(body)
    msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return msg.as_bytes()


def test_a_proposal_in_an_attached_txt_is_read_even_undeclared_latin1() -> None:
    raw = with_attachment("My proposal is in the attached file.", "proposal.txt",
                          PROPOSAL.replace("60%", "60 % (Ines Duarte, São Paulo)")
                          .encode("latin-1"), "text", "plain")
    parsed = parse_message(raw)
    assert parsed.fields["title"] == "Denoising path-traced previews"
    assert "São Paulo" in parsed.fields["abstract"]
    assert unread(parsed.attachments) == []


def test_signed_mail_has_no_attachment_to_mention() -> None:
    parsed = parse_message((FIXTURES / "lists" / "mailman3_smime_signed.eml").read_bytes())
    assert parsed.attachments == ["smime.p7s (application/pkcs7-signature)"]
    assert unread(parsed.attachments) == []
    assert "inline function" in parsed.reply_text


async def test_the_speaker_is_told_a_pdf_is_not_read(mailbot: MailBot) -> None:
    await mailbot.open_cycle()
    raw = (FIXTURES / "attachment_pdf.eml").read_bytes()
    assert (await mailbot.ingest(raw)).outcome == "created"
    [mail] = await mailbot.smtp.wait_for(1)
    body = text_of(mail)
    assert "Your message had attachments (outline.pdf)" in body
    assert "will not see what is in them" in body


async def test_a_docx_alone_is_answered_with_how_to_send_it(mailbot: MailBot) -> None:
    await mailbot.open_cycle()
    raw = with_attachment("", "proposal.docx", b"PK\x03\x04 not really a docx", *DOCX.split("/"))
    assert (await mailbot.ingest(raw)).outcome == "empty"
    [mail] = await mailbot.smtp.wait_for(1, to="ines@studio.example")
    assert "attachments (proposal.docx)" in text_of(mail)
