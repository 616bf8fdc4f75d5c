"""What the card's buttons answer the presser, in one place (ephemeral, mrkdwn)."""

from __future__ import annotations

from bot.talks.status import Status

REFUSAL = (
    "Only the WG-ML leaders (the members of the leadership channel) can vote on or decide "
    "talks, so nothing changed. If you should be one, ask a leader to add you to the channel."
)
UNAVAILABLE = (
    "I could not check who the leaders are just now (Slack did not answer), so nothing "
    "changed. Please press the button again in a minute."
)
BAD_VALUE = (
    "I could not read that button (it may come from an old or altered message), so nothing "
    "changed. Please use the buttons on the latest card."
)
MISSING = "I can't find that submission any more, so nothing changed."
STALE_DECISION = (
    "The card changed after you pressed that button (another decision came after it), so "
    "nothing changed. Please check the card and press again if you still mean it."
)


def closed_text(status: str, decided_by: str | None, what: str) -> str:
    by = f" by <@{decided_by}>" if decided_by else ""
    if status in (Status.ACCEPTED, Status.DECLINED):
        tail = ("Undo it first if that was a mistake." if what == "decide"
                else "Undo the decision first if it was a mistake.")
        return f"This talk was already {status}{by}, so nothing changed. {tail}"
    if status == Status.WITHDRAWN:
        return "The speaker withdrew this talk, so nothing changed."
    if status == Status.PENDING_CONFIRMATION:
        return ("This talk is still waiting for the speaker's confidentiality confirmation, "
                "so nothing changed.")
    return f"This talk is {status}, so nothing changed."
