"""The demo's story: one small async function per step, in `STORY`.

Each step drives the real bot the way people do (signed Slack requests over HTTP, the
command line's own functions) and checks what happened in the database. A step whose
feature is not in this build raises Skip with the reason; nothing is faked. To add a step,
write `async def step(demo: Demo) -> None` and put `Step(title, step)` in STORY.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from bot.app.checks import connection_checks
from bot.config import static_checks
from bot.demo.email_steps import chen_replies_by_email, dana_forgets_to_confirm
from bot.demo.emulator.requests import home_opened, view_submission
from bot.demo.play import ADA, BEN, EVE, LEADERS, LEADS, USERS, Demo, Skip
from bot.demo.site_steps import the_public_archive
from bot.demo.transcript import Entry
from bot.demo.wish_steps import members_ask_for_topics
from bot.focus import focus_label
from bot.slack_ui.blocks import BLOCKS, CONFIRM_VALUE
from bot.slack_ui.messages import deadline_text
from bot.talks.cycles import CycleRequest, open_cycle
from bot.talks.export import export_data, to_csv, to_json
from bot.talks.export_ics import to_ics
from bot.talks.status import Status
from storage.models import Cycle, Speaker, Submission, Vote


@dataclass(frozen=True)
class Step:
    title: str
    run: Callable[[Demo], Awaitable[None]]


TALKS: dict[str, dict[str, Any]] = {
    ADA: dict(
        title="We tried SAM 2 for rotoscoping hair and fur",
        focus_area="content_creation",
        abstract="We ran SAM 2 on 40 shots of hair and fur from two shows and compared the "
                 "mattes with our artists' roto: setup, prompting, clean-up time per shot.",
        results="Worked on clean plates and saved about a third of roto time; failed on heavy "
                "motion blur; surprise: temporal flicker was worse than edge quality.",
        studio="Northlight Animation", email="ada@northlight.example",
    ),
    BEN: dict(
        title="Coding assistants for pipeline tools: 6 months & <!channel> lessons",
        focus_area="llm_pipeline",
        abstract="Our pipeline TDs used a coding assistant for six months on Python tools for "
                 "Houdini and our asset system. How we measured review time and defects.",
        results="Good for boilerplate and tests; wrong about our in-house APIs until we added "
                "retrieval over our docs. Scaling: licence cost per seat mattered more than GPUs.",
        studio="Harbour VFX", email="ben@harbour.example",
    ),
    EVE: dict(
        title="Denoising path-traced previews on the farm: a year in",
        focus_area="infrastructure",
        abstract="We put a denoiser in front of every preview render on our farm for a year: "
                 "GPU hours, artist feedback and where it smeared detail.",
        results="Halved preview turnaround; failed on hair and volumes, so those opt out.",
        studio="Fenwick Pictures", email="eve@fenwick.example",
    ),
}


async def check_configuration(demo: Demo) -> None:
    checks = static_checks(demo.settings) + await connection_checks(demo.settings)
    demo.table("wgml-bot check-config (against the stand-ins)", ["", "check", "result"],
               [["ok" if c.ok else "FAIL", c.name, c.detail + (f" ({c.hint})" if c.hint and
                                                               not c.ok else "")]
                for c in checks])


async def open_the_call(demo: Demo) -> None:
    today = dt.datetime.now(demo.settings.zone).date()
    session_date = today + dt.timedelta(days=28)
    request = CycleRequest(title=f"{session_date:%B} Mutual Learning Session",
                           deadline=today + dt.timedelta(days=14), session_date=session_date,
                           theme="ML in production: what worked, what failed")
    async with demo.bot.db.transaction() as session:
        # The same function as `wgml-bot cycle open --title ... --deadline ...`.
        cycle = await open_cycle(session, request, demo.settings.zone, dt.datetime.now(dt.UTC))
    demo.state["cycle_id"] = cycle.id
    demo.table("wgml-bot cycle open", ["id", "title", "deadline", "session"],
               [[str(cycle.id), cycle.title, deadline_text(cycle, demo.settings.zone),
                 f"{cycle.session_date:%A %d %B %Y}"]])


async def call_is_posted_and_emailed(demo: Demo) -> None:
    now = dt.datetime.now(dt.UTC).isoformat()
    code = await demo.cli(["tick", "--now", now], demo.settings)
    if code != 0:
        raise RuntimeError(f"`wgml-bot tick` exited {code}")
    await demo.settle()


async def _submit(demo: Demo, user: str) -> None:
    status, body = await demo.sender.command(user, "submit", user_name=USERS[user])
    if status != 200:
        raise RuntimeError(f"/wgml submit answered HTTP {status}: {body[:200]}")
    await demo.slack.wait_for(lambda: any(
        c.method == "views.open" for c in demo.slack.calls[demo._calls_seen:]))
    view = demo.slack.calls_to("views.open")[-1].params.get("view") or {}
    view_id = str(view.get("id") or f"VDEMO{user}")
    # The modal the bot opened, shown as the member submits it: what they typed is what the
    # view_submission below carries.
    demo._calls_seen = len(demo.slack.calls)
    filled = fill_view(view, TALKS[user])
    demo.show(Entry("modal", where=f"A modal opens (views.open); {USERS[user]} fills it in",
                    live=filled, blocks=filled["blocks"]))
    demo.note(f"{USERS[user]} ticks the confidentiality box and presses Submit.")
    status, body = await demo.sender.submit_view(user, view_id, user_name=USERS[user],
                                                 confirmed=True, **TALKS[user])
    if status != 200 or body:
        raise RuntimeError(f"the modal was refused: HTTP {status} {body[:300]}")
    await demo.settle()
    async with demo.bot.db.session() as session:
        sub = await session.scalar(select(Submission).where(
            Submission.title == TALKS[user]["title"]))
    if sub is None or sub.status != "submitted" or not sub.card_ts:
        raise RuntimeError(f"{USERS[user]}'s submission did not reach the leaders")
    demo.state[user] = sub.id


def fill_view(view: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """A copy of the modal with the member's answers in it (and the confirmation ticked)."""
    filled = copy.deepcopy(view)
    for block in filled.get("blocks") or []:
        element = block.get("element") if isinstance(block, dict) else None
        name = BLOCKS.get(str(block.get("block_id")), ("", ""))[1] if element else ""
        if not element or not name:
            continue
        if element.get("type") == "static_select":
            chosen = [o for o in element.get("options") or []
                      if o.get("value") == values.get(name)]
            if chosen:
                element["initial_option"] = chosen[0]
        elif element.get("type") == "checkboxes":
            if name == "confirmed":
                element["initial_options"] = [
                    o for o in element.get("options") or [] if o.get("value") == CONFIRM_VALUE]
        elif isinstance(values.get(name), str):
            element["initial_value"] = values[name]
    return filled


