"""Block Kit for sub-projects: the "Propose a sub-project" button on each theme, the modal,
the evidence post in the new channel, the invitation with its "I'm interested" button.

Every user text is escaped (mrkdwn) and sized after escaping to Slack's limits: section 3000,
header 150, button text 75, option text 75, 100 options, modal title 24, private_metadata
3000, button value 2000, 50 blocks in a message.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from bot.mrkdwn import (
    escape,
    escaped_fit,
    escaped_short,
    escaped_within,
    pack_lines,
    shorten,
)
from bot.people.themes import Theme, ThemeMark
from bot.people.themes_report import MAX_THEMES, TOP_IN_POST
from bot.slack_ui.ids import INTEREST_ACTION, MODAL_CALLBACK, PROPOSE_ACTION
from bot.slack_ui.themes import theme_lines
from bot.subprojects.launch import Evidence
from bot.subprojects.store import MAX_TALKS, NAME_MAX, STATEMENT_MAX

BLOCKS = {"name": ("name", "name_input"), "channel": ("channel", "channel_input"),
          "statement": ("statement", "statement_input"), "talks": ("talks", "talks_select")}
SECTION = 2900
MAX_MESSAGE_BLOCKS = 50
OPTION_TEXT = 75
BUTTON_VALUE = 2000


def channel_link(channel_id: str, name: str = "") -> str:
    return f"<#{channel_id}|{name}>" if name else f"<#{channel_id}>"


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


def propose_value(theme: Theme) -> str:
    """What the button carries: the theme's name and talks (every one, the unnamed too)."""
    ids = [t.id for t in theme.talks][:MAX_TALKS]
    value = json.dumps({"n": shorten(theme.name, 80), "t": ids}, separators=(",", ":"))
    assert len(value) <= BUTTON_VALUE
    return value


def read_propose_value(value: str) -> tuple[str, list[int]] | None:
    """(theme name, talk ids) from a button's value; None for anything malformed."""
    try:
        data = json.loads(value)
    except ValueError:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("n"), str):
        return None
    ids = data.get("t")
    if not isinstance(ids, list) or not ids or len(ids) > MAX_TALKS or not all(
            isinstance(i, int) and not isinstance(i, bool) and i > 0 for i in ids):
        return None
    return data["n"][:80], ids


def _propose_button(theme: Theme, n: int) -> dict[str, Any]:
    return {"type": "actions", "block_id": f"subproject_{n}", "elements": [{
        "type": "button", "action_id": f"{PROPOSE_ACTION}_{n}",
        "text": {"type": "plain_text", "text": "Propose a sub-project"},
        "value": propose_value(theme)}]}


def _mark_line(mark: ThemeMark) -> str:
    return (f"_Already a sub-project: {channel_link(mark.channel_id, mark.channel_name)} "
            f"({mark.status})_")


def themes_blocks(themes: Sequence[Theme], talks_read: int, marks: Mapping[int, ThemeMark],
                  *, heading: str, limit: int = MAX_THEMES) -> list[dict[str, Any]]:
    """Each theme as sections and, for a theme without a sub-project yet, the button. Themes
    that would not fit Slack's 50 blocks are counted in a last line, never dropped silently."""
    blocks: list[dict[str, Any]] = [_section(heading)]
    shown = 0
    for n, theme in enumerate(themes[:limit]):
        lines = theme_lines(n + 1, theme)
        if n in marks:
            lines.append(_mark_line(marks[n]))
        part = [_section(chunk) for chunk in pack_lines(lines, SECTION)]
        if n not in marks:
            part.append(_propose_button(theme, n))
        if len(blocks) + len(part) > MAX_MESSAGE_BLOCKS - 1:
            break
        blocks.extend(part)
        shown += 1
    if len(themes) > shown:
        blocks.append(_context(f"…and {len(themes) - shown} more candidates: "
                               "`wgml-bot themes --format json` lists them all."))
    return blocks


def quarterly_blocks(themes: Sequence[Theme], talks_read: int, marks: Mapping[int, ThemeMark],
                     heading: str) -> list[dict[str, Any]]:
    return themes_blocks(themes, talks_read, marks, heading=heading, limit=TOP_IN_POST)


# ---- the modal ----------------------------------------------------------------------------

