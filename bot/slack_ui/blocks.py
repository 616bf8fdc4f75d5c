"""Block Kit: the leadership card. The submission form is bot/slack_ui/form.py (its ids are
re-exported here for the modules that read them with the card's)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bot.curation.program import studio_key, talk_studio
from bot.curation.recusal import active_recusals
from bot.focus import focus_label
from bot.guidelines.stored import shown
from bot.mrkdwn import escape, escaped_fit, escaped_short, escaped_within
from bot.people.networking import PublicWork
from bot.slack_ui.card_view import CardView
from bot.slack_ui.form import (  # noqa: F401 - the form's ids, imported from here too
    BLOCKS,
    CONFIDENTIALITY_SHORT,
    CONFIRM_VALUE,
    EDIT_CALLBACK,
    OPT_OUT_VALUE,
    PUBLISH_ACTION,
    PUBLISH_BLOCK,
    SUBMIT_CALLBACK,
    _plain,
    submission_modal,
)
from bot.slack_ui.guidelines import card_blocks as guideline_blocks
from bot.slack_ui.slots import card_line
from bot.slack_ui.status import status_with_emoji
from bot.talks.status import CONFIRMED, DECIDED, Status, leaders_label
from bot.talks.votes import VOTE_VALUES, tally
from storage.models import Speaker, Submission


def speaker_label(speaker: Speaker) -> str:
    """Who a talk is from, escaped: for an email speaker the display name (theirs to choose,
    so anyone's) is shown with the address it came from, `Name <address>`."""
    if speaker.name and speaker.email and not speaker.slack_user_id:
        return (f"{escaped_fit(speaker.name, 100, 700)} "
                f"&lt;{escaped_fit(speaker.email, 320, 1000)}&gt;")
    return escaped_fit(speaker.name or speaker.email or "unknown", 200, 1900)


def card_text(submission: Submission) -> str:
    """The notification text: what a leader sees in a push notification or a screen reader."""
    speaker = submission.speaker
    return (
        f"{submission.ref}: {escaped_short(submission.title, 150)} by "
        f"{speaker_label(speaker)} "
        f"({leaders_label(submission.status)})"
    )


VOTES_LIMIT = 2800  # a section's text holds 3000 characters


def slack_date(moment: dt.datetime | None) -> str:
    """A time each reader sees in their own zone (Slack's date formatting), UTC as fallback."""
    if moment is None:
        return ""
    fallback = moment.astimezone(dt.UTC).strftime("%d %b %Y %H:%M UTC")
    return f"<!date^{int(moment.timestamp())}^{{date_short_pretty}} at {{time}}|{fallback}>"


def votes_hidden(submission: Submission, view: CardView) -> bool:
    """Votes stay hidden while the talk is undecided; the tally shows with the decision."""
    return view.hidden and submission.status not in DECIDED


def votes_text(submission: Submission, view: CardView | None = None) -> str:
    """The tally and who voted what: leaders see each other's votes (a discussion). Hidden:
    how many leaders voted, which does not change when a vote does."""
    if view is not None and votes_hidden(submission, view):
        n = len(submission.votes)
        return ("*Votes* hidden until the talk is decided: "
                + (f"{n} leader{'s have' if n != 1 else ' has'} voted." if n
                   else "no votes yet."))
    counts = tally(v.value for v in submission.votes)
    head = "*Votes* " + " · ".join(f"{v.label} {counts[v]}" for v in VOTE_VALUES)
    if not submission.votes:
        return head + "\nNo votes yet."
    lines = [head]
    for value in VOTE_VALUES:
        voters = [f"<@{v.voter}>" for v in submission.votes if v.value == value]
        if not voters:
            continue
        line = f"{value.label}: "
        budget = VOTES_LIMIT // len(VOTE_VALUES) - len(line)
        shown: list[str] = []
        for name in voters:
            if sum(len(n) + 2 for n in shown) + len(name) > budget:
                break
            shown.append(name)
        line += ", ".join(shown)
        if len(shown) < len(voters):
            line += f" and {len(voters) - len(shown)} more"
        lines.append(line)
    return "\n".join(lines)


def status_text(submission: Submission) -> str:
    status = status_with_emoji(submission.status)
    decisions = list(getattr(submission, "decisions", None) or [])
    last = decisions[-1] if decisions else None
    if submission.status in (Status.ACCEPTED, Status.DECLINED) and submission.decided_by:
        status += f" by <@{submission.decided_by}> {slack_date(submission.decided_at)}"
    elif submission.status == Status.WITHDRAWN and last is not None and last.outcome in DECIDED:
        status += f" after it was {last.outcome} by <@{last.by}>"
        if last.outcome == Status.ACCEPTED:
            status += ": take it off the programme"
    if len(decisions) > 1 or (last is not None and last.outcome == "undone"):
        history = " · ".join(f"{d.outcome} by <@{d.by}>" for d in decisions[-6:])
        status += f"\n*History* {history}"
    return status


def recusal_text(submission: Submission, view: CardView) -> str | None:
    """Who recused, and (while open) which leaders share the speaker's studio and have not."""
    recused = active_recusals(submission)
    parts = []
    if recused:
        parts.append("*Recused*: " + ", ".join(f"<@{u}>" for u in recused[:20])
                     + (f" and {len(recused) - 20} more" if len(recused) > 20 else ""))
    key = studio_key(talk_studio(submission))
    if key and submission.status == Status.SUBMITTED:
        same = [u for u, studio in view.leader_studios.items()
                if studio_key(studio) == key and u not in recused]
        if same:
            parts.append(":warning: Same studio as the speaker: " + ", ".join(
                f"<@{u}>" for u in same[:20]) + " (consider *Recuse*)")
    return " · ".join(parts) if parts else None


def program_text(submission: Submission, view: CardView) -> str | None:
    """The session's slots as far as every card shows them: free, full or over-full (the
    counts and the balance are in the channel's slots summary, one message)."""
    if view.slots is None or submission.status not in CONFIRMED:
        return None
    return f"*Session* {card_line(view.slots)}"


def accept_confirm(view: CardView) -> str:
    """The accept dialog's text (300 characters at most): a warning once the slots are full."""
    text = "The speaker will be told it is accepted."
    if view.slots is not None and view.slots.state != "open":
        text = f"⚠ Past the {view.slots.slots} slots. " + text
    elif view.slots is not None:
        text += " The slots summary in this channel shows the program so far."
    return escaped_within(text, 300)


def card_blocks(submission: Submission, similar: list[PublicWork] | None = None,
                view: CardView | None = None) -> list[dict[str, Any]]:
    """The leadership card; `similar` (from bot.people.networking.similar_for_card) adds a
    "Similar to" line so leaders can spot near-identical talks or pair them."""
    view = view or CardView()
    speaker = submission.speaker
    who = speaker_label(speaker)
    if speaker.slack_user_id:
        who = f"<@{speaker.slack_user_id}>"
    cycle = (escaped_fit(submission.cycle.title, 200, 1900) if submission.cycle
             else "no open call yet")
    fields = [
        {"type": "mrkdwn", "text": f"*Speaker*\n{who}"},
        {"type": "mrkdwn", "text": f"*Studio*\n{escaped_fit(submission.studio or '—', 200, 1900)}"},
        {"type": "mrkdwn", "text": f"*Focus area*\n{escape(focus_label(submission.focus_area))}"},
        {"type": "mrkdwn", "text": f"*Call*\n{cycle}"},
    ]
    blocks: list[dict[str, Any]] = [
        # plain_text is never parsed for mentions, but it is escaped all the same so that
        # nothing user-written reaches Slack raw; Slack shows &lt; as < here too.
        {"type": "header", "text": _plain(escaped_within(f"{submission.ref}: {submission.title}",
                                                         150))},
        {"type": "section", "fields": fields},
        {"type": "section", "text": {
            "type": "mrkdwn", "text": "*Abstract*\n" + card_excerpt(submission.abstract, 700)}},
    ]
    if submission.results:
        blocks.append({"type": "section", "text": {
            "type": "mrkdwn", "text": "*Results*\n" + card_excerpt(submission.results, 500)}})
    blocks.append({"type": "section", "block_id": "votes",
                   "text": {"type": "mrkdwn", "text": votes_text(submission, view)}})
    blocks.append({"type": "context", "elements": [
        {"type": "mrkdwn", "text": f"*Status* {status_text(submission)}"},
        {"type": "mrkdwn", "text": f"source: {submission.source}"},
    ]})
    if (recusals := recusal_text(submission, view)) is not None:
        blocks.append({"type": "context", "block_id": "recusal", "elements": [
            {"type": "mrkdwn", "text": recusals}]})
    if (program := program_text(submission, view)) is not None:
        blocks.append({"type": "context", "block_id": "program", "elements": [
            {"type": "mrkdwn", "text": program}]})
    if similar:
        blocks.append(similar_context(similar))
    if submission.status != Status.PENDING_CONFIRMATION:
        # Stored with the confirmed text: a render reads a column, never runs the engine.
        blocks += guideline_blocks(submission.id, shown(submission))
    sid = str(submission.id)
    if submission.status == Status.SUBMITTED:
        blocks.append({"type": "actions", "block_id": f"vote:{sid}", "elements": [
            _button(f"vote_{v}", f"Vote {v}", f"{sid}:{v}",
                    style="primary" if v == "yes" else None)
            for v in VOTE_VALUES
        ] + [
            _button("decide_accept", "Accept", f"{sid}:accept", style="primary",
                    confirm=("Accept this talk?", accept_confirm(view))),
            _button("decide_decline", "Decline", f"{sid}:decline", style="danger",
                    confirm=("Decline this talk?", "The speaker will be told, kindly.")),
            _button("note_add", "Note", f"{sid}:add"),
            _button("recuse_toggle", "Recuse", f"{sid}:toggle"),
        ]})
    elif submission.status in (Status.ACCEPTED, Status.DECLINED):
        blocks.append({"type": "actions", "block_id": f"undo:{sid}", "elements": [
            _button("decide_undo", "Undo decision", f"{sid}:undo",
                    confirm=("Undo this decision?", "The talk goes back to open for votes "
                             "and the speaker is told the decision was a mistake.")),
            _button("note_add", "Note", f"{sid}:add"),
        ]})
    return blocks


CARD_SECTION_BUDGET = 2900  # a section's 3000, less its "*Abstract*" head and the note


def card_excerpt(text: str, visible: int) -> str:
    """User text for a card section: at most `visible` characters as read, sized AFTER
    escaping (700 `&` are 3,500 characters, past a section's 3000), and a shortened text says
    so, so a leader knows there is more (the export and `mine` hold it in full)."""
    shown = escaped_fit(text, visible, CARD_SECTION_BUDGET)
    if len(shown) < len(escape(text.strip())):
        shown += f"\n_(shortened; the full text has {len(text.strip()):,} characters)_"
    return shown


def similar_context(similar: list[PublicWork]) -> dict[str, Any]:
    """ "Similar to: REF title (studio)" for up to 3 matches, user text escaped."""
    parts = []
    for work in similar[:3]:
        where = escape(work.studio) if work.studio else "studio not given"
        if work.same_studio:
            where += ", same studio"
        parts.append(f"`{work.ref}` {escaped_short(work.title, 80)} ({where})")
    return {"type": "context", "block_id": "similar", "elements": [
        {"type": "mrkdwn", "text": "*Similar to:* " + " · ".join(parts)},
    ]}


def _button(action_id: str, text: str, value: str, *, style: str | None = None,
            confirm: tuple[str, str] | None = None) -> dict[str, Any]:
    button: dict[str, Any] = {
        "type": "button", "action_id": action_id, "text": _plain(text), "value": value,
    }
    if style:
        button["style"] = style
    if confirm:
        button["confirm"] = {
            "title": _plain(confirm[0]), "text": _plain(confirm[1]),
            "confirm": _plain("Yes"), "deny": _plain("Cancel"),
        }
    return button
