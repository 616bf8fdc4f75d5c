"""`wgml-bot check-config`: what is missing or unreachable, one line each."""

from __future__ import annotations

import argparse

from bot.app.checks import connection_checks
from bot.cli.common import CommandRunner
from bot.config import Settings, static_checks


def add_arguments(parser: argparse.ArgumentParser) -> None:
    pass


async def run(args: argparse.Namespace, settings: Settings, cli: CommandRunner) -> int:
    checks = static_checks(settings)
    checks += await connection_checks(settings)
    for check in checks:
        print(check.line())
    return 0 if all(c.ok for c in checks) else 1

