"""At scale the leaders' screens stay useful: the Home tab says how many votes a leader owes
and names the longest waiting, `/wgml review` pages (a Next page button, `page N`) and
filters (`owed`) so every talk is reachable, and the nudge says where the full list is."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from bot.curation.owed import owed_count, owed_per_leader, owed_talks
from bot.demo.emulator.requests import ephemeral_action
from bot.talks.cycles import CycleRequest, open_cycle
from scheduler.decide import nudge_text
from storage.models import Recusal, Speaker, Submission, Vote
from tests.conftest import LEADERS, LEADS, Running
from tests.slack.test_app_home import mrkdwn_of, open_home


async def seed_call(running: Running, talks: int, *, title_words: int = 4,
                    deadline_days: int = 20) -> tuple[int, list[str]]:
    """A call with `talks` confirmed talks open for votes; ULEAD1 voted on the first five
    and recused from the sixth. Returns the cycle id and the refs in order."""
    today = dt.date.today()
    now = dt.datetime.now(dt.UTC)
    async with running.db.transaction() as session:
        cycle = await open_cycle(
            session, CycleRequest(title="Big session", deadline=today + dt.timedelta(
                days=deadline_days), session_date=today + dt.timedelta(days=40),
                announce_at=now - dt.timedelta(days=30)),
            running.bot.settings.zone, now)
        refs = []
        for n in range(talks):
            speaker = Speaker(name=f"Speaker {n}", email=f"s{n}@example.org",
                              studio=f"Studio {n % 7}")
            sub = Submission(
                speaker=speaker, cycle_id=cycle.id, focus_area=("content_creation",
                                                                "llm_pipeline")[n % 2],
                title=f"Talk {n} " + " ".join(["about <hair> & fur"] * title_words),
                abstract="We tried things.", results="Some worked.", studio="",
                source="email", status="submitted", confidentiality_confirmed=True,
                confidentiality_confirmed_at=now, created_at=now, updated_at=now)
            session.add(sub)
            await session.flush()
            sub.ref = f"WGML-2026-{sub.id:04d}"
            refs.append(sub.ref)
            if n < 5:
                session.add(Vote(submission_id=sub.id, voter="ULEAD1", value="yes"))
            if n == 5:
                session.add(Recusal(submission_id=sub.id, leader="ULEAD1"))
        return cycle.id, refs


async def test_owed_is_counted_and_listed_in_sql(running: Running) -> None:
    cid, refs = await seed_call(running, 30)
    async with running.db.read() as session:
        assert await owed_count(session, cid, "ULEAD1") == 24
        assert await owed_count(session, cid, "ULEAD2") == 30
        first = await owed_talks(session, cid, "ULEAD1", limit=3)
        assert [t.ref for t in first] == refs[6:9]  # the longest waiting first
        assert await owed_per_leader(session, cid, [*LEADERS, "UNOBODY"]) == {
            "ULEAD1": 24, "ULEAD2": 30, "ULEAD3": 30, "UNOBODY": 30}


async def test_home_tells_a_leader_how_many_votes_they_owe_and_where_the_rest_are(
        running: Running) -> None:
    _, refs = await seed_call(running, 120)
    view = await open_home(running, "ULEAD1")
    text = mrkdwn_of(view)
    assert "You owe votes on 114 talks* (of 120 open for votes)" in text
    for ref in refs[6:16]:  # the ten waiting longest, named
        assert f"`{ref}`" in text
    assert f"`{refs[16]}`" not in text and f"`{refs[0]}`" not in text
    assert "…and 104 more: `/wgml review owed` lists all 114, page by page." in text
    assert "<@ULEAD2> 120" in text and "<@ULEAD1> 114" in text
    assert len(view["blocks"]) <= 100 and running.slack.refused == []


async def test_home_after_the_deadline_still_shows_what_is_owed(running: Running) -> None:
    await seed_call(running, 3, deadline_days=-1)  # votes happen after the deadline
    text = mrkdwn_of(await open_home(running, "ULEAD2"))
    assert "You owe votes on 3 talks" in text


def press_payload(user: str, action_id: str, value: str, response_url: str) -> bytes:
    return ephemeral_action(user, action_id, value, block_id="review_pages",
                            response_url=response_url, message_ts="1.000100")


def next_button(message: dict[str, Any]) -> dict[str, Any] | None:
    for block in message.get("blocks") or []:
        for element in block.get("elements", []):
            if isinstance(element, dict) and element.get("action_id", "").startswith(
                    "review_page"):
                return element
    return None


async def command_page(running: Running, user: str, text: str) -> list[dict[str, Any]]:
    """The command's answer and what followed through its response_url."""
    before = len(running.slack.responses)
    status, body = await running.sender.command(user, text)
    assert status == 200, body
    answer = json.loads(body)
    assert answer["response_type"] == "ephemeral"
    await running.slack.wait_for(lambda: len(running.slack.responses) > before or (
        "(part" not in answer["text"]), timeout=10)
    messages = [answer]
    if "(part 1 of" in answer["text"]:
        found = re.search(r"\(part 1 of (\d+)\)", answer["text"])
        assert found is not None
        total = int(found.group(1))
        await running.slack.wait_for(lambda: len(running.slack.responses) >= before + total - 1)
        messages += running.slack.responses[before:before + total - 1]
    return messages