async def ada_submits(demo: Demo) -> None:
    await _submit(demo, ADA)


async def ben_submits(demo: Demo) -> None:
    demo.note("Ben's title contains <!channel>: the bot escapes it, so nobody is notified.")
    await _submit(demo, BEN)


async def _card(demo: Demo, sid: int) -> tuple[str, str]:
    async with demo.bot.db.session() as session:
        sub = await session.get(Submission, sid)
        assert sub is not None and sub.card_ts
        return sub.card_channel or LEADS, sub.card_ts


async def leaders_vote(demo: Demo) -> None:
    presses = [(ADA, LEADERS[0], "yes"), (ADA, LEADERS[1], "yes"), (ADA, LEADERS[2], "maybe"),
               (BEN, LEADERS[0], "no"), (BEN, LEADERS[1], "maybe")]
    for author, leader, value in presses:
        sid = demo.state[author]
        channel, ts = await _card(demo, sid)
        status, _ = await demo.sender.press(leader, f"vote_{value}", f"{sid}:{value}",
                                            channel=channel, message_ts=ts)
        if status != 200:
            raise RuntimeError(f"a vote press answered HTTP {status}")
        demo.note(f"{USERS[leader]} presses “Vote {value}” on {USERS[author]}'s card.")
    await demo.settle()
    async with demo.bot.db.session() as session:
        votes = await session.scalar(select(func.count()).select_from(Vote))
    if not votes:
        raise Skip("the buttons are acknowledged but votes are not counted in this build: "
                   "voting arrives with the curation feature (issue 4)")
    if votes != len(presses):
        raise RuntimeError(f"{len(presses)} votes pressed, {votes} stored")


async def leaders_decide(demo: Demo) -> None:
    for author, choice in ((ADA, "accept"), (BEN, "decline")):
        sid = demo.state[author]
        channel, ts = await _card(demo, sid)
        status, _ = await demo.sender.press(LEADERS[0], f"decide_{choice}", f"{sid}:{choice}",
                                            channel=channel, message_ts=ts)
        if status != 200:
            raise RuntimeError(f"a decision press answered HTTP {status}")
        demo.note(f"{USERS[LEADERS[0]]} presses “{choice.title()}” on {USERS[author]}'s card "
                  "and confirms.")
    await demo.settle()
    async with demo.bot.db.session() as session:
        statuses = {s.id: s.status for s in (await session.scalars(select(Submission))).all()}
    if statuses.get(demo.state[ADA]) == "submitted":
        raise Skip("decisions arrive with the curation feature (issue 4); the talks stay open")
    if statuses.get(demo.state[ADA]) != "accepted" or statuses.get(demo.state[BEN]) != \
            "declined":
        raise RuntimeError(f"unexpected statuses after the decisions: {statuses}")


async def ada_checks_mine(demo: Demo) -> None:
    status, body = await demo.sender.command(ADA, "mine", user_name=USERS[ADA])
    demo.show_command_reply(ADA, "/wgml mine", status, body)
    if status != 200 or "WGML-" not in body:
        raise RuntimeError("/wgml mine did not list Ada's submission")


async def home_tabs(demo: Demo) -> None:
    for user in (ADA, LEADERS[1]):
        before = len(demo.slack.calls_to("views.publish"))
        status, _ = await demo.sender.event(home_opened(user))
        if status != 200:
            raise RuntimeError(f"app_home_opened answered HTTP {status}")
        await demo.slack.wait_for(lambda b=before: len(demo.slack.calls_to("views.publish")) > b)
        demo.collect()


