"""Every Web API call checked against Slack's published OpenAPI description of the method.

The pinned spec (openapi/slack_web_openapi_v2.json, from slackapi/slack-api-specs; see the
README there) says which methods exist, which arguments each takes and requires, their types,
and the OAuth scopes that grant it. openapi/additions.json adds what Slack documented after
the spec's last update, each entry with its source page. The emulator answers a call that
breaks the spec the way Slack does (`unknown_method`, `invalid_arguments` with the problems in
`response_metadata.messages`), so a bot that passes the emulator sends what Slack accepts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent / "openapi"
SPEC_FILE = HERE / "slack_web_openapi_v2.json"
ADDITIONS_FILE = HERE / "additions.json"
# Sent with every call, never a method argument of its own (additions.json says why).
ALWAYS_ALLOWED = frozenset(json.loads(ADDITIONS_FILE.read_text())["always_allowed"]["names"])
# How Slack reads a boolean argument sent in a form or a query string.
FORM_BOOLEANS = frozenset({"true", "false", "1", "0"})


@dataclass(frozen=True)
class Argument:
    name: str
    type: str  # the spec's: string, boolean, integer, number
    required: bool
    json_shape: str | None  # "array" / "object": a string Slack decodes as JSON


@dataclass(frozen=True)
class MethodSpec:
    name: str
    arguments: dict[str, Argument]
    # Any one of these grants the method (the spec's slackAuth list); empty: no scope needed.
    scopes: frozenset[str]
    errors: frozenset[str]  # the error codes the spec lists for the method
    token: str = "bot"  # "app" for an app-level token (apps.connections.open)


def _scopes(security: list[dict[str, list[str]]], granular: dict[str, str]) -> frozenset[str]:
    names = {s for entry in security for s in entry.get("slackAuth", [])} - {"none"}
    return frozenset(granular.get(s, s) for s in names)


def _errors(operation: dict[str, Any]) -> frozenset[str]:
    found: set[str] = set()
    for answer in (operation.get("responses") or {}).values():
        error = ((answer.get("schema") or {}).get("properties") or {}).get("error") or {}
        found.update(error.get("enum") or [])
    return frozenset(found)


@cache
def methods() -> dict[str, MethodSpec]:
    """The methods the pinned spec and its additions describe, by name."""
    spec = json.loads(SPEC_FILE.read_text())
    extra = json.loads(ADDITIONS_FILE.read_text())
    granular = {k: v for k, v in extra["granular_scopes"].items() if "why" not in k}
    shapes = {k: v for k, v in extra["json_arguments"].items() if k != "why"}
    required = {k: set(v) for k, v in extra["required"].items() if k != "why"}
    found: dict[str, MethodSpec] = {}
    for path, verbs in spec["paths"].items():
        name = path.lstrip("/")
        for operation in verbs.values():
            params = list(operation.get("parameters") or [])
            params += extra["parameters"].get(name, [])
            args = {
                p["name"]: Argument(
                    p["name"], p.get("type", "string"),
                    bool(p.get("required")) or p["name"] in required.get(name, set()),
                    shapes.get(p["name"]) if p.get("type", "string") == "string" else None)
                for p in params if p["name"] not in ALWAYS_ALLOWED
            }
            found[name] = MethodSpec(name, args, _scopes(operation.get("security") or [],
                                                         granular), _errors(operation))
    for name, entry in extra["methods"].items():
        args = {p["name"]: Argument(p["name"], p.get("type", "string"), bool(p.get("required")),
                                    None) for p in entry["parameters"]}
        found[name] = MethodSpec(name, args, frozenset(entry["scopes"]), frozenset(),
                                 token=entry.get("token", "bot"))
    return found


def _json_value(value: Any, shape: str) -> bool:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return False
    return isinstance(value, list if shape == "array" else dict)


def _type_error(arg: Argument, value: Any, typed: bool) -> str | None:
    """Why `value` is not what Slack reads for `arg`, or None. `typed`: it came in a JSON body
    (real JSON types); otherwise from a form or query string (always text)."""
    if arg.json_shape is not None:
        if typed and not isinstance(value, str):
            ok = isinstance(value, list if arg.json_shape == "array" else dict)
        else:
            ok = isinstance(value, str) and _json_value(value, arg.json_shape)
        return None if ok else f"must be a JSON-encoded {arg.json_shape}"
    if arg.type == "boolean":
        if typed and not isinstance(value, str):
            ok = isinstance(value, bool)
        else:
            ok = str(value) in FORM_BOOLEANS
        return None if ok else "must be a boolean (true, false, 1, 0)"
    if arg.type == "integer":
        if typed and isinstance(value, int) and not isinstance(value, bool):
            return None
        text = str(value)
        return None if not typed and text.lstrip("-").isdigit() else "must be an integer"
    if arg.type == "number":
        if typed and isinstance(value, (int, float)) and not isinstance(value, bool):
            return None
        try:
            float(str(value))
        except ValueError:
            return "must be a number"
        return None if not typed or isinstance(value, str) else "must be a number"
    if typed and not isinstance(value, str):
        return "must be a string"
    return None


def call_problems(method: str, params: dict[str, Any], typed: set[str]) -> list[str] | None:
    """None when the spec has no such method; otherwise what is wrong with the call (empty
    when nothing is), each as Slack words it: `missing required field: channel [json-pointer:
    /channel]`. `typed` names the arguments that came in a JSON body."""
    spec = methods().get(method)
    if spec is None:
        return None
    problems: list[str] = []
    for name, arg in spec.arguments.items():
        # Present but empty is not missing: Slack hands it to the method, which answers in
        # its own words (conversations.create with name="" says invalid_name_required).
        if arg.required and params.get(name) is None:
            problems.append(f"missing required field: {name} [json-pointer:/{name}]")
    for name, value in params.items():
        if name in ALWAYS_ALLOWED:
            continue
        known = spec.arguments.get(name)
        if known is None:
            problems.append(f"unknown argument: {name} [json-pointer:/{name}]")
        elif value is not None and (why := _type_error(known, value, name in typed)):
            problems.append(f"{why} [json-pointer:/{name}]")
    return problems


def scopes_for(method: str) -> frozenset[str]:
    """The scopes any one of which grants `method` (KeyError for a method the spec lacks)."""
    return methods()[method].scopes
