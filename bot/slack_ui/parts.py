"""A long answer to a slash command, in parts Slack accepts: each under its message size,
split between lines, labelled "(part i of n)"; past what Slack lets one command answer
(the answer itself and five more through its response_url) the last part says how much was
left out and where to see all of it. Nothing is cut silently."""

from __future__ import annotations

from bot.mrkdwn import pack_lines

PART = 3900  # Slack asks messages to keep their text under 4,000 characters
MAX_PARTS = 6  # the command's answer plus five more through its response_url
LEFT_OUT = ("\n_…and {n} more part(s) Slack will not let me send in answer to one command: "
            "{where}._")


def answer_parts(text: str, *, where: str, limit: int = PART,
                 max_parts: int = MAX_PARTS) -> list[str]:
    """`text` in messages of at most `limit` characters; `where` says where to see it all."""
    label = " _(part {i} of {n})_"
    too_many = LEFT_OUT.format(n="{n}", where=where)
    chunks = pack_lines(text.split("\n"), limit - len(label) - len(too_many) - 4)
    if len(chunks) == 1:
        return chunks
    left = len(chunks) - max_parts
    if left > 0:
        chunks = chunks[:max_parts]
        chunks[-1] += too_many.format(n=left)
    n = len(chunks)
    return [chunk + label.format(i=i, n=n) if i == 1 else
            label.format(i=i, n=n).strip() + "\n" + chunk
            for i, chunk in enumerate(chunks, 1)]


def themes_parts(text: str, limit: int = PART, max_parts: int = MAX_PARTS) -> list[str]:
    """`/wgml themes` in parts Slack accepts, nothing cut silently."""
    return answer_parts(text, where="`wgml-bot themes` lists every group", limit=limit,
                        max_parts=max_parts)
