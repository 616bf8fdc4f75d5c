"""The talk's form (a modal, Block Kit): `/wgml submit`, the Home tab's button and `/wgml
edit` open it, filled in to edit; its block and action ids, which handlers/slack/submit.py reads
back. The leaders' card is bot/slack_ui/blocks.py."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot.focus import CONFIDENTIALITY_STATEMENT, FOCUS_AREAS, TALK_FORMAT
from bot.guidelines import Concern
from bot.mrkdwn import escape
from bot.slack_ui.guidelines import form_intro
from bot.slack_ui.ids import EDIT_CALLBACK, SUBMIT_CALLBACK
from bot.talks.publish import CONSENT_HINT, CONSENT_TEXT, CONSENT_VALUE
from bot.talks.submissions import LIMITS

# block_id -> (action_id, field name in Draft)
BLOCKS = {
    "title": ("title_input", "title"),
    "focus_area": ("focus_area_select", "focus_area"),
    "abstract": ("abstract_input", "abstract"),
    "results": ("results_input", "results"),
    "studio": ("studio_input", "studio"),
    "email": ("email_input", "email"),
    "confirmation": ("confirmation_check", "confirmed"),
    "networking": ("networking_check", "networking_opt_out"),
}
CONFIRM_VALUE = "no_confidential_information"
# An option's description holds 75 characters; the full statement is shown above the box.
CONFIDENTIALITY_SHORT = "As stated above: no secrets, proprietary data or product pitch."
OPT_OUT_VALUE = "no_introductions"
# Asked up front, optional: the talk on the public archive once it is presented (the slides
# form asks again). Not in BLOCKS: it is no field of the draft, and an edit does not ask it.
PUBLISH_BLOCK, PUBLISH_ACTION = "publish", "publish_check"

def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": True}


def _input(
    block_id: str, label: str, element: dict[str, Any], *, optional: bool = False,
    hint: str | None = None,
) -> dict[str, Any]:
    block: dict[str, Any] = {
        "type": "input",
        "block_id": block_id,
        "label": _plain(label),
        "element": element,
        "optional": optional,
    }
    if hint:
        block["hint"] = _plain(hint)
    return block


def _text_input(block_id: str, *, multiline: bool, placeholder: str, initial: str = "",
                max_length: int) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": BLOCKS[block_id][0],
        "multiline": multiline,
        "max_length": max_length,
        "placeholder": _plain(placeholder),
    }
    if initial:
        element["initial_value"] = initial
    return element


def submission_modal(*, email: str = "", studio: str = "", cycle_line: str = "",
                     edit: Mapping[str, str] | None = None, ref: str = "",
                     opted_out: bool = False, filled: Mapping[str, str] | None = None,
                     concerns: Sequence[Concern] = (), metadata: str = "",
                     confirmed: bool = False) -> dict[str, Any]:
    """The form; `edit` (the talk's current title, focus_area, abstract, results) fills it in
    to edit the talk `ref`. Its confidentiality box starts unticked: each version is
    confirmed on its own. The form comes back, `filled` with what the speaker wrote (box
    ticked as they left it, `metadata` marking what they have read), with the `concerns` the
    session guidelines raise about it, before anything is stored."""
    options = [
        {"text": _plain(label[:75]), "value": key} for key, label in FOCUS_AREAS.items()
    ]
    now = edit or filled or {}
    intro = form_intro(concerns, edit=edit is not None) if concerns else (
        "Propose a talk for a WG-ML Mutual Learning Session. " + TALK_FORMAT
        + (f"\n{cycle_line}" if cycle_line else "")
    ) if edit is None else (
        f"Editing `{escape(ref)}`. The leaders see the new text once you confirm below that "
        "it contains no confidential information; until then they see the last version you "
        "confirmed, and their votes are kept.")
    metadata = metadata or (ref if edit is not None else "")
    focus_select: dict[str, Any] = {
        "type": "static_select",
        "action_id": BLOCKS["focus_area"][0],
        "placeholder": _plain("Choose one"),
        "options": options,
    }
    chosen = [o for o in options if o["value"] == now.get("focus_area")]
    if chosen:
        focus_select["initial_option"] = chosen[0]
    opt_out_option = {
        "text": _plain("Don't introduce me to people working on similar problems"),
        "value": OPT_OUT_VALUE,
    }
    networking: dict[str, Any] = {
        "type": "checkboxes",
        "action_id": BLOCKS["networking"][0],
        "options": [opt_out_option],
    }
    if opted_out:
        networking["initial_options"] = [opt_out_option]
    confirm_option = {
        "text": _plain("My talk contains no confidential information"),
        "description": _plain(CONFIDENTIALITY_SHORT),
        "value": CONFIRM_VALUE,
    }
    return {
        "type": "modal",
        "callback_id": SUBMIT_CALLBACK if edit is None else EDIT_CALLBACK,
        "title": _plain("Propose a talk" if edit is None else "Edit your talk"),
        "submit": _plain("Submit" if edit is None else "Save"),
        "close": _plain("Cancel"),
        **({"private_metadata": metadata[:3000]} if metadata else {}),
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": intro}},
            _input("title", "Title", _text_input(
                "title", multiline=False, max_length=LIMITS["title"],
                placeholder="We tried X model for Y task",
                initial=now.get("title", "")[:LIMITS["title"]])),
            _input("focus_area", "Focus area", focus_select),
            _input("abstract", "Abstract / outline", _text_input(
                "abstract", multiline=True, max_length=LIMITS["abstract"],
                placeholder="The problem, the approach you tried, how you evaluated it",
                initial=now.get("abstract", "")[:LIMITS["abstract"]]),
                hint="A brief outline of the approach."),
            _input("results", "Results (what worked, what failed)", _text_input(
                "results", multiline=True, max_length=LIMITS["results"],
                placeholder="What worked, what failed, surprises, production scalability",
                initial=now.get("results", "")[:LIMITS["results"]]),
                optional=True),
            _input("studio", "Studio or organisation", _text_input(
                "studio", multiline=False, max_length=LIMITS["studio"],
                placeholder="e.g. ILM", initial=studio), optional=True),
            _input("email", "Email", {
                "type": "email_text_input",
                "action_id": BLOCKS["email"][0],
                "placeholder": _plain("you@studio.com"),
                **({"initial_value": email} if email else {}),
            }, hint="Where the leaders can reach you about the talk."),
            # The whole statement is what the member confirms; an option's description holds
            # only 75 characters, so the statement stands in full just above the checkbox.
            {"type": "context", "block_id": "confidentiality_statement", "elements": [
                {"type": "mrkdwn", "text": "*Confidentiality* " + escape(
                    CONFIDENTIALITY_STATEMENT)}]},
            _input("confirmation", "Confidentiality", {
                "type": "checkboxes",
                "action_id": BLOCKS["confirmation"][0],
                "options": [confirm_option],
                **({"initial_options": [confirm_option]} if confirmed else {}),
            }, hint="Showing a commercial product in your own workflow is welcome; "
                    "a product pitch is not."),
            _input("networking", "Introductions", networking, optional=True),
            *([] if edit is not None else [_input(PUBLISH_BLOCK, "Public archive", {
                "type": "checkboxes", "action_id": PUBLISH_ACTION,
                "options": [{"text": _plain(CONSENT_TEXT), "value": CONSENT_VALUE}],
            }, optional=True, hint=CONSENT_HINT)]),
        ],
    }