async def press_page(running: Running, user: str, value: str) -> list[dict[str, Any]]:
    before = len(running.slack.responses)
    status, body = await running.sender.post(press_payload(
        user, "review_page", value, running.slack.new_response_url()))
    assert status == 200, body
    await running.slack.wait_for(lambda: len(running.slack.responses) > before)
    first = running.slack.responses[before]["text"]
    total = int(m.group(1)) if (m := re.search(r"\(part 1 of (\d+)\)", first)) else 1
    await running.slack.wait_for(lambda: len(running.slack.responses) >= before + total)
    return running.slack.responses[before:before + total]


def refs_in(messages: list[dict[str, Any]]) -> list[str]:
    return re.findall(r"• `(WGML-2026-\d+)`", "\n".join(m["text"] for m in messages))


async def test_review_pages_reach_every_talk_through_the_next_page_button(
        running: Running) -> None:
    cid, refs = await seed_call(running, 400, title_words=5)
    page = await command_page(running, "ULEAD1", "review")
    assert "4 confirmed" not in page[0]["text"] and "400 confirmed talks" in page[0]["text"]
    seen = refs_in(page)
    pages = 1
    while (button := next_button(page[-1])) is not None:
        assert len(page) <= 5
        page = await press_page(running, "ULEAD1", button["value"])
        pages += 1
        assert f"page {pages} of" in page[0]["text"]
        seen += refs_in(page)
    assert pages > 1 and f"Page {pages} of {pages}" in page[-1]["text"]
    assert sorted(seen) == sorted(refs)  # every talk, once
    assert running.slack.refused == []
    # `page N` by command gives the same page as the button.
    again = await command_page(running, "ULEAD1", f"review {cid} page 2")
    assert "page 2 of" in again[0]["text"]


async def test_review_owed_lists_only_the_talks_i_owe(running: Running) -> None:
    _, refs = await seed_call(running, 40)
    page = await command_page(running, "ULEAD1", "review owed")
    text = "\n".join(m["text"] for m in page)
    assert "34 of the 40 talks open for votes are waiting for your vote" in text
    assert sorted(refs_in(page)) == sorted(refs[6:])
    assert f"`{refs[0]}`" not in text and f"`{refs[5]}`" not in text
    mine = await command_page(running, "ULEAD1", "review mine")
    assert sorted(refs_in(mine)) == sorted(refs[6:])
    bad = await command_page(running, "ULEAD1", "review everything")
    assert "`/wgml review owed` only the talks you have not voted on" in bad[0]["text"]


async def test_a_member_pressing_next_page_is_refused(running: Running) -> None:
    await seed_call(running, 3)
    page = await press_page(running, "UMEMBER1", ":all:2")
    assert "for the WG-ML leaders" in page[0]["text"] and "WGML-2026" not in page[0]["text"]
    page = await press_page(running, "ULEAD1", "bogus")
    assert "WGML-2026" not in page[0]["text"]


def test_the_nudge_says_how_many_and_where_the_full_list_is() -> None:
    from storage.models import Cycle

    cycle = Cycle(id=7, title="Big <session>", decide_by=dt.date(2026, 7, 3))
    owed = [Submission(id=n, ref=f"WGML-2026-{n:04d}", title="T &", card_channel=LEADS,
                       card_ts=f"{n}.0001") for n in range(1, 751)]
    text = nudge_text(cycle, owed, None, "/talks")
    assert "You have not voted on 750 talks yet" in text
    assert "…and 710 more, the 40 above waiting longest: `/talks review 7 owed` lists all " \
           "750, page by page" in text
    assert "lists them all" not in text and len(text) < 40_000
