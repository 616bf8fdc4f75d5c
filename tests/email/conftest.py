"""The environment `wgml-bot email ...` (and `tick`) run in as a subprocess: the test's
database (upgraded), the SMTP server and the Slack emulator; nothing from the developer's."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.demo.emulator.slack import SlackEmulator
from tests.conftest import LEADS, TOKEN
from tests.mail_servers import SmtpServer

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def env(db_url: str, smtp: SmtpServer, slack: SlackEmulator, tmp_path: Path) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items()
            if not k.startswith(("SLACK_", "SMTP_", "IMAP_", "WGML_", "EMAIL_"))}
    base.update(DATABASE_URL=db_url, PYTHONPATH=str(ROOT), SMTP_HOST="127.0.0.1",
                SMTP_PORT=str(smtp.port), SMTP_STARTTLS="false",
                BOT_EMAIL_ADDRESS="wgml-bot@example.org", SLACK_BOT_TOKEN=TOKEN,
                SLACK_API_URL=slack.url, LEADERSHIP_CHANNEL_ID=LEADS)
    upgrade = subprocess.run([sys.executable, "-m", "bot", "db", "upgrade"], env=base,
                             cwd=tmp_path, capture_output=True, timeout=120, check=False)
    assert upgrade.returncode == 0, upgrade.stderr.decode()[-2000:]
    return base
