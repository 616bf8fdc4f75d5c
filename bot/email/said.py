"""Email's wording of what the domain wants said: an outbox row of kind "email" whose payload
carries a value ("said": its KIND and fields, bot/curation/said.py) gets its subject and plain
text here when it is delivered. The same value is worded for Slack by bot/slack_ui/said.py;
one place per message for its email text, and the domain names no surface. The Message-ID and
the threading headers were decided when the row was queued (storage.outbox.enqueue_email)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from bot.curation.said import AttendanceAsked, DecisionTold
from bot.email.session_texts import SIGNATURE, greeting
from bot.people.said import Introduced
from storage.outbox import Unreadable, load, said_of

LEADERS_SIGNATURE = "The WG-ML bot, for the ASWF Machine Learning Working Group leaders"

Mail = tuple[str, str]  # (subject, plain text)


class UnknownMail(ValueError):
    """A payload naming a value this version cannot word (never sendable as it is)."""


def _one_line(text: str, limit: int = 120) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def introductions_text(introduced: Sequence[Introduced]) -> str:
    """The paragraph the "accepted" email appends; empty when nobody fits (plain text; the
    DM's mrkdwn is bot/slack_ui/decisions.py's)."""
    if not introduced:
        return ""
    lines = ["People from other studios worked on something close to your talk and are "
             "happy to be introduced:"]
    for person in introduced:
        studio = f" ({person.studio})" if person.studio else ""
        lines.append(f"- {person.name or 'a member'}{studio}: {person.ref} \"{person.title}\"")
    lines.append(
        "Say hello: comparing notes is what the sessions are for. (Prefer not to be "
        "introduced to others? Reply with \"no introductions\".)"
    )
    return "\n".join(lines)


def decision_subject(value: DecisionTold) -> str:
    title = _one_line(value.title)
    if value.event == "accepted":
        return f"Your WG-ML talk is accepted: {title} ({value.ref})"
    if value.event == "declined":
        return f"About your WG-ML talk proposal: {title} ({value.ref})"
    return f"Correction about your WG-ML talk proposal: {title} ({value.ref})"


def decision_text(value: DecisionTold) -> str:
    """The speaker's news, kindly; an acceptance asks whether they will present (a reply
    answers, bot/email/rules.py) and introduces the people close to the talk."""
    title = f'"{_one_line(value.title, 200)}" ({value.ref})'
    if value.event == "accepted":
        body = (
            f"Good news: the WG-ML leaders have accepted your talk {title} for "
            f"{value.session}.\n\nThank you for sharing what you learned. "
            "Can you present it on the day? Please reply to this email with \"yes, I'll "
            "present\" or \"I can't make it\"."
        )
    elif value.event == "declined":
        body = (
            f"Thank you for proposing {title}. The leaders could not fit it into "
            f"{value.session}: each session is balanced across topics and "
            "studios, and there are more good proposals than slots.\n\nIt would be very "
            "welcome in a future call for speakers: reply to the next call with your "
            "proposal."
        )
    else:
        was = value.undone or "decided"
        body = (
            f"A correction about your talk {title}: my earlier message saying it was {was} "
            "was sent by mistake, sorry. Please disregard it.\n\nYour talk is back with the "
            "leaders and I will write again when they decide."
        )
    text = f"{greeting(value.name)}\n\n{body}\n\n{LEADERS_SIGNATURE}\n"
    if value.event == "accepted" and (extra := introductions_text(value.introduced)):
        text += "\n\n" + extra
    return text


def question(value: AttendanceAsked) -> str:
    return (f"Can you present it at {value.session} ({value.zone})? Please reply to this "
            "email with \"yes, I'll present\" or \"I can't make it\".")


def asked_email(value: AttendanceAsked) -> Mail:
    """Will they present? By email it is only ever the reminder after silence (the
    acceptance's own email asks), threaded under the talk's mail."""
    title = " ".join(value.title.split())
    subject = f"Re: will you present {title[:120]}? ({value.ref})"
    text = (f"{greeting(value.name)}\n\nA reminder about your accepted talk \"{title[:200]}\" "
            f"({value.ref}). {question(value)}\n\n{SIGNATURE}\n")
    return subject, text


Loader = Callable[[dict[str, Any]], Any]

RENDER: dict[str, tuple[Loader, Callable[[Any], Mail]]] = {
    DecisionTold.KIND: (partial(load, DecisionTold),
                        lambda v: (decision_subject(v), decision_text(v))),
    AttendanceAsked.KIND: (partial(load, AttendanceAsked), asked_email),
}


def rendered_email(payload: dict[str, Any]) -> dict[str, Any]:
    """The payload bot.email.send builds a message from: as queued (with its subject and
    text, as every row of an earlier version), or with its value worded; UnknownMail when
    this version cannot word it."""
    said = said_of(payload)
    if said is None:
        return payload
    kind, fields = said
    if kind not in RENDER:
        raise UnknownMail(f"no email wording for {kind!r}")
    loader, render = RENDER[kind]
    try:
        value = loader(fields)
    except Unreadable as exc:  # fields this version cannot read
        raise UnknownMail(f"cannot read the {kind!r} value: {exc}") from exc
    try:
        subject, text = render(value)
    except (TypeError, KeyError, ValueError) as exc:  # a value its wording cannot take
        raise UnknownMail(f"cannot word the {kind!r} value: {exc}") from exc
    out = {k: v for k, v in payload.items() if k != "said"}
    out["subject"], out["text"] = subject, text
    return out
