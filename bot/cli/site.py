"""`wgml-bot site build DIR [--now ISO-8601]`: the public archive as a static website in DIR
(docs/site.md)."""

from __future__ import annotations

import argparse
import datetime as dt

from bot.cli.common import CommandRunner, UserError, with_db
from bot.config import Settings
from bot.site import SiteError, build_site
from bot.talks.cycles import parse_instant
from bot.talks.errors import CycleError
from storage.db import Database


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="site_command", metavar="ACTION", required=True)
    build = actions.add_parser(
        "build", help="write the site into DIR (created when missing; only the site's own "
                      "files are replaced, each atomically)",
        description="Write the public archive into DIR: index.html, talks/REF.html, "
                    "sessions/ID.html, feed.ics, feed.xml, talks.json, site.css, site.js.")
    build.add_argument("dir", metavar="DIR", help="the folder a web server serves")
    build.add_argument("--now", help="ISO-8601 instant the site is built as of (which "
                                     "sessions are ahead or past); unset: the current time")


def _now(value: str | None, settings: Settings) -> dt.datetime | None:
    if not value:
        return None
    try:
        return parse_instant(value, settings.zone, "--now")
    except CycleError as exc:
        raise UserError(str(exc)) from None


async def run(args: argparse.Namespace, settings: Settings, cli: CommandRunner) -> int:
    if not str(args.dir).strip():
        raise UserError("site build wants a directory, e.g. wgml-bot site build public/")
    now = _now(args.now, settings)

    async def go(db: Database) -> int:
        try:
            built = await build_site(db, args.dir, settings, now=now)
        except SiteError as exc:
            raise UserError(str(exc)) from None
        print(built.line())
        return 0

    return await with_db(settings, go)
