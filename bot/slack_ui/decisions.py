"""Slack's words for a decision: the speaker's DM (accepted, declined, or undone) and the
card's thread (who decided, and how the speaker heard). Rendered at delivery from the values
bot.curation.notices queues (bot/curation/said.py); the email's words are the email's."""

from __future__ import annotations

from bot.curation.said import DecisionInThread, DecisionTold
from bot.mrkdwn import escape, escaped_short
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
    return text + ("\n\n" + value.introductions if value.introductions else "")


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
