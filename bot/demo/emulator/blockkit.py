"""The Block Kit limits real Slack enforces, so the emulator refuses what Slack would refuse.

Slack answers `invalid_blocks` (messages) or `invalid_arguments` (views) when a block breaks
one of its documented limits, naming the place with a JSON pointer, e.g.
`no more than 25 items allowed [json-pointer:/blocks/1/elements]` or
`must be less than 25 characters [json-pointer:/view/title/text]`. A bot tested only against an
emulator that accepts anything would post cards that never appear. The numbers are Slack's
Block Kit reference (blocks, block elements, composition objects, views); slack_sdk's models
check only some of them.
"""

from __future__ import annotations

from typing import Any

MAX_BLOCKS = {"message": 50, "modal": 100, "home": 100}

# Composition objects and elements: the limits of their text-ish fields.
OPTION_TEXT = 75
OPTION_DESCRIPTION = 75
OPTION_VALUE = 150
PLACEHOLDER = 150
ACTION_ID = 255
BLOCK_ID = 255
BUTTON_TEXT = 75
BUTTON_VALUE = 2000
URL = 3000
CONFIRM = {"title": 100, "text": 300, "confirm": 30, "deny": 30}
# Options an element may carry (checkboxes and radio buttons 10, selects 100, overflow 5).
MAX_OPTIONS = {"checkboxes": 10, "radio_buttons": 10, "overflow": 5, "static_select": 100,
               "multi_static_select": 100}
VIEW_TEXT = 24  # a view's title, submit and close
VIEW_ID_FIELDS = {"callback_id": 255, "external_id": 255, "private_metadata": 3000}
MESSAGE_TEXT = 40000  # chat.postMessage refuses longer top-level text (msg_too_long)


