"""`wgml-bot site build DIR`: the public archive as a static website in DIR (docs/site.md)."""

from __future__ import annotations

import argparse

from bot.cli.common import CommandRunner, UserError, with_db
from bot.config import Settings
from bot.site import SiteError, build_site
from storage.db import Database


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="site_command", metavar="ACTION", required=True)
    build = actions.add_parser(
        "build", help="write the site into DIR (created when missing; only the site's own "
                      "files are replaced, each atomically)",
        description="Write the public archive into DIR: index.html, talks/REF.html, "
                    "sessions/ID.html, feed.ics, feed.xml, talks.json, site.css, site.js.")
    build.add_argument("dir", metavar="DIR", help="the folder a web server serves")


async def run(args: argparse.Namespace, settings: Settings, cli: CommandRunner) -> int:
    async def go(db: Database) -> int:
        try:
            built = await build_site(db, args.dir, settings)
        except SiteError as exc:
            raise UserError(str(exc)) from None
        print(built.line())
        return 0

    return await with_db(settings, go)
