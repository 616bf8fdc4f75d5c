"""`/wgml review`: the open call's confirmed talks by focus area, for the leaders' curation.

The seed asks leaders for diversity of topics and alignment with the theme; this shows at a
glance which focus areas and studios are over- or under-represented and who has not voted.
"""

from __future__ import annotations

import zoneinfo
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from sqlalchemy import select

from bot.curation.owed import open_count, owed_by, owed_per_leader, review_cycle
from bot.curation.program import program_of
from bot.curation.recusal import active_recusals
from bot.focus import FOCUS_AREAS, focus_label
from bot.leaders import leaders_only
from bot.mrkdwn import escape, escaped_short
from bot.services import Services
from bot.talks.status import CONFIRMED, DECIDED, Status, leaders_label
from bot.talks.votes import tally
from storage.models import Cycle, Submission

PAGE_CHARS = 15_000  # one page's talks: five messages of Slack's 4,000 with room to spare
FILTERS = {"owed": "owed", "mine": "owed"}  # `mine`: the talks I owe a vote on
ARGUMENTS = (*FILTERS, "page")  # the words `/wgml review` reads besides a call's id


def not_a_leader(command: str) -> str:
    return (f"`{command} review` is for the WG-ML leaders (the members of the leadership "
            f"channel). `{command} mine` shows your own submissions.")


@dataclass(frozen=True)
class ReviewQuery:
    """What a leader asked to see: a call (None: the one under review), only the talks they
    owe a vote on, and which page."""

    cycle_id: int | None = None
    owed: bool = False
    page: int = 1

    def words(self, command: str) -> str:
        """The command that shows this page again: `/wgml review 3 owed page 2`."""
        parts = [f"{command} review"]
        if self.cycle_id is not None:
            parts.append(str(self.cycle_id))
        if self.owed:
            parts.append("owed")
        if self.page > 1:
            parts.append(f"page {self.page}")
        return " ".join(parts)

    def value(self) -> str:
        """As a button's value (bot.slack_ui.review's Next page): `3:owed:2`."""
        return f"{self.cycle_id or ''}:{'owed' if self.owed else 'all'}:{self.page}"

    @staticmethod
    def from_value(value: str) -> ReviewQuery | None:
        cycle, _, rest = value.partition(":")
        which, _, page = rest.partition(":")
        if not (cycle == "" or (cycle.isdigit() and len(cycle) < 10)) or \
                which not in ("owed", "all") or not (page.isdigit() and 0 < len(page) < 6):
            return None
        return ReviewQuery(int(cycle) if cycle else None, which == "owed", max(1, int(page)))


def usage(command: str) -> str:
    return (f"`{command} review` shows the open call; `{command} review 3` the call with id 3; "
            f"`{command} review owed` only the talks you have not voted on yet; "
            f"`{command} review page 2` the next page (also `{command} review 3 owed page 2`).")


def parse_review(rest: str) -> ReviewQuery | None:
    """`[CYCLE] [owed|mine] [page N]` in any order; None when a word is not one of these."""
    words = rest.lower().split()
    cycle: int | None = None
    owed = False
    page = 1
    n = 0
    while n < len(words):
        word = words[n]
        if word == "page" and n + 1 < len(words) and words[n + 1].isdigit() \
                and len(words[n + 1]) < 6:
            page = max(1, int(words[n + 1]))
            n += 2
            continue
        if word.startswith("page") and word[4:].isdigit() and len(word) < 10:
            page = max(1, int(word[4:]))
        elif word in FILTERS:
            owed = True
        elif word.isdigit() and len(word) < 10 and cycle is None:
            cycle = int(word)
        else:
            return None
        n += 1
    return ReviewQuery(cycle, owed, page)


@dataclass(frozen=True)
class ReviewAnswer:
    """One page of the review as mrkdwn, and the query of the next page (None: the last)."""

    text: str
    next: ReviewQuery | None = None


async def review_command(services: Services, user_id: str, rest: str) -> ReviewAnswer:
    query = parse_review(rest)
    if query is None:
        return ReviewAnswer(usage(services.settings.slack_command))
    return await review_page(services, user_id, query)


