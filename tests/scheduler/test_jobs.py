"""Pure planning: what is due when, across daylight-saving changes and downtime."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from bot.config_groups import validate_cron
from bot.talks.cycles import end_of_day
from scheduler import jobs
from scheduler.jobs import CycleFacts

LONDON = zoneinfo.ZoneInfo("Europe/London")
LA = zoneinfo.ZoneInfo("America/Los_Angeles")
UTC = dt.UTC


def cycle(deadline: dt.date, zone: zoneinfo.ZoneInfo, announce: dt.datetime, cid: int = 1
          ) -> CycleFacts:
    return CycleFacts(cid, announce, end_of_day(deadline, zone), deadline)


def occ(plan: list[jobs.Occurrence], job: str, contains: str = "") -> jobs.Occurrence:
    found = [o for o in plan if o.job == job and contains in o.occurrence]
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("zone", "deadline"),
    [
        (LONDON, dt.date(2026, 4, 2)),  # 7 days before crosses 29 March (clocks forward)
        (LONDON, dt.date(2026, 10, 30)),  # 7 days before crosses 25 October (clocks back)
        (LA, dt.date(2026, 3, 12)),  # crosses 8 March
        (LA, dt.date(2026, 11, 5)),  # crosses 1 November
    ],
)
def test_reminders_stay_at_nine_local_across_dst(zone: zoneinfo.ZoneInfo, deadline: dt.date
                                                 ) -> None:
    c = cycle(deadline, zone, dt.datetime(2026, 1, 1, tzinfo=UTC))
    plan = jobs.cycle_occurrences(c, zone, [7, 1])
    for days in (7, 1):
        r = occ(plan, jobs.JOB_REMINDER, f"{days}d:")
        local = r.due_at.astimezone(zone)
        assert (local.hour, local.minute) == (9, 0)
        assert local.date() == deadline - dt.timedelta(days=days)
    # The digest comes the instant the deadline day ends, local midnight.
    digest = occ(plan, jobs.JOB_DIGEST).due_at.astimezone(zone)
    assert (digest.date(), digest.hour, digest.minute) == (
        deadline + dt.timedelta(days=1), 0, 0)


def test_a_day_of_25_hours_does_not_repeat_a_reminder() -> None:
    # Ticking every 30 minutes through the night clocks go back in London: each occurrence
    # shows up once with one key, whatever the wall clock does.
    c = cycle(dt.date(2026, 10, 26), LONDON, dt.datetime(2026, 10, 1, tzinfo=UTC))
    now = dt.datetime(2026, 10, 24, 20, tzinfo=UTC)
    seen: dict[tuple[str, int, str], dt.datetime] = {}
    while now < dt.datetime(2026, 10, 28, tzinfo=UTC):
        for o in jobs.due_occurrences([c], LONDON, [1, 0], now):
            assert seen.setdefault(o.key, o.due_at) == o.due_at
        now += dt.timedelta(minutes=30)
    reminders = sorted(k[2] for k in seen if k[0] == jobs.JOB_REMINDER)
    assert reminders == ["0d:2026-10-26", "1d:2026-10-25"]
    assert seen[(jobs.JOB_REMINDER, 1, "1d:2026-10-25")] == dt.datetime(
        2026, 10, 25, 9, tzinfo=UTC)  # 09:00 GMT, after the change


def test_nonexistent_local_time_moves_past_the_gap() -> None:
    # 01:30 on 29 March 2026 does not exist in London; it becomes 02:30 BST (01:30 UTC).
    at = jobs.local_instant(dt.date(2026, 3, 29), dt.time(1, 30), LONDON)
    assert at == dt.datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert at.astimezone(LONDON).hour == 2


def test_late_reminder_superseded_and_after_deadline_skipped() -> None:
    c = cycle(dt.date(2026, 12, 10), LONDON, dt.datetime(2026, 11, 20, tzinfo=UTC))
    # Down from before the 7-day reminder until after the 1-day one: only the latest runs.
    now = dt.datetime(2026, 12, 9, 15, tzinfo=UTC)
    due = jobs.due_occurrences([c], LONDON, [7, 1], now)
    seven = occ(due, jobs.JOB_REMINDER, "7d:")
    one = occ(due, jobs.JOB_REMINDER, "1d:")
    assert seven.skip_because(now) is not None and "superseded" in (seven.skip_because(now) or "")
    assert one.skip_because(now) is None
    assert occ(due, jobs.JOB_CALL).skip_because(now) is None  # late, still useful: runs once
    # After the deadline a reminder's purpose has passed; the digest has not.
    later = dt.datetime(2026, 12, 11, 8, tzinfo=UTC)
    due = jobs.due_occurrences([c], LONDON, [7, 1], later)
    assert "purpose passed" in (occ(due, jobs.JOB_REMINDER, "1d:").skip_because(later) or "")
    assert "purpose passed" in (occ(due, jobs.JOB_CALL).skip_because(later) or "")
    assert occ(due, jobs.JOB_DIGEST).skip_because(later) is None


def test_reminder_before_the_announcement_is_skipped_with_a_reason() -> None:
    c = cycle(dt.date(2026, 12, 10), UTC_ZONE, dt.datetime(2026, 12, 8, tzinfo=UTC))
    plan = jobs.cycle_occurrences(c, UTC_ZONE, [7, 1])
    assert "before the call" in (occ(plan, jobs.JOB_REMINDER, "7d:").skip_reason or "")
    assert occ(plan, jobs.JOB_REMINDER, "1d:").skip_reason is None
    # A speaker reminder never precedes the call.
    assert occ(plan, jobs.JOB_SPEAKER_REMINDER).due_at == c.announce_at


UTC_ZONE = zoneinfo.ZoneInfo("UTC")


def test_cron_fires_only_latest_when_new_and_all_missed_after() -> None:
    now = dt.datetime(2026, 11, 25, 12, tzinfo=UTC)
    assert jobs.cron_fires("0 9 1 * *", LONDON, None, now) == [
        dt.datetime(2026, 11, 1, 9, tzinfo=UTC)]
    after = dt.datetime(2026, 8, 1, 8, tzinfo=UTC)  # 09:00 BST
    fires = jobs.cron_fires("0 9 1 * *", LONDON, after, now)
    assert [f.astimezone(LONDON).hour for f in fires] == [9, 9, 9]
    assert [f.month for f in fires] == [9, 10, 11]
    occs = jobs.schedule_occurrences("0 9 1 * *", LONDON, after, now, 14)
    assert [o.skip_reason is not None for o in occs] == [True, True, False]
    # November's cycle (deadline 15 November) is past its purpose on 25 November.
    assert "purpose passed" in (occs[-1].skip_because(now) or "")
    assert validate_cron("not a cron", LONDON)
    assert validate_cron("0 9 1 * *", LONDON) is None
