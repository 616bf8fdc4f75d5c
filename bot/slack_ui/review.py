"""`/wgml review` as Slack messages: the review's facts (bot/curation/review.py) worded in
mrkdwn and split in pages of about PAGE_CHARS, a talk never split from its notes; a page in
parts Slack accepts, the last part with a "Next page" button (action_id `review_page`) while
there is one."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, assert_never

from bot.curation.review import (
    AreaBalance,
    Review,
    ReviewOutcome,
    ReviewQuery,
    ReviewReason,
    ReviewTalk,
    StudioBalance,
)
from bot.focus import focus_label
from bot.leaders import UNAVAILABLE_VIEW
from bot.mrkdwn import escape, escaped_short, pack_lines
from bot.slack_ui.ids import REVIEW_PAGE_ACTION
from bot.slack_ui.parts import answer_parts
from bot.slack_ui.slots import program_summary, slots_line
from bot.slack_ui.status import status_with_emoji
from bot.talks.status import DECIDED, leaders_label

PAGE_CHARS = 15_000  # one page's talks: five messages of Slack's 4,000 with room to spare
# A button press has no answer of its own: a page goes out through its response_url, which
# Slack lets us use five times; a command's page is its answer and four more.
PAGE_PARTS = 5
SECTION = 2900  # a section's text holds 3000


def not_a_leader(command: str) -> str:
    return (f"`{command} review` is for the WG-ML leaders (the members of the leadership "
            f"channel). `{command} mine` shows your own submissions.")


def usage(command: str) -> str:
    return (f"`{command} review` shows the open call; `{command} review 3` the call with id 3; "
            f"`{command} review owed` only the talks you have not voted on yet; "
            f"`{command} review page 2` the next page (also `{command} review 3 owed page 2`).")


def no_call(command: str) -> str:
    return ("No call for speakers is open. `wgml-bot cycle list` shows earlier ones; "
            f"`{command} review ID` reviews one of them.")


@dataclass(frozen=True)
class ReviewAnswer:
    """One page of the review as mrkdwn, and the query of the next page (None: the last)."""

    text: str
    next: ReviewQuery | None = None


def refused_words(reason: ReviewReason, command: str) -> str:
    """Why there is no review to show; every reason is worded (mypy checks the match)."""
    match reason:
        case ReviewReason.USAGE:
            return usage(command)
        case ReviewReason.NOT_A_LEADER:
            return not_a_leader(command)
        case ReviewReason.NO_CALL:
            return no_call(command)
        case ReviewReason.UNAVAILABLE | ReviewReason.REVIEW:  # REVIEW always has its review
            return UNAVAILABLE_VIEW
        case _:
            assert_never(reason)


def review_answer(outcome: ReviewOutcome, command: str) -> ReviewAnswer:
    """The page the outcome's query asks for; every talk of the call is on some page."""
    review, query = outcome.review, outcome.query
    if review is None:
        return ReviewAnswer(refused_words(outcome.reason, command))
    pages = review_pages(review, command=command, cycle_id=query.cycle_id)
    page = min(query.page, len(pages))
    text = pages[page - 1]
    if query.page > len(pages):
        text = (f"_There are {len(pages)} page(s); here is the last._\n") + text
    nxt = replace(query, page=page + 1) if page < len(pages) else None
    return ReviewAnswer(text, nxt)


def votes_shown(talk: ReviewTalk) -> str:
    """The tally; with hidden votes and the talk undecided, only how many voted."""
    if talk.votes is None:
        return f"{talk.voted} voted (hidden until decided)"
    return talk.votes.text()


def talk_lines(talk: ReviewTalk) -> list[str]:
    """One talk of the review: its line and its latest notes (kept on one page)."""
    status = (status_with_emoji(talk.status) if talk.status in DECIDED
              else leaders_label(talk.status))
    lines = [
        f"• `{talk.ref}` *{escaped_short(talk.title, 70)}* · "
        f"{escaped_short(talk.studio or 'no studio given', 60)} · "
        f"{votes_shown(talk)} · {status}"
        + (f" · recused: {', '.join(f'<@{u}>' for u in talk.recused[:5])}"
           if talk.recused else "")
    ]
    for note in talk.notes:
        said = escaped_short(" ".join(note.text.split()), 200)
        lines.append(f"    ↳ <@{note.by}>: {said}")
    if talk.earlier_notes:
        lines.append(f"    ↳ …{talk.earlier_notes} earlier notes in the card's thread")
    return lines


