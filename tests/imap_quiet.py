"""A scripted IMAP server that goes quiet at a chosen point, as a hung or overloaded one does.

Enough of IMAP4rev1 for the bot's intake (CAPABILITY, LOGIN, SELECT, UID SEARCH, UID FETCH,
UID STORE, IDLE/DONE, NOOP, LOGOUT) over one mailbox holding one message. `quiet_at` names
the command it never answers ("greeting" for the server's hello, "DONE" for the end of IDLE,
after which nothing is answered); `refuse_login` answers LOGIN with NO; `chatty` repeats the
mailbox's size (* 1 EXISTS) in every answer, as some servers do.
"""

from __future__ import annotations

import asyncio
import contextlib

from bot.demo.standins import free_port

MESSAGE = (b"From: Speaker <speaker@studio.example>\r\nTo: bot@example.org\r\n"
           b"Subject: A talk\r\nMessage-ID: <quiet1@studio.example>\r\n\r\nTitle: A talk\r\n")


class QuietImap:
    def __init__(self, quiet_at: str = "", *, refuse_login: bool = False,
                 chatty: bool = False) -> None:
        self.quiet_at = quiet_at
        self.refuse_login = refuse_login
        self.chatty = chatty
        self.port = 0
        self.seen: list[str] = []  # commands received, for tests' waits and messages
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    async def start(self) -> QuietImap:
        self.port = free_port()
        self._server = await asyncio.start_server(self._session, "127.0.0.1", self.port)
        return self

    async def stop(self) -> None:
        for writer in list(self._writers):
            writer.close()
        if self._server is not None:
            self._server.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), 5)

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
                       ) -> None:
        self._writers.add(writer)
        quiet = self.quiet_at == "greeting"
        try:
            if not quiet:
                writer.write(b"* OK quiet IMAP ready\r\n")
            idle_tag = ""
            while line := await reader.readline():
                text = line.decode(errors="replace").strip()
                if idle_tag and text.upper() == "DONE":
                    self.seen.append("DONE")
                    quiet = quiet or self.quiet_at == "DONE"
                    if not quiet:
                        writer.write(f"{idle_tag} OK IDLE done\r\n".encode())
                    idle_tag = ""
                    continue
                tag, _, rest = text.partition(" ")
                name = " ".join(rest.split()[:2]).upper() if rest.upper().startswith("UID") \
                    else rest.split(" ")[0].upper()
                self.seen.append(name)
                quiet = quiet or (bool(self.quiet_at) and name.endswith(self.quiet_at))
                if quiet:
                    continue
                if self.chatty and name not in ("CAPABILITY", "LOGIN", "IDLE"):
                    writer.write(b"* 1 EXISTS\r\n")
                writer.write(self._answer(tag, name))
                if name == "IDLE":
                    idle_tag = tag
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            self._writers.discard(writer)
            writer.close()

    def _answer(self, tag: str, name: str) -> bytes:
        if name == "CAPABILITY":
            return f"* CAPABILITY IMAP4rev1 IDLE UIDPLUS\r\n{tag} OK done\r\n".encode()
        if name == "LOGIN":
            word = "NO [AUTHENTICATIONFAILED] no" if self.refuse_login else "OK logged in"
            return f"{tag} {word}\r\n".encode()
        if name == "SELECT":
            return (f"* 1 EXISTS\r\n* OK [UIDVALIDITY 7] ok\r\n* OK [UIDNEXT 2] ok\r\n"
                    f"{tag} OK [READ-WRITE] selected\r\n").encode()
        if name == "UID SEARCH":
            return f"* SEARCH 1\r\n{tag} OK searched\r\n".encode()
        if name == "UID FETCH":
            return (f"* 1 FETCH (UID 1 BODY[] {{{len(MESSAGE)}}}\r\n".encode() + MESSAGE
                    + f")\r\n{tag} OK fetched\r\n".encode())
        if name == "IDLE":
            return b"+ idling\r\n"
        if name == "LOGOUT":
            return f"* BYE bye\r\n{tag} OK bye\r\n".encode()
        return f"{tag} OK done\r\n".encode()
