"""Email intake: messages appended to a throw-away Dovecot, read by the bot's IMAP intake
until each is a stored submission, against a plain aioimaplib client fetching the same
messages in the same run: one UID FETCH each, one UID FETCH per 50 (the bot's batch), and
all in one FETCH 1:*. The goal is compared with the fastest of the three. Also the reply
parser alone, in messages per second.

Default 300 messages; `--full` for 2,000; `--postgres` for a fresh PostgreSQL database
(PG_URL) instead of a SQLite file; `--profile FILE` writes a pyinstrument text report of the
bot's intake phase. Needs Dovecot (`make system-deps`).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import tempfile
import time
from pathlib import Path

import aioimaplib
from pydantic import SecretStr
from sqlalchemy import func, select

from bench.common import fresh_postgres
from bot.config import Settings
from bot.email.reply import parse_message
from handlers.email.imap import ImapIntake
from scheduler.outbox import Deliverer
from storage.db import Database
from storage.models import Base, Submission

FOCUS = ("content creation", "LLMs for pipeline", "infrastructure")


def proposal(i: int) -> bytes:
    body = (f"Title: Talk {i}: what model {i} did for our shots\n"
            f"Focus area: {FOCUS[i % 3]}\n"
            f"Studio: Studio {i % 17}\n"
            f"Abstract: We tried model {i} on {i % 40 + 10} shots of task {i % 9} and compared "
            "it with what artists did by hand, including where it failed and what it cost.\n"
            f"Results: It saved {i % 30 + 5} hours; it failed on motion blur.\n"
            "Confidentiality: confirmed\n\n-- \nSpeaker\n")
    headers = [f"From: Speaker {i} <speaker{i}@studio{i % 17}.example>",
               "To: WG-ML Bot <wgml-bot@example.org>", f"Subject: Talk proposal {i}",
               "Date: Mon, 02 Mar 2026 11:15:02 +0000",
               f"Message-ID: <bench{i}@studio{i % 17}.example>", "MIME-Version: 1.0",
               "Content-Type: text/plain; charset=utf-8"]
    return ("\r\n".join(headers) + "\r\n\r\n" + body.replace("\n", "\r\n")).encode()


def parse(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="python -m bench.email_intake", description=__doc__)
    ap.add_argument("--messages", type=int, default=300)
    ap.add_argument("--full", action="store_true", help="2,000 messages")
    ap.add_argument("--postgres", action="store_true",
                    help="a fresh PostgreSQL database (PG_URL) instead of a SQLite file")
    ap.add_argument("--profile", metavar="FILE",
                    help="profile the bot's intake (pyinstrument) and write a text report")
    return ap.parse_args(argv or [])


async def _client(port: int, user: str, password: str) -> aioimaplib.IMAP4:
    client = aioimaplib.IMAP4(host="127.0.0.1", port=port, timeout=60)
    await client.wait_hello_from_server()
    assert (await client.login(user, password)).result == "OK"
    return client


async def plain_fetch(port: int, user: str, password: str, *, batch: int) -> tuple[float, int]:
    """Seconds to fetch every message in INBOX with a bare client, and how many it got:
    `batch` UIDs per UID FETCH, or 0 for one FETCH 1:*."""
    began = time.perf_counter()
    client = await _client(port, user, password)
    await client.select("INBOX")
    resp = await client.uid_search("ALL", charset=None)
    uids = [x for line in resp.lines[:-1] for x in line.split() if x.isdigit()]
    got = 0
    if not batch:
        resp = await client.uid("fetch", "1:*", "(BODY.PEEK[])")
        got = sum(1 for line in resp.lines if isinstance(line, bytearray))
    else:
        for start in range(0, len(uids), batch):
            chunk = b",".join(uids[start:start + batch]).decode()
            resp = await client.uid("fetch", chunk, "(BODY.PEEK[])")
            got += sum(1 for line in resp.lines if isinstance(line, bytearray))
    await client.logout()
    return time.perf_counter() - began, got


async def main(argv: list[str] | None = None) -> int:
    from tests.mail_servers import DOVECOT, Dovecot  # the test suite's throw-away Dovecot

    args = parse(argv)
    n = 2000 if args.full else args.messages
    logging.getLogger("wgml").setLevel(logging.ERROR)
    print(f"== Email intake: {n} messages appended to Dovecot ==")
    raws = [proposal(i) for i in range(n)]
    began = time.perf_counter()
    for raw in raws:
        parse_message(raw)
    parser_rate = n / (time.perf_counter() - began)
    if DOVECOT is None:
        print(f"parser alone: {parser_rate:.0f} messages/s; Dovecot is not installed, "
              "so the IMAP part is skipped (make system-deps)")
        return 0
    dovecot = await asyncio.to_thread(Dovecot().start)
    work = Path(tempfile.mkdtemp(prefix="wgml-bench-email-"))
    db = Database(await fresh_postgres("wgml_bench_email") if args.postgres
                  else f"sqlite+aiosqlite:///{work / 'bench.db'}")
    print(f"database: {db.engine.dialect.name}")
    try:
        async with db.engine.begin() as conn:
            await conn.run_sync(Base.metadata.create_all)
        client = await _client(dovecot.port, dovecot.user, dovecot.password)
        began = time.perf_counter()
        for raw in raws:
            assert (await client.append(raw, mailbox="INBOX")).result == "OK"
        append_s = time.perf_counter() - began
        await client.logout()
        plain = {}
        for name, batch in (("one UID FETCH each", 1), ("UID FETCH per 50", 50),
                            ("one FETCH 1:*", 0)):
            plain[name] = await plain_fetch(dovecot.port, dovecot.user, dovecot.password,
                                            batch=batch)
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            database_url=db.url, imap_host="127.0.0.1", imap_port=dovecot.port,
            imap_ssl=False, imap_username=dovecot.user,
            imap_password=SecretStr(dovecot.password), imap_poll_seconds=0.2,
            bot_email_address="wgml-bot@example.org",
        )
        from bot.services import Services

        services = Services(settings=settings, db=db, deliverer=Deliverer(db, None))
        intake = ImapIntake(services)
        profiler = None
        if args.profile:
            from pyinstrument import Profiler

            profiler = Profiler(async_mode="disabled")
            profiler.start()
        began = time.perf_counter()
        task = asyncio.create_task(intake.run_forever())
        stored = 0
        try:
            while time.perf_counter() - began < 60 + n:
                async with db.session() as session:
                    stored = int(await session.scalar(
                        select(func.count()).select_from(Submission)) or 0)
                if stored >= n and intake.handled >= n:
                    break
                await asyncio.sleep(0.05)
            bot_s = time.perf_counter() - began
            if profiler is not None:
                profiler.stop()
                report = profiler.output_text(unicode=True, color=False)
                await asyncio.to_thread(Path(args.profile).write_text, report)
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
    finally:
        await db.dispose()
        await asyncio.to_thread(dovecot.stop)
    print(f"append (aioimaplib APPEND, one by one): {n / append_s:.0f} messages/s")
    for name, (seconds, got) in plain.items():
        print(f"plain client, {name}: {seconds:.2f} s ({got / seconds:.0f}/s)")
    print(f"bot: {stored} stored submissions, {intake.handled} marked handled, in {bot_s:.2f} s "
          f"({stored / bot_s:.0f}/s)")
    ratios = ", ".join(f"{name} {seconds / bot_s:.3f}" for name, (seconds, _) in plain.items())
    fastest = min(seconds for seconds, _ in plain.values())
    print(f"rate ratio bot / plain client: {ratios}; against the fastest: "
          f"{fastest / bot_s:.3f} (goal >= 0.5)")
    print(f"parser alone (bot.email.reply.parse_message): {parser_rate:.0f} messages/s")
    return 0 if stored >= n else 1


if __name__ == "__main__":
    import sys

    raise SystemExit(asyncio.run(main(sys.argv[1:])))
