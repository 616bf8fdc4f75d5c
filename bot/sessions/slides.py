"""After the session: the speaker's slides and recording links, with their word that the
slides hold no confidential information. Asked by DM (a button opening a form,
bot/slack_ui/slides_modal.py) or email (bot/email/session_texts.py).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from urllib.parse import urlsplit

from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit import record
from bot.services import Services
from bot.sessions.attendance import locked, parse_value
from bot.sessions.said_program import SlidesAsked
from bot.talks.publish import set_publish, site_changed
from bot.talks.status import Status
from storage.models import Submission

log = logging.getLogger("wgml.sessions")

SLIDES_OPEN = "slides_open"
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


def asked(sub: Submission) -> SlidesAsked:
    """The speaker asked for their slides and the recording, by DM or by email."""
    return SlidesAsked(submission_id=sub.id, ref=sub.ref or f"#{sub.id}", title=sub.title,
                       speaker_name=sub.speaker.name or "")


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
