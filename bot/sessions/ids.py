"""The session's ids Slack sends back that the listeners match on, apart from the code that
answers them (bot.sessions.attendance, bot.sessions.slides): `wgml-bot run` registers its
listeners with these at start-up and loads that code at the first press."""

from __future__ import annotations

import re

ATTEND_ACTION = re.compile(r"^attend_(yes|no)$")
SLIDES_ACTION = re.compile(r"^slides")
SLIDES_CALLBACK = "wgml_slides"
