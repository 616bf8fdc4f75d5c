"""Headless Chromium driven over the DevTools protocol (a WebSocket, aiohttp's client):
open a page with JavaScript on or off, read the DOM after the page's own script ran, type
into it, and notice any dialog a script tried to open."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import shutil
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp

from tests.chromium import FLAGS, chromium_path


class Browser:
    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.ids = itertools.count(1)
        self.waiting: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self.events: list[dict[str, Any]] = []
        self.dialogs: list[str] = []
        self.loaded = asyncio.Event()
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for msg in self.ws:
            data = json.loads(msg.data)
            if "id" in data:
                future = self.waiting.pop(data["id"], None)
                if future is not None and not future.done():
                    future.set_result(data)
                continue
            self.events.append(data)
            if data.get("method") == "Page.loadEventFired":
                self.loaded.set()
            elif data.get("method") == "Page.javascriptDialogOpening":
                self.dialogs.append(data["params"].get("message", ""))
                asyncio.get_running_loop().create_task(
                    self.send("Page.handleJavaScriptDialog", accept=False))

    async def send(self, method: str, **params: Any) -> dict[str, Any]:
        n = next(self.ids)
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self.waiting[n] = future
        await self.ws.send_str(json.dumps({"id": n, "method": method, "params": params}))
        answer = await asyncio.wait_for(future, 30)
        if "error" in answer:
            raise RuntimeError(f"{method}: {answer['error']}")
        return dict(answer.get("result") or {})

    async def open(self, url: str, *, javascript: bool = True) -> None:
        await self.send("Emulation.setScriptExecutionDisabled", value=not javascript)
        self.loaded.clear()
        await self.send("Page.navigate", url=url)
        await asyncio.wait_for(self.loaded.wait(), 30)
        await self.eval("0")  # a round trip after load: the deferred script has run

    async def eval(self, expression: str) -> Any:
        result = await self.send("Runtime.evaluate", expression=expression,
                                 returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    async def type(self, selector: str, text: str) -> None:
        await self.eval(f"document.querySelector({json.dumps(selector)}).focus()")
        for char in text:  # one input event per key, as a person types
            await self.send("Input.insertText", text=char)

    async def hidden_talks(self) -> dict[str, bool]:
        """Each talk's title and whether it carries the `hidden` attribute."""
        rows = await self.eval(
            "Array.from(document.querySelectorAll('.talk')).map("
            "t => [t.querySelector('.title').textContent, t.hasAttribute('hidden')])")
        return {title: hidden for title, hidden in rows}


@contextlib.asynccontextmanager
async def chromium() -> AsyncIterator[Browser]:
    binary = chromium_path()
    if binary is None:
        import pytest

        pytest.skip("chromium is not installed (`make system-deps` as root)")
    profile = Path(tempfile.mkdtemp(prefix="wgml-cdp-"))
    proc = await asyncio.create_subprocess_exec(
        binary, *FLAGS, f"--user-data-dir={profile}", "--remote-debugging-port=0",
        "about:blank", stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)
    try:
        port_file = profile / "DevToolsActivePort"
        for _ in range(300):
            if port_file.exists() and port_file.read_text().strip():
                break
            await asyncio.sleep(0.1)
        port = port_file.read_text().split()[0]
        async with aiohttp.ClientSession() as http:
            async with http.get(f"http://127.0.0.1:{port}/json/list") as answer:
                targets = await answer.json()
            page = next(t for t in targets if t["type"] == "page")
            async with http.ws_connect(page["webSocketDebuggerUrl"], max_msg_size=0) as ws:
                browser = Browser(ws)
                await browser.send("Page.enable")
                await browser.send("Runtime.enable")
                try:
                    yield browser
                finally:
                    browser.reader.cancel()
    finally:
        if proc.returncode is None:
            proc.terminate()
            try:
                await asyncio.wait_for(proc.wait(), 10)
            except TimeoutError:
                proc.kill()
                await proc.wait()
        shutil.rmtree(profile, ignore_errors=True)
