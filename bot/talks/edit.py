"""Editing a talk in Slack: `/wgml edit REF` (and the Edit buttons) open the form filled in;
its submission, with the confidentiality box ticked, is a new confirmed version."""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit import record
from bot.talks.said import EditRefused, EditSaved, EditUnchanged
from bot.talks.submissions import Draft, confirm
from bot.talks.versions import apply_confirmed, changed_fields, edit_closed
from storage.models import Submission
from storage.outbox import enqueue_slack_message

log = logging.getLogger("wgml.edit")

REF = re.compile(r"^[A-Z]{2,10}-[0-9]{4}-[0-9]{1,9}$")


@dataclass(frozen=True)
class Editable:
    """The talk a member asked to edit, or (submission None) what to tell them."""

    submission: Submission | None
    refusal: EditRefused | None = None


@dataclass(frozen=True)
class Edited:
    outcome: str  # saved | unchanged | confirmed | refused
    refusal: EditRefused | None = None
    fields: list[str] = field(default_factory=list)


def clean_ref(rest: str) -> str:
    return rest.strip().strip("`").upper()


async def editable(session: AsyncSession, ref: str, user_id: str, now: dt.datetime,
                   command: str, *, lock: bool = False) -> Editable:
    """Only the talk's own speaker, and only while it is open for edits."""
    if not ref:
        return Editable(None, EditRefused("usage", command))
    if not REF.match(ref):
        return Editable(None, EditRefused("bad_ref", command, ref))
    query = select(Submission.id).where(Submission.ref == ref)
    sub_id = await session.scalar(query.with_for_update() if lock else query)
    sub = await session.get(Submission, sub_id, populate_existing=lock) if sub_id else None
    if sub is None:
        return Editable(None, EditRefused("not_found", command, ref))
    if not user_id or sub.speaker.slack_user_id != user_id:
        log.info("event=edit.not_speaker user=%s ref=%s", user_id, ref)
        return Editable(None, EditRefused("not_yours", command, ref))
    closed = edit_closed(sub, now)
    if closed is not None:
        return Editable(None, EditRefused("closed", command, sub.ref or ref, sub.title,
                                        closed.reason))
    return Editable(sub)


async def edit_from_slack(session: AsyncSession, *, user_id: str, ref: str, draft: Draft,
                          now: dt.datetime, leadership_channel: str | None,
                          command: str = "/wgml", view_id: str = "",
                          rebuild_site: bool = False) -> Edited:
    """Store the edited form (already validated, its box ticked) as the talk's new text.
    `view_id` keys the speaker's DM: a form Slack delivers twice is answered once;
    `rebuild_site` (SITE_DIR is set): a published talk's new text goes on the archive."""
    dm_key = f"dm:edited:{view_id}" if view_id else None
    found = await editable(session, clean_ref(ref), user_id, now, command, lock=True)
    sub = found.submission
    if sub is None:
        await record(session, user_id, "edit.refused", detail={"ref": ref[:40]})
        return Edited("refused", found.refusal)
    speaker = sub.speaker
    if draft.email:
        speaker.email = draft.email.lower()
    if draft.studio:
        speaker.studio = draft.studio
    speaker.networking_opt_out = draft.networking_opt_out
    new = {"title": draft.title, "focus_area": draft.focus_area, "abstract": draft.abstract,
           "results": draft.results, "studio": draft.studio}
    if not sub.confidentiality_confirmed:
        # Never confirmed before: this text, confirmed in the form, is its version 1.
        fields = changed_fields(sub, new)
        for name in fields:
            setattr(sub, name, new[name])
        sub.updated_at = now
        await record(session, user_id, "submission.updated", submission_id=sub.id,
                     detail={"fields": fields, "source": "slack"})
        await confirm(session, sub, actor=user_id, now=now,
                      leadership_channel=leadership_channel, command=command)
        return Edited("confirmed", fields=fields)
    fields, n = await apply_confirmed(session, sub, new, actor=user_id, channel="slack",
                                      now=now, leadership_channel=leadership_channel,
                                      rebuild_site=rebuild_site)
    if not fields:
        await enqueue_slack_message(session, channel=user_id,
                                    said=EditUnchanged(sub.ref or f"#{sub.id}"), key=dm_key)
        return Edited("unchanged")
    await enqueue_slack_message(session, channel=user_id,
                                said=EditSaved(sub.ref or f"#{sub.id}", sub.title, fields,
                                                     n, command),
                                key=dm_key or f"dm:edited:{sub.id}:{n}")
    return Edited("saved", fields=fields)
