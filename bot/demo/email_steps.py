"""The demo's email steps, written against CONTRACT.md ("Email", `email ingest`, `tick`).

They take email the way this build does: through the running bot's IMAP intake (the message
is appended to the pymap stand-in's INBOX) when `handlers.email.imap` exists, else through
`wgml-bot email ingest`. With neither, the step is skipped with the reason. Whatever the bot
sends back arrives at the aiosmtpd stand-in and is shown.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import io
from collections.abc import Awaitable, Callable
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from sqlalchemy import select

from bot.demo.play import BOT_ADDRESS, LIST_ADDRESS, Demo, Skip
from bot.demo.standins import Received
from storage.models import Speaker, Submission

CHEN = ("Chen Wu", "chen.wu@lanternfx.example")
DANA = ("Dana Ruiz", "dana@copperline.example")

TEMPLATE_REPLY = """Hi all,

Happy to present this one:

Title: {title}
Focus area: {focus}
Abstract: {abstract}
Results: {results}
Studio: {studio}

Best,
{name}
"""


def _mail(sender: tuple[str, str], subject: str, body: str, *, in_reply_to: str | None = None,
          references: str | None = None) -> tuple[bytes, str]:
    msg = EmailMessage()
    msg["From"] = f"{sender[0]} <{sender[1]}>"
    msg["To"] = BOT_ADDRESS
    msg["Subject"] = subject
    msg["Date"] = format_datetime(dt.datetime.now(dt.UTC))
    msg_id = make_msgid(domain=sender[1].split("@", 1)[1])
    msg["Message-ID"] = msg_id
    if in_reply_to:
        msg["In-Reply-To"] = in_reply_to
        msg["References"] = references or in_reply_to
    msg.set_content(body)
    return msg.as_bytes(), msg_id


async def _hand_to_bot(demo: Demo, raw: bytes) -> None:
    if demo.imap is not None:
        await demo.imap.append(raw)
        demo.note("The message lands in the bot's mailbox (the IMAP stand-in); the bot's IMAP "
                  "intake picks it up.")
        return
    n = len(list(demo.tmp.glob("mail-*.eml"))) + 1
    path = demo.tmp / f"mail-{n}.eml"
    await asyncio.to_thread(path.write_bytes, raw)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = await demo.cli(["email", "ingest", str(path)], demo.settings)
    if code != 0:
        raise RuntimeError(f"`wgml-bot email ingest` exited {code}")
    demo.note("Fed to `wgml-bot email ingest`: " + out.getvalue().strip())


async def _until(check: Callable[[], Awaitable[bool]], what: str,
                 timeout: float = 30.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not await check():
        if loop.time() > deadline:
            raise RuntimeError(f"{what} did not happen within {timeout:.0f}s")
        await asyncio.sleep(0.2)


async def _submission_of(demo: Demo, address: str) -> Submission | None:
    async with demo.bot.db.session() as session:
        return await session.scalar(
            select(Submission).join(Speaker).where(Speaker.email == address)
            .order_by(Submission.id.desc()).limit(1))


def _mail_to(demo: Demo, address: str) -> list[Received]:
    return [r for r in demo.smtp.received if address in r.rcpt_tos]


def _call_message_id(demo: Demo) -> str | None:
    calls = [r for r in demo.smtp.received if LIST_ADDRESS in r.rcpt_tos]
    return str(calls[-1].message["Message-ID"]) if calls else None


async def _reply_to_call(demo: Demo, who: tuple[str, str], talk: dict[str, str]) -> Received:
    call_id = _call_message_id(demo)
    raw, _ = _mail(who, "Re: Call for speakers", TEMPLATE_REPLY.format(name=who[0], **talk),
                   in_reply_to=call_id)
    await _hand_to_bot(demo, raw)

    async def stored() -> bool:
        return await _submission_of(demo, who[1]) is not None

    await _until(stored, f"a submission from {who[1]}")
    await demo.settle()

    async def asked() -> bool:
        return bool(_mail_to(demo, who[1]))

    await _until(asked, f"the bot's confirmation request to {who[1]}")
    demo.collect()
    return _mail_to(demo, who[1])[-1]


async def chen_replies_by_email(demo: Demo) -> None:
    request = await _reply_to_call(demo, CHEN, dict(
        title="Prompted depth for set extensions: a scrapheap report",
        focus="infrastructure",
        abstract="We tried monocular depth models to speed up set extension layout on 12 "
                 "shots; the GPU cost and where it broke.",
        results="Failed on reflective surfaces; inference cost was fine, artist trust was not.",
        studio="Lantern FX"))
    demo.note("Chen answers the bot's question: “Yes, I confirm: no confidential "
              "information.”")
    bot_id = str(request.message["Message-ID"])
    raw, _ = _mail(CHEN, "Re: " + str(request.message["Subject"]),
                   "Yes, I confirm: my talk contains no confidential information.\n",
                   in_reply_to=bot_id, references=bot_id)
    await _hand_to_bot(demo, raw)

    async def confirmed() -> bool:
        sub = await _submission_of(demo, CHEN[1])
        return sub is not None and sub.status == "submitted" and bool(sub.card_ts)

    await _until(confirmed, "Chen's confirmation reaching the leaders")
    await demo.settle()


async def dana_forgets_to_confirm(demo: Demo) -> None:
    await _reply_to_call(demo, DANA, dict(
        title="RAG over twenty years of production notes",
        focus="llm_pipeline",
        abstract="Retrieval over our show wikis and tickets to answer pipeline questions; how "
                 "we evaluated answers with the TDs who asked them.",
        results="Good on how-to questions, poor on anything about schedules.",
        studio="Copperline"))
    demo.note("Dana never answers the confirmation request.")
    sub = await _submission_of(demo, DANA[1])
    assert sub is not None and sub.cycle is not None
    before = len(_mail_to(demo, DANA[1]))
    later = sub.cycle.deadline - dt.timedelta(hours=12)
    demo.note(f"Time passes: `wgml-bot tick --now {later:%Y-%m-%dT%H:%M}Z`, half a day "
              "before the deadline.")
    code = await demo.cli(["tick", "--now", later.isoformat()], demo.settings)
    if code != 0:
        raise RuntimeError(f"`wgml-bot tick` exited {code}")
    await demo.settle()
    if len(_mail_to(demo, DANA[1])) == before:
        raise Skip("this build's scheduler sent no reminder to the unconfirmed speaker")
    sub = await _submission_of(demo, DANA[1])
    if sub is None or sub.status != "pending_confirmation" or sub.card_ts:
        raise RuntimeError("an unconfirmed submission reached the leaders")