async def export(demo: Demo) -> None:
    async with demo.bot.db.session() as session:
        data = await export_data(session)
    rows = []
    for s in data["submissions"]:
        counts = {v: sum(1 for x in s["votes"] if x["value"] == v) for v in ("yes", "maybe", "no")}
        rows.append([s["ref"] or "", s["title"], s["speaker"]["name"] or "",
                     s["speaker"]["studio"] or "", focus_label(s["focus_area"]), s["status"],
                     f"{counts['yes']}/{counts['maybe']}/{counts['no']}", s["source"]])
    demo.table("wgml-bot export", ["ref", "title", "speaker", "studio", "focus area", "status",
                                   "votes y/m/n", "source"], rows)
    formats = [f"json: {len(to_json(data))} bytes",
               f"csv: {len(to_csv(data).splitlines()) - 1} rows"]
    ics = to_ics(data, demo.settings.timezone)
    formats.append(f"ics: {ics.count('BEGIN:VEVENT')} accepted talk(s) on the calendar")
    demo.note("Also available: " + "; ".join(formats) + ".")


# Two talks from last year's sessions, so the themes step has history to read across cycles.
EARLIER_TALKS: list[dict[str, str]] = [
    dict(ref="WGML-2025-014", title="Matting flyaway hair on a period drama",
         abstract="We tried an open video matting model for first-pass roto of actors on busy "
                  "street plates.",
         results="Bodies were usable. Hair broke it: fine strands flickered between frames "
                 "and motion blur made the edges unusable, so roto artists redid them.",
         studio="Kestrel FX", name="Kim Park"),
    dict(ref="WGML-2025-021", title="Teaching an LLM our in-house pipeline API",
         abstract="We fine-tuned a code model on our pipeline libraries so it would stop "
                  "guessing.",
         results="It did not fix it: the assistant still invented methods on our in-house "
                 "API that do not exist, and they failed only at runtime.",
         studio="Tidewater Post", name="Lou Martin"),
]


async def common_pain_points(demo: Demo) -> None:
    async with demo.bot.db.transaction() as session:
        for talk in EARLIER_TALKS:
            speaker = Speaker(name=talk["name"], studio=talk["studio"],
                              email=f"{talk['name'].split()[0].lower()}@example.org")
            session.add(Submission(
                speaker=speaker, ref=talk["ref"], title=talk["title"],
                focus_area="content_creation", abstract=talk["abstract"],
                results=talk["results"], studio=talk["studio"], source="email",
                status="accepted", confidentiality_confirmed=True))
    demo.note("Last year's sessions left two accepted talks in the database (Kestrel FX, "
              "Tidewater Post). Once a quarter the bot posts the pain points several studios "
              "share to the leaders; any leader can ask for them at any time:")
    before = len(demo.slack.responses)
    status, body = await demo.sender.command(LEADERS[1], "themes", user_name=USERS[LEADERS[1]])
    demo.show_command_reply(LEADERS[1], "/wgml themes", status, body)
    # Acknowledged at once; the report follows through the command's response_url.
    await demo.slack.wait_for(lambda: len(demo.slack.responses) > before)
    report = demo.slack.responses[before]
    demo.show_command_reply(LEADERS[1], "/wgml themes", 200, json.dumps(report))
    if status != 200 or "studios hit" not in report.get("text", ""):
        raise RuntimeError("/wgml themes found no pain point shared across studios")


# ---- after the decision: the session --------------------------------------------------------

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
    await _submit(demo, EVE)
    eve = demo.state[EVE]
    channel, ts = await _card(demo, eve)
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


STORY: list[Step] = [
    Step("Members ask for topics; the same one twice backs it", members_ask_for_topics),
    Step("A leader opens the call for speakers", open_the_call),
    Step("The call for speakers is posted and emailed", call_is_posted_and_emailed),
    Step("Ada proposes a talk with /wgml submit", ada_submits),
    Step("Ben proposes a talk too", ben_submits),
    Step("Chen replies to the call by email and confirms", chen_replies_by_email),
    Step("Dana replies by email, forgets to confirm, and is reminded", dana_forgets_to_confirm),
    Step("The leaders vote on the cards", leaders_vote),
    Step("One talk is accepted, one declined; the speakers are told", leaders_decide),
    Step("Ada checks her submissions with /wgml mine", ada_checks_mine),
    Step("Ada and a leader open the bot's Home tab", home_tabs),
    Step("Ada confirms she will present; Eve's talk is accepted, then she drops out",
         speakers_answer),
    Step("The program goes out, with a calendar invite", cycle_program),
    Step("The day of the session: a reminder with the time and join link", session_day),
    Step("The day after: Ada shares her slides and recording", slides_shared),
    Step("A week later: the recap", recap),
    Step("The export, for the working group's records", export),
    Step("The leaders see the pain points several studios share", common_pain_points),
    Step("Before going live, the operator runs check-config", check_configuration),
    Step("The public archive is built", the_public_archive),
]