class _Check:
    def __init__(self) -> None:
        self.errors: list[str] = []

    def fail(self, message: str, pointer: str) -> None:
        self.errors.append(f"{message} [json-pointer:{pointer}]")

    def length(self, value: Any, most: int, pointer: str, least: int = 0) -> None:
        if not isinstance(value, str):
            return
        if len(value) > most:
            self.fail(f"must be less than {most + 1} characters", pointer)
        elif len(value) < least:
            self.fail(f"must be more than {least - 1} characters", pointer)

    def items(self, value: Any, most: int, pointer: str, least: int = 0) -> list[Any]:
        items = value if isinstance(value, list) else []
        if len(items) > most:
            self.fail(f"no more than {most} items allowed", pointer)
        elif len(items) < least:
            self.fail(f"must provide at least {least} items", pointer)
        return items

    def text(self, obj: Any, most: int, pointer: str, *, plain: bool = False,
             required: bool = True) -> None:
        """A text object: `{"type": "plain_text"|"mrkdwn", "text": ...}`."""
        if obj is None:
            if required:
                self.fail("missing required field: text", pointer)
            return
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
            self.fail("must be a text object", pointer)
            return
        if obj.get("type") not in ("plain_text", "mrkdwn"):
            self.fail("must be plain_text or mrkdwn", f"{pointer}/type")
        elif plain and obj.get("type") != "plain_text":
            self.fail("must be plain_text", f"{pointer}/type")
        self.length(obj["text"], most, f"{pointer}/text", least=1)

    def option(self, opt: Any, pointer: str) -> None:
        if not isinstance(opt, dict):
            self.fail("must be an option object", pointer)
            return
        self.text(opt.get("text"), OPTION_TEXT, f"{pointer}/text")
        self.length(opt.get("value"), OPTION_VALUE, f"{pointer}/value", least=1)
        self.text(opt.get("description"), OPTION_DESCRIPTION, f"{pointer}/description",
                  required=False)
        self.length(opt.get("url"), URL, f"{pointer}/url")

    def confirm(self, obj: Any, pointer: str) -> None:
        if obj is None:
            return
        if not isinstance(obj, dict):
            self.fail("must be a confirm object", pointer)
            return
        for key, most in CONFIRM.items():
            self.text(obj.get(key), most, f"{pointer}/{key}", plain=key != "text",
                      required=key in ("title", "text"))

    def element(self, el: Any, pointer: str) -> None:
        if not isinstance(el, dict):
            self.fail("must be an element object", pointer)
            return
        kind = el.get("type")
        self.length(el.get("action_id"), ACTION_ID, f"{pointer}/action_id")
        self.text(el.get("placeholder"), PLACEHOLDER, f"{pointer}/placeholder", plain=True,
                  required=False)
        self.confirm(el.get("confirm"), f"{pointer}/confirm")
        if kind == "button":
            self.text(el.get("text"), BUTTON_TEXT, f"{pointer}/text", plain=True)
            self.length(el.get("value"), BUTTON_VALUE, f"{pointer}/value")
            self.length(el.get("url"), URL, f"{pointer}/url")
        if kind in MAX_OPTIONS and "option_groups" not in el:
            least = 2 if kind == "overflow" else 1
            options = self.items(el.get("options"), MAX_OPTIONS[kind], f"{pointer}/options",
                                 least=least)
            for j, opt in enumerate(options):
                self.option(opt, f"{pointer}/options/{j}")
        if "initial_option" in el:
            self.option(el["initial_option"], f"{pointer}/initial_option")
        for j, opt in enumerate(el.get("initial_options") or []):
            self.option(opt, f"{pointer}/initial_options/{j}")
        if kind == "plain_text_input":
            self.length(el.get("initial_value"), 3000, f"{pointer}/initial_value")
            for key in ("min_length", "max_length"):
                value = el.get(key)
                if isinstance(value, int) and not 0 <= value <= 3000:
                    self.fail("must be between 0 and 3000", f"{pointer}/{key}")
        if kind == "image":
            self.length(el.get("alt_text"), 2000, f"{pointer}/alt_text", least=1)
            self.length(el.get("image_url"), URL, f"{pointer}/image_url")

    def block(self, block: Any, pointer: str, surface: str) -> None:
        if not isinstance(block, dict):
            self.fail("must be a block object", pointer)
            return
        kind = block.get("type")
        if kind == "header":
            self.text(block.get("text"), 150, f"{pointer}/text", plain=True)
        elif kind == "section":
            fields = block.get("fields")
            if "text" not in block and not fields:
                self.fail("must provide either text or fields", pointer)
            self.text(block.get("text"), 3000, f"{pointer}/text", required=False)
            for j, f in enumerate(self.items(fields, 10, f"{pointer}/fields")):
                self.text(f, 2000, f"{pointer}/fields/{j}")
            if "accessory" in block:
                self.element(block["accessory"], f"{pointer}/accessory")
        elif kind == "context":
            elements = self.items(block.get("elements"), 10, f"{pointer}/elements", least=1)
            for j, e in enumerate(elements):
                if isinstance(e, dict) and e.get("type") == "image":
                    self.element(e, f"{pointer}/elements/{j}")
                else:
                    self.text(e, 3000, f"{pointer}/elements/{j}")
        elif kind == "actions":
            elements = self.items(block.get("elements"), 25, f"{pointer}/elements", least=1)
            ids = [e.get("action_id") for e in elements
                   if isinstance(e, dict) and e.get("action_id")]
            if len(ids) != len(set(ids)):
                self.fail("action_id must be unique within a block", f"{pointer}/elements")
            for j, el in enumerate(elements):
                self.element(el, f"{pointer}/elements/{j}")
        elif kind == "input":
            if surface == "message":
                self.fail("input blocks are not allowed in messages", pointer)
            self.text(block.get("label"), 2000, f"{pointer}/label", plain=True)
            self.text(block.get("hint"), 2000, f"{pointer}/hint", plain=True, required=False)
            self.element(block.get("element"), f"{pointer}/element")
        elif kind == "image":
            self.element(block, pointer)
            self.text(block.get("title"), 2000, f"{pointer}/title", plain=True,
                      required=False)
        elif kind not in ("divider", "rich_text", "file", "video"):
            self.fail(f"unsupported type: {kind}", f"{pointer}/type")

    def blocks(self, blocks: Any, pointer: str, surface: str) -> None:
        if not isinstance(blocks, list):
            self.fail("must be an array", pointer)
            return
        self.items(blocks, MAX_BLOCKS[surface], pointer)
        seen: set[str] = set()
        for i, block in enumerate(blocks):
            where = f"{pointer}/{i}"
            block_id = block.get("block_id") if isinstance(block, dict) else None
            if block_id is not None:
                self.length(str(block_id), BLOCK_ID, f"{where}/block_id")
                if str(block_id) in seen:
                    self.fail(f"duplicate block_id: {block_id}", f"{where}/block_id")
                seen.add(str(block_id))
            self.block(block, where, surface)


def block_errors(blocks: Any, surface: str = "message", pointer: str = "/blocks") -> list[str]:
    """What Slack would object to in `blocks` on `surface` (message, modal or home), each as
    Slack words it: `<problem> [json-pointer:/blocks/3/text/text]`."""
    check = _Check()
    check.blocks(blocks, pointer, surface)
    return check.errors


def view_errors(view: Any) -> list[str]:
    """What Slack would object to in a view (views.open, views.update, views.push,
    views.publish), pointers starting at `/view`."""
    check = _Check()
    if not isinstance(view, dict):
        check.fail("must be a view object", "/view")
        return check.errors
    surface = "home" if view.get("type") == "home" else "modal"
    if view.get("type") not in ("modal", "home"):
        check.fail("must be modal or home", "/view/type")
    if surface == "modal":
        check.text(view.get("title"), VIEW_TEXT, "/view/title", plain=True)
        for key in ("submit", "close"):
            check.text(view.get(key), VIEW_TEXT, f"/view/{key}", plain=True, required=False)
        if view.get("submit") is None and any(
                isinstance(b, dict) and b.get("type") == "input"
                for b in view.get("blocks") or []):
            check.fail("a view with input blocks must have a submit button", "/view/submit")
    for key, most in VIEW_ID_FIELDS.items():
        check.length(view.get(key), most, f"/view/{key}")
    check.blocks(view.get("blocks"), "/view/blocks", surface)
    return check.errors
