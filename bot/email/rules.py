"""The email rules: what one parsed message does, in the caller's transaction.

A reply in a submission's thread edits or confirms it only from the speaker's own mailbox and
only when it answers a message the bot sent that speaker (a reference in the subject, or a
reply to the speaker's own message, is what a forger can write too); anything else becomes a
new, unconfirmed submission; each answer is threaded, marked Auto-Submitted and capped per
mailbox per day, and answers to strangers are capped per hour overall. A From header that
does not name exactly one mailbox unambiguously speaks for nobody: stored, never answered.
Lookups go through an IntakeCache, so a batch of messages reads each kind of thing once.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, replace

from sqlalchemy.ext.asyncio import AsyncSession

from bot.address import is_speakers_address, mailbox_key
from bot.audit import record
from bot.config import Settings
from bot.email import attachments, lists, session_texts, texts
from bot.email.answers import answer_sender, sent_answer, stranger_capped
from bot.email.cache import IntakeCache
from bot.email.fields import read_links, without_consent
from bot.email.reply import ParsedEmail
from bot.email.threads import answers_the_bot, thread_submission
from bot.guidelines import check
from bot.guidelines.stored import read_confirmed
from bot.mrkdwn import shorten
from bot.people.networking import asks_for_no_introductions, set_introductions
from bot.sessions import attendance
from bot.sessions import slides as slides_mod
from bot.talks.confirmation import classify_confirmation
from bot.talks.publish import set_publish
from bot.talks.status import Status
from bot.talks.submissions import LIMITS, confirm, make_ref
from bot.talks.unconfirmed import flag_unclear
from bot.talks.versions import (
    confirm_pending,
    drop_pending,
    edit_closed,
    pending_fields,
    pending_of,
    stage_pending,
)
from bot.wishes.answers import link_topic
from storage.models import Speaker, Submission
from storage.outbox import remember_thread_id

log = logging.getLogger("wgml.email")

_EDITABLE = ("title", "focus_area", "abstract", "results", "studio")


@dataclass(frozen=True)
class _Result:
    outcome: str
    submission: Submission | None = None
    ignored: bool = False



async def handle(session: AsyncSession, settings: Settings, parsed: ParsedEmail,
                 message_id: str, now: dt.datetime, cache: IntakeCache) -> _Result:
    """The rules for one parsed message, in the caller's transaction."""
    as_sent = lists.resolve(parsed.list_headers, parsed.auto_reason,
                            settings.mailing_list_address)
    if as_sent is None:  # our list's copy, its headers naming no sender: speaks for nobody
        return _Result("ignored_mailing_list", ignored=True)
    parsed = replace(parsed, **as_sent)
    bot = mailbox_key(settings.bot_email_address or "")
    if parsed.sender_problem and parsed.sender_problem != "no-from":
        # A forged or broken From: whoever it names may not be who sent it, so nobody is
        # answered and nothing is confirmed or changed; the raw message stays for a person.
        log.warning("event=email.ambiguous_sender message_id=%s problem=%s", message_id,
                    parsed.sender_problem)
        await record(session, "email:unknown", "email.ambiguous_sender",
                     detail={"message_id": message_id, "problem": parsed.sender_problem})
        return _Result("ignored_ambiguous_sender", ignored=True)
    if not parsed.sender:
        return _Result("ignored_no_sender", ignored=True)
    if bot and mailbox_key(parsed.sender) == bot:
        # speakers+x@ is still the bot's own mailbox: answering it would talk to itself.
        return _Result("ignored_own_message", ignored=True)
    if bot and any(mailbox_key(loop) == bot for loop in parsed.loops):
        return _Result("ignored_loop", ignored=True)  # X-Loop: the bot's mail came back
    if mailbox_key(parsed.sender) == mailbox_key(settings.mailing_list_address or ""):
        # A list that rewrites From (for DMARC) speaks for nobody in particular.
        return _Result("ignored_mailing_list", ignored=True)
    if parsed.auto_reply:
        return _Result(f"ignored_{(parsed.auto_reason or 'auto').replace('-', '_')}",
                       ignored=True)
    submission = await thread_submission(session, parsed)
    if submission is not None:
        if not is_speakers_address(submission.speaker.email, parsed.sender):
            # Only the speaker can confirm or change their talk; a colleague's "yes" is not it.
            await record(session, parsed.sender, "email.not_speaker",
                         submission_id=submission.id, detail={"message_id": message_id})
            return _Result("not_speaker", submission, ignored=True)
        if not await answers_the_bot(session, parsed, submission):
            # The talk's reference in a subject, or a reply to the speaker's own first
            # message, can be written by anyone who has seen (or guessed) them; only the
            # speaker's mailbox holds the bot's own Message-IDs.
            log.warning("event=email.not_a_reply_to_bot message_id=%s submission=%s",
                        message_id, submission.ref)
            await record(session, parsed.sender, "email.not_a_reply_to_bot",
                         submission_id=submission.id, detail={"message_id": message_id})
            return _Result("not_a_reply_to_bot", submission, ignored=True)
        result = await _in_thread(session, settings, parsed, message_id, submission, now, cache)
    else:
        result = await _new_submission(session, settings, parsed, message_id, now, cache)
    if result.submission is not None and asks_for_no_introductions(parsed.reply_text):
        # "No introductions" in the speaker's own words keeps them out of suggestions.
        await set_introductions(session, result.submission.speaker, allowed=False,
                                actor=parsed.sender)
    if result.submission is not None and not result.ignored and parsed.fields.get("topic"):
        # The speaker's `Topic:` line: the talk answers that wish. Never echoed back.
        await link_topic(session, result.submission.id, parsed.fields["topic"], parsed.sender,
                         now)
    consent = _consent(parsed)
    if result.submission is not None and not result.ignored and consent is not None:
        # The speaker's `Publish:` line, in a new talk or in a reply about theirs (only the
        # speaker's own mailbox, answering the bot, gets this far). Nothing unconfirmed is
        # ever published, so a forged new talk's consent publishes nothing.
        await set_publish(session, result.submission, consent, by=parsed.sender, via="email",
                          now=now, rebuild_site=settings.site_dir is not None)
    return result


