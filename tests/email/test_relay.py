"""The bot is no mail relay (issue 20), through `wgml-bot email ingest`: an answer to a
stranger quotes only the title and a short, link-free excerpt; one mailbox (whatever its
+tags and case) gets a bounded number of answers a day, and strangers as a whole a bounded
number an hour; capped mail is stored and its outcome says so."""

from __future__ import annotations

import json
import os
from pathlib import Path

from sqlalchemy import select

from storage.db import Database
from storage.models import InboundMessage, Submission
from tests.email.test_cli import acli
from tests.email_helpers import message, smtp_fixture  # noqa: F401 - fixture
from tests.mail_servers import SmtpServer

SPAM = ("Buy now at https://evil.example/offer and www.cheap-pills.example/x, or write to "
        "sales@evil.example. ") * 50  # over 4,000 characters, as seen in the review


async def _ingest(env: dict[str, str], tmp_path: Path, raws: list[bytes]
                  ) -> tuple[list[str], str]:
    folder = tmp_path / f"mail{len(os.listdir(tmp_path))}"
    folder.mkdir()
    for i, raw in enumerate(raws):
        (folder / f"{i:03}.eml").write_bytes(raw)
    out = await acli("email", "ingest", str(folder), env=env, cwd=tmp_path)
    assert out.returncode == 0, out.stderr.decode()[-2000:]
    return ([json.loads(line)["outcome"] for line in out.stdout.decode().splitlines()],
            out.stderr.decode())


async def _outcomes(db_url: str) -> dict[str, str | None]:
    db = Database(db_url)
    try:
        async with db.session() as session:
            rows = await session.scalars(select(InboundMessage))
            return {r.message_id: r.outcome for r in rows}
    finally:
        await db.dispose()


async def test_tags_and_case_share_one_mailboxs_daily_cap(
    env: dict[str, str], db_url: str, tmp_path: Path, smtp: SmtpServer,
) -> None:
    env = {**env, "EMAIL_REPLIES_PER_SENDER_PER_DAY": "3"}
    senders = ["target+1@victim.example", "Target+2@Victim.Example", "target@VICTIM.example",
               "target+3@victim.example", "TARGET+4@victim.example"]
    raws = [message(f"Target <{s}>", f"Title: Talk {i}\nAbstract: {SPAM}",
                    message_id=f"<relay{i}@evil.example>") for i, s in enumerate(senders)]
    outcomes, log = await _ingest(env, tmp_path, raws)
    assert outcomes == ["created"] * 3 + ["capped_per_mailbox"] * 2
    assert "event=email.capped" in log and "cap=per_mailbox" in log
    assert len(smtp.received) == 3  # not 5: +tags are one mailbox
    stored = await _outcomes(db_url)
    assert stored["<relay4@evil.example>"] == "capped_per_mailbox"  # kept, and says why
    for mail in smtp.received:
        body = mail.message.get_payload(decode=True).decode()
        assert "http" not in body and "evil.example" not in body and "www." not in body
        assert "cheap-pills" not in body
        assert len(body) < 2000  # the request and an excerpt, not the 4,000 characters
        assert "[link removed]" in body


async def test_answers_to_strangers_are_capped_per_hour_overall(
    env: dict[str, str], db_url: str, tmp_path: Path, smtp: SmtpServer,
) -> None:
    env = {**env, "EMAIL_STRANGER_REPLIES_PER_HOUR": "4"}
    raws = [message(f"Person {i} <p{i}@studio{i}.example>",
                    f"Title: Talk {i}\nAbstract: We tried model {i} and learned a lot.",
                    message_id=f"<hour{i}@studio.example>") for i in range(6)]
    outcomes, log = await _ingest(env, tmp_path, raws)
    assert outcomes == ["created"] * 4 + ["capped_per_hour"] * 2
    assert "cap=per_hour" in log
    assert len(smtp.received) == 4
    stored = await _outcomes(db_url)
    assert [stored[f"<hour{i}@studio.example>"] for i in (4, 5)] == ["capped_per_hour"] * 2
    db = Database(db_url)
    try:
        async with db.session() as session:
            assert len((await session.scalars(select(Submission))).all()) == 4
    finally:
        await db.dispose()


async def test_mail_the_hourly_cap_held_back_is_processed_once_there_is_room(
    env: dict[str, str], db_url: str, tmp_path: Path, smtp: SmtpServer,
) -> None:
    """A burst of strangers must not lose a real proposal: the scheduler's tick processes
    capped mail again once the hour has room (here the tick's clock is an hour later)."""
    import datetime as dt

    env = {**env, "EMAIL_STRANGER_REPLIES_PER_HOUR": "2"}
    raws = [message(f"Someone <s{i}@throwaway{i}.example>", "Title: junk\nAbstract: junk",
                    message_id=f"<burst{i}@x.example>") for i in range(2)]
    raws.append(message("Mei Chen <mei.chen@studio.example>",
                        "Title: Depth for set extension\nAbstract: What broke, and why.",
                        message_id="<real@studio.example>"))
    outcomes, _ = await _ingest(env, tmp_path, raws)
    assert outcomes == ["created", "created", "capped_per_hour"]
    later = (dt.datetime.now(dt.UTC) + dt.timedelta(minutes=61)).isoformat()
    out = await acli("tick", "--now", later, env=env, cwd=tmp_path)
    assert out.returncode == 0, out.stderr.decode()[-2000:]
    assert (await _outcomes(db_url))["<real@studio.example>"] == "created"
    db = Database(db_url)
    try:
        async with db.session() as session:
            titles = set((await session.scalars(select(Submission.title))).all())
    finally:
        await db.dispose()
    assert "Depth for set extension" in titles
    assert any("mei.chen@studio.example" in m.recipients for m in smtp.received)
