"""`/wgml review` as Slack messages: a page in parts Slack accepts, the last part with a
"Next page" button (action_id `review_page`) while there is one."""

from __future__ import annotations

from typing import Any

from bot.curation.review import ReviewAnswer
from bot.mrkdwn import pack_lines
from bot.slack_ui.parts import answer_parts

REVIEW_PAGE_ACTION = "review_page"
# A button press has no answer of its own: a page goes out through its response_url, which
# Slack lets us use five times; a command's page is its answer and four more.
PAGE_PARTS = 5
SECTION = 2900  # a section's text holds 3000


def review_messages(answer: ReviewAnswer) -> list[dict[str, Any]]:
    """The page as messages (`text`, and `blocks` on the last when there is a next page)."""
    parts = answer_parts(answer.text, where="the cards in the leadership channel show every "
                         "talk", max_parts=PAGE_PARTS)
    messages: list[dict[str, Any]] = [{"text": part} for part in parts]
    if answer.next is not None:
        last = messages[-1]
        last["blocks"] = [
            *({"type": "section", "text": {"type": "mrkdwn", "text": chunk}}
              for chunk in pack_lines(last["text"].split("\n"), SECTION)),
            {"type": "actions", "block_id": "review_pages", "elements": [{
                "type": "button", "action_id": REVIEW_PAGE_ACTION,
                "text": {"type": "plain_text", "text": f"Next page ({answer.next.page})"},
                "value": answer.next.value(),
            }]},
        ]
    return messages
