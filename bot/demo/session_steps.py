"""The demo after the decision: the speakers answer, the program, the day, the slides, the
recap (steps of bot/demo/story.py's STORY)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bot.demo.emulator.requests import view_submission
from bot.demo.play import ADA, EVE, LEADERS, USERS, Demo, Skip
from bot.demo.proposals import TALKS, card, submit
from bot.talks.status import Status
from storage.models import Cycle, Submission


def _attend_dm(demo: Demo, user: str, sid: int) -> dict[str, Any]:
    """The acceptance DM carrying the speaker's attend_yes / attend_no buttons."""
    for message in demo.slack.messages.get("D" + user[1:], []):
        if any(b.get("block_id") == f"attend:{sid}" for b in message.get("blocks") or []):
            return message
    raise RuntimeError(f"{USERS[user]} was not asked to confirm presenting")


async def _tick_at(demo: Demo, day: dt.date, what: str) -> None:
    """`wgml-bot tick --now` at 09:00 local on `day`: the demo's clock jumps to that morning."""
    now = dt.datetime.combine(day, dt.time(9, 0), tzinfo=demo.settings.zone)
    demo.note(f"The operator runs `wgml-bot tick --now {now.isoformat()}` ({what}).")
    if await demo.cli(["tick", "--now", now.isoformat()], demo.settings) != 0:
        raise RuntimeError("`wgml-bot tick` failed")
    await demo.settle()


async def speakers_answer(demo: Demo) -> None:
    async with demo.bot.db.session() as session:
        ada = await session.get(Submission, demo.state.get(ADA, 0))
    if ada is None or ada.status != Status.ACCEPTED:
        raise Skip("no talk was accepted earlier in the story")
    await submit(demo, EVE)
    eve = demo.state[EVE]
    channel, ts = await card(demo, eve)
    await demo.sender.press(LEADERS[0], "decide_accept", f"{eve}:accept", channel=channel,
                            message_ts=ts)
    demo.note("Priya accepts Eve's talk too. Each acceptance DM asks: will you present?")
    await demo.settle()
    demo.collect()
    for user, choice, words in ((ADA, "yes", "Yes, I'll present"), (EVE, "no",
                                                                     "I can't make it")):
        sid = demo.state[user]
        dm = _attend_dm(demo, user, sid)
        status, _ = await demo.sender.press(user, f"attend_{choice}", str(sid),
                                            channel="D" + user[1:], message_ts=str(dm["ts"]))
        if status != 200:
            raise RuntimeError(f"attend_{choice} answered HTTP {status}")
        demo.note(f"{USERS[user]} presses “{words}” on the acceptance DM.")
        await demo.settle()
        demo.collect()
    async with demo.bot.db.session() as session:
        ada = await session.get(Submission, demo.state[ADA])
        eve_sub = await session.get(Submission, eve)
        if ada is None or eve_sub is None or ada.attendance != "confirmed" \
                or eve_sub.status != Status.WITHDRAWN:
            raise RuntimeError("the speakers' answers were not recorded")
    demo.state["confirmed"] = True


async def _cycle(demo: Demo) -> Cycle:
    if not demo.state.get("confirmed"):
        raise Skip("no speaker confirmed presenting earlier in the story")
    async with demo.bot.db.session() as session:
        cycle = await session.get(Cycle, demo.state["cycle_id"])
    if cycle is None:
        raise RuntimeError("the demo's cycle is gone")
    return cycle


async def cycle_program(demo: Demo) -> None:
    cycle = await _cycle(demo)
    cid = str(cycle.id)
    if await demo.cli(["cycle", "set", cid, "--join-url", "https://zoom.example/j/4242"],
                      demo.settings) != 0:
        raise RuntimeError("`wgml-bot cycle set --join-url` failed")
    demo.note("A leader adds the join link: `wgml-bot cycle set "
              f"{cid} --join-url https://zoom.example/j/4242`.")
    before = len(demo.smtp.received)
    await _tick_at(demo, cycle.session_date - dt.timedelta(days=demo.settings.program_days),
                   f"{demo.settings.program_days} days before the session")
    programs = [r.message for r in demo.smtp.received[before:]
                if "program" in str(r.message["Subject"] or "").lower()]
    if not programs:
        raise RuntimeError("no program reached the mailing list")
    parts = [p for p in programs[0].walk() if p.get_content_type() == "text/calendar"]
    if not parts:
        raise RuntimeError("the program email has no calendar part")
    invite = str(parts[0].get_content())
    lines = [line for line in invite.splitlines()
             if line.startswith(("METHOD", "BEGIN:VEVENT", "UID", "DTSTART", "DTEND"))]
    demo.note("The program email carries an invite (text/calendar): " + " | ".join(lines))
    body = programs[0].get_body(preferencelist=("plain",))
    text = str(body.get_content()) if body is not None else ""
    if TALKS[EVE]["title"] in text or TALKS[ADA]["title"] not in text:
        raise RuntimeError("the program lists the wrong talks")


async def session_day(demo: Demo) -> None:
    await _tick_at(demo, (await _cycle(demo)).session_date, "the day of the session")


async def slides_shared(demo: Demo) -> None:
    cycle = await _cycle(demo)
    await _tick_at(demo, cycle.session_date + dt.timedelta(days=1), "the day after")
    sid = demo.state[ADA]
    status, _ = await demo.sender.press(ADA, "slides_open", str(sid), channel="D" + ADA[1:],
                                        message_ts="1.000001")
    if status != 200:
        raise RuntimeError(f"slides_open answered HTTP {status}")
    await demo.settle()
    demo.collect()
    links = {"slides": "https://slides.northlight.example/sam2-hair",
             "recording": "https://video.northlight.example/wgml-session"}
    state = {"values": {
        "slides": {"slides_input": {"type": "url_text_input", "value": links["slides"]}},
        "recording": {"recording_input": {"type": "url_text_input",
                                          "value": links["recording"]}},
        "no_confidential": {"no_confidential_input": {
            "type": "checkboxes", "selected_options": [{"value": "yes"}]}}}}
    status, body = await demo.sender.post(view_submission(
        ADA, "VSLIDES01", state, callback_id="wgml_slides", private_metadata=str(sid)))
    if status != 200 or body:
        raise RuntimeError(f"the slides form was refused: HTTP {status} {body[:300]}")
    demo.note(f"Ada fills in the form (slides {links['slides']}, recording "
              f"{links['recording']}), ticks “no confidential information” and saves.")
    await demo.settle()
    async with demo.bot.db.session() as session:
        ada = await session.get(Submission, sid)
    if ada is None or ada.slides_url != links["slides"]:
        raise RuntimeError("Ada's links were not stored")


async def recap(demo: Demo) -> None:
    cycle = await _cycle(demo)
    before = len(demo.smtp.received)
    await _tick_at(demo, cycle.session_date + dt.timedelta(days=7), "a week after")
    if not any("recap" in str(r.message["Subject"] or "").lower()
               for r in demo.smtp.received[before:]):
        raise RuntimeError("no recap reached the mailing list")