async def review_page(services: Services, user_id: str, query: ReviewQuery) -> ReviewAnswer:
    """The page `query` asks for; every talk of the call is on some page."""
    settings = services.settings
    command = settings.slack_command
    leaders, refused = await leaders_only(services.leaders, settings.leadership_channel_id,
                                          user_id, not_a_leader(command))
    if refused is not None:
        return ReviewAnswer(refused)
    async with services.db.read() as session:
        cycle = await (session.get(Cycle, query.cycle_id) if query.cycle_id is not None
                       else review_cycle(session, services.now()))
        if cycle is None:
            return ReviewAnswer(
                "No call for speakers is open. `wgml-bot cycle list` shows earlier ones; "
                f"`{command} review ID` reviews one of them.")
        where = [Submission.cycle_id == cycle.id, Submission.status.in_(CONFIRMED)]
        if query.owed:
            where.append(owed_by(user_id))
        rows = list((await session.scalars(
            select(Submission).where(*where).order_by(Submission.id))).unique().all())
        owing = await owed_per_leader(session, cycle.id, leaders)
        open_talks = await open_count(session, cycle.id)
        accepted = rows if not query.owed else list((await session.scalars(
            select(Submission).where(Submission.cycle_id == cycle.id,
                                     Submission.status == Status.ACCEPTED)
            .order_by(Submission.id))).unique().all())
    pages = review_pages(cycle, rows, owing, open_talks, settings.zone,
                         hidden=settings.vote_visibility == "hidden", owed=query.owed,
                         accepted=[s for s in accepted if s.status == Status.ACCEPTED],
                         command=command, cycle_id=query.cycle_id)
    page = min(query.page, len(pages))
    text = pages[page - 1]
    if query.page > len(pages):
        text = (f"_There are {len(pages)} page(s); here is the last._\n") + text
    nxt = replace(query, page=page + 1) if page < len(pages) else None
    return ReviewAnswer(text, nxt)


def votes_shown(sub: Submission, hidden: bool) -> str:
    """The tally; with hidden votes and the talk undecided, only how many voted."""
    if hidden and sub.status not in DECIDED:
        return f"{len(sub.votes)} voted (hidden until decided)"
    return tally(v.value for v in sub.votes).text()


NOTES_SHOWN = 3  # the latest notes of a talk in the review; the card's thread has them all


def talk_lines(sub: Submission, hidden: bool) -> list[str]:
    """One talk of the review: its line and its latest notes (kept on one page)."""
    lines = [
        f"• `{sub.ref}` *{escaped_short(sub.title, 70)}* · "
        f"{escaped_short(sub.studio or sub.speaker.studio or 'no studio given', 60)} · "
        f"{votes_shown(sub, hidden)} · "
        f"{leaders_label(sub.status, emoji=sub.status in DECIDED)}"
        + (f" · recused: {', '.join(f'<@{u}>' for u in recused[:5])}"
           if (recused := active_recusals(sub)) else "")
    ]
    notes = list(sub.notes)
    for note in notes[-NOTES_SHOWN:]:
        said = escaped_short(" ".join(note.text.split()), 200)
        lines.append(f"    ↳ <@{note.by}>: {said}")
    if len(notes) > NOTES_SHOWN:
        lines.append(f"    ↳ …{len(notes) - NOTES_SHOWN} earlier notes in the card's thread")
    return lines


def render_review(cycle: Cycle, submissions: Sequence[Submission], leaders: Iterable[str],
                  zone: zoneinfo.ZoneInfo, *, hidden: bool = False) -> str:
    """The whole review as one text (every page joined): for tests and callers that split
    it themselves."""
    owing = owed_counts(submissions, leaders)
    open_talks = sum(1 for s in submissions if s.status == Status.SUBMITTED)
    return "\n".join(review_pages(
        cycle, submissions, owing, open_talks, zone, hidden=hidden,
        accepted=[s for s in submissions if s.status == Status.ACCEPTED],
        page_chars=10**9))


