"""`/wgml review`: the open call's confirmed talks by focus area, for the leaders' curation.

The seed asks leaders for diversity of topics and alignment with the theme; this shows at a
glance which focus areas and studios are over- or under-represented and who has not voted.
Here the facts of one review (a Review: its talks, counts, balance and owed votes); each
surface words them and fits them to its limits (Slack: bot/slack_ui/review.py, in pages).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from sqlalchemy import select

from bot.curation.owed import open_count, owed_by, owed_per_leader, review_cycle
from bot.curation.program import Program, program_of
from bot.curation.recusal import active_recusals
from bot.curation.said import Refusal
from bot.digits import is_number
from bot.focus import FOCUS_AREAS
from bot.leaders import leaders_only
from bot.services import Services
from bot.talks.status import CONFIRMED, DECIDED, Status
from bot.talks.votes import Tally, tally
from storage.models import Cycle, Submission

FILTERS = {"owed": "owed", "mine": "owed"}  # `mine`: the talks I owe a vote on
ARGUMENTS = (*FILTERS, "page")  # the words `/wgml review` reads besides a call's id
NOTES_SHOWN = 3  # the latest notes of a talk in the review; the card's thread has them all


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
        if not (cycle == "" or is_number(cycle, 9)) or \
                which not in ("owed", "all") or not is_number(page, 5):
            return None
        return ReviewQuery(int(cycle) if cycle else None, which == "owed", max(1, int(page)))


def parse_review(rest: str) -> ReviewQuery | None:
    """`[CYCLE] [owed|mine] [page N]` in any order; None when a word is not one of these."""
    words = rest.lower().split()
    cycle: int | None = None
    owed = False
    page = 1
    n = 0
    while n < len(words):
        word = words[n]
        if word == "page" and n + 1 < len(words) and is_number(words[n + 1], 5):
            page = max(1, int(words[n + 1]))
            n += 2
            continue
        if word.startswith("page") and is_number(word[4:], 5):
            page = max(1, int(word[4:]))
        elif word in FILTERS:
            owed = True
        elif is_number(word, 9) and cycle is None:
            cycle = int(word)
        else:
            return None
        n += 1
    return ReviewQuery(cycle, owed, page)


@dataclass(frozen=True)
class ReviewNote:
    by: str  # the leader's Slack user id
    text: str  # as they wrote it


@dataclass(frozen=True)
class ReviewTalk:
    """One talk of the review, with its latest notes."""

    ref: str | None
    title: str
    studio: str  # the talk's, else its speaker's, as written ("" when neither names one)
    status: str
    votes: Tally | None  # None: votes hidden until the talk is decided
    voted: int  # how many leaders voted
    recused: list[str]  # leaders recused from it
    notes: list[ReviewNote]  # the latest NOTES_SHOWN
    earlier_notes: int  # notes before those


@dataclass(frozen=True)
class AreaTalks:
    area: str  # a focus area key
    talks: list[ReviewTalk]

    @property
    def accepted(self) -> int:
        return sum(1 for t in self.talks if t.status == Status.ACCEPTED)


@dataclass(frozen=True)
class AreaBalance:
    """The confirmed talks per focus area, and the areas over or under their share."""

    total: int
    counts: dict[str, int]  # area key -> talks, every focus area
    over: list[str]
    under: list[str]


@dataclass(frozen=True)
class StudioBalance:
    """How many studios the talks name, and those holding more than a third of the talks."""

    different: int  # 0: no talk names a studio
    total: int
    heavy: list[tuple[str, int]]  # (studio as first written, talks), most first


@dataclass(frozen=True)
class Review:
    """One review of a call: everything in it, on every page. `owed`: only the open talks the
    leader owes a vote on (no balance then)."""

    title: str
    deadline: dt.datetime  # in the group's zone
    session_date: dt.date
    theme: str | None
    owed: bool
    talks: int  # the talks listed
    open_talks: int  # of the call, open for votes
    program: Program
    groups: list[AreaTalks]
    states: Counter[str] = field(default_factory=Counter)  # status -> talks listed
    areas: AreaBalance | None = None
    studios: StudioBalance | None = None
    missing: list[tuple[str, int]] = field(default_factory=list)  # leader -> owed, most first


class ReviewReason(StrEnum):
    """What `/wgml review` answers: the review, or why not (the surface words each one; a
    misspelt reason is a type error, never read as "Slack did not answer")."""

    REVIEW = "review"  # with the outcome's `review`
    USAGE = "usage"
    NOT_A_LEADER = Refusal.NOT_A_LEADER.value
    UNAVAILABLE = Refusal.UNAVAILABLE.value  # Slack could not say who the leaders are
    NO_CALL = "no_call"


@dataclass(frozen=True)
class ReviewOutcome:
    """What `/wgml review` answers: the review (REVIEW), or the reason it does not."""

    query: ReviewQuery
    reason: ReviewReason = ReviewReason.REVIEW
    review: Review | None = None


async def review_command(services: Services, user_id: str, rest: str) -> ReviewOutcome:
    query = parse_review(rest)
    if query is None:
        return ReviewOutcome(ReviewQuery(), ReviewReason.USAGE)
    return await review_page(services, user_id, query)


async def review_page(services: Services, user_id: str, query: ReviewQuery) -> ReviewOutcome:
    """The review `query` asks for (all its talks: the surface pages them)."""
    settings = services.settings
    # leaders_only gives back the refusal it is handed, or its own when Slack cannot say who
    # the leaders are: the reason either way, which the surface words.
    leaders, refused = await leaders_only(services.leaders, settings.leadership_channel_id,
                                          user_id, ReviewReason.NOT_A_LEADER)
    if refused is not None:
        return ReviewOutcome(query, ReviewReason.NOT_A_LEADER
                             if refused == ReviewReason.NOT_A_LEADER else ReviewReason.UNAVAILABLE)
    async with services.db.read() as session:
        cycle = await (session.get(Cycle, query.cycle_id) if query.cycle_id is not None
                       else review_cycle(session, services.now()))
        if cycle is None:
            return ReviewOutcome(query, ReviewReason.NO_CALL)
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
    review = review_of(cycle, rows, owing, open_talks, settings.zone,
                       hidden=settings.vote_visibility == "hidden", owed=query.owed,
                       accepted=[s for s in accepted if s.status == Status.ACCEPTED])
    return ReviewOutcome(query, review=review)


def review_talk(sub: Submission, hidden: bool) -> ReviewTalk:
    notes = list(sub.notes)
    shown = notes[-NOTES_SHOWN:]
    return ReviewTalk(
        sub.ref, sub.title, sub.studio or sub.speaker.studio or "", sub.status,
        None if hidden and sub.status not in DECIDED else tally(v.value for v in sub.votes),
        len(sub.votes), active_recusals(sub), [ReviewNote(n.by, n.text) for n in shown],
        len(notes) - len(shown))


def review_of(cycle: Cycle, submissions: Sequence[Submission], owing: Mapping[str, int],
              open_talks: int, zone: zoneinfo.ZoneInfo, *, hidden: bool = False,
              owed: bool = False, accepted: Sequence[Submission] = ()) -> Review:
    """The review of these talks: by focus area (every area, in FOCUS_AREAS' order, unless
    only the owed talks are asked for), with the balance of the call."""
    by_area: dict[str, list[Submission]] = {} if owed else {key: [] for key in FOCUS_AREAS}
    for sub in submissions:
        by_area.setdefault(sub.focus_area, []).append(sub)
    groups = [AreaTalks(area, [review_talk(s, hidden) for s in subs])
              for area, subs in by_area.items()]
    whole = not owed
    return Review(
        cycle.title, cycle.deadline.astimezone(zone), cycle.session_date, cycle.theme, owed,
        len(submissions), open_talks, program_of(cycle.slots, accepted), groups,
        states=Counter(str(s.status) for s in submissions),
        areas=area_balance({a: len(s) for a, s in by_area.items()}) if whole else None,
        studios=studio_balance([s.studio or s.speaker.studio for s in submissions])
        if whole else None,
        missing=missing_votes(owing) if whole else [])


def area_balance(counts: dict[str, int]) -> AreaBalance:
    total = sum(counts.values())
    expected = total / len(counts) if counts else 0.0
    over = [a for a, n in counts.items() if n >= 2 and n > 1.5 * expected]
    under = [a for a, n in counts.items() if n == 0 or n < 0.5 * expected]
    return AreaBalance(total, counts, over, under)


def studio_balance(studios: Sequence[str | None]) -> StudioBalance:
    named = [" ".join(s.split()) for s in studios if s and s.strip()]
    spelled: dict[str, str] = {}
    counts: Counter[str] = Counter()
    for name in named:
        key = name.casefold()
        spelled.setdefault(key, name)
        counts[key] += 1
    total = len(studios)
    heavy = [(spelled[k], n) for k, n in counts.most_common() if n >= 2 and n * 3 > total]
    return StudioBalance(len(counts), total, heavy)


def missing_votes(owing: Mapping[str, int]) -> list[tuple[str, int]]:
    """Leaders owing votes, most owed first (then by id)."""
    return sorted(((k, n) for k, n in owing.items() if n), key=lambda item: (-item[1], item[0]))
