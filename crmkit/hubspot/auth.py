"""The access token: where it comes from, and how it is kept out of every output.

HubSpot switched API keys (``hapikey``) off on 2022-11-30; only private-app access tokens
(``pat-…``) or OAuth tokens work. A user who still sets an API key gets that explanation
instead of a 401 puzzle. The token never appears in logs, reprs, exception messages or stats:
:class:`Secret` hides it from ``repr``/``str``, :func:`redact` scrubs text, and
:class:`RedactingFilter` scrubs log records.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Mapping

from crmkit.errors import ConfigError

TOKEN_ENV = "HUBSPOT_ACCESS_TOKEN"
LEGACY_KEY_ENV = "HUBSPOT_API_KEY"
REDACTED = "[REDACTED]"

API_KEY_SUNSET = (
    "HubSpot switched API keys (hapikey) off on 2022-11-30; they no longer authenticate. "
    "Create a private app in your portal (Settings → Integrations → Private Apps) with the CRM "
    f"scopes crmkit needs, and put its access token (pat-…) in {TOKEN_ENV}."
)

MIN_SECRET_LEN = 4  # never "redact" a one-letter token out of every word of a log


class Secret:
    """A string that refuses to show itself; call :meth:`reveal` where it is really needed."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return f"Secret({REDACTED})"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __reduce__(self) -> tuple[object, ...]:
        raise TypeError("a Secret is not pickled, so it never lands on disk by accident")


def token_from_env(environ: Mapping[str, str] | None = None) -> str:
    """The access token from ``HUBSPOT_ACCESS_TOKEN`` only; a clear ConfigError otherwise."""
    env = os.environ if environ is None else environ
    token = env.get(TOKEN_ENV, "").strip()
    if token:
        if "hapikey" in token.lower():
            raise ConfigError(
                f"{TOKEN_ENV} looks like a hapikey URL, not a token. {API_KEY_SUNSET}"
            )
        return token
    if env.get(LEGACY_KEY_ENV, "").strip():
        raise ConfigError(f"{LEGACY_KEY_ENV} is set but {TOKEN_ENV} is not. {API_KEY_SUNSET}")
    raise ConfigError(
        f"{TOKEN_ENV} is not set. Put a HubSpot private-app access token (pat-…) in it, "
        "or use the local sandbox (crmkit sandbox / crmkit demo), which prints its own token."
    )


def reject_api_key(params: Mapping[str, object] | None, url: str = "") -> None:
    """Refuse a ``hapikey`` query parameter with the 2022 explanation."""
    if params and any(str(k).lower() == "hapikey" for k in params):
        raise ConfigError(f"The hapikey parameter is not accepted. {API_KEY_SUNSET}")
    if "hapikey=" in url.lower():
        raise ConfigError(f"The URL carries a hapikey. {API_KEY_SUNSET}")


def redact(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every secret replaced by ``[REDACTED]``."""
    for secret in secrets:
        if secret and len(secret) >= MIN_SECRET_LEN and secret in text:
            text = text.replace(secret, REDACTED)
    return text


class RedactingFilter(logging.Filter):
    """Scrubs secrets from log records (message, arguments, exception text) before output.

    Attached to a logger, it sees every record that logger creates before any handler does,
    including handlers further up that the record propagates to.
    """

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self._secrets: set[str] = {s for s in secrets if s}

    def add(self, secret: str) -> None:
        if secret:
            self._secrets.add(secret)

    def discard(self, secret: str) -> None:
        self._secrets.discard(secret)

    def filter(self, record: logging.LogRecord) -> bool:
        if not self._secrets:
            return True
        message = record.getMessage()
        cleaned = redact(message, self._secrets)
        if cleaned != message:
            record.msg = cleaned
            record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            formatted = logging.Formatter().formatException(record.exc_info)
            record.exc_text = redact(formatted, self._secrets)
        elif record.exc_text:
            record.exc_text = redact(record.exc_text, self._secrets)
        return True


_FILTER = RedactingFilter()
_LOGGER_NAMES = ("crmkit.hubspot", "urllib3.connectionpool")


def register_secret(secret: str) -> None:
    """Scrub ``secret`` from crmkit.hubspot's and urllib3's log records from now on."""
    _FILTER.add(secret)
    for name in _LOGGER_NAMES:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)


def unregister_secret(secret: str) -> None:
    _FILTER.discard(secret)