def talk_option(talk_id: int, ref: str, title: str, studio: str) -> dict[str, Any]:
    label = f"{ref} {title}" + (f" · {studio}" if studio else "")
    return {"text": {"type": "plain_text", "text": shorten(label, OPTION_TEXT)},
            "value": str(talk_id)}


def proposal_modal(*, theme_name: str, name: str, channel: str, statement: str,
                   options: Sequence[dict[str, Any]], hidden: int, metadata: str,
                   note: str = "") -> dict[str, Any]:
    def text_input(key: str, label: str, initial: str, max_length: int, *,
                   multiline: bool = False, hint: str = "") -> dict[str, Any]:
        block_id, action_id = BLOCKS[key]
        element: dict[str, Any] = {"type": "plain_text_input", "action_id": action_id,
                                   "multiline": multiline, "max_length": max_length}
        if initial:
            element["initial_value"] = initial[:max_length]
        block: dict[str, Any] = {"type": "input", "block_id": block_id,
                                 "label": {"type": "plain_text", "text": label},
                                 "element": element}
        if hint:
            block["hint"] = {"type": "plain_text", "text": hint}
        return block

    blocks: list[dict[str, Any]] = [
        _section(f"From the pain point *{escaped_short(theme_name, 200)}*. I will create a "
                 "public channel, post this statement with the talks as evidence, invite "
                 "their speakers who allow introductions and announce it."),
        text_input("name", "Sub-project name", name, NAME_MAX),
        text_input("channel", "Channel name", channel, 80,
                   hint="Lower-case letters, digits, - and _; at most 80 characters."),
        text_input("statement", "Problem statement", statement, STATEMENT_MAX,
                   multiline=True),
    ]
    block_id, action_id = BLOCKS["talks"]
    if options:
        blocks.append({"type": "input", "block_id": block_id, "optional": True,
                       "label": {"type": "plain_text", "text": "Talks it starts from"},
                       "element": {"type": "multi_static_select", "action_id": action_id,
                                   "options": list(options[:MAX_TALKS]),
                                   "initial_options": list(options[:MAX_TALKS])}})
    if hidden:
        blocks.append(_context(
            f"Also counted: {hidden} talk{'s' if hidden != 1 else ''} whose speaker"
            f"{'s' if hidden != 1 else ''} opted out of introductions (not named, not "
            "invited)."))
    if note:
        blocks.append(_context(note))
    return {"type": "modal", "callback_id": MODAL_CALLBACK,
            "title": {"type": "plain_text", "text": "Propose a sub-project"},
            "submit": {"type": "plain_text", "text": "Create"},
            "close": {"type": "plain_text", "text": "Cancel"},
            "private_metadata": metadata, "blocks": blocks}


# ---- the posts ----------------------------------------------------------------------------

def _talk_line(t: Any) -> str:
    who = f"<@{t.slack_user_id}>" if t.slack_user_id else escaped_short(t.speaker or
                                                                          "a speaker", 60)
    links = [f"<{url}|{label}>" for url, label in ((t.slides_url, "slides"),
                                                    (t.recording_url, "recording"))
             if url and len(url) <= 500 and not any(c in url for c in "<>| ")]
    return (f"• *{escaped_short(t.title, 120)}* (`{escaped_short(t.ref, 32)}`) · "
            f"{escaped_short(t.studio or 'no studio given', 60)} · {who}"
            + (f" · {' · '.join(links)}" if links else ""))


