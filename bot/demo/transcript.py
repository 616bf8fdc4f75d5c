"""A readable, self-contained HTML page of what people saw: Slack messages, modals, emails.

Pure functions. Block Kit is rendered roughly (header, section text and fields, context,
actions, inputs, divider); Slack mrkdwn is turned into HTML *safely*: every piece of text is
HTML-escaped before any tag is added, links keep only http(s) and mailto targets, and the page
forbids scripts and remote loads with a Content-Security-Policy. User text is hostile-capable.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Entry:
    """One thing a person saw. `live` is a Slack message dict later edited by chat.update."""

    kind: str
    where: str = ""
    text: str = ""
    blocks: list[dict[str, Any]] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    live: dict[str, Any] | None = None
    rows: list[list[str]] = field(default_factory=list)  # a table: the first row is the header

    def current_blocks(self) -> list[dict[str, Any]]:
        if self.live is not None and isinstance(self.live.get("blocks"), list):
            return list(self.live["blocks"])
        return self.blocks

    def current_text(self) -> str:
        if self.live is not None and isinstance(self.live.get("text"), str):
            return str(self.live["text"])
        return self.text


EMOJI = {
    "white_check_mark": "✅", "x": "❌", "hourglass": "⏳", "inbox_tray": "📥",
    "leftwards_arrow_with_hook": "↩️", "wave": "👋", "calendar": "📅", "email": "📧",
    "bell": "🔔", "memo": "📝", "tada": "🎉", "warning": "⚠️", "ballot_box_with_check": "☑️",
    "speech_balloon": "💬", "bar_chart": "📊", "mega": "📣", "spiral_calendar_pad": "🗓️",
}

_CONTROL = re.compile(r"<([^<>\n]{1,500})>")
_CODE_BLOCK = re.compile(r"```(.+?)```", re.S)
_CODE = re.compile(r"`([^`\n]+)`")
_BOLD = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
_ITALIC = re.compile(r"(?<![\w_])_(?=\S)([^_\n]+?)(?<=\S)_(?![\w_])")
_STRIKE = re.compile(r"(?<![\w~])~(?=\S)([^~\n]+?)(?<=\S)~(?![\w~])")
_EMOJI = re.compile(r":([a-z0-9_+-]{1,40}):")
_SAFE_SCHEMES = ("http://", "https://", "mailto:")
_HOLD = "\x00"


def _unslack(text: str) -> str:
    """Slack's own escapes back to characters (&amp; last so &amp;lt; stays literal)."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _control_html(inner: str, users: Mapping[str, str], channels: Mapping[str, str]) -> str:
    target, _, label = inner.partition("|")
    if target.startswith("@"):
        name = users.get(target[1:], target[1:])
        return f'<span class="mention">@{_esc(_unslack(name))}</span>'
    if target.startswith("#"):
        name = label or channels.get(target[1:], target[1:])
        return f'<span class="mention">#{_esc(_unslack(name))}</span>'
    if target.startswith("!"):
        word = target[1:].split("^", 1)[0]
        return f'<span class="mention">@{_esc(_unslack(label or word))}</span>'
    url = _unslack(target)
    text = _unslack(label) if label else url
    if url.lower().startswith(_SAFE_SCHEMES):
        return f'<a href="{_esc(url)}" rel="noopener noreferrer">{_esc(text)}</a>'
    return _esc(text)


def mrkdwn_to_html(text: str, users: Mapping[str, str] | None = None,
                   channels: Mapping[str, str] | None = None) -> str:
    """Slack mrkdwn (as sent to Slack, with its &amp; &lt; &gt; escapes) to safe HTML."""
    users = users or {}
    channels = channels or {}
    held: list[str] = []

    def hold(fragment: str) -> str:
        held.append(fragment)
        return f"{_HOLD}{len(held) - 1}{_HOLD}"

    text = text.replace(_HOLD, "")
    # Control sequences and code first, so formatting never reaches inside them.
    text = _CODE_BLOCK.sub(lambda m: hold(f"<pre>{_esc(_unslack(m.group(1)))}</pre>"), text)
    text = _CODE.sub(lambda m: hold(f"<code>{_esc(_unslack(m.group(1)))}</code>"), text)
    text = _CONTROL.sub(lambda m: hold(_control_html(m.group(1), users, channels)), text)
    out = _esc(_unslack(text))
    out = _BOLD.sub(r"<b>\1</b>", out)
    out = _ITALIC.sub(r"<i>\1</i>", out)
    out = _STRIKE.sub(r"<s>\1</s>", out)
    out = _EMOJI.sub(lambda m: EMOJI.get(m.group(1), m.group(0)), out)
    out = out.replace("\n", "<br>")
    return re.sub(f"{_HOLD}(\\d+){_HOLD}", lambda m: held[int(m.group(1))], out)


