"""The HTML transcript: Block Kit rendered roughly, hostile text never becomes markup."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.demo.transcript import (
    Entry,
    blocks_to_html,
    blocks_to_lines,
    mrkdwn_to_html,
    mrkdwn_to_plain,
    render_html,
)
from bot.mrkdwn import escape
from bot.slack_ui.blocks import submission_modal


class TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend(attrs)


def tags_of(fragment: str) -> TagCollector:
    parser = TagCollector()
    parser.feed(fragment)
    return parser


ALLOWED = {"b", "i", "s", "code", "pre", "br", "span", "a", "div", "ul", "li", "hr", "label",
           "table", "tr", "td", "th", "main", "h1", "html", "head", "meta", "title", "style",
           "body"}


def test_formatting_mentions_and_links() -> None:
    out = mrkdwn_to_html("*bold* _it_ ~gone~ `x<y` <@U1> <!channel> <#C9|leads> "
                         "<https://aswf.io/?a=1&amp;b=2|the site> :white_check_mark:",
                         users={"U1": "Ada"})
    assert "<b>bold</b>" in out and "<i>it</i>" in out and "<s>gone</s>" in out
    assert "<code>x&lt;y</code>" in out
    assert '<span class="mention">@Ada</span>' in out
    assert "@channel" in out and "#leads" in out
    assert '<a href="https://aswf.io/?a=1&amp;b=2" rel="noopener noreferrer">the site</a>' in out
    assert "✅" in out


def test_slack_escaped_user_text_shows_as_typed_and_stays_inert() -> None:
    hostile = '<script>alert(1)</script> <img src=x onerror=alert(2)> & "q" <!channel>'
    out = mrkdwn_to_html("*Title* " + escape(hostile))
    assert "<script" not in out and "<img" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "&amp;" in out and "&quot;q&quot;" in out
    assert "@channel" not in out  # escaped by the bot, so it is text, not a mention
    assert set(tags_of(out).tags) <= {"b"}


def test_dangerous_link_schemes_are_not_links() -> None:
    out = mrkdwn_to_html("<javascript:alert(1)|click> <data:text/html,hi|x> "
                         '<https://ok.example/"onmouseover="x|fine>')
    parsed = tags_of(out)
    hrefs = [v for k, v in parsed.attrs if k == "href"]
    assert hrefs == ['https://ok.example/"onmouseover="x']  # quoted inside the attribute
    assert "onmouseover" not in [k for k, _ in parsed.attrs]
    assert "click" in out and "javascript" not in "".join(hrefs)


def test_formatting_markers_inside_urls_are_left_alone() -> None:
    out = mrkdwn_to_html("see <https://x.example/a_b_c*d*|link> and _this_")
    assert 'href="https://x.example/a_b_c*d*"' in out
    assert "<i>this</i>" in out


def test_placeholder_characters_in_input_cannot_reach_held_fragments() -> None:
    out = mrkdwn_to_html("\x000\x00 <https://a.example|a>")
    assert out.count("<a ") == 1 and "\x00" not in out


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>&\"'*_~`|:!@#/ abcxyzU1\n\x00=")), max_size=80))
def test_arbitrary_text_never_yields_unexpected_tags(text: str) -> None:
    out = mrkdwn_to_html(text)
    parsed = tags_of(out)
    assert set(parsed.tags) <= {"b", "i", "s", "code", "pre", "br", "span", "a"}
    for key, value in parsed.attrs:
        assert key in ("class", "href", "rel")
        if key == "href":
            assert value is not None and value.lower().startswith(
                ("http://", "https://", "mailto:"))
    # The same user text, escaped the way the bot escapes it, never becomes a tag either.
    safe = tags_of(mrkdwn_to_html(escape(text)))
    assert set(safe.tags) <= {"b", "i", "s", "code", "pre", "br"}


def test_card_like_blocks_render_header_fields_context_buttons() -> None:
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": "WGML-2026-001: <b>Roto</b>"}},
        {"type": "section", "fields": [{"type": "mrkdwn", "text": "*Speaker*\n<@U1>"},
                                       {"type": "mrkdwn", "text": "*Studio*\nA &amp; B"}]},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "*Votes* Yes: 1"}]},
        {"type": "actions", "elements": [
            {"type": "button", "text": {"type": "plain_text", "text": "Accept"},
             "style": "primary", "action_id": "decide_accept", "value": "1:accept"},
            {"type": "button", "text": {"type": "plain_text", "text": "Decline"},
             "style": "danger", "action_id": "decide_decline", "value": "1:decline"}]},
        {"type": "divider"},
        {"type": "rich_text"},
    ]
    out = blocks_to_html(blocks, users={"U1": "Ada"})
    assert '<div class="header">WGML-2026-001: &lt;b&gt;Roto&lt;/b&gt;</div>' in out
    assert "<b>Speaker</b><br>" in out and "@Ada" in out and "A &amp; B" in out
    assert '<span class="button primary">Accept</span>' in out
    assert '<span class="button danger">Decline</span>' in out
    assert "<hr>" in out and "[rich_text block]" in out
    lines = blocks_to_lines(blocks, users={"U1": "Ada"})
    assert lines[0] == "WGML-2026-001: <B>ROTO</B>"
    assert "Speaker: @Ada   Studio: A & B" in lines
    assert "[Accept] [Decline]" in lines


def test_modal_renders_inputs_select_checkboxes_and_buttons() -> None:
    view = submission_modal(email="ada@example.org")
    page = render_html([Entry("modal", where="Modal for @Ada", live=view,
                              blocks=view["blocks"])])
    for text in ("Propose a talk", "Title", "Focus area", "Abstract / outline",
                 "Studio or organisation", "ada@example.org", "(optional)",
                 "My talk contains no confidential information", "Submit", "Cancel",
                 "ML for content creation"):
        assert text in page, text
    assert "☐" in page and 'class="select"' in page


def test_page_is_self_contained_and_escapes_everything() -> None:
    evil = '"><script>alert(1)</script>'
    page = render_html([
        Entry("step", text=f"Step {evil}"),
        Entry("note", text=evil),
        Entry("message", where=f"#leads {evil}", text=f"plain {escape(evil)}"),
        Entry("email", where="Email", headers={"Subject": evil, "From": "a@b.c"},
              text=f"Body {evil}\n-- \nsig"),
        Entry("ephemeral", where="only you", text="*hi*"),
        Entry("table", where="export", rows=[["ref", "title"], ["WGML-1", evil]]),
    ], title=f"T {evil}")
    assert "<script" not in page
    assert page.count("&lt;script&gt;") >= 6
    assert "<th>ref</th>" in page and "<td>WGML-1</td>" in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert not re.search(r"(src|href)=\"(https?:)?//", page)  # nothing remote to load
    assert set(tags_of(page).tags) <= ALLOWED


def test_live_message_shows_its_latest_update() -> None:
    message = {"text": "old", "blocks": [{"type": "section",
                                          "text": {"type": "mrkdwn", "text": "Votes: 0"}}]}
    entry = Entry("message", where="#leads", live=message)
    message["blocks"] = [{"type": "section", "text": {"type": "mrkdwn", "text": "Votes: 3"}}]
    message["edited"] = True
    page = render_html([entry])
    assert "Votes: 3" in page and "Votes: 0" not in page and "chat.update" in page


def test_plain_rendering_for_the_terminal() -> None:
    text = "Hi <@U1>, see <https://x.example|docs> &amp; <!here> :tada:"
    expected = "Hi @Ada, see docs (https://x.example) & @here 🎉"
    assert mrkdwn_to_plain(text, {"U1": "Ada"}) == expected
