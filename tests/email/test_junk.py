"""`wgml-bot email ingest | inspect` of things that are not email (issue 14): one line per
file on stderr, a non-zero exit, nothing stored and nobody written to."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from storage.db import Database
from storage.models import InboundMessage, OutboxMessage
from tests.mail_servers import SmtpServer

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "email_fixtures"

HEADERS_ONLY = (b"From: Victim <victim@example.com>\r\nTo: wgml-bot@example.org\r\n"
                b"Subject: Re: Call for speakers\r\nMessage-ID: <junk-1@example.com>\r\n")


def cli(*args: str, env: dict[str, str], cwd: Path, stdin: bytes | None = None
        ) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "bot", *args], env=env, cwd=cwd,
                          capture_output=True, timeout=120, check=False, input=stdin)



def junk(folder: Path) -> dict[str, Path]:
    folder.mkdir()
    files = {
        "random": random.Random(14).randbytes(4096),
        "empty": b"",
        "text": b"Shopping list\n\neggs\nmilk\nthe bot's database password is not here\n",
        "headers_only": HEADERS_ONLY,
        "no_id_date_or_subject": b"From: someone@example.com\r\n\r\nhello\r\n",
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return {name: folder / name for name in files}


async def counts(db_url: str) -> tuple[int, int]:
    db = Database(db_url)
    try:
        async with db.session() as s:
            return (await s.scalar(select(func.count()).select_from(InboundMessage)) or 0,
                    await s.scalar(select(func.count()).select_from(OutboxMessage)) or 0)
    finally:
        await db.dispose()


async def test_ingest_refuses_junk_one_line_each(env: dict[str, str], db_url: str,
                                                 smtp: SmtpServer, tmp_path: Path) -> None:
    files = junk(tmp_path / "junk")
    out = cli("email", "ingest", *map(str, files.values()), env=env, cwd=tmp_path)
    assert out.returncode == 1
    assert out.stdout == b""
    lines = out.stderr.decode().strip().splitlines()
    assert len(lines) == len(files), lines
    for (name, path), line in zip(files.items(), lines, strict=True):
        assert line.startswith(f"wgml-bot: {path}: ") and "not an email" in line, (name, line)
    assert "empty" in lines[1] and "binary" in lines[0] and "without a body" in lines[3]
    assert await counts(db_url) == (0, 0)
    assert smtp.sink.messages == []


async def test_ingest_of_junk_among_real_mail_keeps_the_real_mail(
    env: dict[str, str], db_url: str, tmp_path: Path
) -> None:
    files = junk(tmp_path / "junk")
    real = FIXTURES / "gmail_template.eml"
    out = cli("email", "ingest", str(files["text"]), str(real), env=env, cwd=tmp_path)
    assert out.returncode == 1
    assert len(out.stdout.decode().strip().splitlines()) == 1  # the real one's JSON line
    inbound, _ = await counts(db_url)
    assert inbound == 1


def test_ingest_of_an_empty_folder_says_so(env: dict[str, str], tmp_path: Path) -> None:
    (tmp_path / "nothing").mkdir()
    out = cli("email", "ingest", str(tmp_path / "nothing"), env=env, cwd=tmp_path)
    assert out.returncode == 1
    [line] = out.stderr.decode().strip().splitlines()
    assert "empty folder" in line


def test_ingest_of_junk_on_stdin(env: dict[str, str], tmp_path: Path) -> None:
    out = cli("email", "ingest", "-", env=env, cwd=tmp_path, stdin=b"\x00\x01\x02junk")
    assert out.returncode == 1 and b"not an email" in out.stderr


def test_inspect_refuses_binary_without_dumping_it(tmp_path: Path) -> None:
    blob = tmp_path / "disk.img"
    blob.write_bytes(b"\x1b[2J\x1b]0;owned\x07" + random.Random(1).randbytes(2048))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = cli("email", "inspect", str(blob), env=env, cwd=tmp_path)
    assert out.returncode == 1 and out.stdout == b""
    [line] = out.stderr.decode().strip().splitlines()
    assert "not an email" in line and "\x1b" not in line


def test_inspect_escapes_control_characters(tmp_path: Path) -> None:
    sneaky = tmp_path / "sneaky.eml"
    sneaky.write_bytes(
        b"From: a@example.com\r\nSubject: hi\r\nMessage-ID: <s@example.com>\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n\r\n"
        b"Hello \xe2\x80\xae there \xc2\x9b31m and caf\xc3\xa9\r\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = cli("email", "inspect", str(sneaky), env=env, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    text = out.stdout.decode()
    assert "\u202e" not in text and "\x9b" not in text and "café" in text
    assert "\u202e" in json.loads(text)["reply_text"]
