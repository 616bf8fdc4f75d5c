"""The speaker's consent to the public archive (bot/site): `Submission.publish`.

True lists the talk, its slides and its recording on the archive; False is a refusal or a
withdrawn consent; None means never answered. Only True publishes anything of the talk (the
site reads it at every build). The speaker says so in the slides form, optionally in the
submission form, by email (`Publish: yes`), with `/wgml unpublish REF` or the button in
`/wgml mine`; each change is audited, and asks for the site to be built again when there is
one (SITE_DIR).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit import record
from bot.services import Services
from bot.talks.edit import REF, clean_ref
from bot.talks.status import Status
from storage.models import Submission
from storage.outbox import enqueue_site_rebuild

log = logging.getLogger("wgml.publish")

# The words of the checkbox in the slides form and the submission form (an option's text
# holds 75 characters).
CONSENT_TEXT = "List this talk, its slides and recording on the public archive"
CONSENT_HINT = ("The archive is a public web page, read beyond the working group. You can "
                "take the talk off it at any time.")
CONSENT_VALUE = "publish"
LIST_LABEL = "List on the public archive"
REMOVE_LABEL = "Remove from the public archive"

# How people write yes and no on a `Publish:` line, in the languages the intake meets.
_YES = frozenset({
    "yes", "y", "yeah", "yep", "yup", "ok", "okay", "sure", "true", "agreed", "agree",
    "oui", "ja", "jawohl", "si", "sí", "sim", "da", "tak", "igen", "evet", "hai",
    "はい", "是", "네", "예", "sì",
})
_NO = frozenset({
    "no", "n", "nope", "false", "not", "never", "non", "nein", "nee", "não", "nao", "nej",
    "nei", "ei", "nie", "nem", "hayır", "いいえ", "否", "아니요",
})
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def consent_word(value: str) -> bool | None:
    """`yes`/`no` (true, false, oui, ja, nein, ...) as True/False, read from the value's first
    word, case-insensitively; None when it says neither."""
    match = _WORD.search(value.strip().casefold()[:80])
    if match is None:
        return None
    word = match.group(0)
    if word in _YES:
        return True
    if word in _NO:
        return False
    return None


@dataclass(frozen=True)
class PublishSet:
    """What a change of consent did: `changed` False when the talk already said so."""

    ref: str
    value: bool
    previous: bool | None
    changed: bool


async def set_publish(session: AsyncSession, sub: Submission, value: bool, *, by: str,
                      via: str, now: dt.datetime, rebuild_site: bool = False) -> PublishSet:
    """Record the speaker's consent (`via`: slides_form, submit_form, email, command, mine);
    the same value again changes nothing and says so. `rebuild_site` (SITE_DIR is set): the
    archive is built again after the commit (one build for many changes)."""
    previous = sub.publish
    if previous is value:
        return PublishSet(sub.ref or "", value, previous, False)
    sub.publish = value
    sub.publish_at = now
    await record(session, by, "talk.publish", submission=sub,
                 detail={"publish": value, "previous": previous, "via": via})
    if rebuild_site and sub.status == Status.ACCEPTED:
        # Only an accepted talk (on a program, or presented) can be on the archive: a consent
        # given with a new submission changes no page yet.
        await enqueue_site_rebuild(session)
    log.info("event=publish.set ref=%s publish=%s previous=%s via=%s", sub.ref, value,
             previous, via)
    return PublishSet(sub.ref or "", value, previous, True)


async def site_changed(session: AsyncSession, rebuild_site: bool) -> None:
    """Something the archive shows changed (a program, links, a recap): build it again once
    this transaction commits, when there is a site."""
    if rebuild_site:
        await enqueue_site_rebuild(session)


# ---- the speaker's own say in Slack: `/wgml unpublish REF` and the buttons in `/wgml mine` --

# Statuses whose talk can still be on the archive (or come onto it): a button for each.
LISTABLE = (Status.PENDING_CONFIRMATION, Status.SUBMITTED, Status.ACCEPTED)
_PRESS_VALUE = re.compile(r"^([0-9]{1,12}):(yes|no)$")


@dataclass(frozen=True)
class PublishAnswer:
    """What to tell the member (bot.slack_ui.messages.publish_answer renders it).

    outcome: usage | not_a_ref | unknown | not_speaker | bad_value | no_user | changed |
    unchanged."""

    outcome: str
    ref: str = ""
    title: str = ""
    value: bool | None = None


def press_value(sid: int, value: bool) -> str:
    """A button's value: the talk and the consent it sets (a replay sets the same again)."""
    return f"{sid}:{'yes' if value else 'no'}"


async def unpublish_command(services: Services, user_id: str, rest: str) -> PublishAnswer:
    """`/wgml unpublish REF`: only the talk's speaker takes it off the public archive."""
    ref = clean_ref(rest)
    if not ref:
        return PublishAnswer("usage")
    if not REF.match(ref):
        return PublishAnswer("not_a_ref", ref=ref[:40])
    return await _change(services, user_id, select(Submission.id).where(Submission.ref == ref),
                         False, via="command", ref=ref)


async def publish_press(services: Services, user_id: str, value: str) -> PublishAnswer:
    """A button in `/wgml mine`: "SID:yes" lists the talk, "SID:no" takes it off."""
    match = _PRESS_VALUE.match(value or "")
    if match is None:
        return PublishAnswer("bad_value")
    sid = int(match.group(1))
    return await _change(services, user_id, select(Submission.id).where(Submission.id == sid),
                         match.group(2) == "yes", via="mine")


async def _change(services: Services, user_id: str, lookup: Any, value: bool, *, via: str,
                  ref: str = "") -> PublishAnswer:
    if not user_id:
        return PublishAnswer("no_user")
    async with services.db.transaction() as session:
        # Locked: a press and its retry, or two replicas, change it one after the other.
        sid = await session.scalar(lookup.with_for_update())
        sub = await session.get(Submission, sid, populate_existing=True) if sid else None
        if sub is None:
            return PublishAnswer("unknown", ref=ref)
        if sub.speaker.slack_user_id != user_id:
            log.info("event=publish.not_speaker user=%s ref=%s via=%s", user_id, sub.ref, via)
            await record(session, user_id, "publish.refused", submission_id=sub.id,
                         detail={"reason": "not_speaker", "via": via, "publish": value})
            return PublishAnswer("not_speaker", ref=sub.ref or "")
        done = await set_publish(session, sub, value, by=user_id, via=via, now=services.now(),
                                 rebuild_site=services.settings.site_dir is not None)
        return PublishAnswer("changed" if done.changed else "unchanged", ref=sub.ref or "",
                             title=sub.title, value=value)


PAGE_URL_MAX = 500  # a longer SITE_URL gets no links in Slack posts (their sections are sized)


def talk_page(site_url: str | None, sub: Submission) -> str | None:
    """The talk's page on the public archive (SITE_URL + talks/REF.html), for a talk whose
    speaker agreed to be listed; None otherwise, or when there is no SITE_URL."""
    if not site_url or sub.publish is not True or not sub.ref or not REF.match(sub.ref):
        return None
    url = f"{site_url if site_url.endswith('/') else site_url + '/'}talks/{sub.ref}.html"
    # Slack's link syntax (<url|label>) cannot hold these; SITE_URL is checked, but say why.
    if len(url) > PAGE_URL_MAX or any(c in url for c in "<>| \""):
        return None
    return url
