"""Mail with NUL bytes or an undeclared UTF-16 body is stored and processed on every
database (issue 20): PostgreSQL refuses NUL in text, so `email ingest` used to fail these
messages there, and `email replay --failed` failed them again. Through `wgml-bot email`;
run with WGML_TEST_DB=postgres for PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from storage.db import Database
from storage.models import InboundMessage, Submission
from tests.email.test_cli import acli
from tests.email_helpers import smtp_fixture  # noqa: F401 - fixture
from tests.mail_servers import SmtpServer


def _raw(sender: bytes, mid: bytes, body: bytes,
         content_type: bytes = b"text/plain; charset=utf-8") -> bytes:
    return (b"From: " + sender + b"\r\nTo: wgml-bot@example.org\r\nSubject: A talk\r\n"
            b"Message-ID: " + mid + b"\r\nMIME-Version: 1.0\r\nContent-Type: " + content_type
            + b"\r\n\r\n" + body)


TEMPLATE = "Title: Neural upscaling\r\nAbstract: We upscaled plates with a small network.\r\n"
MESSAGES = {
    "<nul-body@studio.example>": _raw(
        b"Ann <ann@studio.example>", b"<nul-body@studio.example>",
        b"Title: Neural\x00 upscaling\r\nAbstract: We upscaled\x00 plates.\r\n"),
    "<nul-name@studio.example>": _raw(
        b"An\x00n <ann2@studio.example>", b"<nul-name@studio.example>", TEMPLATE.encode()),
    "<nul-address@studio.example>": _raw(
        b"Ann <an\x00n3@studio.example>", b"<nul-address@studio.example>", TEMPLATE.encode()),
    "<utf16-bom@studio.example>": _raw(
        b"Bo <bo@studio.example>", b"<utf16-bom@studio.example>",
        TEMPLATE.encode("utf-16"), b"text/plain"),
    "<utf16-le@studio.example>": _raw(
        b"Cy <cy@studio.example>", b"<utf16-le@studio.example>",
        TEMPLATE.encode("utf-16-le"), b"text/plain"),
}


async def test_nul_bytes_and_undeclared_utf16_are_stored_and_processed(
    env: dict[str, str], db_url: str, tmp_path: Path, smtp: SmtpServer,
) -> None:
    folder = tmp_path / "mail"
    folder.mkdir()
    for i, raw in enumerate(MESSAGES.values()):
        (folder / f"{i}.eml").write_bytes(raw)
    out = await acli("email", "ingest", str(folder), env=env, cwd=tmp_path)
    outcomes = {o["message_id"]: o["outcome"]
                for o in map(json.loads, out.stdout.decode().splitlines())}
    assert out.returncode == 0, (outcomes, out.stderr.decode()[-2000:])
    assert outcomes == {
        "<nul-body@studio.example>": "created",
        "<nul-name@studio.example>": "created",
        # A NUL inside the address: not an address anybody has, so nobody is answered.
        "<nul-address@studio.example>": "ignored_ambiguous_sender",
        "<utf16-bom@studio.example>": "created",
        "<utf16-le@studio.example>": "created",
    }
    replay = await acli("email", "replay", "--failed", env=env, cwd=tmp_path)
    assert replay.returncode == 0 and replay.stdout == b""
    db = Database(db_url)
    try:
        async with db.session() as session:
            talks = {s.email_message_id: s for s in await session.scalars(select(Submission))}
            rows = {r.message_id: r for r in await session.scalars(select(InboundMessage))}
    finally:
        await db.dispose()
    for mid, raw in MESSAGES.items():
        assert rows[mid].raw == raw  # the bytes as they came, NULs and all
    assert "\x00" not in talks["<nul-body@studio.example>"].title
    assert talks["<nul-body@studio.example>"].title.startswith("Neural")
    assert "\x00" not in talks["<nul-name@studio.example>"].speaker.name
    for mid in ("<utf16-bom@studio.example>", "<utf16-le@studio.example>"):
        assert talks[mid].title == "Neural upscaling"
        assert talks[mid].abstract == "We upscaled plates with a small network."
    assert len(smtp.received) == 4
