"""The mail servers tests start (Dovecot, pymap) end with the test run, however it ends:
pytest-timeout's thread method leaves with os._exit, which runs no atexit and no finally."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

from tests.mail_servers import DOVECOT

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import asyncio, os
from bot.demo.standins import ImapStandIn
from tests.mail_servers import DOVECOT, Dovecot

async def main():
    imap = await ImapStandIn("user", "pass").start()
    print("pymap", imap.port, flush=True)
    if DOVECOT:
        dovecot = Dovecot().start()
        print("dovecot", dovecot.port, dovecot.dir, flush=True)
    os._exit(1)

asyncio.run(main())
"""


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def test_servers_stop_when_the_process_that_started_them_dies() -> None:
    result = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True,
                            text=True, timeout=90, check=False)
    lines = [line.split() for line in result.stdout.splitlines()]
    ports = {words[0]: int(words[1]) for words in lines}
    assert "pymap" in ports, result.stderr[-2000:]
    if DOVECOT:
        assert "dovecot" in ports, result.stderr[-2000:]
    try:
        for _ in range(200):  # a hang detector, not a speed requirement
            alive = [name for name, port in ports.items() if _listening(port)]
            if not alive:
                break
            time.sleep(0.1)
        assert not alive, f"still running after the test run died: {alive}"
    finally:
        for words in lines:
            if words[0] == "dovecot":
                shutil.rmtree(words[2], ignore_errors=True)
