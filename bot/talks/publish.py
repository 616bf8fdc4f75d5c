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

from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit import record
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
    if rebuild_site:
        await enqueue_site_rebuild(session)
    log.info("event=publish.set ref=%s publish=%s previous=%s via=%s", sub.ref, value,
             previous, via)
    return PublishSet(sub.ref or "", value, previous, True)


async def site_changed(session: AsyncSession, rebuild_site: bool) -> None:
    """Something the archive shows changed (a program, links, a recap): build it again once
    this transaction commits, when there is a site."""
    if rebuild_site:
        await enqueue_site_rebuild(session)
