"""What the bot writes to speakers by email, and how it reads their confirmations (pure)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from bot.focus import BOUNDARY_TEXT, focus_label
from bot.guidelines import Concern
from bot.guidelines.stored import label
from bot.mrkdwn import shorten
from bot.talks.status import Status
from storage.models import Submission, SubmissionVersion

CONFIRM_PHRASE = "yes, I confirm"
SIGN_OFF = (
    "\n\n-- \nWG-ML speaker bot, for the ASWF ML Working Group leaders.\n"
    "This is an automatic message; replies to it are read by the bot."
)
_LIST_TAG = re.compile(r"^\s*\[[^\]]{1,60}\]\s*")
_PREFIX = re.compile(
    r"^\s*(re|fwd?|aw|wg|sv|vs|antw|odp|tr|rif|r|res|回复|答复|転送)\s*(\[\d+\])?\s*[:：]\s*", re.I
)
# Anything a mail client would turn into a link, read after NFKC (fullwidth letters and dots
# are ASCII then): a scheme (`x://`), `www.`, an address, an IPv4 literal, and any
# `label.label` ending in a TLD of two or more letters, whatever the TLD (a fixed list let
# `evil.de/reset` through). The ideographic full stop counts as a dot, as browsers read it.
_DOT = r"[.\u3002]"
# Each alternative starts only where a token (or a label chain) starts, so a long run of
# text without spaces is scanned once, not once per character.
_LINK = re.compile(
    r"(?i)(?<!\S)\S*?(?:://|\bwww" + _DOT + r")\S*"
    r"|\b(?:mailto|data|tel|sms|javascript):\S+"
    r"|(?<![^\s@<>])[^\s@<>]+@[^\s@<>]+" + _DOT + r"[a-z]{2,}\S*"
    r"|\b\d{1,3}(?:" + _DOT + r"\d{1,3}){3}\b\S*"
    r"|(?<![\w.\u3002-])(?:[\w-]+" + _DOT + r")+[a-z]{2,}(?![a-z0-9-])\S*")
EXCERPT_CHARS = 200  # what an answer to a stranger quotes of their text: enough to recognise
NAME_CHARS = 40


def clean_subject(subject: str) -> str:
    """The subject less "Re:"/"Fwd:" prefixes and "[list]" tags, however they are stacked."""
    text = subject
    for _ in range(20):
        before = text
        text = _LIST_TAG.sub("", text)
        text = _PREFIX.sub("", text)
        if text == before:
            break
    return " ".join(text.split())


def reply_subject(subject: str, ref: str | None) -> str:
    # The sender's subject is echoed, so it is kept short and link-free (no relay).
    base = excerpt(clean_subject(subject), 100) or "Your talk proposal"
    tag = f" [{ref}]" if ref and ref not in base else ""
    return f"Re: {base}{tag}"


def summary(submission: Submission) -> str:
    lines = [
        f"Title: {submission.title}",
        f"Focus area: {focus_label(submission.focus_area)}",
        f"Abstract: {submission.abstract}",
    ]
    if submission.results:
        lines.append(f"Results: {submission.results}")
    if submission.studio:
        lines.append(f"Studio: {submission.studio}")
    return "\n".join(lines)


def without_links(text: str) -> str:
    """One line with every link-like piece replaced: quoted back to whatever address a
    message came from, nothing in it can advertise anything."""
    return " ".join(_LINK.sub("[link removed]", unicodedata.normalize("NFKC", text)).split())


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    return shorten(without_links(text), limit)


def short_summary(submission: Submission) -> str:
    """What an answer outside a verified thread quotes: the title and the abstract's start,
    links removed, so the bot cannot relay a stranger's text to someone else's mailbox."""
    return (f"Title: {excerpt(submission.title, 150)}\n"
            f"Abstract (start): {excerpt(submission.abstract)}")


def _greeting(name: str) -> str:
    # The display name is the sender's to choose: it must not carry a message of its own.
    # Links are looked for in the whole name, before it is shortened: cut first, a link
    # could lose what makes it one ("visit hxxps://..." cut to "visit hxxps:/...").
    name = without_links(name) if name else ""
    if "[link removed]" in name:
        name = ""
    name = shorten(name, NAME_CHARS)
    return f"Hello {name}," if name else "Hello,"


CONCERNS_HEAD = "A note on the session guidelines"
REASON_CHARS = 300


def concerns_text(concerns: Sequence[Concern]) -> str:
    """The guidelines' concerns as plain text under a short heading ("" when none), to be
    read before confirming; they never stop a talk, so the text says what the speaker may
    do. A reason quotes the speaker's own words, so links are taken out of it too."""
    if not concerns:
        return ""
    lines = [f"{CONCERNS_HEAD}\n",
             "I read your talk against the session guidelines and noticed:"]
    lines += [f"- {label(c.rule)}: {excerpt(c.reason, REASON_CHARS)}" for c in concerns]
    lines.append("You can still confirm it as it is (the leaders decide, and they see these "
                 "notes too), or first send changed template lines to revise it.")
    return "\n".join(lines) + "\n\n"


def confirmation_request(submission: Submission, name: str, cycle_title: str | None,
                         concerns: Sequence[Concern] = ()) -> str:
    where = f"for {cycle_title}" if cycle_title else "for the next WG-ML Mutual Learning Session"
    return (
        f"{_greeting(name)}\n\n"
        f"Thank you for proposing a talk {where}. Its reference is {submission.ref}.\n\n"
        f"{concerns_text(concerns)}"
        "Before the working group's leaders see it, please confirm that your talk contains "
        "no confidential information. The sessions' boundaries:\n\n"
        f"{BOUNDARY_TEXT}\n\n"
        f'To confirm, reply to this email with the words "{CONFIRM_PHRASE}".\n'
        "To change something, reply with the template lines you want to change "
        "(Title:, Focus area:, Abstract:, Results:, Studio:) and I will update your "
        "proposal.\n\n"
        f"This is what I received:\n\n{short_summary(submission)}" + SIGN_OFF
    )


