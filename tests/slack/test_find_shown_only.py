"""`/wgml find` searches only what it shows (titles): a word that appears only in a talk's
abstract or results, which find never shows, must not make the talk come up, or anyone
could learn, one probe at a time, whether a talk's hidden text contains a word."""

from __future__ import annotations

import json

from sqlalchemy import select

from storage.models import Submission
from tests.conftest import Running

TALK = {
    "title": "SAM 2 for rotoscoping hair and fur",
    "abstract": "We ran SAM 2 on 40 shots for the Kestrelwood project to propagate masks; "
                "the client codename was Bluefinch.",
    "results": "A third faster on clean plates; motion blur failed; Zanzibar renders jittered.",
    "focus_area": "content_creation",
    "studio": "Northlight",
}


async def find(running: Running, topic: str) -> str:
    status, body = await running.sender.command("UASKER01", f"find {topic}")
    assert status == 200, body
    answer = json.loads(body)
    assert answer["response_type"] == "ephemeral"
    return str(answer["text"])


async def test_find_does_not_match_words_only_in_the_abstract_or_results(
        running: Running) -> None:
    status, body = await running.submit("UNORTH01", user_name="nora", **TALK)
    assert status == 200, body
    await running.settle()
    async with running.db.session() as session:
        ref = await session.scalar(select(Submission.ref).where(
            Submission.title == TALK["title"]))
    assert ref
    shown = await find(running, "rotoscoping hair")  # words of the title: found
    assert ref in shown and "titles" in shown
    for hidden in ("Bluefinch", "Kestrelwood", "propagate masks", "Zanzibar", "jittered"):
        answer = await find(running, hidden)
        assert ref not in answer and TALK["title"] not in answer, hidden
        assert "Nobody has presented or proposed" in answer and "titles only" in answer


async def test_find_says_it_searches_titles(running: Running) -> None:
    usage = await find(running, "")
    assert "titles" in usage and "never abstracts" in usage
    status, body = await running.sender.command("UASKER01", "help")
    assert status == 200 and "searches talk titles" in json.loads(body)["text"]
