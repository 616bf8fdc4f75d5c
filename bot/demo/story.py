"""The demo's story: one small async function per step, in `STORY`.

Each step drives the real bot the way people do (signed Slack requests over HTTP, the
command line's own functions) and checks what happened in the database. A step whose
feature is not in this build raises Skip with the reason; nothing is faked. To add a step,
write `async def step(demo: Demo) -> None` and put `Step(title, step)` in STORY.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sqlalchemy import func, select

from bot.app.checks import connection_checks
from bot.config import static_checks
from bot.demo.email_steps import chen_replies_by_email, dana_forgets_to_confirm
from bot.demo.emulator.requests import home_opened
from bot.demo.play import ADA, BEN, LEADERS, USERS, Demo, Skip
from bot.demo.proposals import card, submit
from bot.demo.session_steps import (
    cycle_program,
    recap,
    session_day,
    slides_shared,
    speakers_answer,
)
from bot.demo.site_steps import the_public_archive
from bot.demo.wish_steps import members_ask_for_topics
from bot.focus import focus_label
from bot.slack_ui.messages import deadline_text
from bot.talks.cycles import CycleRequest, open_cycle
from bot.talks.export import export_data
from bot.talks.export_ics import to_ics
from bot.talks.export_write import to_csv, to_json
from storage.models import Speaker, Submission, Vote


@dataclass(frozen=True)
class Step:
    title: str
    run: Callable[[Demo], Awaitable[None]]


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


async def ada_submits(demo: Demo) -> None:
    await submit(demo, ADA)


async def ben_submits(demo: Demo) -> None:
    demo.note("Ben's title contains <!channel>: the bot escapes it, so nobody is notified.")
    await submit(demo, BEN)


async def leaders_vote(demo: Demo) -> None:
    presses = [(ADA, LEADERS[0], "yes"), (ADA, LEADERS[1], "yes"), (ADA, LEADERS[2], "maybe"),
               (BEN, LEADERS[0], "no"), (BEN, LEADERS[1], "maybe")]
    for author, leader, value in presses:
        sid = demo.state[author]
        channel, ts = await card(demo, sid)
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
        channel, ts = await card(demo, sid)
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
