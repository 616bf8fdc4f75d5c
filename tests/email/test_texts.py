"""How the bot reads confirmations and subjects, and what it writes (pure)."""

from __future__ import annotations

import pytest

from bot.email.texts import clean_subject, reply_subject
from bot.talks.confirmation import classify_confirmation
from tests.conftest import Running


@pytest.mark.parametrize("text,verdict", [
    ("yes, I confirm", "yes"),
    ("Yes I confirm.\n\nThanks!", "yes"),
    ("YES", "yes"),
    ("I confirm there is no confidential information.", "yes"),
    ("Confirmed!", "yes"),
    ("Oui, je confirme", "yes"),
    ("Ja, ich bestätige", "yes"),
    ("はい、確認します", "yes"),
    ("\n\n  yes  \n", "yes"),
    ("No, not yet.", "no"),
    ("Not yet, need legal sign-off", "no"),
    ("I can't confirm that yet", "no"),
    ("Yes, but I need to check with legal", "unclear"),
    ("Hmm, what counts as confidential?", "unclear"),
    ("", "unclear"),
    ("Yesterday we shipped it", "unclear"),
])
def test_classify_confirmation(text: str, verdict: str) -> None:
    assert classify_confirmation(text) == verdict


@pytest.mark.parametrize("subject,clean", [
    ("Re: [wg-ml] Call for speakers", "Call for speakers"),
    ("RE: AW: Fwd: [wg-ml] [announce] Talk idea", "Talk idea"),
    ("Re[2]: Talk", "Talk"),
    ("SV: Förslag", "Förslag"),
    ("  Depth estimation  ", "Depth estimation"),
    ("Re:", ""),
])
def test_clean_subject(subject: str, clean: str) -> None:
    assert clean_subject(subject) == clean


def test_reply_subject_carries_the_reference_once() -> None:
    assert reply_subject("Re: [wg-ml] Talk", "WGML-2026-001") == "Re: Talk [WGML-2026-001]"
    assert reply_subject("Re: Talk [WGML-2026-001]", "WGML-2026-001") == (
        "Re: Talk [WGML-2026-001]")
    assert reply_subject("", None) == "Re: Your talk proposal"


async def test_the_service_starts_imap_intake_with_delivery_and_the_scheduler(
        running: Running) -> None:
    # bot.app.service starts its tasks from one explicit list; intake returns at once while
    # IMAP_HOST is unset, as it is here.
    assert [t.get_name() for t in running.bot.tasks] == ["outbox", "scheduler", "imap"]


@pytest.mark.parametrize("text,verdict", [
    ("Hi,\n\nYes, I confirm.", "yes"),
    ("No confidential information, I confirm.", "yes"),
    ("Sorry for the delay - yes, I confirm.", "yes"),
    ("Not confidential, yes.", "yes"),
    ("Hi Tom,\nyes", "yes"),
    ("No, it does contain confidential results.", "no"),
    ("I cannot confirm yet", "no"),
    ("yes but I need to check with legal", "unclear"),
])
def test_confirmations_people_actually_write(text: str, verdict: str) -> None:
    from bot.talks.confirmation import classify_confirmation

    assert classify_confirmation(text) == verdict


@pytest.mark.parametrize("text", [
    "Yes, it contains confidential information.",
    "Confirm? No.",
    "I confirm nothing",
    "confirmed: no",
    "I confirm it is NOT free of confidential info",
    "Yes, though it's under NDA until March",
    "yes?",
    "I need to check this with our legal team first; please hold it.\n"
    "Please confirm that your talk contains no confidential information: reply to this "
    'email with the words "yes, I confirm".',
    'Reply to this email with the words "yes, I confirm".',
])
def test_doubt_or_named_confidential_material_is_never_a_yes(text: str) -> None:
    # The confidentiality rule rests on this reading: any doubt asks again, never confirms.
    assert classify_confirmation(text) != "yes"


@pytest.mark.parametrize("text", [
    "Yes, I confirm. No problem!",
    "Yes, I confirm there is nothing confidential in it.",
    "I confirm: not confidential at all.",
])
def test_a_plain_yes_beside_a_clearing_phrase_is_still_a_yes(text: str) -> None:
    assert classify_confirmation(text) == "yes"
