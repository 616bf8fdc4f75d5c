"""The consent tests run with a public archive configured: SITE_DIR in the test's temporary
directory (not created yet: the first build creates it) and SITE_URL."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Settings

SITE_URL = "https://wgml.example.org/archive/"


@pytest.fixture
def site_dir(tmp_path: Path) -> Path:
    return tmp_path / "public" / "site"


@pytest.fixture
def settings(settings: Settings, site_dir: Path) -> Settings:
    return settings.model_copy(update={"site_dir": str(site_dir), "site_url": SITE_URL})
