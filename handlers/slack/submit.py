"""The submission form: `/wgml submit` (and the Home tab's button) opens it; its
view_submission is validated on the field, stored and acknowledged."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient
from sqlalchemy.exc import IntegrityError

from bot.digits import is_number
from bot.mrkdwn import escape
from bot.services import Services
from bot.slack_ui.ids import SUBMIT_CALLBACK
from handlers.slack.payload import dig, state_value, text
from handlers.slack.respond import Ack, reply
from storage.outbox import enqueue_slack_message

if TYPE_CHECKING:
    from bot.guidelines import Concern
    from bot.talks.submissions import Draft

log = logging.getLogger("wgml.slack")


def draft_from_view(view: Any) -> Draft:
    from bot.slack_ui.form import BLOCKS, CONFIRM_VALUE, OPT_OUT_VALUE
    from bot.talks.submissions import Draft, clean

    def value(block: str) -> Any:
        return state_value(view, block, BLOCKS[block][0])

    def string(block: str) -> str:
        v = value(block)
        return clean(v) if isinstance(v, str) else ""

    confirmation = value("confirmation")
    networking = value("networking")
    return Draft(
        title=" ".join(string("title").split()),
        focus_area=string("focus_area"),
        abstract=string("abstract"),
        results=string("results"),
        studio=" ".join(string("studio").split()),
        email=string("email"),
        confirmed=isinstance(confirmation, list) and CONFIRM_VALUE in confirmation,
        networking_opt_out=isinstance(networking, list) and OPT_OUT_VALUE in networking,
    )


async def checked_form(ack: Ack, body: dict[str, Any], key: str
                       ) -> tuple[Any, str, str, Draft] | None:
    """A submitted form's view, user, the view's `key` (its id, or the ref an edit form
    carries) and its draft; None once Slack has been answered with the fields to fix."""
    from bot.slack_ui.guidelines import split_read
    from bot.talks.submissions import validate

    view = dig(body, "view")
    user_id = text(body, "user", "id")
    value = text(view, key)
    if key == "private_metadata":  # an edit's ref, less the guidelines' "read" marker
        value = split_read(value)[0]
    if not user_id or not value:
        await ack(response_action="errors", errors={
            "title": "Slack sent an incomplete form; please submit again."})
        return None
    draft = draft_from_view(view)
    errors = validate(draft, require_email=True, require_confirmation=True)
    if errors:
        await ack(response_action="errors", errors=errors.by_field)
        return None
    return view, user_id, value, draft


def concerns_to_read(view: Any, draft: Draft) -> tuple[list[Concern], frozenset[str]]:
    """The session guidelines' concerns about the submitted text, and the rules whose
    concerns the speaker has already been shown on this form."""
    from bot.guidelines import check
    from bot.slack_ui.guidelines import split_read

    concerns = check(draft.title, draft.abstract, draft.results)
    return concerns, split_read(text(view, "private_metadata"))[1]


def filled(draft: Draft) -> dict[str, str]:
    return {"title": draft.title, "focus_area": draft.focus_area, "abstract": draft.abstract,
            "results": draft.results}


async def show_concerns(services: Services, ack: Ack, draft: Draft, concerns: list[Concern],
                        read: frozenset[str], answers: Any) -> None:
    """The form again, as the speaker filled it in, with the concerns on top: nothing is
    stored until they submit it again (revised, or as it is)."""
    from bot.slack_ui.blocks import submission_modal
    from bot.slack_ui.guidelines import with_read
    from bot.slack_ui.wishes import SELECT_MAX, with_answers_block
    from bot.wishes.answers import answerable

    wishes: list[tuple[int, str]] = []
    try:
        async with services.db.session() as session:
            wishes = await answerable(session, SELECT_MAX)
    except Exception:
        log.exception("event=submit.wishes_failed")
    view = with_answers_block(submission_modal(
        email=draft.email, studio=draft.studio, filled=filled(draft), concerns=concerns,
        opted_out=draft.networking_opt_out, confirmed=draft.confirmed,
        metadata=with_read("", sorted(read | {c.rule for c in concerns}))), wishes)
    if isinstance(answers, str):
        keep_answer(view, answers)
    await ack(response_action="update", view=view)


def keep_answer(view: dict[str, Any], answers: str) -> None:
    """The wish the speaker chose stays chosen on the form that comes back."""
    from bot.slack_ui.wishes import ANSWERS_BLOCK

    for block in view["blocks"]:
        if block.get("block_id") == ANSWERS_BLOCK:
            element = block["element"]
            chosen = [o for o in element.get("options") or [] if o.get("value") == answers]
            if chosen:
                element["initial_option"] = chosen[0]


def register(app: AsyncApp, services: Services) -> None:
    @app.view(SUBMIT_CALLBACK)
    async def _submitted(ack: Ack, body: dict[str, Any]) -> None:
        from bot.guidelines.stored import read_talk, tell_speaker
        from bot.slack_ui.form import PUBLISH_ACTION, PUBLISH_BLOCK
        from bot.slack_ui.guidelines import unread
        from bot.slack_ui.wishes import ANSWERS_BLOCK, ANSWERS_SELECT
        from bot.talks.publish import CONSENT_VALUE, set_publish
        from bot.talks.submissions import SlackSpeaker, submit_from_slack
        from bot.wishes.answers import link
        from storage.models import Submission

        form = await checked_form(ack, body, "id")
        if form is None:
            return
        view, user_id, view_id, draft = form
        answers = state_value(view, ANSWERS_BLOCK, ANSWERS_SELECT)  # a wish's id, optional
        concerns, read = concerns_to_read(view, draft)
        if unread(concerns, read):
            log.info("event=submission.guidelines_shown view=%s user=%s rules=%s", view_id,
                     user_id, ",".join(c.rule for c in concerns))
            await show_concerns(services, ack, draft, concerns, read, answers)
            return
        publish = state_value(view, PUBLISH_BLOCK, PUBLISH_ACTION)  # ticked: True; else None
        who = SlackSpeaker(
            user_id=user_id,
            name=text(body, "user", "name") or text(body, "user", "username"),
        )
        try:
            async with services.db.transaction() as session:
                result = await submit_from_slack(
                    session, who=who, view_id=view_id, draft=draft,
                    leadership_channel=services.settings.leadership_channel_id,
                    now=services.now(), command=services.settings.slack_command,
                )
                if not result.duplicate:
                    await read_talk(session, result.submission_id, concerns)
                    # What did not hold the form (relevance, practical) is said by DM now.
                    await tell_speaker(session, result.submission_id, concerns, read,
                                       services.settings.slack_command)
                if isinstance(answers, str) and is_number(answers, 9) \
                        and not result.duplicate:
                    await link(session, int(answers), result.submission_id, user_id,
                               services.now())
                if isinstance(publish, list) and CONSENT_VALUE in publish \
                        and not result.duplicate:
                    sub = await session.get(Submission, result.submission_id)
                    if sub is not None:
                        await set_publish(
                            session, sub, True, by=user_id, via="submit_form",
                            now=services.now(),
                            rebuild_site=services.settings.site_dir is not None)
        except IntegrityError:
            # The same view submitted twice at once: the other request stored it.
            log.info("event=submission.duplicate_race view=%s user=%s", view_id, user_id)
            await ack()
            return
        await ack()
        log.info(
            "event=submission.slack ref=%s user=%s duplicate=%s", result.ref, user_id,
            result.duplicate,
        )
        services.deliverer.kick()


async def open_form(services: Services, command: dict[str, Any], rest: str, ack: Ack,
                  client: AsyncWebClient) -> None:
    trigger_id = text(command, "trigger_id")
    user_id = text(command, "user_id")
    if not trigger_id or not user_id:
        await reply(ack, "Slack sent this command without a trigger; please try again.")
        return
    await ack()
    # Imported after the acknowledgement: the first `/wgml submit` loads them.
    from bot.slack_ui import messages
    from bot.slack_ui.blocks import submission_modal
    from bot.slack_ui.wishes import SELECT_MAX, with_answers_block
    from bot.talks.cycles import current_cycle
    from bot.talks.submissions import speaker_by_slack_id
    from bot.wishes.answers import answerable

    # views.open is the one call not sent through the outbox: its trigger_id dies in 3 s.
    email = studio = cycle_line = ""
    wishes: list[tuple[int, str]] = []
    try:
        async with services.db.session() as session:
            speaker = await speaker_by_slack_id(session, user_id)
            if speaker is not None:
                email, studio = speaker.email or "", speaker.studio
            cycle = await current_cycle(session, services.now())
            if cycle is not None:
                cycle_line = f"Call: *{escape(cycle.title)}*, deadline " + messages.deadline_text(
                    cycle, services.settings.zone)
            else:
                cycle_line = messages.no_cycle_notice()
            wishes = await answerable(session, SELECT_MAX)
    except Exception:
        log.exception("event=submit.prefill_failed user=%s", user_id)
    try:
        await client.views_open(
            trigger_id=trigger_id,
            view=with_answers_block(
                submission_modal(email=email, studio=studio, cycle_line=cycle_line), wishes),
        )
    except (SlackApiError, OSError, TimeoutError) as exc:
        error = (exc.response.get("error") if isinstance(exc, SlackApiError)
                 and exc.response is not None else type(exc).__name__)
        # A refused form (not a stale trigger) fails for everyone until the bot is fixed.
        log.log(logging.WARNING if error in RETRYABLE_OPEN_ERRORS else logging.ERROR,
                "event=submit.views_open_failed user=%s error=%s", user_id, error)
        await tell_form_failed(services, command, str(error or "unknown"))


# Errors after which a fresh trigger (running the command again) can work.
RETRYABLE_OPEN_ERRORS = frozenset({
    "expired_trigger_id", "exchanged_trigger_id", "invalid_trigger_id", "ratelimited",
    "internal_error", "fatal_error", "service_unavailable", "request_timeout",
    "TimeoutError", "OSError", "ClientConnectorError",
})


def form_failed_text(error: str, command_name: str, bot_email: str | None) -> str:
    """Why the form did not open and what can work instead: "run it again" only when a new
    trigger can succeed, so a refusal that would repeat does not send the member in a loop."""
    head = f"Slack did not let me open the submission form ({escape(error)}); nothing was sent."
    if error in RETRYABLE_OPEN_ERRORS:
        return head + f" This is usually temporary: please run `{command_name} submit` again."
    email = (f" write to {escape(bot_email)} with Title, Focus area, Abstract and Results "
             "lines, or" if bot_email else "")
    return (head + " Running the command again will not help: the form itself was refused, "
            "and I have logged the problem for the people who run me. Meanwhile you can"
            f"{email} reply by email to the call for speakers.")


async def tell_form_failed(services: Services, command: dict[str, Any], error: str) -> None:
    """Say the form did not open where the member will see it: the command's response_url
    (works in any channel, even one the bot is not in), else a DM (the Home tab's button)."""
    message = form_failed_text(error, services.settings.slack_command,
                               services.settings.bot_email_address)
    user_id = text(command, "user_id")
    response_url = text(command, "response_url")
    if response_url:
        try:
            sent = await AsyncWebhookClient(response_url).send(
                text=message, response_type="ephemeral", replace_original=False)
            if sent.status_code == 200:
                return
            log.warning("event=submit.response_url_failed user=%s status=%s body=%s",
                        user_id, sent.status_code, sent.body[:100])
        except (OSError, TimeoutError) as exc:
            log.warning("event=submit.response_url_failed user=%s error=%s", user_id,
                        type(exc).__name__)
    if not user_id:
        return
    async with services.db.transaction() as session:
        # A DM reaches the member wherever they pressed; postMessage to a user id opens it.
        await enqueue_slack_message(session, channel=user_id, text=message)
    services.deliverer.kick()