def mrkdwn_to_plain(text: str, users: Mapping[str, str] | None = None) -> str:
    """Slack mrkdwn to plain text for a terminal: mentions named, links as 'label (url)'."""
    users = users or {}

    def control(m: re.Match[str]) -> str:
        target, _, label = m.group(1).partition("|")
        if target.startswith("@"):
            return "@" + users.get(target[1:], target[1:])
        if target.startswith(("#", "!")):
            return ("#" if target[0] == "#" else "@") + (label or target[1:])
        return f"{label} ({target})" if label else target

    text = _CONTROL.sub(control, text)
    for marker in (_BOLD, _ITALIC, _STRIKE):
        text = marker.sub(r"\1", text)
    text = _EMOJI.sub(lambda m: EMOJI.get(m.group(1), m.group(0)), text)
    return _unslack(text)


# ---- Block Kit -----------------------------------------------------------------------------

class _Ctx:
    def __init__(self, users: Mapping[str, str], channels: Mapping[str, str]) -> None:
        self.users = users
        self.channels = channels

    def text(self, obj: Any) -> str:
        if not isinstance(obj, dict):
            return ""
        raw = obj.get("text")
        if not isinstance(raw, str):
            return ""
        if obj.get("type") == "mrkdwn":
            return mrkdwn_to_html(raw, self.users, self.channels)
        plain = _esc(_unslack(raw))  # Slack decodes &amp; &lt; &gt; in plain_text as well
        if obj.get("emoji", True):
            plain = _EMOJI.sub(lambda m: EMOJI.get(m.group(1), m.group(0)), plain)
        return plain.replace("\n", "<br>")


def _button(el: dict[str, Any], ctx: _Ctx) -> str:
    style = el.get("style") if el.get("style") in ("primary", "danger") else "default"
    return f'<span class="button {style}">{ctx.text(el.get("text"))}</span>'


def _element(el: Any, ctx: _Ctx) -> str:
    if not isinstance(el, dict):
        return ""
    kind = el.get("type")
    if kind == "button":
        return _button(el, ctx)
    if kind in ("static_select", "external_select", "users_select", "channels_select"):
        placeholder = ctx.text(el.get("placeholder")) or "Choose"
        initial = el.get("initial_option")
        shown = ctx.text(initial.get("text")) if isinstance(initial, dict) else placeholder
        options = [ctx.text(o.get("text")) for o in el.get("options") or []
                   if isinstance(o, dict)]
        listing = "" if isinstance(initial, dict) else " · ".join(options)
        return (f'<div class="select"><span>{shown} ▾</span>'
                + (f'<div class="options">{listing}</div>' if listing else "") + "</div>")
    if kind == "checkboxes" or kind == "radio_buttons":
        chosen = {o.get("value") for o in el.get("initial_options") or []
                  if isinstance(o, dict)}
        items = []
        for o in el.get("options") or []:
            if not isinstance(o, dict):
                continue
            on = o.get("value") in chosen
            mark = ("☑" if on else "☐") if kind == "checkboxes" else ("◉" if on else "○")
            desc = ctx.text(o.get("description"))
            items.append(f'<div class="check">{mark} {ctx.text(o.get("text"))}'
                         + (f'<div class="desc">{desc}</div>' if desc else "") + "</div>")
        return "".join(items)
    if kind in ("plain_text_input", "email_text_input", "url_text_input", "number_input"):
        value = el.get("initial_value")
        if isinstance(value, str) and value:
            content = _esc(value)
        else:
            content = f'<span class="placeholder">{ctx.text(el.get("placeholder"))}</span>'
        cls = "textarea" if el.get("multiline") else "textinput"
        return f'<div class="{cls}">{content}</div>'
    if kind == "image":
        return f'<span class="image">[image: {_esc(str(el.get("alt_text", "")))}]</span>'
    if kind in ("mrkdwn", "plain_text"):
        return ctx.text(el)
    return f'<span class="unknown">[{_esc(str(kind))}]</span>'


