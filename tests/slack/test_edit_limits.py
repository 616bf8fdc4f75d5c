"""The Edit buttons stay within Slack's limits however many talks and however long their
titles: 25 buttons in an actions block, a section's 3000 characters, button text 75."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from bot.demo.emulator.blockkit import block_errors, view_errors
from bot.slack_ui.home import EDIT_BUTTONS, HomeData, home_view, mine_blocks
from bot.talks.status import Status
from storage.models import Speaker, Submission

NOW = dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC)


def _talks(n: int) -> list[Submission]:
    speaker = Speaker(name="Ada", slack_user_id="UMEMBER1")
    statuses = [Status.SUBMITTED, Status.ACCEPTED, Status.WITHDRAWN, Status.DECLINED]
    return [Submission(id=i, ref=f"WGML-2026-{i:09d}", title="&<>" * 100, focus_area="other",
                       abstract="x" * 40, speaker=speaker, status=statuses[i % 4],
                       source="slack", created_at=NOW, updated_at=NOW)
            for i in range(1, n + 1)]


def test_mine_and_home_with_many_long_talks_stay_within_the_limits() -> None:
    talks = _talks(120)
    blocks = mine_blocks(talks, NOW, "/wgml")
    assert block_errors(blocks) == []
    buttons = [e for b in blocks if b.get("block_id") == "edit_talks" for e in b["elements"]]
    assert len(buttons) == EDIT_BUTTONS
    assert {b["value"] for b in buttons} <= {t.ref for t in talks
                                             if t.status in (Status.SUBMITTED, Status.ACCEPTED)}
    assert "more can be edited" in str(blocks)  # none dropped silently
    assert "unpublish REF" in str(blocks[-1])  # nor the archive's buttons
    editable = [t.ref or "" for t in talks if t.status in (Status.SUBMITTED, Status.ACCEPTED)]
    view = home_view(HomeData("UMEMBER1", None, talks, None, editable),
                     zoneinfo.ZoneInfo("UTC"))
    assert view_errors(view) == []
