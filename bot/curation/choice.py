"""What a card's button says (bot/slack_ui/blocks.py builds them): the talk and the choice
in its value, "12:yes", agreeing with its action (`vote_yes`) and with the block it sits in
("vote:12"); anything else is an old or altered button (BadPress)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.talks.votes import VOTE_VALUES

DECIDE_CHOICES = ("accept", "decline", "undo")
RECUSE_CHOICES = ("toggle",)
VALUE = re.compile(r"^([0-9]{1,12}):([a-z]{2,8})$")


@dataclass(frozen=True)
class Choice:
    submission_id: int
    choice: str  # yes | maybe | no | accept | decline | undo

    @property
    def is_vote(self) -> bool:
        return self.choice in VOTE_VALUES


class BadPress(ValueError):
    """A button whose action and value do not make sense together."""


def parse_choice(action_id: str, value: str) -> Choice:
    """`vote_yes` + "12:yes" -> Choice(12, "yes"); anything else raises BadPress.

    The action and the value must agree: a vote button cannot carry a decision.
    """
    kind, _, suffix = action_id.partition("_")
    allowed = {"vote": VOTE_VALUES, "decide": DECIDE_CHOICES,
               "recuse": RECUSE_CHOICES}.get(kind)
    match = VALUE.match(value or "")
    if allowed is None or match is None:
        raise BadPress(f"unreadable action={action_id[:40]!r} value={value[:40]!r}")
    sid, choice = int(match.group(1)), match.group(2)
    if choice not in allowed or suffix != choice or sid <= 0:
        raise BadPress(f"mismatched action={action_id[:40]!r} value={value[:40]!r}")
    return Choice(sid, choice)


_CARD_BLOCK = re.compile(r"^(?:vote|undo|guidelines):([0-9]{1,12})$")


def another_talks_block(submission_id: int, block_id: str) -> bool:
    """Whether the block a button sits in names another talk than its value: a button on a
    card is in its talk's block (bot/slack_ui/blocks.py). Other blocks (older messages,
    tests' "b") name no talk and are not compared."""
    match = _CARD_BLOCK.match(block_id)
    return match is not None and int(match.group(1)) != submission_id


def check_block(choice: Choice, block_id: str) -> None:
    """BadPress when the value names another talk than its block (an altered payload)."""
    if another_talks_block(choice.submission_id, block_id):
        raise BadPress(f"block {block_id[:40]!r} is another talk's than value "
                       f"{choice.submission_id}")