def _wrap(line: str, limit: int = SECTION - 100) -> list[str]:
    """An escaped line in pieces Slack takes, split at a space where there is one and never
    inside an entity (`&amp;`): a long statement is split, not cut."""
    pieces: list[str] = []
    while len(line) > limit:
        cut = line.rfind(" ", limit // 2, limit)
        if cut < 0:
            cut = limit
            amp = line.rfind("&", cut - 5, cut)
            if amp >= 0 and ";" not in line[amp:cut]:
                cut = amp
        pieces.append(line[:cut])
        line = line[cut:].lstrip(" ")
    return [*pieces, line]


def evidence_post(name: str, statement: str, evidence: Evidence, created_by: str,
                  command: str, subproject_id: int) -> tuple[str, list[dict[str, Any]]]:
    """The first message in the sub-project's channel: what it is about and the talks that
    showed the problem (counted, not named, where their speaker opted out)."""
    total = len(evidence.named) + evidence.hidden
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text",
                                    "text": escaped_within(name, 150)}},
    ]
    lines = [piece for line in escape(statement).split("\n") for piece in _wrap(line)]
    blocks += [_section(chunk) for chunk in pack_lines(["*Problem statement*", *lines],
                                                        SECTION)]
    lines = [f"*Evidence: {total} talk{'s' if total != 1 else ''} from {evidence.studios} "
             f"studio{'s' if evidence.studios != 1 else ''}*"]
    lines += [_talk_line(t) for t in evidence.named]
    if evidence.hidden:
        lines.append(f"• _and {evidence.hidden} talk{'s' if evidence.hidden != 1 else ''} "
                     f"whose speaker{'s' if evidence.hidden != 1 else ''} opted out of "
                     "introductions_")
    sections = [_section(chunk) for chunk in pack_lines(lines, SECTION)]
    room = MAX_MESSAGE_BLOCKS - len(blocks) - 2
    if len(sections) > room:
        sections = [*sections[:room - 1], _section(
            f"_…{len(sections) - room + 1} more parts of the evidence: "
            "`wgml-bot export --format json` lists every talk._")]
    blocks += sections
    blocks.append(_context(f"Proposed by <@{created_by}> · sub-project {subproject_id} · "
                           f"status: proposed · leaders: `{command} subproject "
                           f"{subproject_id} status active`"))
    text = f"New WG-ML sub-project: {escaped_within(name, 450)}"
    return text, blocks


def invitation_post(subproject_id: int, name: str, statement: str, channel_id: str,
                    channel_name: str, talks: int, studios: int
                    ) -> tuple[str, list[dict[str, Any]]]:
    """The announcement: what the sub-project is, where it lives, and the button."""
    # 600 characters as read; at most 2,000 once escaped (a statement of `&` triples).
    first = escaped_fit(" ".join(statement.split()), 600, 2000)
    blocks = [
        _section(f"*New WG-ML sub-project: {escaped_within(name, 450)}*\n{first}\n"
                 f"It starts from {talks} talk{'s' if talks != 1 else ''} from {studios} "
                 f"studio{'s' if studios != 1 else ''}; join "
                 f"{channel_link(channel_id, channel_name)} or press the button and I will "
                 "add you."),
        {"type": "actions", "block_id": f"interest_{subproject_id}", "elements": [{
            "type": "button", "action_id": INTEREST_ACTION, "style": "primary",
            "text": {"type": "plain_text", "text": "I'm interested"},
            "value": str(subproject_id)}]},
    ]
    return f"New WG-ML sub-project: {escaped_within(name, 450)} (#{channel_name})", blocks


def interest_answer(name: str, channel_id: str, channel_name: str, new: bool,
                    count: int) -> str:
    where = channel_link(channel_id, channel_name)
    if not new:
        return (f"You are already counted for *{escaped_short(name, 150)}*; I have asked "
                f"Slack to add you to {where} again. {count} interested so far.")
    return (f"Thanks! I am adding you to {where} for *{escaped_short(name, 150)}*. "
            f"{count} interested so far.")


def created_answer(name: str, channel_id: str, channel_name: str, invited: int,
                   emailed: int, hidden: int) -> str:
    parts = [f"Created {channel_link(channel_id, channel_name)} for "
             f"*{escaped_short(name, 150)}*: the statement and evidence are posted there, "
             f"{invited} member{'s' if invited != 1 else ''} invited"]
    if emailed:
        parts.append(f", {emailed} speaker{'s' if emailed != 1 else ''} emailed")
    if hidden:
        parts.append(f", {hidden} talk{'s' if hidden != 1 else ''} counted whose speaker"
                     f"{'s' if hidden != 1 else ''} opted out (not contacted)")
    parts.append(", and the invitation is announced.")
    return "".join(parts)


def quiet_note(name: str, subproject_id: int, command: str, days: int) -> str:
    return (f"*{escaped_short(name, 150)}* is still proposed and nobody new has shown interest "
            f"for {days} days. Leaders: close it with `{command} subproject {subproject_id} "
            f"status closed`, or mark it under way with `{command} subproject "
            f"{subproject_id} status active`.")


def status_note(name: str, before: str, after: str, repo_url: str | None,
                by: str | None) -> str:
    who = f"<@{by}>" if by else "The operator"
    line = f"{who} set *{escaped_short(name, 150)}* from {before} to *{after}*."
    if after == "graduated" and repo_url:
        line += f" It is now an ASWF project: <{repo_url}|its repository>."
    return line