def _block(block: Any, ctx: _Ctx) -> str:
    if not isinstance(block, dict):
        return ""
    kind = block.get("type")
    if kind == "header":
        return f'<div class="header">{ctx.text(block.get("text"))}</div>'
    if kind == "divider":
        return "<hr>"
    if kind == "section":
        parts = []
        if block.get("text"):
            parts.append(f'<div class="text">{ctx.text(block["text"])}</div>')
        fields = [f'<div class="field">{ctx.text(f)}</div>' for f in block.get("fields") or []]
        if fields:
            parts.append(f'<div class="fields">{"".join(fields)}</div>')
        if block.get("accessory"):
            parts.append(f'<div class="accessory">{_element(block["accessory"], ctx)}</div>')
        return f'<div class="section">{"".join(parts)}</div>'
    if kind == "context":
        items = [_element(e, ctx) for e in block.get("elements") or []]
        return f'<div class="context">{" · ".join(i for i in items if i)}</div>'
    if kind == "actions":
        items = [_element(e, ctx) for e in block.get("elements") or []]
        return f'<div class="actions">{"".join(items)}</div>'
    if kind == "input":
        optional = ' <span class="optional">(optional)</span>' if block.get("optional") else ""
        hint = ctx.text(block.get("hint"))
        return (f'<div class="input"><label>{ctx.text(block.get("label"))}{optional}</label>'
                f'{_element(block.get("element"), ctx)}'
                + (f'<div class="hint">{hint}</div>' if hint else "") + "</div>")
    if kind == "image":
        return f'<div class="image">[image: {_esc(str(block.get("alt_text", "")))}]</div>'
    return f'<div class="unknown">[{_esc(str(kind))} block]</div>'


def blocks_to_html(blocks: Iterable[Any], users: Mapping[str, str] | None = None,
                   channels: Mapping[str, str] | None = None) -> str:
    ctx = _Ctx(users or {}, channels or {})
    return "".join(_block(b, ctx) for b in blocks)


def _filled(el: Any) -> str:
    """What an input holds, for the terminal: its value, chosen option or ticked boxes."""
    if not isinstance(el, dict):
        return ""
    if isinstance(el.get("initial_value"), str) and el["initial_value"]:
        value = " ".join(el["initial_value"].split())
        return ": " + (value if len(value) <= 70 else value[:69] + "…")
    option = el.get("initial_option")
    if isinstance(option, dict):
        return ": " + str((option.get("text") or {}).get("text", ""))
    ticked = [str((o.get("text") or {}).get("text", "")) for o in el.get("initial_options") or []
              if isinstance(o, dict)]
    return ": [x] " + "; ".join(ticked) if ticked else ""


def blocks_to_lines(blocks: Iterable[Any], users: Mapping[str, str] | None = None) -> list[str]:
    """A plain-text reading of blocks, for the terminal."""
    users = users or {}
    lines: list[str] = []

    def txt(obj: Any) -> str:
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
            return ""
        raw = obj["text"]
        return mrkdwn_to_plain(raw, users) if obj.get("type") == "mrkdwn" else _unslack(raw)

    for b in blocks:
        if not isinstance(b, dict):
            continue
        kind = b.get("type")
        if kind == "header":
            lines.append(txt(b.get("text")).upper())
        elif kind == "section":
            if b.get("text"):
                lines.append(txt(b["text"]))
            fields = [txt(f).replace("\n", ": ", 1) for f in b.get("fields") or []]
            if fields:
                lines.append("   ".join(fields))
        elif kind == "context":
            lines.append("  ".join(txt(e) for e in b.get("elements") or []))
        elif kind == "actions":
            labels = [f"[{txt(e.get('text'))}]" for e in b.get("elements") or []
                      if isinstance(e, dict) and e.get("type") == "button"]
            lines.append(" ".join(labels))
        elif kind == "input":
            opt = " (optional)" if b.get("optional") else ""
            lines.append(f"▸ {txt(b.get('label'))}{opt}{_filled(b.get('element'))}")
        elif kind == "divider":
            lines.append("—" * 20)
    return [line for line in lines if line]


# ---- the page ------------------------------------------------------------------------------

