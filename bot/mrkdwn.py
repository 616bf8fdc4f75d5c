"""Safe rendering of user text in Slack mrkdwn: a leaf every floor may import (the domain
escapes what it names, the surfaces what they show)."""

from __future__ import annotations

import unicodedata


def escape(text: str) -> str:
    """Escape the three characters Slack treats as control: nobody can @channel via a title."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


ZWJ = "\u200d"


def _extends(char: str) -> bool:
    """Whether `char` belongs to the character before it as the reader sees it: a combining
    mark or variation selector, a ZWJ, an emoji's skin tone, a flag's tag."""
    code = ord(char)
    return (char == ZWJ or 0x1F3FB <= code <= 0x1F3FF or 0xE0020 <= code <= 0xE007F
            or unicodedata.category(char) in ("Mn", "Mc", "Me"))


def _flag_half(code: int) -> bool:
    return 0x1F1E6 <= code <= 0x1F1FF  # a regional indicator: two make a flag


def whole_cut(text: str, end: int) -> int:
    """The largest cut at most `end` that splits no character as the reader sees it (an
    emoji's ZWJ sequence, skin tone or flag, an accent typed as a combining mark)."""
    while 0 < end < len(text) and (_extends(text[end]) or text[end - 1] == ZWJ):
        end -= 1
    if 0 < end < len(text) and _flag_half(ord(text[end])):
        run = 0
        while run < end and _flag_half(ord(text[end - 1 - run])):
            run += 1
        end -= run % 2  # an odd run: its last indicator pairs with the one after the cut
    return end


def escaped_cut(text: str, end: int) -> int:
    """whole_cut for text already escaped: nor inside an entity (`&amp;` whole or gone)."""
    end = whole_cut(text, end)
    amp = text.rfind("&", max(0, end - 4), end)
    return amp if amp >= 0 and ";" not in text[amp:end] else end


def shorten(text: str, limit: int) -> str:
    """Cut at a word boundary near `limit` characters and mark the cut with an ellipsis;
    never inside a character as the reader sees it (whole_cut)."""
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = text[: whole_cut(text, limit - 1)]
    space = cut.rfind(" ")
    if space > limit * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,.;:-") + "…"


def escaped_short(text: str, limit: int) -> str:
    """Shorten first, then escape, so an entity like &amp; is never cut in half."""
    return escape(shorten(text, limit))


def escaped_within(text: str, limit: int) -> str:
    """Escaped text whose escaped length fits `limit`, for fields Slack caps hard (a header's
    150 characters): Slack decodes the three entities in plain_text too, so escaping there is
    harmless to the reader, and no raw `<!channel>` ever leaves the bot."""
    out = escape(shorten(text, limit))
    if len(out) <= limit:
        return out
    low, high = 1, limit  # the longest cut whose escaped form fits; shorten(_, 1) is "…"
    while low < high:
        mid = (low + high + 1) // 2
        if len(escape(shorten(text, mid))) <= limit:
            low = mid
        else:
            high = mid - 1
    return escape(shorten(text, low))


def escaped_fit(text: str, visible: int, budget: int) -> str:
    """Escaped text of at most `visible` characters as the reader sees them whose escaped form
    fits `budget`: Slack counts the escaped length (700 `&` are 3,500 characters)."""
    out = escape(shorten(text, visible))
    if len(out) <= budget:
        return out
    return escaped_within(shorten(text, visible), budget)


def pack_lines(lines: list[str], limit: int) -> list[str]:
    """Whole lines joined into chunks of at most `limit` characters: a digest or a review too
    long for one section or message is split between lines, never inside bold, an entity or
    a mention. A single line over `limit` (callers bound their lines) is cut visibly."""
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    for line in lines:
        if len(line) > limit:
            line = line[: escaped_cut(line, limit - 1)] + "…"
        if current and size + 1 + len(line) > limit:
            chunks.append("\n".join(current))
            current, size = [], 0
        size += len(line) + (1 if current else 0)
        current.append(line)
    if current:
        chunks.append("\n".join(current))
    return chunks


def unescape(text: str) -> str:
    """Text as the person typed it: Slack sends what people type (a slash command's text, a
    message) with `&`, `<` and `>` as entities; `&amp;` last so a typed `&lt;` survives."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
