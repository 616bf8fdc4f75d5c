"""`wgml-bot check-config`: what is missing or unreachable, one line each."""

from __future__ import annotations

import argparse
import logging

from bot.app.checks import connection_checks
from bot.cli.common import CommandRunner
from bot.config import ConfigError, Settings, settings_despite_errors, static_checks


def add_arguments(parser: argparse.ArgumentParser) -> None:
    pass


async def run(args: argparse.Namespace, settings: Settings, cli: CommandRunner) -> int:
    # slack_sdk narrates its retries at INFO; the check's own line says what happened.
    logging.getLogger("slack_sdk").setLevel(logging.WARNING)
    # Read again, keeping going past invalid values: one bad setting must not hide the rest.
    try:
        settings, invalid = settings_despite_errors()
    except ConfigError as exc:  # not one setting's value: nothing else can be checked
        for problem in exc.problems:
            print(f"FAIL {problem}")
        return 1
    checks = static_checks(settings, invalid)
    checks += await connection_checks(settings, skip=set(invalid))
    for check in checks:
        print(check.line())
    return 0 if all(c.ok for c in checks) else 1