def follow_up(submission: Submission, name: str) -> str:
    return (
        f"{_greeting(name)}\n\n"
        f"I could not tell whether you confirm that your talk {submission.ref} contains no "
        "confidential information, so it is not with the leaders yet.\n\n"
        f"{BOUNDARY_TEXT}\n\n"
        f'If it is fine, please reply with "{CONFIRM_PHRASE}". If it is not, no problem: you '
        "can send an updated abstract (Abstract: ...) or simply let it rest, and nothing "
        "will be shared." + SIGN_OFF
    )


def confirmed(submission: Submission, name: str, cycle_title: str | None) -> str:
    where = f"for {cycle_title}" if cycle_title else "and will be considered for the next call"
    return (
        f"{_greeting(name)}\n\n"
        f"Thank you! Your talk {submission.ref}, \"{submission.title}\", is now with the "
        f"WG-ML leaders {where}. You will hear from me when they decide.\n\n"
        "To update the abstract later, reply to this thread with the template lines "
        "(Abstract: ..., Results: ...); I will ask you to confirm each new version before "
        "the leaders see it." + SIGN_OFF
    )


def updated(submission: Submission, name: str, concerns: Sequence[Concern] = ()) -> str:
    pending = submission.status == Status.PENDING_CONFIRMATION
    state = (
        f'It still needs your confirmation: reply "{CONFIRM_PHRASE}" when it is ready.'
        if pending else "The leaders see the new version."
    )
    return (
        f"{_greeting(name)}\n\nI have updated your talk {submission.ref}. {state}\n\n"
        f"{concerns_text(concerns) if pending else ''}{summary(submission)}" + SIGN_OFF
    )


def empty_message(name: str) -> str:
    return (
        f"{_greeting(name)}\n\n"
        "Thank you for writing. I could not find a talk proposal in your message. To propose "
        "one, reply with:\n\nTitle:\nFocus area:\nAbstract:\nResults:\nStudio:\n\n"
        f"{BOUNDARY_TEXT}" + SIGN_OFF
    )


FIELD_NAMES = {"title": "title", "focus_area": "focus area", "abstract": "abstract",
               "results": "results", "studio": "studio"}


def _fields(fields: list[str]) -> str:
    names = [FIELD_NAMES.get(f, f) for f in fields] or ["nothing"]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def edit_request(submission: Submission, version: SubmissionVersion, fields: list[str],
                 name: str, concerns: Sequence[Concern] = ()) -> str:
    """An edit of a confirmed talk waits for this answer. Like the first request it quotes
    only the new title and a short, link-free start of the abstract."""
    return (
        f"{_greeting(name)}\n\n"
        f"I have your changes to {submission.ref} ({_fields(fields)}). The leaders still see "
        "the version you confirmed before; they will see this new version only once you "
        "confirm that it, too, contains no confidential information.\n\n"
        f"{concerns_text(concerns)}The sessions' boundaries:\n\n"
        f"{BOUNDARY_TEXT}\n\n"
        f'To confirm the new version, reply to this email with the words "{CONFIRM_PHRASE}". '
        'To drop it, reply "no". A newer reply with template lines replaces it.\n\n'
        f"The new version:\n\nTitle: {excerpt(version.title, 150)}\n"
        f"Abstract (start): {excerpt(version.abstract)}" + SIGN_OFF
    )


def edit_confirmed(submission: Submission, name: str, fields: list[str], n: int) -> str:
    return (
        f"{_greeting(name)}\n\nThank you: version {n} of {submission.ref} "
        f"({_fields(fields)} changed) is confirmed, and the leaders now see it."
        + SIGN_OFF
    )


def edit_dropped(submission: Submission, name: str) -> str:
    return (
        f"{_greeting(name)}\n\nUnderstood: I have dropped your unconfirmed changes to "
        f"{submission.ref}. Nothing of them reached the leaders; they still see the version "
        "you confirmed before." + SIGN_OFF
    )


def edit_answer_the_request(submission: Submission, name: str) -> str:
    return (
        f"{_greeting(name)}\n\nYour changes to {submission.ref} are still waiting for your "
        "confirmation. Please answer my latest email about them (the one that shows the new "
        f'version) with "{CONFIRM_PHRASE}", or "no" to drop them; the leaders see the '
        "version you confirmed before until then." + SIGN_OFF
    )


def edit_unchanged(submission: Submission, name: str) -> str:
    return (
        f"{_greeting(name)}\n\nYour template lines match what the leaders already see for "
        f"{submission.ref}, so nothing changed." + SIGN_OFF
    )


def edit_closed(submission: Submission, name: str, reason: str) -> str:
    if reason == "session":
        why = "its session date has come. If something must change, please tell the leaders."
    elif reason == Status.WITHDRAWN:
        why = "it was withdrawn. To propose a new talk, reply to a call for speakers."
    elif reason == Status.DECLINED:
        why = "it was declined. A new proposal is very welcome in a future call for speakers."
    else:
        why = "it is closed."
    return (
        f"{_greeting(name)}\n\nI did not change {submission.ref}: it can no longer be edited, "
        f"because {why}" + SIGN_OFF
    )