def _consent(parsed: ParsedEmail) -> bool | None:
    value = parsed.fields.get("publish")
    return None if value is None else value == "yes"


async def _speaker(session: AsyncSession, parsed: ParsedEmail, studio: str,
                   cache: IntakeCache) -> Speaker:
    # Only an email-only speaker: the address typed into the Slack form is not verified, so
    # a Slack record carrying this address must never own (or confirm) what arrives by mail.
    speaker = await cache.speaker(parsed.sender)
    if speaker is None:
        speaker = Speaker(email=parsed.sender, name=shorten(parsed.sender_name, 200))
        session.add(speaker)
        cache.add_speaker(speaker)
    if not speaker.name:
        speaker.name = shorten(parsed.sender_name, 200)
    if studio:
        speaker.studio = studio
    return speaker


def _limited(fields: dict[str, str]) -> dict[str, str]:
    out = dict(fields)
    for key in ("title", "abstract", "results", "studio"):
        if key in out:
            out[key] = shorten(out[key], LIMITS[key])
    return out


async def _new_submission(session: AsyncSession, settings: Settings, parsed: ParsedEmail,
                          message_id: str, now: dt.datetime, cache: IntakeCache) -> _Result:
    taken = await cache.created_by(message_id)
    if taken is not None:  # a replay of the message that created it
        return _Result("duplicate", taken, ignored=True)
    fields = _limited(parsed.fields)
    title = fields.get("title") or shorten(texts.clean_subject(parsed.subject), LIMITS["title"])
    abstract = fields.get("abstract") or shorten(parsed.reply_text, LIMITS["abstract"])
    capped = await stranger_capped(settings, parsed, cache)
    if capped is not None:
        # Nothing is created: a talk whose request was never sent could never be confirmed.
        # The raw message is kept; `wgml-bot email replay --id` takes it up later.
        log.warning("event=email.capped message_id=%s sender=%s cap=%s", message_id,
                    parsed.sender, capped)
        await record(session, parsed.sender, "email.capped",
                     detail={"message_id": message_id, "cap": capped})
        return _Result(f"capped_{capped}", ignored=True)
    if not abstract.strip():
        await answer_sender(session, settings, parsed, message_id, None,
                            attachments.with_unread_notice(
                                texts.empty_message(parsed.sender_name),
                                attachments.unread(parsed.attachments)),
                            key="empty", now=now, cache=cache)
        return _Result("empty")
    public = lists.went_to_list(parsed.list_headers, settings.mailing_list_address)
    if public and (copy := await lists.earlier_copy(session, parsed.sender, abstract, now)):
        return _Result("duplicate_list_copy", copy, ignored=True)  # the other copy's twin
    speaker = await _speaker(session, parsed, fields.get("studio", ""), cache)
    cycle = await cache.cycle()
    submission = Submission(
        id=await cache.submission_id(), cycle=cycle, speaker=speaker,
        title=title or "(untitled)",
        focus_area=fields.get("focus_area") or "other", abstract=abstract,
        results=fields.get("results", ""), studio=fields.get("studio") or speaker.studio,
        source="email", status=Status.PENDING_CONFIRMATION, email_message_id=message_id,
        email_thread_ids={"ids": [message_id], "follow_ups": 0}, created_at=now,
        updated_at=now,
    )
    submission.ref = make_ref(submission)  # from the id chosen above: no flush needed
    session.add(submission)
    cache.add_created(message_id, submission)
    await record(session, parsed.sender, "submission.created", submission=submission,
                 detail={"source": "email", "ref": submission.ref, "message_id": message_id,
                         "attachments": parsed.attachments})
    text = texts.confirmation_request(submission, parsed.sender_name,
                                      cycle.title if cycle else None,
                                      check(submission.title, submission.abstract,
                                            submission.results))
    if public and settings.mailing_list_address:
        text = lists.with_public_notice(text, settings.mailing_list_address)
    text = attachments.with_unread_notice(text, attachments.unread(parsed.attachments))
    await answer_sender(session, settings, parsed, message_id, submission, text, key="request",
                  now=now, cache=cache)
    return _Result("created", submission)


