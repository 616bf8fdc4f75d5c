"""What `wgml-bot run --http` holds in memory once it is up and idle: no module a service
does not use while it waits (bench/footprint.py measures what they weigh).

The service is started for real (SQLite, no IMAP_HOST, Slack's API on a closed port), asked
/healthz, left idle a moment, and its `sys.modules` read: so imports made at start-up, not
only at import time, count. A feature that needs one of these modules imports it in the
function that uses it (see `storage/upsert.py`, `bot/email/capped.py`,
`bot.app.service._imap_intake`), not at the top of a module `run` loads; a Slack listener
imports what it answers with inside the listener (handlers/__init__.py).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bench.common import clean_env
from bot.cli.main import COMMANDS
from bot.demo.standins import free_port

# Whole packages a service at rest never needs.
PACKAGES = (
    "alembic", "mako",  # migrations: `wgml-bot db`; the schema check reads the scripts itself
    "rich", "icalendar", "jinja2",  # command-line tables, calendars, the site's templates
    "aiosmtpd", "pymap",  # the demo's stand-ins
    "asyncpg",  # configured for SQLite here
    "hypothesis", "pytest", "grimp", "pyinstrument",
)
# The project's own modules (and their submodules) that only other commands or rare work use.
MODULES = (
    "bot.demo", "bot.site", "bot.guidelines",
    "bot.talks.export", "bot.talks.export_write", "bot.wishes", "bot.subprojects.export",
    "bot.email.intake", "bot.email.reply", "bot.email.rules", "handlers.email.imap",
    # What the Slack listeners answer with, loaded at each one's first request (issue 29):
    # the press path, the leaders' and speakers' screens, the views.
    "bot.curation.actions", "bot.curation.vote_batch", "bot.curation.review",
    "bot.curation.notes", "bot.curation.program", "bot.people",
    "bot.talks.submissions", "bot.talks.cycles", "bot.talks.publish", "bot.talks.edit",
    "bot.sessions.attendance", "bot.sessions.slides", "bot.sessions.program",
    "bot.subprojects.store", "bot.subprojects.launch",
    "bot.slack_ui.blocks", "bot.slack_ui.home", "bot.slack_ui.form", "bot.slack_ui.said",
    "bot.slack_ui.messages", "bot.slack_ui.review", "bot.slack_ui.subprojects",
    "bot.slack_ui.wishes", "bot.email.said", "bot.email.texts",
    # The deliverer's renderers (at the first card or message to send) and the jobs' code
    # (when one runs; none is due here, the database has no cycle).
    "scheduler.outbox_cards", "scheduler.outbox_slots", "scheduler.cycle_jobs",
    "scheduler.session_jobs", "scheduler.digest", "scheduler.decide", "scheduler.texts",
    "scheduler.call_topics",
    "sqlalchemy.dialects.postgresql",  # the SQLite service never speaks PostgreSQL
    "html.parser",  # HTML mail is parsed by the intake only
    *(c.module for c in COMMANDS.values() if c.name != "run"),
)

PROBE = """
import os, sys, threading, time, urllib.request
port = sys.argv[1]
def watch():
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5).read()
            break
        except Exception:
            time.sleep(0.05)
    else:
        print("NEVER-HEALTHY", flush=True)
        os._exit(2)
    time.sleep(1.0)  # idle: the scheduler's first tick and the deliverer's first poll done
    print(" ".join(sorted(sys.modules)), flush=True)
    os._exit(0)
threading.Thread(target=watch, daemon=True).start()
from bot.cli.main import main
sys.exit(main(["run", "--http", "--port", port]))
"""


def _unwanted(loaded: set[str]) -> list[str]:
    return sorted(
        name for name in loaded
        if name.split(".")[0] in PACKAGES
        or any(name == m or name.startswith(m + ".") for m in MODULES)
    )


def test_the_idle_service_holds_no_module_it_does_not_use(tmp_path: Path) -> None:
    env = clean_env(DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'idle.db'}",
                    SLACK_BOT_TOKEN="xoxb-idle", SLACK_SIGNING_SECRET="idle-secret",
                    SLACK_API_URL="http://127.0.0.1:9/api/", LEADERSHIP_CHANNEL_ID="CLEADS")
    env.pop("IMAP_HOST", None)
    env["LOG_LEVEL"] = "ERROR"
    subprocess.run([sys.executable, "-m", "bot", "db", "upgrade"], env=env, cwd=tmp_path,
                   check=True, capture_output=True)
    proc = subprocess.run([sys.executable, "-c", PROBE, str(free_port())], env=env,
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    loaded = set(proc.stdout.split())
    assert {"slack_bolt", "sqlalchemy", "apscheduler", "bot.app.service"} <= loaded
    assert _unwanted(loaded) == [], (
        "`wgml-bot run` loads modules it does not use at rest; import them where they are "
        "used (inside the function), not at module level")


def test_the_probe_sees_what_it_looks_for() -> None:
    # The check itself: a module from the list is found, and so is its submodule.
    assert _unwanted({"jinja2", "bot.site.build", "bot.cli.export", "bot.cli.run",
                      "sqlalchemy.dialects.sqlite"}) == ["bot.cli.export", "bot.site.build",
                                                         "jinja2"]
