"""What the people's work wants said, as values (Slack's words in bot/slack_ui/decisions.py)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Introduced:
    """A person the acceptance introduces (bot.people.networking): from another studio, with
    a close talk, who agreed to be told."""

    name: str
    slack_user: str
    studio: str
    ref: str
    title: str