async def _in_thread(session: AsyncSession, settings: Settings, parsed: ParsedEmail,
                     message_id: str, sub: Submission, now: dt.datetime,
                     cache: IntakeCache) -> _Result:
    remember_thread_id(sub, message_id)
    changes = {k: v for k, v in _limited(parsed.fields).items() if k in _EDITABLE}
    verdict = classify_confirmation(without_consent(parsed.reply_text))
    name = parsed.sender_name
    cycle_title = sub.cycle.title if sub.cycle else None
    if sub.status == Status.PENDING_CONFIRMATION:
        if changes:
            await _apply(session, sub, changes, parsed.sender, now)
        if verdict == "yes":
            await confirm(session, sub, actor=parsed.sender, now=now,
                          leadership_channel=settings.leadership_channel_id,
                          command=settings.slack_command)
            await read_confirmed(session, sub)
            await answer_sender(session, settings, parsed, message_id, sub,
                          texts.confirmed(sub, name, cycle_title), key="confirmed", now=now,
                          cache=cache)
            return _Result("confirmed", sub)
        if changes:
            await answer_sender(session, settings, parsed, message_id, sub,
                          texts.updated(sub, name, check(sub.title, sub.abstract, sub.results)),
                          key="updated", now=now, cache=cache)
            return _Result("updated", sub)
        thread = dict(sub.email_thread_ids or {})
        if int(thread.get("follow_ups", 0)) >= 1:
            # One polite follow-up, never a second: the speaker is not written to again, but
            # a talk that would otherwise wait for ever is put before a person, once.
            if verdict == "unclear":
                await flag_unclear(session, sub, channel=settings.leadership_channel_id,
                                   actor=parsed.sender, now=now)
            return _Result("unclear", sub)
        thread["follow_ups"] = int(thread.get("follow_ups", 0)) + 1
        sub.email_thread_ids = thread
        await answer_sender(session, settings, parsed, message_id, sub, texts.follow_up(sub, name),
                      key="follow_up", now=now, cache=cache)
        return _Result("follow_up", sub)
    return await _about_a_confirmed_talk(session, settings, parsed, message_id, sub, changes,
                                         verdict, now, cache)


