"""Block Kit for the session guidelines' concerns: on the form before the speaker submits,
and on the leaders' card (a line per concern, a Dismiss button each; never blocking)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.guidelines import RULES, Concern
from bot.guidelines.said import GuidelinesNoted
from bot.guidelines.stored import Shown, label
from bot.mrkdwn import escape, escaped_fit, escaped_short
from bot.slack_ui.ids import DISMISS_ACTION

READ_MARKER = "guidelines_read:"  # in private_metadata: the rules the speaker was shown
REASON_VISIBLE = 300  # a reason is one sentence; a longer one is cut visibly


def with_read(base: str, rules: Sequence[str]) -> str:
    """private_metadata: what the form carried (an edit's ref, else nothing) and the rules
    whose concerns the speaker has read."""
    marker = READ_MARKER + ",".join(r for r in RULES if r in rules)
    return f"{base}\n{marker}" if base else marker


def split_read(metadata: str) -> tuple[str, frozenset[str]]:
    """The form's own metadata and the rules already shown to the speaker."""
    base: list[str] = []
    read: set[str] = set()
    for line in (metadata or "").split("\n"):
        if line.startswith(READ_MARKER):
            read.update(r for r in line[len(READ_MARKER):].split(",") if r in RULES)
        else:
            base.append(line)
    return "\n".join(base).strip(), frozenset(read)


# The seed's two strict boundaries: a talk that may pitch a product or carry confidential
# information comes back to its speaker before anyone else reads it. The two principles
# (relevance, practical results) are a leader's judgement: the talk goes in, and the speaker
# hears the concern by DM at once (GuidelinesNoted), as the leaders see it on the card.
HOLD_RULES = frozenset({"pitch", "confidential"})


def unread(concerns: Sequence[Concern], read: frozenset[str]) -> bool:
    """Whether the form comes back with the concerns before anything is stored: a strict
    boundary among them was not shown to the speaker yet (shown once, a concern never stops
    them; the other rules never hold the form)."""
    return any(c.rule in HOLD_RULES and c.rule not in read for c in concerns)


def noted_dm(value: GuidelinesNoted) -> str:
    """The speaker's DM for concerns that did not hold the form (mrkdwn, < 3000)."""
    lines = [f":mag: The session guidelines, on *{escaped_short(value.title, 150)}* "
             f"(`{value.ref}`): I noticed"]
    lines += [f"• *{escape(label(rule))}*: {escaped_short(reason, 300)}"
              for rule, reason in value.concerns[:4]]
    lines.append("It is with the leaders as it is; they see this note too and decide. To "
                 f"revise it: `{value.command} edit {value.ref}`.")
    return "\n".join(lines)


def form_intro(concerns: Sequence[Concern], *, edit: bool) -> str:
    """The form's first section when it comes back with concerns (mrkdwn, < 3000)."""
    button = "Save" if edit else "Submit"
    lines = [":mag: *Before the leaders see it: the session guidelines*",
             "I read your talk against the session guidelines and noticed:"]
    lines += [f"• *{escape(label(c.rule))}*: {escaped_fit(c.reason, REASON_VISIBLE, 600)}"
              for c in concerns[:len(RULES)]]
    lines.append(f"You can revise your text below, or press *{button}* to send it as it is: "
                 "the leaders decide, and they see these notes too.")
    return "\n".join(lines)


def card_blocks(sid: int, concerns: Sequence[Shown]) -> list[dict[str, Any]]:
    """A context line per open concern with a Dismiss button each, and one line naming the
    dismissed ones and who dismissed them. Nothing when the text raised no concern."""
    if not concerns:
        return []
    blocks: list[dict[str, Any]] = []
    open_ = [c for c in concerns if not c.dismissed_by]
    for i, c in enumerate(open_[:len(RULES)]):
        blocks.append({"type": "context", "block_id": f"guideline:{i}", "elements": [{
            "type": "mrkdwn",
            "text": f":mag: *Guidelines · {escape(c.label)}* "
                    f"{escaped_fit(c.reason, REASON_VISIBLE, 2000)}"}]})
    dismissed = [c for c in concerns if c.dismissed_by]
    if dismissed:
        n = len(dismissed)
        names = " · ".join(f"{escape(c.label)} by <@{escape(c.dismissed_by or '')}>"
                           for c in dismissed[:len(RULES)])
        blocks.append({"type": "context", "block_id": "guideline:dismissed", "elements": [{
            "type": "mrkdwn",
            "text": f"_{n} guideline concern{'s' if n != 1 else ''} dismissed_: {names}"}]})
    if open_:
        blocks.append({"type": "actions", "block_id": f"guidelines:{sid}", "elements": [{
            "type": "button", "action_id": f"{DISMISS_ACTION}:{i}",
            "text": {"type": "plain_text", "text": f"Dismiss: {c.label}"[:75], "emoji": True},
            "value": f"{sid}:{c.id}",
        } for i, c in enumerate(open_[:len(RULES)])]})
    return blocks
