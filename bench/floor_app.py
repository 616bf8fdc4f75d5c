"""The floor: the bare bolt app (bench/baseline_app.py) plus the libraries the design card
fixes for the service (SQLAlchemy with aiosqlite, pydantic-settings, APScheduler, aiosmtplib,
aioimaplib), imported and idle. What no wgml-bot can weigh less than.

Run as `python -m bench.floor_app PORT`, like the baseline.
"""

from __future__ import annotations

import aioimaplib  # noqa: F401
import aiosmtplib  # noqa: F401
from apscheduler.schedulers.asyncio import AsyncIOScheduler  # noqa: F401
from pydantic_settings import BaseSettings  # noqa: F401
from sqlalchemy.ext.asyncio import create_async_engine

from bench import baseline_app

if __name__ == "__main__":
    engine = create_async_engine("sqlite+aiosqlite:///:memory:")  # loads the driver
    baseline_app.main()
