"""`wgml-bot demo` as CI runs it: a subprocess, nothing configured, exit 0, the story told;
its HTML transcript opened in headless Chromium."""

from __future__ import annotations

import os
import re
import struct
import subprocess
import sys
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.chromium import chromium_path, screenshot

ROOT = Path(__file__).resolve().parents[2]


class Demo:
    def __init__(self, result: subprocess.CompletedProcess[str], html: Path) -> None:
        self.result = result
        self.html = html


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    cwd = tmp_path_factory.mktemp("demo")
    # A hostile environment: settings that would break the demo if it read them.
    (cwd / ".env").write_text("SLACK_API_URL=http://192.0.2.1/api/\nTIMEZONE=Mars/Olympus\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("WGML_")}
    env.update(PYTHONPATH=str(ROOT), DATABASE_URL="postgresql+asyncpg://nobody@192.0.2.1/x",
               SLACK_BOT_TOKEN="xoxb-not-the-demo", SLACK_API_URL="http://192.0.2.1/api/",
               SMTP_HOST="192.0.2.1", TIMEZONE="Mars/Olympus", COLUMNS="120")
    html = cwd / "transcript.html"
    result = subprocess.run(
        [sys.executable, "-m", "bot", "demo", "--html", str(html), "--site", str(cwd / "site")],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False)
    return Demo(result, html)


def test_demo_exits_0_and_tells_the_story(demo: Demo) -> None:
    out = demo.result.stdout
    assert demo.result.returncode == 0, out[-3000:] + demo.result.stderr[-3000:]
    assert "Traceback" not in out + demo.result.stderr
    for line in ("A leader opens the call for speakers", "Ada proposes a talk with /wgml submit",
                 "A modal opens (views.open)", "Propose a talk",
                 "DM from wgml-bot to @Ada Okafor", "#wgml-leads", "WGML-",
                 "[Vote yes] [Vote maybe] [Vote no] [Accept] [Decline]",
                 "/wgml mine", "The Home tab of @Ada Okafor", "FOR LEADERS: REVIEW",
                 "wgml-bot export", "Northlight Animation", "slack auth.test",
                 # After the decision: attendance, the program and its invite, the recap.
                 "presses “Yes, I'll present”", "presses “I can't make it”",
                 "best-voted undecided talk", "METHOD:PUBLISH", "BEGIN:VEVENT",
                 "DTSTART:", "PROGRAM: ", "Today:", "Slides and recording",
                 "RECAP:", "Demo finished."):
        assert line in out, line
    # Steps whose feature is not in this build say so; they are never faked.
    for title in ("The call for speakers is posted and emailed", "The leaders vote"):
        assert title in out
    assert "Transcript written to" in out
    for title in ("Ada confirms she will present", "The program goes out",
                  "The day of the session", "Ada shares her slides", "A week later: the recap"):
        assert re.search(re.escape(title) + r"[^│\n]*│ done", out), title


def test_demo_builds_the_public_archive_and_says_where(demo: Demo) -> None:
    out = demo.result.stdout
    assert re.search(r"The public archive is built[^│\n]*│ done", out)
    found = re.search(r"Public archive written to (\S+index\.html)", out)
    assert found, out[-2000:]
    page = Path(found.group(1)).read_text(encoding="utf-8")
    assert page.count('class="talk"') == 1 and "We tried SAM 2 for rotoscoping hair" in page


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)


def test_transcript_holds_slack_messages_modals_and_escaped_text(demo: Demo) -> None:
    assert demo.result.returncode == 0
    page = demo.html.read_text()
    for text in ("Propose a talk", "We tried SAM 2 for rotoscoping hair and fur",
                 'class="button primary">Vote yes', "The Home tab of @Ada Okafor",
                 "For leaders: review", "wgml-bot export"):
        assert text in page, text
    # Ben's title holds <!channel>: shown as text, never as a tag or a mention.
    assert "6 months &amp; &lt;!channel&gt; lessons" in page
    parser = Tags()
    parser.feed(page)
    assert "script" not in parser.tags and "img" not in parser.tags


def png_pixels(png: bytes) -> tuple[int, int, bytes]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, width, height, idat = 8, 0, 0, b""
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos:pos + 4])
        kind = png[pos + 4:pos + 8]
        data = png[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height = struct.unpack(">II", data[:8])
        elif kind == b"IDAT":
            idat += data
        pos += 12 + length
    return width, height, zlib.decompress(idat)


def test_transcript_screenshot_in_headless_chromium(demo: Demo, tmp_path: Path) -> None:
    if chromium_path() is None:
        pytest.skip("chromium is not installed: `make system-deps` as root installs Debian's "
                    "chromium package")
    assert demo.result.returncode == 0
    png = tmp_path / "transcript.png"
    screenshot(demo.html, png)
    width, height, raw = png_pixels(png.read_bytes())
    assert (width, height) == (1200, 1600)
    assert png.stat().st_size > 30_000  # a blank or error page compresses to far less
    assert len(set(raw)) > 64  # many distinct byte values: text, buttons, colours


async def test_a_misbehaving_step_fails_the_demo_with_a_clear_line(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import io

    from rich.console import Console

    from bot.cli.main import run_command
    from bot.demo import story as demo_story
    from bot.demo.main import run_demo

    async def broken(demo: object) -> None:
        raise RuntimeError("the card never appeared")

    async def never(demo: object) -> None:
        raise AssertionError("steps after a failure must not run")

    monkeypatch.setattr(demo_story, "STORY", [
        demo_story.Step("A step that breaks", broken), demo_story.Step("Later", never)])
    out = io.StringIO()
    code = await run_demo(tmp_path / "t.html", cli=run_command,
                          console=Console(file=out, width=120))
    assert code == 1
    text = out.getvalue()
    assert "FAILED: RuntimeError: the card never appeared" in text
    assert "Demo FAILED" in text and "Later" not in text
    assert "the card never appeared" in (tmp_path / "t.html").read_text()