def _head(review: Review, title: str) -> list[str]:
    if review.owed:
        return [title,
                f"{review.talks} of the {review.open_talks} talks open for votes are waiting "
                "for your vote (or your recusal)." if review.talks else
                f"You have voted on (or recused from) all {review.open_talks} talks open for "
                "votes.",
                f"*Session* {slots_line(review.program)}"]
    states = review.states
    head = [title,
            f"{review.talks} confirmed talks: {states['submitted']} open for votes, "
            f"{states['accepted']} accepted, {states['declined']} declined."]
    if review.theme:
        head.append(f"Theme: {escaped_short(review.theme, 200)}")
    head.append("")
    head.append(f"*Session* {slots_line(review.program)} "
                f"{escape(program_summary(review.program))}")
    head.append("*Balance*")
    if review.areas is not None:
        head.append(balance_areas(review.areas))
    if review.studios is not None:
        head.append(balance_studios(review.studios))
    head.append(missing_votes(review.missing, review.open_talks))
    return head


def review_pages(review: Review, *, command: str = "/wgml", cycle_id: int | None = None,
                 page_chars: int = PAGE_CHARS) -> list[str]:
    """The review in pages of about `page_chars`: the summary and balance on the first, then
    the talks by focus area, a talk never split from its notes; each page says which it is
    and how to see the next."""
    title = (f"*Review: {escaped_short(review.title, 200)}* · deadline "
             f"{review.deadline:%d %b %Y} · session {review.session_date:%d %b %Y}")
    head = _head(review, title)
    pages: list[list[str]] = [head]
    size = sum(len(line) + 1 for line in head)
    for group in review.groups:
        area = escape(focus_label(group.area))
        heading = (f"*{area}* ({len(group.talks)}"
                   + (f", {group.accepted} accepted" if group.accepted else "") + ")")
        entries = [talk_lines(talk) for talk in group.talks] or [["_none yet_"]]
        pages[-1] += ["", heading]
        size += len(heading) + 2
        for entry in entries:
            cost = sum(len(line) + 1 for line in entry)
            if size + cost > page_chars and len(pages[-1]) > 2:
                continued = f"*{area}* (continued)"
                pages.append([continued])
                size = len(continued) + 1
            pages[-1] += entry
            size += cost
    total = len(pages)
    if total == 1:
        return ["\n".join(pages[0])]
    query = ReviewQuery(cycle_id, review.owed)
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


def balance_areas(balance: AreaBalance) -> str:
    if balance.total == 0:
        return "Focus areas: no confirmed talks yet."
    parts = []
    if balance.over:
        parts.append("over-represented: " + ", ".join(
            f"{focus_label(a)} ({balance.counts[a]} of {balance.total})" for a in balance.over))
    if balance.under:
        parts.append("under-represented: " + ", ".join(
            f"{focus_label(a)} ({balance.counts[a] or 'none'})" for a in balance.under))
    return "Focus areas: " + ("; ".join(parts) if parts else "evenly spread") + "."


def balance_studios(balance: StudioBalance) -> str:
    if not balance.different:
        return "Studios: none given."
    line = f"Studios: {balance.different} different"
    if balance.heavy:
        line += "; " + ", ".join(f"{escape(studio)} has {n} of {balance.total} talks"
                                 for studio, n in balance.heavy)
    else:
        line += "; no studio has more than a third of the talks"
    return line + "."


def missing_votes(missing: list[tuple[str, int]], open_talks: int) -> str:
    if not open_talks:
        return "Votes: no talk is open for votes."
    if not missing:
        return f"Votes: every leader has voted on all {open_talks} open talks."
    who = ", ".join(f"<@{leader}> ({n})" for leader, n in missing)
    return f"Not voted yet (open talks without their vote, of {open_talks}): {who}."


def review_messages(answer: ReviewAnswer) -> list[dict[str, Any]]:
    """The page as messages (`text`, and `blocks` on the last when there is a next page)."""
    parts = answer_parts(answer.text, where="the cards in the leadership channel show every "
                         "talk", max_parts=PAGE_PARTS)
    messages: list[dict[str, Any]] = [{"text": part} for part in parts]
    if answer.next is not None:
        last = messages[-1]
        last["blocks"] = [
            *({"type": "section", "text": {"type": "mrkdwn", "text": chunk}}
              for chunk in pack_lines(last["text"].split("\n"), SECTION)),
            {"type": "actions", "block_id": "review_pages", "elements": [{
                "type": "button", "action_id": REVIEW_PAGE_ACTION,
                "text": {"type": "plain_text", "text": f"Next page ({answer.next.page})"},
                "value": answer.next.value(),
            }]},
        ]
    return messages
