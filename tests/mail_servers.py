"""Real mail servers for tests: aiosmtpd in-process, and a throw-away Dovecot."""

from __future__ import annotations

import asyncio
import atexit
import email
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

from bot.demo.standins import free_port, tethered

TEMPLATE = Path(__file__).parent / "dovecot" / "dovecot.conf.template"
DOVECOT = shutil.which("dovecot") or ("/usr/sbin/dovecot" if Path("/usr/sbin/dovecot").exists()
                                     else None)
DOVEADM = shutil.which("doveadm") or ("/usr/bin/doveadm" if Path("/usr/bin/doveadm").exists()
                                     else None)



@dataclass
class Received:
    envelope_from: str
    recipients: list[str]
    message: Message


@dataclass
class SmtpHandler:
    """Records what it receives; `fail_next` answers the next DATA with a code instead."""

    received: list[Received] = field(default_factory=list)
    fail_next: list[str] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.fail_next:
            return self.fail_next.pop(0)
        self.received.append(Received(
            envelope.mail_from, list(envelope.rcpt_tos),
            email.message_from_bytes(envelope.original_content or envelope.content),
        ))
        return "250 OK"


class SmtpServer:
    def __init__(self) -> None:
        self.handler = SmtpHandler()
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def start(self) -> SmtpServer:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    @property
    def received(self) -> list[Received]:
        return self.handler.received

    async def wait_for(self, count: int, timeout: float = 10.0,
                       to: str | None = None) -> list[Received]:
        """The first `count` messages (to `to` only, when given: the live scheduler may mail
        the call for speakers to the list at any moment)."""
        deadline = time.monotonic() + timeout

        def wanted() -> list[Received]:
            return [r for r in self.received
                    if to is None or to.lower() in (x.lower() for x in r.recipients)]

        while len(wanted()) < count:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{len(wanted())} of {count} emails received")
            await asyncio.sleep(0.02)
        return wanted()


class Dovecot:
    """Dovecot on a free port with one user, from the template known to start here."""

    user = "bot"
    password = "secret"

    def __init__(self, extra_conf: str = "") -> None:
        self.extra_conf = extra_conf
        self.dir = Path(tempfile.mkdtemp(prefix="wgml-dovecot-"))
        self.port = free_port()
        self.conf = self.dir / "dovecot.conf"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> Dovecot:
        assert DOVECOT
        text = TEMPLATE.read_text().replace("@DIR@", str(self.dir)).replace(
            "@PORT@", str(self.port))
        self.conf.write_text(text + self.extra_conf)
        # Dovecot's auth and mail processes run as unprivileged users: let them in.
        self.dir.chmod(0o755)
        (self.dir / "users").write_text(f"{self.user}:{{PLAIN}}{self.password}\n")
        (self.dir / "users").chmod(0o644)
        (self.dir / "mail").mkdir()
        (self.dir / "run").mkdir()
        subprocess.run(["chown", "-R", "dovecot:dovecot", str(self.dir / "mail")], check=True)
        # In the foreground under a watchdog rather than as a daemon: a test run that dies
        # (a timeout's os._exit, SIGKILL) closes the watchdog's stdin, which stops Dovecot;
        # atexit alone runs only when Python exits normally.
        self.process = subprocess.Popen(tethered([DOVECOT, "-F", "-c", str(self.conf)]),
                                        stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
        atexit.register(self.stop)
        self._wait_listening()
        return self

    def _wait_listening(self) -> None:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                break
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("dovecot did not start: " + self.log())

    def log(self) -> str:
        path = self.dir / "dovecot.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    def kick(self) -> None:
        """Drop the bot's connections, as a server restart or a network cut would."""
        assert DOVEADM
        subprocess.run([DOVEADM, "-c", str(self.conf), "kick", self.user], check=False,
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=30)

    def stop(self) -> None:
        if not self.conf.exists():
            return
        subprocess.run([DOVECOT, "-c", str(self.conf), "stop"], check=False,
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=30)
        if self.process is not None:
            if self.process.stdin is not None:
                self.process.stdin.close()  # the watchdog stops Dovecot if it still runs
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
            self.process = None
        shutil.rmtree(self.dir, ignore_errors=True)
