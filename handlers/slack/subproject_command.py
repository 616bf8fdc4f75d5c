"""`/wgml subproject [ID status proposed|active|graduated|closed [REPO_URL]]`: the leaders
list sub-projects and move them through their lifecycle; the channel hears each change."""

from __future__ import annotations

from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.digits import is_number
from bot.leaders import leaders_only
from bot.mrkdwn import escape
from bot.services import Services
from bot.subprojects.status import STATUSES
from handlers.slack.payload import text
from handlers.slack.respond import Ack, reply
from storage.outbox import enqueue_slack_message


def usage(command: str) -> str:
    return (f"`{command} subproject ID status {'|'.join(STATUSES)} [REPO_URL]` sets a "
            f"sub-project's status (leaders; graduated needs the ASWF repository's URL). "
            f"`{command} subproject` lists them.")


async def subproject_command(services: Services, command: dict[str, Any], rest: str,
                             ack: Ack, client: AsyncWebClient) -> None:
    from bot.slack_ui.subprojects import status_note
    from bot.subprojects.store import set_status, summaries

    name = services.settings.slack_command
    user = text(command, "user_id")
    _, refused = await leaders_only(
        services.leaders, services.settings.leadership_channel_id, user,
        f"`{name} subproject` is for the WG-ML leaders (the members of the leadership "
        "channel).")
    if refused is not None:
        await reply(ack, refused)
        return
    words = rest.split()
    if not words or words == ["list"]:
        async with services.db.session() as session:
            rows = await summaries(session)
        if not rows:
            await reply(ack, "No sub-project yet: `" + name + " themes` shows candidates, each "
                        "with a \"Propose a sub-project\" button.\n" + usage(name))
            return
        lines = [f"• {r.id}: *{escape(r.name[:100])}* <#{r.channel_id}|{r.channel_name}> · "
                 f"{r.status} · {len(r.talk_ids)} talks · {len(r.interested)} interested"
                 for r in rows[:40]]
        await reply(ack, "\n".join(["*Sub-projects*", *lines, usage(name)]))
        return
    if len(words) not in (3, 4) or not is_number(words[0]) or words[1].lower() != "status":
        await reply(ack, usage(name))
        return
    status = words[2].lower()
    repo = words[3].strip("<>") if len(words) == 4 else None
    async with services.db.transaction() as session:
        change = await set_status(session, int(words[0]), status, repo, user, services.now())
        if change.error is None and change.channel_id and change.before != change.after:
            await enqueue_slack_message(
                session, channel=change.channel_id,
                text=status_note(change.name, change.before, change.after, change.repo_url,
                                 user),
                key=f"subproject:{change.subproject_id}:status:{services.now().isoformat()}")
    if change.error is not None:
        await reply(ack, f"Nothing changed: {escape(change.error)}.\n" + usage(name))
        return
    services.deliverer.kick()
    await reply(ack, f"*{escape(change.name[:150])}* is now *{change.after}*"
                + (f" (repository {escape(change.repo_url)})" if change.repo_url else "")
                + ".")
