"""The baseline: a bare slack-bolt AsyncApp that only acknowledges and opens a one-field modal.

Run as `python -m bench.baseline_app PORT` with SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET and
SLACK_API_URL set, exactly like the bot.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from aiohttp import web
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient


def build() -> AsyncApp:
    client = AsyncWebClient(token=os.environ["SLACK_BOT_TOKEN"],
                            base_url=os.environ["SLACK_API_URL"])
    app = AsyncApp(client=client, signing_secret=os.environ["SLACK_SIGNING_SECRET"])

    @app.command("/wgml")
    async def submit(ack: Any, command: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        await client.views_open(trigger_id=command["trigger_id"], view={
            "type": "modal", "callback_id": "baseline",
            "title": {"type": "plain_text", "text": "Propose a talk"},
            "submit": {"type": "plain_text", "text": "Submit"},
            "blocks": [{"type": "input", "block_id": "title",
                        "label": {"type": "plain_text", "text": "Title"},
                        "element": {"type": "plain_text_input", "action_id": "t"}}],
        })

    @app.action("vote_yes")
    async def vote(ack: Any) -> None:
        await ack()

    return app


async def healthz(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


def main() -> None:
    from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request

    app = build()

    async def events(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await app.async_dispatch(await to_bolt_request(request)))

    web_app = web.Application()
    web_app.router.add_post("/slack/events", events)
    web_app.router.add_get("/healthz", healthz)
    web.run_app(web_app, host="127.0.0.1", port=int(sys.argv[1]), print=None)


if __name__ == "__main__":
    main()
