"""`wgml-bot run` imports only what it uses, and the demo's stand-ins are an optional extra."""

from __future__ import annotations

import subprocess
import sys

from bench.common import ROOT

NOT_FOR_RUN = ("aiosmtpd", "pymap", "alembic", "rich", "icalendar", "hypothesis", "pytest")


def test_run_imports_no_demo_exporter_or_migrations() -> None:
    code = ("import sys; import bot.cli.main, bot.cli.run; "
            "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT).stdout.split()
    assert "slack_bolt" in out and "sqlalchemy" in out  # it did import the service
    assert not [name for name in NOT_FOR_RUN if name in out]


def test_the_demo_without_its_extra_says_how_to_install_it() -> None:
    # As if `pip install -e .` without `[demo]`: the stand-ins cannot be imported.
    code = ("import sys; sys.modules['aiosmtpd'] = None; sys.modules['pymap'] = None; "
            "from bot.cli.main import main; sys.exit(main(['demo']))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT)
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "pip install -e '.[demo]'" in lines[0]
