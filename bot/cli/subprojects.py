"""`wgml-bot subproject list | set ID --status S [--repo URL]`: the sub-projects leaders
started from common pain points (docs/subprojects.md)."""

from __future__ import annotations

import argparse
import sys

from bot.cli.common import CommandRunner, UserError, now_utc, print_json, record_id, with_db
from bot.config import Settings
from bot.slack_ui.subprojects import status_note
from bot.subprojects.export import subprojects_json
from bot.subprojects.store import STATUSES, set_status
from storage.db import Database
from storage.outbox import enqueue_slack_message


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="subproject_command", required=True, metavar="ACTION")
    listing = actions.add_parser("list", help="every sub-project, its channel and status")
    listing.add_argument("--format", choices=["text", "json"], default="text",
                         help="text for people, json for scripts")
    setting = actions.add_parser("set", help="set a sub-project's status")
    setting.add_argument("id", type=record_id, help="the sub-project's id (see list)")
    setting.add_argument("--status", required=True, choices=STATUSES,
                         help="proposed, active, graduated (an ASWF project) or closed")
    setting.add_argument("--repo", help="the repository's URL (needed to graduate)")


def _line(text: str) -> str:
    return " ".join(text.split())[:120]


async def run(args: argparse.Namespace, settings: Settings, cli: CommandRunner) -> int:
    async def go(db: Database) -> int:
        if args.subproject_command == "list":
            async with db.session() as session:
                rows = await subprojects_json(session)
            if args.format == "json":
                print_json({"subprojects": rows})
                return 0
            if not rows:
                sys.stdout.write("No sub-project yet: `wgml-bot themes` lists candidates; "
                                 "leaders propose them from `/wgml themes`.\n")
            for r in rows:
                repo = f" {r['repo_url']}" if r["repo_url"] else ""
                sys.stdout.write(
                    f"{r['id']}\t{r['status']}\t#{r['channel_name']} ({r['channel']})\t"
                    f"{_line(r['name'])}\t{len(r['talks'])} talks\t"
                    f"{len(r['interested'])} interested{repo}\n")
            return 0
        async with db.transaction() as session:
            change = await set_status(session, args.id, args.status, args.repo, "operator",
                                      now_utc())
            if change.error is not None:
                raise UserError(change.error)
            if change.channel_id and change.before != change.after:
                await enqueue_slack_message(
                    session, channel=change.channel_id,
                    text=status_note(change.name, change.before, change.after,
                                     change.repo_url, None),
                    key=f"subproject:{change.subproject_id}:status:{now_utc().isoformat()}")
        sys.stdout.write(f"sub-project {change.subproject_id} ({_line(change.name)}): "
                         f"{change.before} -> {change.after}"
                         + (f", repository {change.repo_url}" if change.repo_url else "")
                         + "\n")
        return 0

    return await with_db(settings, go)
