"""The reply parser on real-looking client output, and on anything at all (hypothesis)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.email import reply as reply_module
from bot.email.reply import _parse as parse
from bot.email.reply import message_id_of, parse_message, synthetic_message_id

FIXTURES = Path(__file__).parent.parent / "email_fixtures"
EXPECTED: dict[str, dict[str, object]] = json.loads(
    (FIXTURES / "expected.json").read_text(encoding="utf-8")
)


def test_there_are_at_least_forty_fixtures() -> None:
    files = sorted(p.stem for p in FIXTURES.glob("*.eml"))
    assert len(files) >= 40
    assert set(files) == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture(name: str) -> None:
    expected = EXPECTED[name]
    parsed = parse_message((FIXTURES / f"{name}.eml").read_bytes())
    assert parsed.reply_text == expected["reply_text"]
    assert parsed.fields == expected["fields"]
    assert parsed.auto_reply is expected.get("auto_reply", False)
    for key in ("from", "message_id", "in_reply_to", "subject"):
        if key in expected:
            assert parsed.as_inspect()[key] == expected[key], key
    if "attachments" in expected:
        assert parsed.attachments == expected["attachments"]
    assert not parsed.defects or parsed.reply_text  # defects never cost the text


def test_every_fixture_has_a_sender_and_replies_point_at_the_call() -> None:
    for name in EXPECTED:
        parsed = parse_message((FIXTURES / f"{name}.eml").read_bytes())
        assert "@" in parsed.sender, name


def test_synthetic_message_id_is_stable_and_distinct() -> None:
    raw = (FIXTURES / "no_message_id.eml").read_bytes()
    assert message_id_of(raw) == message_id_of(raw) == synthetic_message_id(raw)
    assert message_id_of(raw + b"x") != message_id_of(raw)
    assert message_id_of(raw).startswith("<") and message_id_of(raw).endswith(">")


def test_message_id_of_reads_the_header() -> None:
    raw = (FIXTURES / "gmail_top_post.eml").read_bytes()
    assert message_id_of(raw) == "<CAKx7Yw1+hairroto@mail.gmail.com>"


def test_thread_ids_nearest_first() -> None:
    parsed = parse_message((FIXTURES / "gmail_confirm_yes.eml").read_bytes())
    assert parsed.thread_ids() == ["<wgml.confirm.1@example.org>",
                                   "<CAKx7Yw1+hairroto@mail.gmail.com>"]


@pytest.mark.parametrize("header,auto", [
    ("Auto-Submitted: no", False),
    ("Auto-Submitted: No (written by a person)", False),
    ("Auto-Submitted: auto-replied (vacation)", True),
    ("Auto-Submitted: auto-generated", True),
    ("Auto-Submitted: auto-replied; owner-email=x@y", True),
    ("Precedence: junk", True),
    ("Precedence: list", True),
    ("Precedence: first-class", False),
    ("X-Autorespond: yes", True),
    ("List-Id: <wg.lists.example.org>", True),
])
def test_auto_reply_headers(header: str, auto: bool) -> None:
    raw = f"From: a@b.example\nSubject: hi\n{header}\n\nhello\n".encode()
    assert parse_message(raw).auto_reply is auto


def test_postmaster_is_a_bounce() -> None:
    raw = b"From: Postmaster <postmaster@mx.example>\nSubject: failure\n\nno\n"
    parsed = parse_message(raw)
    assert parsed.auto_reply and parsed.auto_reason == "bounce"


def test_unknown_charset_and_broken_base64_still_give_text() -> None:
    raw = (b"From: a@b.example\nContent-Type: text/plain; charset=x-klingon\n"
           b"Content-Transfer-Encoding: base64\n\nSGVsbG8gd29ybGQ=!!!\n")
    parsed = parse_message(raw)
    assert parsed.sender == "a@b.example"
    assert isinstance(parsed.reply_text, str)


def test_str_input_and_empty_input() -> None:
    assert parse_message(b"").reply_text == ""
    assert parse_message(b"\x00\xff\xfe").sender == ""


def test_the_last_line_of_defence_keeps_a_crash_visible(monkeypatch: pytest.MonkeyPatch) -> None:
    """parse_message never raises: a parser bug becomes a defect naming it, not lost mail."""
    def broken(raw: bytes) -> None:
        raise LookupError("a codec the parser did not expect")

    monkeypatch.setattr(reply_module, "_parse", broken)
    parsed = parse_message(b"From: a@b.example\n\nhello")
    assert parsed.defects == ["LookupError: a codec the parser did not expect"]
    assert parsed.body_source == "none"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4000))
def test_never_raises_on_arbitrary_bytes(raw: bytes) -> None:
    # The parser itself, not parse_message: that one catches every exception as its last line
    # of defence, so a property over it could never fail. Here a crash is a failure.
    parsed = parse(raw)
    json.dumps(parsed.as_inspect())
    message_id_of(raw)


_header = st.sampled_from([
    b"Content-Type: multipart/alternative; boundary=b\n",
    b"Content-Type: text/html; charset=shift_jis\n",
    b"Content-Transfer-Encoding: base64\n",
    b"Content-Transfer-Encoding: quoted-printable\n",
    b"Subject: =?utf-8?b?w6k=?= =?bogus?q?x?=\n",
    b"From: =?utf-8?q?broken <\n",
    b"Message-ID: <\n",
    b"References: <a@b> <c@d\n",
    b"Content-Type: message/rfc822\n",
])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_header, max_size=6), st.binary(max_size=2000),
       st.text(max_size=500))
def test_never_raises_on_mail_shaped_garbage(headers: list[bytes], body: bytes,
                                             text: str) -> None:
    raw = b"".join(headers) + b"\n--b\n" + body + text.encode("utf-8", "surrogatepass") + b"\n--b--"
    parsed = parse(raw)  # the parser itself: a crash fails (see above)
    json.dumps(parsed.as_inspect())


def test_format_flowed_is_unwrapped() -> None:
    from bot.email.body import unflow

    assert unflow("We tried \nthree models.\n-- \nsig") == "We tried three models.\n-- \nsig"
    assert unflow("> quoted \n> text\nnew") == "> quoted text\nnew"
    assert unflow("abc \ndef", delsp=True) == "abcdef"
    assert unflow(" >not a quote") == ">not a quote"  # space-stuffed


def test_a_closing_after_the_last_field_is_not_part_of_it() -> None:
    from bot.email.fields import read_fields

    text = ("Title: Roto\nAbstract: We tried SAM 2 on hair.\n"
            "Results: Worked on clean plates;\nfailed on motion blur.\n\nBest,\nMei")
    assert read_fields(text)["results"] == "Worked on clean plates;\nfailed on motion blur."
    text = "Title: Roto\nAbstract: We tried it.\n\nViele Grüße\nJonas Weber\nStudio Nord"
    assert read_fields(text)["abstract"] == "We tried it."
    text = "Title: Roto\nResults: Best results came from SAM 2.\nRegards were sent."
    assert "Regards were sent." in read_fields(text)["results"]


def test_an_encoded_display_name_cannot_pose_as_the_address() -> None:
    from bot.email.reply import parse_message

    raw = (b"From: =?utf-8?q?victim=40studio=2Eorg?= <attacker@evil.example>\r\n"
           b"Subject: Re: WGML-2026-001\r\nMessage-ID: <spoof1@evil.example>\r\n\r\nyes\r\n")
    # A display name carrying another address makes the sender ambiguous: nobody's mail.
    forged = parse_message(raw)
    assert forged.sender == "" and forged.sender_problem == "address-in-display-name"
    raw = (b"From: =?utf-8?q?J=C3=BCrgen_M=C3=BCller?= <jm@studio.de>\r\n"
           b"Subject: x\r\nMessage-ID: <a@b>\r\n\r\nhi\r\n")
    parsed = parse_message(raw)
    assert (parsed.sender, parsed.sender_name) == ("jm@studio.de", "Jürgen Müller")


def test_a_proposal_whose_subject_sounds_automatic_is_still_a_proposal() -> None:
    from bot.email.reply import parse_message

    body = (b"Title: Auto-reply triage with small language models\r\nFocus area: LLMs\r\n"
            b"Abstract: We sorted support mail with a small model.\r\n")
    raw = (b"From: Ana <ana@studio.example>\r\nSubject: Auto-reply triage with small LLMs\r\n"
           b"Message-ID: <ar1@studio.example>\r\n\r\n" + body)
    assert parse_message(raw).auto_reply is False
    raw = (b"From: Ana <ana@studio.example>\r\nSubject: Automatic reply: away\r\n"
           b"Message-ID: <ar2@studio.example>\r\n\r\nI am away until Monday.\r\n")
    assert parse_message(raw).auto_reply is True
