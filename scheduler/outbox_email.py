"""Sending queued email with aiosmtplib: the Deliverer's email lane.

SMTP answers become the delivery policy's errors: TransientError on 4xx and lost
connections (retried with backoff), PermanentError on 5xx.
"""

from __future__ import annotations

import logging
from typing import Any

import aiosmtplib

from bot.config import Settings
from bot.email.send import UnsendableEmail, build_message
from scheduler.outbox_policy import EmailSender, PermanentError, TransientError

log = logging.getLogger("wgml.email")


def make_sender(settings: Settings) -> EmailSender:
    """The Deliverer's email callable: TransientError on 4xx and lost connections,
    PermanentError on 5xx."""

    async def send(payload: dict[str, Any]) -> None:
        try:
            msg = build_message(payload, settings)
        except UnsendableEmail as exc:
            raise PermanentError(str(exc)) from None
        password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
        try:
            await aiosmtplib.send(
                msg,
                hostname=settings.smtp_host,
                port=settings.smtp_port,
                username=settings.smtp_username or None,
                password=password if settings.smtp_username else None,
                use_tls=settings.smtp_ssl,
                start_tls=settings.smtp_starttls and not settings.smtp_ssl,
                timeout=settings.smtp_timeout,
            )
        except aiosmtplib.SMTPRecipientsRefused as exc:
            codes = [e.code for e in exc.recipients]
            text = "; ".join(f"{e.recipient}: {e.code} {e.message}" for e in exc.recipients)
            if codes and all(c >= 500 for c in codes):
                raise PermanentError(f"SMTP refused every recipient: {text}") from None
            raise TransientError(f"SMTP refused recipients for now: {text}") from None
        except aiosmtplib.SMTPResponseException as exc:
            if exc.code >= 500:
                raise PermanentError(f"SMTP {exc.code}: {exc.message}") from None
            raise TransientError(f"SMTP {exc.code}: {exc.message}") from None
        except aiosmtplib.SMTPConnectError as exc:
            # Never connected: certainly not delivered. Try again later.
            raise TransientError(f"SMTP {type(exc).__name__}: {exc}") from None
        except (aiosmtplib.SMTPServerDisconnected, aiosmtplib.SMTPTimeoutError) as exc:
            # Lost mid-conversation, perhaps after the server took the message: the retry is
            # logged as a possible repeat (same Message-ID, so receivers can drop it).
            raise TransientError(f"SMTP {type(exc).__name__}: {exc}", uncertain=True) from None
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            # Refused connections, no STARTTLS offered and the like: try again later.
            raise TransientError(f"SMTP {type(exc).__name__}: {exc}") from None
        log.info(
            "event=email.sent message_id=%s to=%s", msg["Message-ID"], ",".join(payload["to"])
            if isinstance(payload.get("to"), list) else payload.get("to"),
        )

    return send
