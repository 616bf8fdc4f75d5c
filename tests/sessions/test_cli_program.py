"""`wgml-bot cycle program ID` prints the program as the list gets it (or will)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.talks.test_cycle_session import OPEN, cli, env  # noqa: F401 - the fixture


def test_program_prints_time_zones_and_join_url(env: dict[str, str],  # noqa: F811
                                                tmp_path: Path) -> None:
    opened = cli(*OPEN, "--session-time", "16:30", "--join-url", "https://zoom.example/j/1",
                 env=env, cwd=tmp_path)
    assert opened.returncode == 0, opened.stderr
    shown: subprocess.CompletedProcess[str] = cli("cycle", "program", opened.stdout.strip(),
                                                  env=env, cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    out = shown.stdout
    assert out.startswith("# not announced yet")
    assert "16:30 Europe/London (16:30 UTC)" in out and "https://zoom.example/j/1" in out
    missing = cli("cycle", "program", "999", env=env, cwd=tmp_path)
    assert missing.returncode != 0 and "no cycle with id 999" in missing.stderr


def test_ics_export_carries_the_session_time_and_join_url() -> None:
    from icalendar import Calendar

    from bot.talks.export_ics import to_ics
    from tests.talks.test_export_formats import DATA

    cycle = DATA["cycles"][0] | {"session_time": "16:30", "join_url": "https://zoom.example/j"}
    [event] = Calendar.from_ical(to_ics({**DATA, "cycles": [cycle]})).walk("VEVENT")
    assert "Session: 16:30" in str(event["description"])
    assert "Join: https://zoom.example/j" in str(event["description"])
