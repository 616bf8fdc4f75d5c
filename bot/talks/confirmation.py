"""What confirms: reading a speaker's answer to "do you confirm?" as yes, no or unclear.

A rule of the talks' lifecycle (a pending talk becomes submitted only on a clear yes), so it
lives in the domain; the email surface and the attendance question both ask it.
"""

from __future__ import annotations

import re
import unicodedata

_NEGATIVE = re.compile(
    r"^(no|nope|nah|not\b|never|negative|nein|non\b|i (do not|don't|can't|cannot|won't)|"
    r"i'm not|i am not|unfortunately|sorry)", re.I
)
_AFFIRMATIVE = re.compile(
    r"^((yes|yep|yeah|yup|y|ok|okay|sure|correct|agreed|absolutely|definitely|of course|"
    r"confirm|confirmed|i confirm|i do|i hereby confirm|i can confirm|happy to confirm|"
    r"ja|jawohl|oui|sí|si|da)\b|はい|確認)", re.I
)
_GREETING = re.compile(
    r"^(hi|hello|hey|dear|good (morning|afternoon|evening)|bonjour|hallo|hola|guten tag|"
    r"ciao)\b[^.!?]{0,40}[,!.:]?$|^[^.!?]{0,40},$", re.I)
_CONFIRM_PHRASE = re.compile(r"\b(i (hereby |can |do )?confirm(ed)?|confirmed)\b", re.I)
_REFUSE_PHRASE = re.compile(r"\b(can ?not|can't|cannot|won't|do not|don't|not able to) confirm\b",
                            re.I)
# "No confidential information" says the talk is clear: it is agreement, not a refusal.
_NOTHING_CONFIDENTIAL = re.compile(
    r"\b(no|nothing|not|non)[- ]?(is |is not |contains )?confidential( information| data)?\b",
    re.I)


# After the phrases that clear the talk are taken out, any of these makes a "yes" unclear:
# a negation, a hedge, a question, or confidential material named (a "yes" must not be read
# out of "Yes, it contains confidential information" or "I confirm nothing").
_DOUBT = re.compile(
    r"\b(no|not|nothing|none|never|n't|cannot|can ?not|nein|nicht|kein\w*|pas|non|"
    r"but|however|unless|except|although|wait|hold|later|yet|check\w*|legal|"
    r"maybe|perhaps|unsure|sure\?)\b|n't\b|\?", re.I)
_CLEARED = re.compile(
    _NOTHING_CONFIDENTIAL.pattern + r"|\bno (problem|worries)\b|\bnot at all\b", re.I)
_CONFIDENTIAL_NAMED = re.compile(r"confidential|proprietary|secret|\bnda\b|under embargo", re.I)
# The bot's own request, pasted back without quote marks, must never confirm anything.
_OUR_REQUEST = re.compile(r"with the words|reply to this (e-?mail|message)|\"yes, i confirm\"",
                          re.I)


def classify_confirmation(reply_text: str) -> str:
    """"yes", "no" or "unclear" from the first lines the speaker wrote (greetings skipped).

    "yes" only for an affirmation with no negation, hedge, question or named confidential
    material beside it: the confidentiality rule rests on this, so doubt is never a yes.
    """
    lines = [line.strip().lstrip("*_>\"'“ ").strip() for line in reply_text.split("\n")]
    content = [line for line in lines if line and not _GREETING.match(line)][:3]
    if not content:
        return "unclear"
    head = unicodedata.normalize("NFKC", " ".join(content))
    first = unicodedata.normalize("NFKC", content[0])
    if _REFUSE_PHRASE.search(head):
        return "no"
    cleared = _CLEARED.sub(" ", head)
    affirmed = (_CONFIRM_PHRASE.search(head) is not None
                or _NOTHING_CONFIDENTIAL.search(head) is not None
                or _AFFIRMATIVE.match(first) is not None)
    if affirmed:
        if _DOUBT.search(cleared) or _CONFIDENTIAL_NAMED.search(cleared) \
                or _OUR_REQUEST.search(head):
            return "no" if _NEGATIVE.match(first) and not _AFFIRMATIVE.match(first) \
                else "unclear"
        return "yes"
    if _NEGATIVE.match(first):
        return "no"
    return "unclear"
