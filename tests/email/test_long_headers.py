"""A long Message-ID or a long (valid) address is stored, answered and confirmed on every
database: the outbox's key (255 characters) and lane (64) are enforced by PostgreSQL, where
such a message used to fail on ingest and on every replay. Through `wgml-bot email ingest`;
run with WGML_TEST_DB=postgres for PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

from tests.email.test_cli import acli
from tests.email_helpers import message, smtp_fixture  # noqa: F401 - fixture
from tests.mail_servers import SmtpServer

BODY = "Title: Long names\nAbstract: We tried a model on long names and it held up."


async def _ingest(env: dict[str, str], tmp_path: Path, raw: bytes) -> dict[str, str]:
    out = await acli("email", "ingest", "-", env=env, cwd=tmp_path, stdin=raw)
    assert out.returncode == 0, out.stderr.decode()[-2000:]
    result: dict[str, str] = json.loads(out.stdout)
    return result


async def test_a_long_message_id_and_a_long_address_are_answered_and_confirmed(
    env: dict[str, str], tmp_path: Path, smtp: SmtpServer,
) -> None:
    long_id = "<" + "x" * 400 + "@studio.example>"
    assert (await _ingest(env, tmp_path, message("A <a@studio.example>", BODY,
                                                 message_id=long_id)))["outcome"] == "created"
    address = "b" * 60 + "@a-rather-long-studio-name.example"
    created = await _ingest(env, tmp_path, message(f"B <{address}>", BODY,
                                                   message_id="<b1@studio.example>"))
    assert created["outcome"] == "created"
    assert [m.recipients for m in smtp.received] == [["a@studio.example"], [address]]
    request_id = smtp.received[1].message["Message-ID"]
    yes = await _ingest(env, tmp_path, message(f"B <{address}>", "yes, I confirm",
                                               message_id="<b2@studio.example>",
                                               in_reply_to=request_id))
    assert yes["outcome"] == "confirmed"
