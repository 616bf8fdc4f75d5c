"""What a new sub-project sends, queued in the transaction that attaches its channel: the
evidence post, the invitations (Slack and email), the announcement (channel and list) and
the leader's confirmation. Every message has an idempotency key naming the sub-project, so
nothing is sent twice, and an invitation to a member is one whatever asks for it (a
speaker's talk, the interest button)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.email.subproject_texts import list_announcement, speaker_invitation
from bot.slack_ui.subprojects import created_answer, evidence_post, invitation_post
from bot.subprojects.launch import Evidence
from storage.models import Subproject
from storage.outbox import KIND_INVITE, enqueue, enqueue_email, enqueue_slack_message


def invite_key(subproject_id: int, user: str) -> str:
    return f"subproject:{subproject_id}:invite:{user}"


async def queue_invite(session: AsyncSession, row: Subproject, user: str) -> bool:
    """Ask Slack to add `user` to the channel, once per member; False if asked before."""
    assert row.channel_id is not None
    queued = await enqueue(session, kind=KIND_INVITE, lane=f"slack:{row.channel_id}",
                           payload={"channel": row.channel_id, "users": user},
                           key=invite_key(row.id, user))
    return queued is not None


async def queue_launch(session: AsyncSession, settings: Settings, row: Subproject,
                       ev: Evidence) -> None:
    assert row.channel_id is not None
    sp, channel = row.id, row.channel_id
    text, blocks = evidence_post(row.name, row.statement, ev, row.created_by,
                                 settings.slack_command, sp)
    # The evidence first, in the channel's lane: whoever is invited finds it there.
    await enqueue_slack_message(session, channel=channel, text=text, blocks=blocks,
                                key=f"subproject:{sp}:evidence")
    for user in ev.slack_invites:
        await queue_invite(session, row, user)
    emailed = 0
    if settings.bot_email_address:
        for invite in ev.email_invites:
            subject, body = speaker_invitation(row.name, invite.name, invite.titles,
                                               row.statement, channel, row.channel_name)
            thread = [invite.thread_id] if invite.thread_id else None
            await enqueue_email(
                session, to=[invite.address], subject=subject, text=body,
                domain=settings.email_domain, reply_to=settings.bot_email_address,
                in_reply_to=invite.thread_id, references=thread,
                auto_submitted="auto-generated",
                key=f"subproject:{sp}:email:{invite.address.strip().lower()}")
            emailed += 1
    talks = len(ev.named) + ev.hidden
    if settings.announce_channel_id:
        text, blocks = invitation_post(sp, row.name, row.statement, channel,
                                       row.channel_name, talks, ev.studios)
        await enqueue_slack_message(session, channel=settings.announce_channel_id, text=text,
                                    blocks=blocks, key=f"subproject:{sp}:announce")
    if settings.mailing_list_address and settings.bot_email_address:
        subject, body = list_announcement(row.name, row.statement, channel, row.channel_name,
                                          talks, ev.studios)
        await enqueue_email(session, to=[settings.mailing_list_address], subject=subject,
                            text=body, domain=settings.email_domain,
                            reply_to=settings.bot_email_address, key=f"subproject:{sp}:list")
    invited = len([u for u in ev.slack_invites if u != row.created_by])
    await enqueue_slack_message(
        session, channel=row.created_by,
        text=created_answer(row.name, channel, row.channel_name, invited, emailed, ev.hidden),
        key=f"subproject:{sp}:created")