_CSS = """
body{font:15px/1.45 -apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;background:#f4f2f5;
color:#1d1c1d;margin:0;padding:24px}
main{max-width:860px;margin:0 auto}
h1{font-size:24px;margin:0 0 4px}.sub{color:#616061;margin-bottom:20px}
.step{margin:28px 0 10px;font-weight:700;font-size:17px;color:#4a154b;border-bottom:2px solid
#e0cfe1;padding-bottom:4px}
.note{color:#616061;font-style:italic;margin:6px 0 6px 4px}
.card{background:#fff;border:1px solid #ddd;border-radius:8px;padding:12px 16px;margin:10px 0;
box-shadow:0 1px 2px rgba(0,0,0,.06)}
.where{font-size:12px;color:#616061;text-transform:uppercase;letter-spacing:.04em;margin-bottom:6px}
.who{font-weight:700}.edited{color:#888;font-size:12px}
.header{font-size:18px;font-weight:800;margin:4px 0 8px}
.section{margin:6px 0}
.fields{display:grid;grid-template-columns:1fr 1fr;gap:6px 24px;margin-top:6px}
.context{font-size:13px;color:#616061;margin:8px 0}
.actions{margin:8px 0;display:flex;flex-wrap:wrap;gap:8px}
.button{display:inline-block;border:1px solid #bbb;border-radius:4px;padding:3px 12px;
font-weight:700;font-size:14px;background:#fff}
.button.primary{background:#007a5a;color:#fff;border-color:#007a5a}
.button.danger{background:#fff;color:#e01e5a;border-color:#e01e5a}
.modal .title{font-weight:800;font-size:18px;margin-bottom:8px}
.input{margin:12px 0}.input label{display:block;font-weight:700;margin-bottom:4px}
.optional,.hint,.placeholder,.desc{color:#888;font-weight:400;font-size:13px}
.textinput,.textarea,.select span{display:block;border:1px solid #bbb;border-radius:4px;
padding:6px 8px;background:#fff;white-space:pre-wrap}.textarea{min-height:48px}
.options{margin:3px 0 0 2px;font-size:12px;color:#616061}
.modalbuttons{text-align:right;margin-top:8px}.modalbuttons .button{margin-left:8px}
.email pre{white-space:pre-wrap;font:14px/1.4 ui-monospace,Menlo,Consolas,monospace;margin:8px 0 0}
.email table{font-size:13px;border-collapse:collapse}.email td{padding:1px 8px 1px 0}
.email td:first-child{color:#616061}
.mention{background:#e8f5fa;color:#1264a3;border-radius:3px;padding:0 2px}
code{background:#f6f6f6;border:1px solid #e2e2e2;border-radius:3px;padding:0 3px;font-size:13px}
pre{background:#f6f6f6;border:1px solid #e2e2e2;border-radius:4px;padding:6px}
.ephemeral{border-left:4px solid #1264a3}.home{border-top:4px solid #4a154b}
.unknown,.image{color:#888}
table.data{border-collapse:collapse;font-size:13px;width:100%}
table.data th{text-align:left;border-bottom:1px solid #ccc;padding:3px 8px 3px 0}
table.data td{padding:3px 8px 3px 0;vertical-align:top;border-bottom:1px solid #eee}
"""


def _entry_html(entry: Entry, ctx: _Ctx) -> str:
    where = f'<div class="where">{_esc(entry.where)}</div>' if entry.where else ""
    if entry.kind == "step":
        return f'<div class="step">{_esc(entry.text)}</div>'
    if entry.kind == "note":
        return f'<div class="note">{_esc(entry.text)}</div>'
    if entry.kind == "table":
        head, *body_rows = entry.rows or [[]]
        cells = "".join(f"<th>{_esc(c)}</th>" for c in head)
        trs = "".join("<tr>" + "".join(f"<td>{_esc(c)}</td>" for c in r) + "</tr>"
                      for r in body_rows)
        return (f'<div class="card">{where}<table class="data"><tr>{cells}</tr>{trs}</table>'
                "</div>")
    if entry.kind == "email":
        rows = "".join(f"<tr><td>{_esc(k)}</td><td>{_esc(v)}</td></tr>"
                       for k, v in entry.headers.items())
        return (f'<div class="card email">{where}<table>{rows}</table>'
                f"<pre>{_esc(entry.text)}</pre></div>")
    if entry.kind in ("modal", "home"):
        view = entry.live or {}
        title = ctx.text(view.get("title")) if entry.kind == "modal" else ""
        buttons = "".join(
            _button({"text": view[k], "style": "primary" if k == "submit" else None}, ctx)
            for k in ("close", "submit") if isinstance(view.get(k), dict)
        )
        return (f'<div class="card {entry.kind}">{where}'
                + (f'<div class="title">{title}</div>' if title else "")
                + "".join(_block(b, ctx) for b in entry.current_blocks())
                + (f'<div class="modalbuttons">{buttons}</div>' if buttons else "") + "</div>")
    body = "".join(_block(b, ctx) for b in entry.current_blocks())
    if not body:
        text = mrkdwn_to_html(entry.current_text(), ctx.users, ctx.channels)
        body = f'<div class="text">{text}</div>'
    edited = ""
    if entry.live is not None and entry.live.get("edited"):
        edited = ' <span class="edited">(edited in place by chat.update)</span>'
    if entry.where:
        where = f'<div class="where">{_esc(entry.where)}{edited}</div>'
    cls = "card ephemeral" if entry.kind == "ephemeral" else "card"
    return f'<div class="{cls}">{where}{body}</div>'


def render_html(entries: Iterable[Entry], *, title: str = "wgml-bot demo transcript",
                users: Mapping[str, str] | None = None,
                channels: Mapping[str, str] | None = None,
                generated: dt.datetime | None = None) -> str:
    ctx = _Ctx(users or {}, channels or {})
    when = f" · {generated:%Y-%m-%d %H:%M UTC}" if generated else ""
    body = "\n".join(_entry_html(e, ctx) for e in entries)
    csp = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_esc(title)}</title><style>{_CSS}</style></head><body><main>"
        f"<h1>{_esc(title)}</h1><div class=\"sub\">What people saw in Slack and email, "
        f"step by step{_esc(when)}</div>\n{body}\n</main></body></html>\n"
    )
