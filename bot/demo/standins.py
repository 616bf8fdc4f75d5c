"""Stand-ins the demo (and tests) start themselves: an SMTP server and an IMAP server.

SMTP is aiosmtpd in-process, collecting what it receives. IMAP is pymap (a pure-Python
asyncio IMAP server) in a child process, when it is installed; otherwise there is none.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import socket
import subprocess
import sys
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import aioimaplib
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    raw: bytes

    @property
    def message(self) -> EmailMessage:
        msg = message_from_bytes(self.raw, policy=policy.default)
        assert isinstance(msg, EmailMessage)
        return msg


@dataclass
class SmtpStandIn:
    """aiosmtpd on 127.0.0.1, no TLS, optional LOGIN/PLAIN with one user."""

    username: str | None = None
    password: str | None = None
    received: list[Received] = field(default_factory=list)
    port: int = 0
    _controller: Controller | None = None

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        content = envelope.original_content or envelope.content or b""
        raw = content if isinstance(content, bytes) else str(content).encode()
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), raw))
        return "250 Message accepted for delivery"

    def _authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str,
                      auth_data: Any) -> AuthResult:
        ok = (isinstance(auth_data, LoginPassword)
              and auth_data.login.decode() == self.username
              and auth_data.password.decode() == self.password)
        return AuthResult(success=ok, handled=False)

    def start(self) -> SmtpStandIn:
        self.port = self.port or free_port()
        kwargs: dict[str, Any] = {}
        if self.username is not None:
            kwargs.update(authenticator=self._authenticate, auth_require_tls=False)
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port, **kwargs)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


# A watchdog between the parent and a server it starts: it runs the server as its child and
# ends it when its own stdin reaches EOF, which happens however the parent dies (SIGKILL,
# os._exit from a test timeout, a crash), so no server outlives the run that started it.
# SIGTERM and SIGINT end the server too. Exits with the server's code.
_TETHER = """
import signal, subprocess, sys, threading
child = subprocess.Popen(sys.argv[1:], stdin=subprocess.DEVNULL)
def stop(*_):
    if child.poll() is None:
        child.terminate()
def watch():
    sys.stdin.buffer.read()
    stop()
    try:
        child.wait(5)
    except subprocess.TimeoutExpired:
        child.kill()
signal.signal(signal.SIGTERM, stop)
signal.signal(signal.SIGINT, stop)
threading.Thread(target=watch, daemon=True).start()
code = child.wait()
sys.exit(code if code >= 0 else 128 - code)
"""


def tethered(argv: list[str]) -> list[str]:
    """argv run under the watchdog: start it with stdin=PIPE and keep the pipe open; the
    server stops when the pipe closes (on purpose, or because this process died)."""
    return [sys.executable, "-c", _TETHER, *argv]


def pymap_available() -> bool:
    return importlib.util.find_spec("pymap") is not None


@dataclass
class ImapStandIn:
    """pymap's in-memory backend in a child process, one user, plain IMAP on 127.0.0.1."""

    username: str
    password: str
    port: int = 0
    process: subprocess.Popen[bytes] | None = None

    async def start(self, timeout: float = 20.0) -> ImapStandIn:
        self.port = self.port or free_port()
        # Tethered: pymap was left running after a test run died.
        self.process = subprocess.Popen(  # noqa: S603, ASYNC220 - fixed argv; returns at once
            tethered([sys.executable, "-c", "from pymap.main import main; main()",
                      "--host", "127.0.0.1", "--port", str(self.port), "--no-tls",
                      "dict", "--demo-user", self.username, "--demo-password",
                      self.password]),
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            if self.process.poll() is not None:
                err = self.process.stderr.read().decode(errors="replace") if \
                    self.process.stderr else ""
                raise RuntimeError(f"pymap exited: {err.strip()[-300:]}")
            try:
                _, writer = await asyncio.open_connection("127.0.0.1", self.port)
            except OSError:
                if loop.time() > deadline:
                    self.stop()
                    raise RuntimeError("pymap did not start listening in time") from None
                await asyncio.sleep(0.05)
                continue
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()
            return self

    async def append(self, raw: bytes, mailbox: str = "INBOX") -> None:
        """Deliver a message to the mailbox, as a mail server would."""
        client = aioimaplib.IMAP4(host="127.0.0.1", port=self.port, timeout=10)
        await client.wait_hello_from_server()
        await client.login(self.username, self.password)
        resp = await client.append(raw, mailbox=mailbox)
        await client.logout()
        if resp.result != "OK":
            raise RuntimeError(f"IMAP APPEND failed: {resp.lines!r}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        if self.process is not None:
            for pipe in (self.process.stdin, self.process.stderr):
                if pipe is not None:
                    pipe.close()
        self.process = None
