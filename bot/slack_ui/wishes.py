"""Wishes in Slack: the answers to `/wgml wish`, the list `/wgml wishes` with a button per
wish, the Home tab's top five and its small form, the submission form's select, the DM to
backers when a talk answers their wish, and the call's "Topics members asked for".

Every wish text is escaped and sized after escaping: 300 characters of `&` are 1,500 once
escaped, so a wish is shown whole up to WISH_BUDGET escaped characters and shortened
visibly ("…") beyond, and every block stays inside Slack's limits whatever members type.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.mrkdwn import escape, escaped_fit, escaped_short, escaped_within, pack_lines
from bot.slack_ui.ids import WISH_ASK, WISH_CALLBACK, WISH_UP
from bot.wishes.model import (
    AnsweredNotice,
    Asked,
    AskResult,
    Changed,
    ChangeResult,
    Pressed,
    PressResult,
    WishStatus,
    WishView,
)
from bot.wishes.text import MAX_CHARS

WISH_BLOCK = "wish"
WISH_INPUT = "wish_input"
ANSWERS_BLOCK = "answers_wish"  # the submission form's optional select
ANSWERS_SELECT = "answers_wish_select"
LIST_MAX = 40  # wishes listed in one message (Slack allows 50 blocks; 2 are head and foot)
HOME_TOP = 5
CALL_TOP = 5
SELECT_MAX = 100  # a static_select holds 100 options
OPTION_TEXT = 75
WISH_BUDGET = 560  # escaped characters of one wish in a call: five fit one 3,000 section
LIST_BUDGET = 1500  # in a list or a DM (a section holds 3,000: the wish and one line more)
SECTION = 2900


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": True}


def _mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": text}


def wish_text(w: WishView, budget: int = LIST_BUDGET) -> str:
    return escaped_fit(w.text, MAX_CHARS, budget)


def _members(n: int) -> str:
    return f"{n} member{'s' if n != 1 else ''}"


def _studios(w: WishView) -> str:
    if not w.studios:
        return ""
    return " · " + ", ".join(escaped_short(s, 40) for s in w.studios)


def _answered(w: WishView) -> str:
    if not w.answered_by:
        return ""
    return " · answered by " + ", ".join(f"`{escaped_short(r, 32)}`" for r in w.answered_by[:5])


def wish_section(w: WishView, viewer: str) -> dict[str, Any]:
    backed = viewer in w.backers
    text = (f"*#{w.id}* {wish_text(w)}\n_{_members(w.count)}{_studios(w)}{_answered(w)}_"
            + ("  :white_check_mark: you back it" if backed else ""))
    block: dict[str, Any] = {"type": "section", "block_id": f"wish_{w.id}",
                             "text": _mrkdwn(text)}
    if w.status == WishStatus.OPEN:
        block["accessory"] = {"type": "button", "action_id": f"{WISH_UP}_{w.id}",
                              "value": str(w.id),
                              "text": _plain("Withdraw" if backed else "Back this")}
    return block


def _quote(w: WishView) -> str:
    return f"#{w.id} *{wish_text(w)}*"


def ask_text(result: AskResult, command: str) -> str:
    """The ephemeral answer to `/wgml wish TEXT` (and the small form's)."""
    w = result.wish
    if result.outcome is Asked.EMPTY:
        return (f"What topic would you like a talk on? Write it after the command, e.g. "
                f"`{command} wish Gaussian splatting in production` (up to {MAX_CHARS} "
                f"characters). Nothing was stored. `{command} wishes` shows what others "
                "asked for.")
    if result.outcome is Asked.TOO_LONG:
        return (f"That is {result.length} characters; a wish holds up to {MAX_CHARS}. "
                "Please say it in fewer words: nothing was stored.")
    assert w is not None
    count = f"({_members(w.count)} now)"
    if result.outcome is Asked.CREATED:
        return (f"Thank you! Your wish is {_quote(w)}. Members can back it with "
                f"`{command} wishes`; the call for speakers names the most wanted topics.")
    if result.outcome is Asked.ALREADY:
        return f"You already back {_quote(w)} {count}."
    if result.outcome is Asked.NOT_OPEN:
        why = (f"was answered by {', '.join(f'`{escape(r)}`' for r in w.answered_by)}"
               if w.status == WishStatus.ANSWERED and w.answered_by
               else "was answered" if w.status == WishStatus.ANSWERED
               else "was closed by the leaders")
        return (f"Someone asked for this before: {_quote(w)} {why}. Nothing was stored; "
                "the leaders can reopen it.")
    if result.similar:
        return (f"That is close to {_quote(w)}, asked already, so you now back it {count}. "
                "If yours is another topic, please say it in other words.")
    return f"Someone already asked for that: {_quote(w)}. You now back it {count}."


def press_text(result: PressResult) -> str | None:
    """What the member who pressed is told; None for a retried press (already answered)."""
    w = result.wish
    if result.outcome is Pressed.STALE:
        return None
    if result.outcome is Pressed.MISSING or w is None:
        return "That wish no longer exists."
    if result.outcome is Pressed.NOT_OPEN:
        return f"#{w.id} is {w.status}: it takes no more backing."
    if result.outcome is Pressed.BACKED:
        return f"You back #{w.id} ({_members(w.count)}). Press again to withdraw."
    return f"You no longer back #{w.id} ({_members(w.count)})."


def change_text(result: ChangeResult, wish_id: int, command: str) -> str:
    w = result.wish
    if result.outcome is Changed.MISSING or w is None:
        return f"There is no wish #{wish_id}. `{command} wishes` lists the open ones."
    if result.outcome is Changed.UNCHANGED:
        return f"{_quote(w)} is already {w.status}."
    if result.outcome is Changed.CLOSED:
        return f"Closed {_quote(w)}: it leaves the list and the call."
    return f"Reopened {_quote(w)}: it is back on the list and in the call."


def not_a_leader(command: str) -> str:
    return (f"`{command} wish close` and `reopen` are for the WG-ML leaders (the members of "
            "the leadership channel). Nothing changed.")


def list_blocks(wishes: Sequence[WishView], total: int, viewer: str, command: str,
                note: str | None = None) -> tuple[str, list[dict[str, Any]]]:
    """`/wgml wishes`: the open wishes, most backed first, each with its button."""
    head = (f"*Topics members asked for* ({total} open). Back the ones you would come to "
            f"hear; pressed again, the button withdraws. `{command} wish TEXT` asks for "
            "another.")
    if not wishes:
        head = (f"No open wishes yet. `{command} wish TEXT` asks for a topic you would like "
                "a talk on.")
    blocks: list[dict[str, Any]] = []
    if note:
        blocks.append({"type": "context", "elements": [_mrkdwn(note)]})
    blocks.append({"type": "section", "text": _mrkdwn(head)})
    blocks += [wish_section(w, viewer) for w in wishes[:LIST_MAX]]
    if total > min(len(wishes), LIST_MAX):
        blocks.append({"type": "context", "elements": [_mrkdwn(
            f"…and {total - min(len(wishes), LIST_MAX)} more, less backed: "
            "`wgml-bot wish list` shows every one.")]})
    fallback = f"Topics members asked for: {total} open"
    return fallback, blocks


def home_blocks(wishes: Sequence[WishView], total: int, viewer: str, command: str
                ) -> list[dict[str, Any]]:
    """The Home tab's part: the five most backed, and the button opening the small form."""
    blocks: list[dict[str, Any]] = [
        {"type": "divider"},
        {"type": "header", "text": _plain("Topics members asked for")},
    ]
    blocks += [wish_section(w, viewer) for w in wishes[:HOME_TOP]]
    # A section's accessory, not an actions block: the tab's actions blocks are the member's
    # own talks' Edit buttons.
    ask_line = ("What would you like a talk on? Ask, and the call for speakers names the "
                "topics most members back." if wishes else
                "Nobody has asked for a topic yet. What would you like to hear about?")
    blocks.append({"type": "section", "block_id": "wishes_home", "text": _mrkdwn(ask_line),
                   "accessory": {"type": "button", "action_id": WISH_ASK, "value": "ask",
                                 "text": _plain("Ask for a topic")}})
    if total > HOME_TOP:
        blocks.append({"type": "context", "elements": [_mrkdwn(
            f"{total - HOME_TOP} more: `{command} wishes` lists them all.")]})
    return blocks


def with_home_blocks(view: dict[str, Any], extra: list[dict[str, Any]]) -> dict[str, Any]:
    """The Home view with the wishes' part before its closing line, within 100 blocks."""
    blocks = list(view.get("blocks") or [])
    if len(blocks) + len(extra) > 100:
        return view  # the member's own part comes first; the list is one command away
    return {**view, "blocks": blocks[:-1] + extra + blocks[-1:]}


def ask_modal() -> dict[str, Any]:
    return {
        "type": "modal", "callback_id": WISH_CALLBACK,
        "title": _plain("Ask for a topic"), "submit": _plain("Ask"), "close": _plain("Cancel"),
        "blocks": [
            {"type": "section", "text": _mrkdwn(
                "What would you like a talk on? The call for speakers names the topics most "
                "members back, so people who could speak on them hear it.")},
            {"type": "input", "block_id": WISH_BLOCK, "label": _plain("Topic"),
             "element": {"type": "plain_text_input", "action_id": WISH_INPUT,
                         "max_length": MAX_CHARS, "multiline": True,
                         "placeholder": _plain("e.g. Gaussian splatting in production")},
             "hint": _plain(f"Up to {MAX_CHARS} characters. If someone asked for the same, "
                            "you back theirs.")},
        ],
    }


def ask_done_view(text: str) -> dict[str, Any]:
    """The form, updated in place, saying what the wish did."""
    return {"type": "modal", "callback_id": f"{WISH_CALLBACK}_done",
            "title": _plain("Ask for a topic"), "close": _plain("Done"),
            "blocks": [{"type": "section", "text": _mrkdwn(text[:SECTION])}]}


def answers_block(choices: Sequence[tuple[int, str]]) -> dict[str, Any] | None:
    """The submission form's optional "Answers a requested topic"; None with no open wish."""
    if not choices:
        return None
    options = [{"text": _plain(escaped_within(f"#{i} {' '.join(t.split())}", OPTION_TEXT)),
                "value": str(i)} for i, t in choices[:SELECT_MAX]]
    return {"type": "input", "block_id": ANSWERS_BLOCK, "optional": True,
            "label": _plain("Answers a requested topic"),
            "hint": _plain("If your talk answers a topic members asked for, they are told "
                           "when it is on the program."),
            "element": {"type": "static_select", "action_id": ANSWERS_SELECT,
                        "placeholder": _plain("Choose one (optional)"), "options": options}}


def with_answers_block(view: dict[str, Any], choices: Sequence[tuple[int, str]]
                       ) -> dict[str, Any]:
    """The submission form with the select before its confidentiality box."""
    block = answers_block(choices)
    if block is None:
        return view
    blocks = list(view["blocks"])
    at = next((i for i, b in enumerate(blocks) if b.get("block_id") == "confirmation"),
              len(blocks))
    return {**view, "blocks": [*blocks[:at], block, *blocks[at:]][:100]}


def answered_dm(notice: AnsweredNotice, command: str) -> str:
    w = notice.wish
    return (f":tada: A talk answers a topic you asked for or backed: {_quote(w)}\n"
            f"`{escaped_short(notice.ref, 32)}` *{escaped_short(notice.title, 150)}* is on the "
            f"session's program (see the announcement). `{command} wishes` shows what else "
            "members asked for.")


def call_topic_lines(wishes: Sequence[WishView], pain: str | None) -> list[str]:
    """The call's and reminders' part, as whole mrkdwn lines (for pack_lines)."""
    lines: list[str] = []
    if wishes:
        lines.append("*Topics members asked for*")
        lines += [f"• {wish_text(w, WISH_BUDGET)} _({_members(w.count)})_"
                  for w in wishes[:CALL_TOP]]
    if pain:
        lines.append(f"*A pain point several studios share*: {escaped_short(pain, 300)}")
    return lines


def call_topic_sections(wishes: Sequence[WishView], pain: str | None) -> list[dict[str, Any]]:
    return [{"type": "section", "text": _mrkdwn(chunk)}
            for chunk in pack_lines(call_topic_lines(wishes, pain), SECTION)]
