"""Headless Chromium (Debian's `chromium`) for screenshot tests and the README's picture."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

# Without the background-networking flags Chromium keeps dialling out of this closed network.
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars"]


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def screenshot(html: Path, png: Path, *, width: int = 1200, height: int = 1600) -> None:
    binary = chromium_path()
    if binary is None:
        raise FileNotFoundError("chromium is not installed (apt-get install -y chromium)")
    with tempfile.TemporaryDirectory(prefix="wgml-chromium-") as profile:
        subprocess.run(
            [binary, *FLAGS, f"--user-data-dir={profile}", f"--screenshot={png}",
             f"--window-size={width},{height}", html.resolve().as_uri()],
            check=True, capture_output=True, timeout=120,
        )


if __name__ == "__main__":  # python -m tests.chromium page.html out.png [width height]
    import sys

    size = [int(x) for x in sys.argv[3:5]] or [1200, 1600]
    screenshot(Path(sys.argv[1]), Path(sys.argv[2]), width=size[0], height=size[1])