async def _about_a_confirmed_talk(session: AsyncSession, settings: Settings,
                                  parsed: ParsedEmail, message_id: str, sub: Submission,
                                  changes: dict[str, str], verdict: str, now: dt.datetime,
                                  cache: IntakeCache) -> _Result:
    """Template lines about a confirmed talk make a version that waits for the speaker's
    confirmation; only an answer to the bot's request for it confirms (or drops) it."""
    name = parsed.sender_name
    closed = edit_closed(sub, now)
    pending = await pending_of(session, sub.id)
    if changes:
        if closed is not None:
            if pending is not None:
                await drop_pending(session, sub, pending, actor=parsed.sender, reason="closed")
            await answer_sender(session, settings, parsed, message_id, sub,
                          texts.edit_closed(sub, name, closed.reason), key="edit_closed",
                          now=now, cache=cache)
            return _Result(f"closed_{closed.reason}", sub)
        version = await stage_pending(session, sub, changes, actor=parsed.sender,
                                      channel="email", now=now)
        if version is None:
            if pending is not None:  # back to the confirmed text: nothing waits any more
                await drop_pending(session, sub, pending, actor=parsed.sender,
                                   reason="unchanged")
            await answer_sender(session, settings, parsed, message_id, sub,
                          texts.edit_unchanged(sub, name), key="edit_unchanged", now=now,
                          cache=cache)
            return _Result("unchanged", sub)
        request_id = await answer_sender(
            session, settings, parsed, message_id, sub,
            texts.edit_request(sub, version, pending_fields(sub, version), name,
                               check(version.title, version.abstract, version.results)),
            key="edit_request", now=now, cache=cache)
        if request_id is None:
            # A replay of this very message: its request was sent before, for this same text.
            request_id = await sent_answer(session, "edit_request", message_id)
        # Only an answer to this very request confirms this text (None while capped: the
        # speaker's next edit asks again).
        version.request_message_id = request_id
        return _Result("edit_pending", sub)
    if pending is not None and verdict in ("yes", "no"):
        nearest = parsed.thread_ids()[:1]
        if not pending.request_message_id or nearest != [pending.request_message_id]:
            # A "yes" to an older message (or a forwarded one) is not about this text.
            await answer_sender(session, settings, parsed, message_id, sub,
                          texts.edit_answer_the_request(sub, name), key="edit_elsewhere",
                          now=now, cache=cache)
            return _Result("edit_not_this_request", sub)
        if closed is not None or verdict == "no":
            await drop_pending(session, sub, pending, actor=parsed.sender,
                               reason="closed" if closed is not None else "speaker_said_no")
            text = (texts.edit_closed(sub, name, closed.reason) if closed is not None
                    else texts.edit_dropped(sub, name))
            await answer_sender(session, settings, parsed, message_id, sub, text,
                          key="edit_dropped", now=now, cache=cache)
            return _Result("edit_dropped", sub)
        fields = await confirm_pending(session, sub, pending, actor=parsed.sender, now=now,
                                       leadership_channel=settings.leadership_channel_id,
                                       rebuild_site=settings.site_dir is not None)
        await read_confirmed(session, sub)
        await answer_sender(session, settings, parsed, message_id, sub,
                      texts.edit_confirmed(sub, name, fields, pending.n),
                      key="edit_confirmed", now=now, cache=cache)
        return _Result("edit_confirmed", sub)
    if sub.status == Status.ACCEPTED and not changes and read_links(parsed.reply_text):
        return await _links(session, settings, parsed, message_id, sub, now, cache)
    consent = _consent(parsed)
    if consent is not None and not changes and \
            sub.status in (Status.SUBMITTED, Status.ACCEPTED):
        # Only a `Publish:` line: never read as an answer about presenting ("no").
        # handle() records it.
        await answer_sender(session, settings, parsed, message_id, sub,
                            session_texts.consent_noted(sub, name, consent),
                            key="publish_noted", now=now, cache=cache)
        return _Result("publish_noted", sub)
    if sub.status == Status.ACCEPTED and pending is None:
        return await _attendance(session, settings, parsed, message_id, sub, now, cache)
    if sub.status in (Status.SUBMITTED, Status.ACCEPTED):
        return _Result("already_confirmed" if verdict == "yes" else "noted", sub)
    return _Result(f"closed_{sub.status}", sub)


