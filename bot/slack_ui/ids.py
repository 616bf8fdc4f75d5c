"""The ids Slack sends back that the listeners match on (action_ids, callback_ids), apart
from the views that carry them: `wgml-bot run` registers its listeners with these at
start-up, and each listener's module loads its views and its domain when first used.
Defined here, read where they are rendered (the modules named) and where they are matched
(handlers/slack)."""

from __future__ import annotations

import re

# The submission form (bot.slack_ui.form)
SUBMIT_CALLBACK = "wgml_submit"
EDIT_CALLBACK = "wgml_edit"  # the same form, filled in; private_metadata holds the ref
# The Home tab and `/wgml mine` (bot.slack_ui.home)
HOME_SUBMIT_ACTION = "home_submit"
EDIT_ACTION = "edit_talk"  # value: the talk's ref; opens the form filled in (handlers/slack/edit)
MINE_PUBLISH_ACTION = "publish_set"  # value "SID:yes|no" (bot.talks.publish.publish_press)
# `/wgml review`'s Next page (bot.slack_ui.review) and a card's Note (bot.slack_ui.note_modal)
REVIEW_PAGE_ACTION = "review_page"
NOTE_CALLBACK = "wgml_note"
# The card's guideline concerns (bot.slack_ui.guidelines)
DISMISS_ACTION = "guideline_dismiss"  # each button: guideline_dismiss:0, guideline_dismiss:1
DISMISS_PATTERN = re.compile(rf"^{DISMISS_ACTION}(:\d+)?$")
# Wishes (bot.slack_ui.wishes)
WISH_UP = "wish_up"  # action_id prefix of a wish's button: wish_up_ID (unique per message)
WISH_ASK = "wish_ask"  # the Home tab's "Ask for a topic" button
WISH_CALLBACK = "wgml_wish"  # the small form's callback_id
# Sub-projects (bot.slack_ui.subprojects)
PROPOSE_ACTION = "subproject_propose"
INTEREST_ACTION = "interest_subproject"
MODAL_CALLBACK = "subproject_modal"
