"""The session's mail (bot/sessions/said_program.py's values, plain text): the program to the
list, the recap, the speaker asked for their slides and recording, and the answers to their
reply with the links or with whether they will present (bot/email/rules.py)."""

from __future__ import annotations

from bot.curation.said import session_words
from bot.email.texts import _greeting as sender_greeting
from bot.sessions.attendance import CONFIRMED
from bot.sessions.said_program import ProgramAnnounced, RecapPosted, SlidesAsked
from storage.models import Submission

SIGNATURE = "The WG-ML bot, for the ASWF Machine Learning Working Group"

# Written so that no line of it starts with `Publish:` (a reply quoting it badly must not
# answer for the speaker).
ARCHIVE_QUESTION = (
    "The group also keeps a public archive of its sessions, read beyond the working group. "
    "To list this talk, its slides and recording there, add the line \"Publish: yes\" to "
    "your reply; \"Publish: no\" keeps it off. You can change your mind at any time.")


def _line(text: str) -> str:
    return " ".join(text.split())


def program_email(value: ProgramAnnounced) -> tuple[str, str]:
    """(subject, body); the calendar event goes with it (bot.sessions.program.calendar)."""
    lead = "Updated program" if value.update else "Program"
    subject = _line(f"{lead}: {value.cycle_title}, {value.date:%d %B %Y}")
    lines = [f"{lead} of {value.cycle_title}", "", f"When: {value.when}",
             f"Join: {value.join_url or 'the link follows'}", ""]
    for n, talk in enumerate(value.talks, 1):
        lines += [f"{n}. {_line(talk.title)}",
                  f"   {talk.speaker_name or 'a member'}, {talk.studio} ({talk.focus})", "",
                  *("   " + line for line in talk.abstract.strip().splitlines()),
                  *([f"   On the public archive: {talk.page}"] if talk.page else []), ""]
    if value.update:
        lines.append("This replaces the program sent earlier; the calendar event is updated.")
    lines += ["", SIGNATURE]
    return subject[:200], "\n".join(lines) + "\n"


def recap_email(value: RecapPosted) -> tuple[str, str]:
    subject = _line(f"Recap: {value.cycle_title}")[:200]
    lines = [f"Recap of {value.cycle_title} ({value.date:%d %B %Y})", ""]
    for n, talk in enumerate(value.talks, 1):
        lines += [f"{n}. {_line(talk.title)} ({talk.speaker_name or 'a member'})",
                  f"   Slides: {talk.slides_url or 'not shared'}",
                  f"   Recording: {talk.recording_url or 'not shared'}",
                  *([f"   On the public archive: {talk.page}"] if talk.page else []), ""]
    lines += [SIGNATURE]
    return subject, "\n".join(lines) + "\n"


def greeting(name: str) -> str:
    """"Hello NAME," where the name may be shown: not an address, and (a sender's display name
    is theirs to choose) no link and not past NAME_CHARS, as bot/email/texts.py greets."""
    return sender_greeting(name) if name and "@" not in name else "Hello,"


def slides_request(value: SlidesAsked) -> str:
    """The request by mail: the lines to reply with, and the public archive's question."""
    return (
        f"{greeting(value.speaker_name.strip())}\n\nThank you for presenting "
        f"\"{_line(value.title)[:200]}\" ({value.ref})! If you can share "
        "your slides and the recording, reply to this email with these lines (leave out what "
        "you cannot share):\n\nSlides: https://...\nRecording: https://...\n"
        "I confirm my slides hold no confidential information.\n\n"
        f"{ARCHIVE_QUESTION}\n\n"
        f"{SIGNATURE}\n")


def attendance_reply(sub: Submission, outcome: str, name: str) -> str:
    """The answer to a speaker's emailed yes (`outcome` confirmed) or no (declined)."""
    title = f'"{_line(sub.title)[:200]}" ({sub.ref})'
    if outcome == CONFIRMED:
        body = (f"Thank you: the leaders know you will present {title} at "
                f"{session_words(sub.cycle)}.")
    else:
        body = (f"Thank you for telling us you cannot present {title}; the leaders know, and "
                "the talk is withdrawn. We would love to hear it in a later session: reply "
                "to the next call for speakers with it.")
    return f"{greeting(name)}\n\n{body}\n\n{SIGNATURE}\n"


def consent_words(value: bool) -> str:
    """What the speaker is told their consent now says."""
    return ("It will be listed on the public archive." if value
            else "It will not be listed on the public archive.")


def links_saved(sub: Submission, name: str, publish: bool | None = None) -> str:
    """`publish`: what the reply's `Publish:` line said, when it had one."""
    consent = f" {consent_words(publish)}" if publish is not None else ""
    return (f"{greeting(name)}\n\nThank you: the links for \"{_line(sub.title)[:200]}"
            f"\" ({sub.ref}) are saved and will be in the session's recap.{consent}\n\n"
            f"{SIGNATURE}\n")


def consent_noted(sub: Submission, name: str, publish: bool) -> str:
    """The answer to a reply whose only news is a `Publish:` line."""
    words = consent_words(publish)
    return (f"{greeting(name)}\n\nNoted for \"{_line(sub.title)[:200]}\" "
            f"({sub.ref}): {words[:1].lower()}{words[1:]} "
            "You can change your mind at any time with another \"Publish:\" line.\n\n"
            f"{SIGNATURE}\n")


def links_refused(sub: Submission, name: str, why: str) -> str:
    return (f"{greeting(name)}\n\nI could not save the links for ({sub.ref}): {why}\n\n"
            "Please reply with the lines\n\nSlides: https://...\nRecording: https://...\n"
            "I confirm my slides hold no confidential information.\n\n"
            f"{SIGNATURE}\n")
