"""`wgml-bot demo`: the story played on the real bot and its stand-ins, then its summary."""

from __future__ import annotations

import asyncio
import datetime as dt
import tempfile
from pathlib import Path

from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from bot.demo import story
from bot.demo.play import CHANNELS, USERS, CommandRunner, Skip, started
from bot.demo.transcript import Entry, render_html


async def run_demo(html: Path | None, *, cli: CommandRunner,
                   console: Console | None = None, site: Path | None = None) -> int:
    if console is None:
        console = Console()
        if not console.is_terminal:  # CI logs and pipes: wide enough for the tables
            console = Console(width=120)
    outcomes: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory(prefix="wgml-demo-") as tmpdir:
        async with started(console, Path(tmpdir), cli) as demo:
            console.print(Panel(Text(
                "wgml-bot runs the ASWF ML Working Group's speaker pipeline on Slack and the "
                "mailing list. This demo runs the real bot on stand-ins it started itself: "
                f"a Slack emulator at {demo.slack.url}, an SMTP server on port "
                f"{demo.smtp.port}"
                + (f", an IMAP server (pymap) on port {demo.imap.port}" if demo.imap else "")
                + f", and a throw-away SQLite database in {tmpdir}."),
                title="wgml-bot demo", border_style="bold"))
            if site is not None:
                demo.state["site_dir"] = site
            for number, step in enumerate(story.STORY, 1):
                console.rule(Text(f"{number}. {step.title}", style="bold"), align="left")
                demo.entries.append(Entry("step", text=f"{number}. {step.title}"))
                try:
                    await step.run(demo)
                    demo.collect()
                    outcomes.append((step.title, "done"))
                except Skip as exc:
                    demo.collect()
                    demo.note(f"Skipped: {exc}")
                    outcomes.append((step.title, f"skipped: {exc}"))
                except Exception as exc:
                    # A feature that is there but misbehaves fails the demo (it is CI's smoke
                    # test); the rest of the story depends on this step, so it stops here.
                    demo.collect()
                    demo.note(f"FAILED: {type(exc).__name__}: {exc}")
                    outcomes.append((step.title, f"FAILED: {exc}"))
                    break
            site = demo.state.get("site_dir")
            if html is not None:
                page = render_html(demo.entries, title="wgml-bot demo transcript", users=USERS,
                                   channels=CHANNELS, generated=dt.datetime.now(dt.UTC))
                await asyncio.to_thread(html.write_text, page, encoding="utf-8")
    summary = Table(title="The story", title_justify="left")
    summary.add_column("step")
    summary.add_column("outcome")
    failed = any(outcome.startswith("FAILED") for _, outcome in outcomes)
    for title, outcome in outcomes:
        style = "green" if outcome == "done" else "red" if outcome.startswith("FAILED") \
            else "yellow"
        summary.add_row(Text(title), Text(outcome, style=style))
    console.print(summary)
    if html is not None:
        console.print(Text(f"Transcript written to {html}"))
    if site is not None and (Path(site) / "index.html").exists():
        console.print(Text(f"Public archive written to {Path(site) / 'index.html'}"))
    if failed:
        console.print(Text("Demo FAILED: a step did not do what it should.", style="bold red"))
        return 1
    console.print(Text("Demo finished.", style="bold green"))
    return 0
