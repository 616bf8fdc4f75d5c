"""What the bot says to people, in one place (plain text and mrkdwn)."""

from __future__ import annotations

import zoneinfo

from bot.focus import BOUNDARY_TEXT
from bot.mrkdwn import escape, escaped_short
from bot.talks.publish import PublishAnswer
from bot.talks.said import EditedInThread, EditRefused, EditSaved, EditUnchanged, TalkSubmitted
from bot.talks.status import speaker_label
from storage.models import Cycle, Submission


def submitted_dm(value: TalkSubmitted) -> str:
    where = (
        f"for *{escape(value.cycle_title)}*"
        if value.cycle_title
        else "and will be considered for the next call for speakers (none is open right now)"
    )
    return (
        f"Thank you! Your talk *{escaped_short(value.title, 150)}* is in as "
        f"`{value.ref}` {where}. The WG-ML leaders will look at it and you will hear "
        f"from me when they decide. `{value.command} mine` shows its status."
    )


def mine(submissions: list[Submission], command: str) -> str:
    if not submissions:
        return f"You have no submissions yet. `{command} submit` proposes a talk."
    lines = ["*Your submissions*"]
    for s in submissions:
        cycle = escape(s.cycle.title) if s.cycle else "next call"
        listed = ", listed on the public archive" if s.publish is True else ""
        lines.append(
            f"• `{s.ref}` *{escaped_short(s.title, 80)}* ({cycle}): "
            f"{speaker_label(s.status)}{listed}"
        )
    return "\n".join(lines)


def help_text(command: str, subcommands: list[tuple[str, str]]) -> str:
    """`/wgml help`: one line per (usage, what it does), from the subcommands that exist."""
    lines = "".join(f"• `{command} {usage}`: {what}\n" for usage, what in subcommands)
    return (
        "*WG-ML Mutual Learning Sessions*: members present practical experiments, "
        '"we tried X model for Y task and these were the results".\n'
        + lines + "You can also reply by email to the call for speakers.\n\n" + BOUNDARY_TEXT
    )


def deadline_text(cycle: Cycle, zone: zoneinfo.ZoneInfo) -> str:
    local = cycle.deadline.astimezone(zone)
    return f"{local:%A %d %B %Y} (end of day, {zone.key})"


def no_cycle_notice() -> str:
    return (
        "No call for speakers is open right now; your submission will wait for the next one "
        "and the leaders will see it then."
    )


FIELD_LABELS = {"title": "title", "focus_area": "focus area", "abstract": "abstract",
                "results": "results", "studio": "studio"}


def field_list(fields: list[str]) -> str:
    names = [FIELD_LABELS.get(f, f) for f in fields]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def edited_in_thread(value: EditedInThread) -> str:
    """The card's thread after an edit: which fields changed, never the text itself (the card
    shows the confirmed text; a diff in the thread would keep every version in view)."""
    how = "in Slack" if value.channel == "slack" else "by email"
    return (f":pencil2: The speaker edited `{escape(value.ref)}` {how} and confirmed the new "
            f"version (v{value.n}) contains no confidential information. Changed: "
            f"{field_list(value.fields)}. The card shows the new text; votes are kept.")


def edit_saved_dm(value: EditSaved) -> str:
    return (f"Saved: your talk *{escaped_short(value.title, 150)}* (`{value.ref}`) "
            f"is now at version {value.n} ({field_list(value.fields)} changed). The leaders "
            f"see the new text. `{value.command} edit {value.ref}` edits it again.")


def edit_unchanged_dm(value: EditUnchanged) -> str:
    return (f"Nothing changed in `{value.ref}`, so the leaders see it as before.")


def ref_refusal(reason: str, ref: str, command: str, verb: str) -> str | None:
    """What every `/wgml VERB REF` answers alike: no reference, one that is not a reference,
    one that names no talk, someone else's talk; None for any other reason."""
    shown = escape(ref[:40])
    if reason == "usage":
        return (f"Which talk? Give its reference, e.g. `{command} {verb} WGML-2026-007`; "
                f"`{command} mine` lists yours.")
    if reason == "bad_ref":
        return (f"`{shown}` does not look like a reference (e.g. WGML-2026-007). "
                f"`{command} mine` lists yours.")
    if reason == "not_found":
        return f"I can't find `{shown}`. `{command} mine` lists your submissions."
    if reason == "not_yours":
        return (f"`{shown}` is not one of your submissions: only its speaker can {verb} it. "
                f"`{command} mine` lists yours.")
    return None


def edit_refused(value: EditRefused) -> str:
    """Why this person cannot edit this talk now, and what they can do instead."""
    command, ref = value.command, value.ref
    refused = ref_refusal(value.reason, ref, command, "edit")
    if refused is not None:
        return refused
    what = f"`{ref}` (*{escaped_short(value.title, 120)}*)"
    if value.closed == "session":
        return (f"{what} can no longer be edited: its session date has come. If something in "
                "it must change, please tell the leaders.")
    if value.closed == "withdrawn":
        return (f"{what} was withdrawn, so it can no longer be edited. "
                f"`{command} submit` proposes a new talk.")
    if value.closed == "declined":
        return (f"{what} was declined, so it can no longer be edited. A new version is very "
                f"welcome in a future call: `{command} submit`.")
    return f"{what} can no longer be edited ({escape(speaker_label(value.closed))})."


def publish_answer(value: PublishAnswer, command: str) -> str:
    """The answer to `/wgml unpublish REF` and to the archive's buttons in `/wgml mine`."""
    ref = escape(value.ref[:40])
    if value.outcome == "unknown" and not ref:
        return f"I can't find that talk any more. `{command} mine` lists yours."
    shared = {"usage": "usage", "not_a_ref": "bad_ref", "unknown": "not_found"}
    if value.outcome in shared:
        return ref_refusal(shared[value.outcome], value.ref, command, "unpublish") or ""
    if value.outcome == "not_speaker":
        return (f"`{ref}` is not one of your talks: only its speaker decides whether it is on "
                f"the public archive. `{command} mine` lists yours.")
    if value.outcome in ("bad_value", "no_user"):
        return "Slack sent an incomplete request; please try again."
    what = f"*{escaped_short(value.title, 120)}* (`{ref}`)"
    if value.value:
        return (f"{what} is already listed on the public archive." if value.outcome ==
                "unchanged" else f"{what} will be listed on the public archive, with its "
                "slides and recording, from the next time the site is built.")
    if value.outcome == "unchanged":
        return f"{what} is not on the public archive."
    return (f"{what} is off the public archive: the next build of the site drops it. "
            f"`{command} mine` has a button to list it again.")
