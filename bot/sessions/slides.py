"""After the session: the speaker's slides and recording links, with their word that the
slides hold no confidential information. Asked by DM (a button opening a form) or email.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit import record
from bot.mrkdwn import escaped_short
from bot.services import Services
from bot.sessions.attendance import locked, parse_value
from bot.talks.publish import CONSENT_HINT, CONSENT_TEXT, CONSENT_VALUE, set_publish, site_changed
from bot.talks.status import Status
from storage.models import Submission

log = logging.getLogger("wgml.sessions")

SLIDES_ACTION = re.compile(r"^slides")
SLIDES_OPEN = "slides_open"
SLIDES_CALLBACK = "wgml_slides"
SLIDES_BLOCK, SLIDES_INPUT = "slides", "slides_input"
RECORDING_BLOCK, RECORDING_INPUT = "recording", "recording_input"
CONFIRM_BLOCK, CONFIRM_INPUT = "no_confidential", "no_confidential_input"
PUBLISH_BLOCK, PUBLISH_INPUT = "publish", "publish_input"
URL_MAX = 2000  # what the database keeps; a url input allows more, so it is checked
CONFIRM_TEXT = "My slides hold no confidential information"


def check_url(value: str | None) -> tuple[str | None, str | None]:
    """(the URL, None) when it is an http(s) link with a host; (None, why) otherwise; an
    empty value is (None, None)."""
    text = (value or "").strip()
    if not text:
        return None, None
    if len(text) > URL_MAX:
        return None, f"That link is longer than {URL_MAX} characters."
    if any(c.isspace() or ord(c) < 32 for c in text):
        return None, "A link has no spaces in it."
    if any(c in '<>|"' for c in text):
        # They would break out of a Slack link (<url|label>) in the recap.
        return None, "A link cannot contain <, >, | or quotes."
    try:
        parts = urlsplit(text)
    except ValueError:
        return None, "That does not look like a link."
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None, "Only http:// or https:// links, please."
    return text, None


def request_text(sub: Submission) -> str:
    return (f"Thank you for presenting *{escaped_short(sub.title, 150)}* (`{sub.ref}`)! "
            "If you can share your slides and the recording, the group keeps them with the "
            "talk for everyone who missed it.")


def request_blocks(sub: Submission) -> list[dict[str, Any]]:
    return [
        {"type": "section", "text": {"type": "mrkdwn", "text": request_text(sub)}},
        {"type": "actions", "block_id": f"slides:{sub.id}", "elements": [
            {"type": "button", "action_id": SLIDES_OPEN, "style": "primary",
             "text": {"type": "plain_text", "text": "Share slides and recording"},
             "value": str(sub.id)}]},
    ]


def request_email(sub: Submission) -> str:
    name = (sub.speaker.name or "").strip()
    greeting = f"Hello {name}," if name and "@" not in name else "Hello,"
    title = " ".join(sub.title.split())[:200]
    return (
        f"{greeting}\n\nThank you for presenting \"{title}\" ({sub.ref})! If you can share "
        "your slides and the recording, reply to this email with these lines (leave out what "
        "you cannot share):\n\nSlides: https://...\nRecording: https://...\n"
        "I confirm my slides hold no confidential information.\n\n"
        f"{ARCHIVE_QUESTION}\n\n"
        "The WG-ML bot, for the ASWF Machine Learning Working Group\n")


# Written so that no line of it starts with `Publish:` (a reply quoting it badly must not
# answer for the speaker).
ARCHIVE_QUESTION = (
    "The group also keeps a public archive of its sessions, read beyond the working group. "
    "To list this talk, its slides and recording there, add the line \"Publish: yes\" to "
    "your reply; \"Publish: no\" keeps it off. You can change your mind at any time.")


def consent_words(value: bool) -> str:
    """What the speaker is told their consent now says."""
    return ("It will be listed on the public archive." if value
            else "It will not be listed on the public archive.")


def modal(sub: Submission) -> dict[str, Any]:
    def url_input(block: str, action: str, label: str, stored: str | None
                  ) -> dict[str, Any]:
        # What was shared before stays filled in: the form can be sent again just to
        # change the archive's checkbox.
        element: dict[str, Any] = {"type": "url_text_input", "action_id": action}
        if stored:
            element["initial_value"] = stored
        return {"type": "input", "block_id": block, "optional": True,
                "label": {"type": "plain_text", "text": label}, "element": element}

    consent = {"text": {"type": "plain_text", "text": CONSENT_TEXT}, "value": CONSENT_VALUE}
    publish: dict[str, Any] = {"type": "checkboxes", "action_id": PUBLISH_INPUT,
                               "options": [consent]}
    if sub.publish is True:
        publish["initial_options"] = [consent]

    return {
        "type": "modal", "callback_id": SLIDES_CALLBACK, "private_metadata": str(sub.id),
        "title": {"type": "plain_text", "text": "Slides and recording"},
        "submit": {"type": "plain_text", "text": "Share"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": (
                f"`{escaped_short(sub.ref or '', 30)}` *{escaped_short(sub.title, 200)}*")}},
            url_input(SLIDES_BLOCK, SLIDES_INPUT, "Slides link", sub.slides_url),
            url_input(RECORDING_BLOCK, RECORDING_INPUT, "Recording link", sub.recording_url),
            {"type": "input", "block_id": CONFIRM_BLOCK,
             "label": {"type": "plain_text", "text": "Confidentiality"},
             "element": {"type": "checkboxes", "action_id": CONFIRM_INPUT, "options": [
                 {"text": {"type": "plain_text", "text": CONFIRM_TEXT}, "value": "yes"}]}},
            {"type": "input", "block_id": PUBLISH_BLOCK, "optional": True,
             "label": {"type": "plain_text", "text": "Public archive"},
             "hint": {"type": "plain_text", "text": CONSENT_HINT},
             "element": publish},
        ],
    }


async def may_share(services: Services, user: str, value: str) -> Submission | str:
    """The talk a Share button is for, or why this user may not share links for it."""
    sid = parse_value(value)
    if sid is None:
        return "That button did not say which talk."
    async with services.db.session() as session:
        sub = await session.get(Submission, sid)
        if sub is None:
            return "I can't find that talk any more."
        if sub.speaker.slack_user_id != user:
            return "Only the talk's speaker can share its slides."
        if sub.status != Status.ACCEPTED:
            return "This talk is no longer on the program."
        return sub


async def store(session: AsyncSession, sub: Submission, slides: str | None,
                recording: str | None, *, actor: str, now: dt.datetime,
                rebuild_site: bool = False) -> None:
    """`rebuild_site` (SITE_DIR is set): a published talk's new links go on the archive."""
    if slides:
        sub.slides_url = slides
    if recording:
        sub.recording_url = recording
    sub.updated_at = now
    await record(session, actor, "talk.links", submission_id=sub.id,
                 detail={"slides": bool(slides), "recording": bool(recording)})
    await site_changed(session, rebuild_site and sub.publish is True)


