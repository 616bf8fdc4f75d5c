"""One loader for the outbox's stored values (storage.outbox.load): every surface's RENDER
table reads its values through it, a value comes back from JSON as it was queued, and one
this version cannot read fails clearly (Unreadable, naming the kind), never half-read."""

from __future__ import annotations

import functools
import json
from typing import Any

import pytest

from bot.curation.said import AttendanceAsked, DecisionTold, Refusal, answer_fields
from bot.email import said as email_said
from bot.guidelines.said import GuidelinesNoted
from bot.people.said import Introduced
from bot.slack_ui import said as slack_said
from bot.slack_ui.said import rendered
from bot.talks.said import EditSaved
from storage.outbox import Unreadable, load, said_of, said_payload


def through_json(value: Any) -> dict[str, Any]:
    fields = json.loads(json.dumps(said_payload(value)))
    fields.pop("kind")
    return fields


@pytest.mark.parametrize("table", [slack_said.RENDER, email_said.RENDER],
                         ids=["slack", "email"])
def test_every_kind_is_loaded_by_the_one_loader(table: dict[str, Any]) -> None:
    for kind, (loader, _) in table.items():
        assert isinstance(loader, functools.partial) and loader.func is load, kind


def test_values_come_back_from_json_as_queued() -> None:
    ask = AttendanceAsked(7, "WGML-2026-007", "T", "May session", "UTC", reminder=True)
    told = DecisionTold("accepted", "WGML-2026-007", "T", "May", ask=ask,
                        introduced=[Introduced("Ana", "U2", "Fur", "R2", "T2")])
    noted = GuidelinesNoted("WGML-2026-007", "T", [("R1", "why")], "/wgml-test")
    for value in (ask, told, noted, EditSaved("WGML-2026-007", "T", ["title"], 2)):
        assert load(type(value), through_json(value)) == value
    said = said_of({"said": answer_fields(Refusal.MISSING)})
    assert said is not None and load(Refusal, said[1]) is Refusal.MISSING


@pytest.mark.parametrize(("cls", "fields", "words"), [
    (EditSaved, {"ref": "R", "title": "T", "colour": "red"}, "unexpected keyword"),
    (EditSaved, {"ref": "R"}, "missing"),
    (DecisionTold, {"event": "accepted", "ref": "R", "title": "T", "session": "S",
                    "ask": {"submission_id": 1}}, "missing"),
    (GuidelinesNoted, {"ref": "R", "title": "T"}, "KeyError"),
    (GuidelinesNoted, {"ref": "R", "title": "T", "concerns": [["R1"]]}, "ValueError"),
    (GuidelinesNoted, {"ref": "R", "title": "T", "concerns": 3}, "TypeError"),
    (Refusal, {"reason": "from_the_future"}, "not a valid Refusal"),
    (Refusal, {}, "KeyError"),
])
def test_a_value_that_cannot_be_loaded_fails_clearly(cls: type[Any], fields: dict[str, Any],
                                                     words: str) -> None:
    with pytest.raises(Unreadable, match=words) as caught:
        load(cls, fields)
    kind = getattr(cls, "KIND", cls.__name__)
    assert str(caught.value).startswith(f"cannot load {kind!r} from fields {sorted(fields)}")
    assert isinstance(caught.value, TypeError)  # what the outbox's senders refuse for good


def test_a_broken_nested_value_is_refused_at_rendering_not_left_to_the_lane() -> None:
    """A GuidelinesNoted whose concerns are not pairs raised ValueError before, which the
    Slack sender did not catch (a retry, marked uncertain, instead of a refusal)."""
    payload = {"channel": "U1", "text": "",
               "said": {"kind": GuidelinesNoted.KIND, "ref": "R", "title": "T",
                        "concerns": [["R1", "why", "extra"]]}}
    with pytest.raises(Unreadable, match=r"guidelines\.noted"):
        rendered(payload)