def review_pages(cycle: Cycle, submissions: Sequence[Submission], owing: Mapping[str, int],
                 open_talks: int, zone: zoneinfo.ZoneInfo, *, hidden: bool = False,
                 owed: bool = False, accepted: Sequence[Submission] = (),
                 command: str = "/wgml", cycle_id: int | None = None,
                 page_chars: int = PAGE_CHARS) -> list[str]:
    """The review in pages of about `page_chars`: the summary and balance on the first, then
    the talks by focus area, a talk never split from its notes; each page says which it is
    and how to see the next."""
    deadline = cycle.deadline.astimezone(zone)
    title = (f"*Review: {escaped_short(cycle.title, 200)}* · deadline {deadline:%d %b %Y} · "
             f"session {cycle.session_date:%d %b %Y}")
    program = program_of(cycle.slots, accepted)
    if owed:
        head = [title,
                f"{len(submissions)} of the {open_talks} talks open for votes are waiting for "
                "your vote (or your recusal)." if submissions else
                f"You have voted on (or recused from) all {open_talks} talks open for votes.",
                f"*Session* {program.slots_line()}"]
    else:
        states = Counter(s.status for s in submissions)
        head = [title,
                f"{len(submissions)} confirmed talks: {states['submitted']} open for votes, "
                f"{states['accepted']} accepted, {states['declined']} declined."]
        if cycle.theme:
            head.append(f"Theme: {escaped_short(cycle.theme, 200)}")
    by_area: dict[str, list[Submission]] = {} if owed else {key: [] for key in FOCUS_AREAS}
    for sub in submissions:
        by_area.setdefault(sub.focus_area, []).append(sub)
    if not owed:
        head.append("")
        head.append(f"*Session* {program.slots_line()} {escape(program.summary())}")
        head.append("*Balance*")
        head.append(balance_areas({a: len(s) for a, s in by_area.items()}))
        head.append(balance_studios([s.studio or s.speaker.studio for s in submissions]))
        head.append(missing_votes(owing, open_talks))
    pages: list[list[str]] = [head]
    size = sum(len(line) + 1 for line in head)
    for area, subs in by_area.items():
        accepted_here = sum(1 for s in subs if s.status == Status.ACCEPTED)
        heading = (f"*{escape(focus_label(area))}* ({len(subs)}"
                   + (f", {accepted_here} accepted" if accepted_here else "") + ")")
        entries = [talk_lines(sub, hidden) for sub in subs] or [["_none yet_"]]
        current_heading = heading
        pages[-1] += ["", heading]
        size += len(heading) + 2
        for entry in entries:
            cost = sum(len(line) + 1 for line in entry)
            if size + cost > page_chars and len(pages[-1]) > 2:
                current_heading = f"*{escape(focus_label(area))}* (continued)"
                pages.append([current_heading])
                size = len(current_heading) + 1
            pages[-1] += entry
            size += cost
    total = len(pages)
    if total == 1:
        return ["\n".join(pages[0])]
    query = ReviewQuery(cycle_id, owed)
    out = []
    for n, lines in enumerate(pages, 1):
        label = f"_Page {n} of {total}"
        if n < total:
            label += f"; the next: `{escape(replace(query, page=n + 1).words(command))}`"
        label += "_"
        if n > 1:
            lines = [f"{title} · page {n} of {total}", *lines]
        out.append("\n".join([*lines, "", label]))
    return out


def balance_areas(counts: dict[str, int]) -> str:
    total = sum(counts.values())
    if total == 0:
        return "Focus areas: no confirmed talks yet."
    expected = total / len(counts)
    over = [a for a, n in counts.items() if n >= 2 and n > 1.5 * expected]
    under = [a for a, n in counts.items() if n == 0 or n < 0.5 * expected]
    parts = []
    if over:
        parts.append("over-represented: " + ", ".join(
            f"{focus_label(a)} ({counts[a]} of {total})" for a in over))
    if under:
        parts.append("under-represented: " + ", ".join(
            f"{focus_label(a)} ({counts[a] or 'none'})" for a in under))
    return "Focus areas: " + ("; ".join(parts) if parts else "evenly spread") + "."


def balance_studios(studios: Sequence[str]) -> str:
    named = [" ".join(s.split()) for s in studios if s and s.strip()]
    if not named:
        return "Studios: none given."
    spelled: dict[str, str] = {}
    counts: Counter[str] = Counter()
    for name in named:
        key = name.casefold()
        spelled.setdefault(key, name)
        counts[key] += 1
    total = len(studios)
    heavy = [k for k, n in counts.most_common() if n >= 2 and n * 3 > total]
    line = f"Studios: {len(counts)} different"
    if heavy:
        line += "; " + ", ".join(
            f"{escape(spelled[k])} has {counts[k]} of {total} talks" for k in heavy)
    else:
        line += "; no studio has more than a third of the talks"
    return line + "."


def owed_counts(submissions: Sequence[Submission], leaders: Iterable[str]) -> dict[str, int]:
    """Leader -> open talks among these they owe a vote on (in Python, for talks in hand;
    bot.curation.owed counts them in SQL)."""
    open_talks = [s for s in submissions if s.status == Status.SUBMITTED]
    missing: Counter[str] = Counter()
    for leader in leaders:
        for sub in open_talks:
            if all(v.voter != leader for v in sub.votes) \
                    and leader not in active_recusals(sub):
                missing[leader] += 1
    return dict(missing)


def missing_votes(owing: Mapping[str, int], open_talks: int) -> str:
    if not open_talks:
        return "Votes: no talk is open for votes."
    missing = {k: n for k, n in owing.items() if n}
    if not missing:
        return f"Votes: every leader has voted on all {open_talks} open talks."
    who = ", ".join(f"<@{leader}> ({n})" for leader, n in
                    sorted(missing.items(), key=lambda item: (-item[1], item[0])))
    return f"Not voted yet (open talks without their vote, of {open_talks}): {who}."
