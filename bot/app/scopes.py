"""Does the bot token carry the scopes added since the first installs? Slack names a token's
scopes in the `x-oauth-scopes` header of every Web API answer (auth.test included); an app
installed before a scope was added to manifest.yml lacks it until it is reinstalled."""

from __future__ import annotations

from collections.abc import Mapping

from bot.config import Check

# scope -> what needs it (bot token, public channels; Slack's method reference).
LATER_SCOPES = {
    "channels:manage": "sub-projects: creating their channel (conversations.create) and "
                       "inviting speakers and interested members (conversations.invite)",
}


def scope_check(headers: Mapping[str, object]) -> Check | None:
    """One line on the scopes above; None when Slack did not say (no header)."""
    header = next((v for k, v in headers.items() if k.lower() == "x-oauth-scopes"), None)
    if isinstance(header, list):
        header = ",".join(str(h) for h in header)
    if not isinstance(header, str):
        return None
    granted = {s.strip() for s in header.split(",") if s.strip()}
    missing = [s for s in LATER_SCOPES if s not in granted]
    if not missing:
        return Check("slack scopes", True, "the token has " + ", ".join(LATER_SCOPES))
    why = "; ".join(f"{s} for {LATER_SCOPES[s]}" for s in missing)
    return Check("slack scopes", False, f"the token lacks {', '.join(missing)} ({why})",
                 hint="add it under oauth_config.scopes.bot (manifest.yml has it), then "
                      "reinstall the app to the workspace and use its new token")
