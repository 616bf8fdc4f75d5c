"""Safe rendering of user text in Slack mrkdwn."""

from __future__ import annotations


def escape(text: str) -> str:
    """Escape the three characters Slack treats as control: nobody can @channel via a title."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def shorten(text: str, limit: int) -> str:
    """Cut at a word boundary near `limit` characters and mark the cut with an ellipsis."""
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
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



def unescape(text: str) -> str:
    """Text as the person typed it: Slack sends what people type (a slash command's text, a
    message) with `&`, `<` and `>` as entities; `&amp;` last so a typed `&lt;` survives."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