async def save_from_modal(services: Services, user: str, sid_text: str,
                          slides_raw: str | None, recording_raw: str | None,
                          confirmed: bool, publish: bool | None = None) -> dict[str, str]:
    """Store the links from the form and the archive's checkbox (`publish`: ticked or not;
    unticked after a consent is a consent withdrawn); returns errors by block (empty when
    saved)."""
    errors: dict[str, str] = {}
    slides, why = check_url(slides_raw)
    if why:
        errors[SLIDES_BLOCK] = why
    recording, why = check_url(recording_raw)
    if why:
        errors[RECORDING_BLOCK] = why
    if not errors and not (slides or recording):
        errors[SLIDES_BLOCK] = "Give at least one link."
    if not confirmed:
        errors[CONFIRM_BLOCK] = "Please confirm the slides hold no confidential information."
    sid = parse_value(sid_text)
    if sid is None:
        errors[SLIDES_BLOCK] = "Slack sent an incomplete form; please try again."
    if errors or sid is None:
        return errors
    async with services.db.transaction() as session:
        sub = await locked(session, sid)
        if sub is None or sub.speaker.slack_user_id != user or sub.status != Status.ACCEPTED:
            return {SLIDES_BLOCK: "Only the speaker of a talk on the program can share links."}
        rebuild = services.settings.site_dir is not None
        if publish is not None:
            await set_publish(session, sub, publish, by=user, via="slides_form",
                              now=services.now(), rebuild_site=rebuild)
        await store(session, sub, slides, recording, actor=user, now=services.now(),
                    rebuild_site=rebuild)
    log.info("event=slides.saved submission=%s user=%s publish=%s", sid, user, publish)
    return {}


_NO_CONFIDENTIAL = re.compile(
    r"\b(no|nothing|not|non)[- ]?(is |contains? |holds? )?confidential|\bi confirm\b", re.I)
_REFUSE = re.compile(r"\b(can ?not|can't|cannot|won't|do not|don't) confirm\b", re.I)


def email_confirms(text: str) -> bool:
    """The speaker's word, in the reply, that the slides hold no confidential information."""
    return bool(_NO_CONFIDENTIAL.search(text)) and not _REFUSE.search(text)


def _greeting(name: str) -> str:
    return f"Hello {name}," if name and "@" not in name else "Hello,"


def email_thanks(sub: Submission, name: str, publish: bool | None = None) -> str:
    """`publish`: what the reply's `Publish:` line said, when it had one."""
    consent = f" {consent_words(publish)}" if publish is not None else ""
    return (f"{_greeting(name)}\n\nThank you: the links for \"{' '.join(sub.title.split())[:200]}"
            f"\" ({sub.ref}) are saved and will be in the session's recap.{consent}\n\n"
            "The WG-ML bot, for the ASWF Machine Learning Working Group\n")


def email_consent(sub: Submission, name: str, publish: bool) -> str:
    """The answer to a reply whose only news is a `Publish:` line."""
    return (f"{_greeting(name)}\n\nNoted for \"{' '.join(sub.title.split())[:200]}\" "
            f"({sub.ref}): {consent_words(publish)[:1].lower()}{consent_words(publish)[1:]} "
            "You can change your mind at any time with another \"Publish:\" line.\n\n"
            "The WG-ML bot, for the ASWF Machine Learning Working Group\n")


def email_problem(sub: Submission, name: str, why: str) -> str:
    return (f"{_greeting(name)}\n\nI could not save the links for ({sub.ref}): {why}\n\n"
            "Please reply with the lines\n\nSlides: https://...\nRecording: https://...\n"
            "I confirm my slides hold no confidential information.\n\n"
            "The WG-ML bot, for the ASWF Machine Learning Working Group\n")
