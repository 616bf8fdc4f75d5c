"""Slack's words for common pain points (bot/people/themes_report.py finds them as Theme
values): `/wgml themes`, the leaders' quarterly post, and one group's lines, user text
escaped."""

from __future__ import annotations

from collections.abc import Sequence

from bot.mrkdwn import escape, escaped_short
from bot.people.themes import Theme
from bot.people.themes_report import MAX_THEMES, TOP_IN_POST, hidden_line, named_talks

TERM_LIMIT = 40
PER_THEME = 12  # talks listed per group in Slack; the rest are counted


def theme_lines(n: int, theme: Theme) -> list[str]:
    shown, hidden = named_talks(theme)
    lines = [
        f"*{n}. {theme.studios} studios hit {escaped_short(theme.name, 80)}: a possible WG-ML "
        f"sub-project*",
        "_tied by: " + escape(", ".join(w[:TERM_LIMIT] for w in theme.terms)) + "_",
    ]
    for t in shown[:PER_THEME]:
        lines.append(f"• `{escaped_short(t.ref, 32)}` {escaped_short(t.title, 80)} · "
                     f"{escaped_short(t.studio or 'no studio given', 50)} · "
                     f"{escaped_short(t.speaker or 'speaker unknown', 50)}")
    if len(shown) > PER_THEME:
        lines.append(f"• _…and {len(shown) - PER_THEME} more talks_")
    if hidden:
        lines.append(f"• _{hidden_line(hidden)}_")
    return lines


def render_mrkdwn(themes: Sequence[Theme], talks_read: int) -> str:
    """`/wgml themes`: every candidate (up to MAX_THEMES), for splitting into parts."""
    if not themes:
        return (f"No pain point is shared by talks from two or more studios yet "
                f"({talks_read} confirmed talks read).")
    lines = [f"*Common pain points across studios* ({len(themes)} candidate sub-projects "
             f"from {talks_read} confirmed talks)"]
    for n, theme in enumerate(themes[:MAX_THEMES], 1):
        lines.append("")
        lines.extend(theme_lines(n, theme))
    if len(themes) > MAX_THEMES:
        lines.append("")
        lines.append(f"_…and {len(themes) - MAX_THEMES} more: `wgml-bot themes --format json` "
                     "lists them all._")
    return "\n".join(lines)


def quarterly_post(themes: Sequence[Theme], talks_read: int, quarter: str) -> str:
    """The leaders' quarterly post: the top candidates, each as the sentence they need."""
    if not themes:
        return (f"*Common pain points, {quarter}*\nNo pain point is shared by talks from two "
                f"or more studios yet ({talks_read} confirmed talks read).")
    lines = [f"*Common pain points, {quarter}*: what several studios found hard, from "
             f"{talks_read} confirmed talks. Each could become a WG-ML sub-project or an "
             "ASWF open-source tool."]
    for n, theme in enumerate(themes[:TOP_IN_POST], 1):
        lines.append("")
        lines.extend(theme_lines(n, theme))
    if len(themes) > TOP_IN_POST:
        lines.append("")
        lines.append(f"_{len(themes) - TOP_IN_POST} more candidates: `/wgml themes`._")
    return "\n".join(lines)


def not_a_leader(command: str) -> str:
    return (f"`{command} themes` is for the WG-ML leaders (the members of the leadership "
            f"channel): it lists talks across studios for deciding on sub-projects. "
            f"`{command} find TOPIC` shows who has presented work on a topic.")
