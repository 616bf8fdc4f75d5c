"""Slack's words for a decision: the speaker's DM (accepted, declined, or undone) and the
card's thread (who decided, and how the speaker heard). Rendered at delivery from the values
bot.curation.notices queues (bot/curation/said.py); the email's words are the email's."""

from __future__ import annotations

from bot.curation.said import DecisionInThread, DecisionTold
from bot.mrkdwn import escape, escaped_short
from bot.people.said import Introduced
from bot.talks.status import Status


def dm_text(value: DecisionTold) -> str:
    title = f"*{escaped_short(value.title, 150)}* (`{value.ref}`)"
    command = value.command
    if value.event == Status.ACCEPTED:
        text = (
            f"Good news: the WG-ML leaders have accepted your talk {title} for "
            f"*{escape(value.session)}*. Thank you for sharing what you learned; "
            "a leader will be in touch about the session. If you can no longer give it, "
            f"`{command} withdraw {value.ref}` tells them."
        )
    elif value.event == Status.DECLINED:
        text = (
            f"Thank you for proposing {title}. The leaders could not fit it into "
            f"*{escape(value.session)}*: each session is balanced across topics "
            "and studios, and there are more good proposals than slots. It would be very "
            f"welcome in a future call for speakers (`{command} submit` any time)."
        )
    else:
        was = value.undone or "decided"
        text = (
            f"A correction about {title}: my earlier message saying it was {was} was sent by "
            "mistake, sorry. Please disregard it. Your talk is back with the leaders and I will "
            "write again when they decide."
        )
    extra = value.introductions or introductions(value.introduced, value.command)
    return text + ("\n\n" + extra if extra else "")


def introductions(people: list[Introduced], command: str = "/wgml") -> str:
    """The paragraph the acceptance's DM appends; empty when nobody fits (mentions, escaped
    text)."""
    if not people:
        return ""
    lines = ["People from other studios worked on something close to your talk and are "
             "happy to be introduced:"]
    for person in people:
        who = f"<@{person.slack_user}>" if person.slack_user else escape(
            person.name or "a member")
        studio = f" ({escape(person.studio)})" if person.studio else ""
        lines.append(f"• {who}{studio}: `{person.ref}` *{escaped_short(person.title, 100)}*")
    lines.append("Say hello: comparing notes is what the sessions are for. (Prefer not to be "
                 f"introduced to others? `{command} introductions off`.)")
    return "\n".join(lines)


def told_words(ways: list[str]) -> str:
    if not ways:
        return "I have no way to reach the speaker; please contact them yourselves."
    how = " and ".join({"dm": "Slack DM", "email": "email"}[w] for w in ways)
    return f"The speaker was told by {how}."


def thread_text(value: DecisionInThread) -> str:
    if value.event not in (Status.ACCEPTED, Status.DECLINED):
        return (
            f"<@{value.leader}> undid the decision ({value.undone}): the talk is open for votes "
            "again. " + (
                "The speaker was told the earlier message was a mistake." if value.ways
                else told_words(value.ways)
            )
        )
    verb = "accepted" if value.event == Status.ACCEPTED else "declined"
    return f"<@{value.leader}> {verb} this talk. {told_words(value.ways)}"
