"""The emails of a new sub-project: to a speaker known only by address, and to the list."""

from __future__ import annotations

from collections.abc import Sequence

SLACK_LINK = "https://slack.com/app_redirect?channel={channel}"  # opens it in the workspace


def channel_url(channel_id: str) -> str:
    return SLACK_LINK.format(channel=channel_id)


def _one_line(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def speaker_invitation(name: str, speaker: str, titles: Sequence[str], statement: str,
                       channel_id: str, channel_name: str) -> tuple[str, str]:
    """(subject, body) to a speaker whose talk is part of the evidence and who allows
    introductions: where the sub-project lives and how to join."""
    talks = "\n".join(f"  - {_one_line(t)}" for t in titles)
    hello = f"Hello {_one_line(speaker, 80)}," if speaker else "Hello,"
    body = (
        f"{hello}\n\n"
        f"The ASWF ML Working Group's leaders have started a sub-project, "
        f"\"{_one_line(name, 150)}\", from a problem several studios reported, including in "
        f"your talk:\n{talks}\n\n"
        f"The problem, as they put it:\n{statement.strip()}\n\n"
        f"It lives in the Slack channel #{channel_name}: {channel_url(channel_id)}\n"
        "You are welcome to join and compare notes with the others who hit it. If you are not "
        "on the working group's Slack yet, reply to this email and a leader will add you.\n\n"
        "You get this message because you allowed introductions. Reply \"no introductions\" "
        "and I will not introduce you again.\n\n-- wgml-bot, ASWF ML Working Group\n"
    )
    return f"Re: a WG-ML sub-project from your talk: {_one_line(name, 120)}", body


def list_announcement(name: str, statement: str, channel_id: str, channel_name: str,
                      talks: int, studios: int) -> tuple[str, str]:
    """(subject, body) for the mailing list: the invitation, as text."""
    body = (
        f"A new WG-ML sub-project: {_one_line(name, 150)}\n\n"
        f"{statement.strip()}\n\n"
        f"It starts from {talks} talk{'s' if talks != 1 else ''} from {studios} "
        f"studio{'s' if studios != 1 else ''} that hit this problem.\n\n"
        f"Interested? Join #{channel_name} on the working group's Slack: "
        f"{channel_url(channel_id)}\n(or press \"I'm interested\" on the announcement there).\n"
        "\n-- wgml-bot, ASWF ML Working Group\n"
    )
    return f"New WG-ML sub-project: {_one_line(name, 150)}", body