async def _attendance(session: AsyncSession, settings: Settings, parsed: ParsedEmail,
                      message_id: str, sub: Submission, now: dt.datetime,
                      cache: IntakeCache) -> _Result:
    """An accepted talk's speaker answering whether they will present (bot.sessions)."""
    verdict = attendance.classify_answer(without_consent(parsed.reply_text))
    if verdict == "unclear":
        return _Result("noted", sub)
    outcome = await attendance.answer(session, sub, verdict, actor=parsed.sender, now=now,
                                      leadership_channel=settings.leadership_channel_id)
    if outcome in (attendance.CONFIRMED, attendance.DECLINED):
        await answer_sender(session, settings, parsed, message_id, sub,
                      session_texts.attendance_reply(sub, outcome, parsed.sender_name),
                      key=f"attendance_{outcome}", now=now, cache=cache)
    return _Result(f"attendance_{outcome}", sub)


async def _links(session: AsyncSession, settings: Settings, parsed: ParsedEmail,
                 message_id: str, sub: Submission, now: dt.datetime,
                 cache: IntakeCache) -> _Result:
    """`Slides:` / `Recording:` lines after the session, with the no-confidential word."""
    found = read_links(parsed.reply_text)
    slides, bad_slides = slides_mod.check_url(found.get("slides_url"))
    recording, bad_recording = slides_mod.check_url(found.get("recording_url"))
    confirmed = slides_mod.email_confirms(parsed.reply_text)
    if bad_slides or bad_recording or not confirmed or not (slides or recording):
        why = bad_slides or bad_recording or (
            "Please add the line \"I confirm my slides hold no confidential information\"."
            if not confirmed else "I found no link.")
        await answer_sender(session, settings, parsed, message_id, sub,
                      session_texts.links_refused(sub, parsed.sender_name, why),
                      key="links_refused", now=now, cache=cache)
        return _Result("links_refused", sub)
    consent = _consent(parsed)
    if consent is not None:  # recorded before the links, so a consent's links go on the site
        await set_publish(session, sub, consent, by=parsed.sender, via="email", now=now,
                          rebuild_site=settings.site_dir is not None)
    await slides_mod.store(session, sub, slides, recording, actor=parsed.sender, now=now,
                           rebuild_site=settings.site_dir is not None)
    await answer_sender(session, settings, parsed, message_id, sub,
                  session_texts.links_saved(sub, parsed.sender_name, consent),
                  key="links_saved", now=now, cache=cache)
    return _Result("links_saved", sub)


async def _apply(session: AsyncSession, sub: Submission, changes: dict[str, str], actor: str,
                 now: dt.datetime) -> None:
    for key, value in changes.items():
        setattr(sub, key, value)
    if "studio" in changes:
        sub.speaker.studio = changes["studio"]
    sub.updated_at = now
    await record(session, actor, "submission.updated", submission_id=sub.id,
                 detail={"fields": sorted(changes), "source": "email"})
