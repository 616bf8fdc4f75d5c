"""`wgml-bot email inspect | ingest | replay` as an operator runs them (subprocesses)."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

from bot.demo.emulator.slack import SlackEmulator
from tests.conftest import LEADS
from tests.email_helpers import FIXTURES, message, smtp_fixture  # noqa: F401 - fixture
from tests.mail_servers import SmtpServer

ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str, env: dict[str, str], cwd: Path, stdin: bytes | None = None
        ) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "bot", *args], env=env, cwd=cwd,
                          capture_output=True, timeout=120, check=False, input=stdin)


async def acli(*args: str, env: dict[str, str], cwd: Path, stdin: bytes | None = None
               ) -> subprocess.CompletedProcess[bytes]:
    """The command run while this loop keeps serving the Slack emulator it talks to."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, env=env, cwd=cwd, stdin=subprocess.PIPE,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = await asyncio.wait_for(proc.communicate(stdin), timeout=120)
    return subprocess.CompletedProcess(list(args), proc.returncode or 0, out, err)



def test_inspect_prints_the_contract_fields(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = cli("email", "inspect", str(FIXTURES / "outlook_web_html_only.eml"), env=env,
              cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert set(data) == {"from", "subject", "message_id", "in_reply_to", "auto_reply",
                         "reply_text", "fields"}
    assert data["from"] == "sam.lee@cloudfx.example" and data["auto_reply"] is False
    assert data["fields"]["focus_area"] == "infrastructure"
    assert "From:" not in data["reply_text"]
    missing = cli("email", "inspect", str(tmp_path / "nope.eml"), env=env, cwd=tmp_path)
    assert missing.returncode == 1 and b"no such file" in missing.stderr


async def test_ingest_by_email_alone_from_call_to_leaders(env: dict[str, str], tmp_path: Path,
                                                    smtp: SmtpServer,
                                                    slack: SlackEmulator) -> None:
    first = tmp_path / "reply.eml"
    first.write_bytes((FIXTURES / "gmail_template.eml").read_bytes())
    out = await acli("email", "ingest", str(first), env=env, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    line = json.loads(out.stdout)
    assert line["message_id"] == "<CAHtemplate01@mail.gmail.com>"
    assert line["outcome"] == "created" and line["submission"].startswith("WGML-")
    assert len(smtp.received) == 1  # delivered before the command exited
    request_id = smtp.received[0].message["Message-ID"]
    confirm = message("Mei Chen <mei.chen@gmail.com>", "yes, I confirm",
                      message_id="<CAconfirm@mail.gmail.com>", in_reply_to=request_id)
    out = await acli("email", "ingest", "-", env=env, cwd=tmp_path, stdin=confirm)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["outcome"] == "confirmed"
    assert len(slack.channel_messages(LEADS)) == 1
    assert len(smtp.received) == 2
    again = await acli("email", "ingest", str(first), env=env, cwd=tmp_path)
    assert json.loads(again.stdout)["outcome"] == "duplicate"
    replay = await acli("email", "replay", "--failed", env=env, cwd=tmp_path)
    assert replay.returncode == 0 and replay.stdout == b""
    unknown = await acli("email", "replay", "--id", "<nothing@here>", env=env, cwd=tmp_path)
    assert unknown.returncode == 1 and b"no stored message" in unknown.stderr
