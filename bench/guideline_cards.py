"""What the guidelines' concerns cost a card render: the leaders' card for 2,000 talks with
3,000-character abstracts, rendered (1) as before this change (no concern stored: the
floor), (2) with two concerns read from the stored column (what the bot does), and (3)
running the guidelines check on every render (what storing avoids), in the same run.
In process, no I/O: `python -m bench.guideline_cards`.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from collections.abc import Callable

from bot.guidelines import check
from bot.guidelines.stored import Shown, shown
from bot.slack_ui.blocks import card_blocks
from bot.slack_ui.guidelines import card_blocks as guideline_blocks
from bot.talks.versions import text_key
from storage.models import Speaker, Submission

TALKS = 2000
ROUNDS = 5
ABSTRACT = ("We tried SAM 2 on 40 shots of hair and fur, measured edge error against artists' "
            "roto and timed the clean-up. Pricing starts at $99; contact our sales team. "
            "We trained on our proprietary dataset. ") * 15


def talks(stored: bool) -> list[Submission]:
    out = []
    for n in range(TALKS):
        sub = Submission(id=n + 1, ref=f"WGML-2026-{n + 1:04d}", title=f"Hair mattes {n}",
                         focus_area="content_creation", abstract=ABSTRACT[:3000],
                         results="Fine strands vanished.", studio="Studio", source="slack",
                         status="submitted", created_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC))
        sub.speaker = Speaker(name=f"Speaker {n}", slack_user_id=f"USPK{n:05d}")
        if stored:
            sub.guideline_concerns = {
                "key": text_key(sub.title, sub.abstract, sub.results),
                "concerns": [Shown(c.rule, c.reason).to_json() for c in
                             check(sub.title, sub.abstract, sub.results)]}
        out.append(sub)
    return out


def best(render: Callable[[Submission], object], subs: list[Submission]) -> float:
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for sub in subs:
            render(sub)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def engine_every_time(sub: Submission) -> object:
    blocks = card_blocks(sub)
    found = [Shown(c.rule, c.reason) for c in check(sub.title, sub.abstract, sub.results)]
    return blocks + guideline_blocks(sub.id, found)


async def main() -> int:
    floor = best(card_blocks, talks(stored=False))
    stored_subs = talks(stored=True)
    assert all(len(shown(s)) == 2 for s in stored_subs[:3])
    kept = best(card_blocks, stored_subs)
    rerun = best(engine_every_time, talks(stored=False))
    per = 1e6 / TALKS
    print(f"guideline_cards: {TALKS} cards, median of {ROUNDS} rounds")
    print(f"  floor (no concerns stored)      {floor * per:8.1f} us/card  1.00x")
    print(f"  concerns read from the column   {kept * per:8.1f} us/card  {kept / floor:.2f}x")
    print(f"  check run on every render       {rerun * per:8.1f} us/card  {rerun / floor:.2f}x")
    return 0


if __name__ == "__main__":
    import asyncio

    raise SystemExit(asyncio.run(main()))
