"""The token: only from HUBSPOT_ACCESS_TOKEN, the 2022 message, and redaction everywhere."""

from __future__ import annotations

import logging
import pickle

import pytest

from crmkit.errors import ConfigError
from crmkit.hubspot.auth import (
    REDACTED,
    RedactingFilter,
    Secret,
    redact,
    register_secret,
    reject_api_key,
    token_from_env,
    unregister_secret,
)

TOKEN = "pat-na1-fake1111-2222-3333-4444-555555555555"


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"HUBSPOT_ACCESS_TOKEN": TOKEN}, TOKEN),
        ({"HUBSPOT_ACCESS_TOKEN": f"  {TOKEN}\n"}, TOKEN),
        ({"HUBSPOT_ACCESS_TOKEN": TOKEN, "HUBSPOT_API_KEY": "old"}, TOKEN),
    ],
)
def test_token_comes_from_hubspot_access_token(env: dict[str, str], expected: str) -> None:
    assert token_from_env(env) == expected


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "HUBSPOT_ACCESS_TOKEN is not set"),
        ({"HUBSPOT_ACCESS_TOKEN": "   "}, "HUBSPOT_ACCESS_TOKEN is not set"),
        ({"HUBSPOT_API_KEY": "abc-123"}, "switched API keys .hapikey. off on 2022-11-30"),
        ({"HUBSPOT_ACCESS_TOKEN": "https://x/?hapikey=abc"}, "2022-11-30"),
    ],
)
def test_missing_token_or_old_api_key_is_a_clear_config_error(
    env: dict[str, str], message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        token_from_env(env)


def test_token_from_env_reads_the_process_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUBSPOT_ACCESS_TOKEN", TOKEN)
    assert token_from_env() == TOKEN


@pytest.mark.parametrize(
    ("params", "url"),
    [({"hapikey": "x"}, ""), ({"HAPIKEY": "x"}, ""), (None, "/crm/v3/objects/contacts?hapikey=1")],
)
def test_hapikey_is_refused_with_the_2022_message(params: dict[str, str] | None, url: str) -> None:
    with pytest.raises(ConfigError, match="2022-11-30"):
        reject_api_key(params, url)


def test_secret_never_shows_itself() -> None:
    secret = Secret(TOKEN)
    assert TOKEN not in repr(secret) and TOKEN not in str(secret) and TOKEN not in f"{secret}"
    assert secret.reveal() == TOKEN
    with pytest.raises(TypeError):
        pickle.dumps(secret)


@pytest.mark.parametrize(
    ("text", "secrets", "expected"),
    [
        (f"Bearer {TOKEN}", [TOKEN], f"Bearer {REDACTED}"),
        (f"{TOKEN}{TOKEN}", [TOKEN], REDACTED * 2),
        ("nothing here", [TOKEN], "nothing here"),
        ("a b c", ["a"], "a b c"),  # too short to be a real secret: left alone
        ("x", [""], "x"),
    ],
)
def test_redact(text: str, secrets: list[str], expected: str) -> None:
    assert redact(text, secrets) == expected


def test_filter_scrubs_message_args_and_exception_text() -> None:
    record_filter = RedactingFilter([TOKEN])
    try:
        raise RuntimeError(f"boom {TOKEN}")
    except RuntimeError:
        import sys

        exc_info = sys.exc_info()
    record = logging.LogRecord("t", logging.INFO, __file__, 1, "token %s", (TOKEN,), exc_info)
    assert record_filter.filter(record)
    formatted = logging.Formatter().format(record)
    assert TOKEN not in formatted
    assert formatted.count(REDACTED) == 2


def test_registered_secret_is_scrubbed_from_crmkit_logs(caplog: pytest.LogCaptureFixture) -> None:
    register_secret(TOKEN)
    try:
        with caplog.at_level(logging.DEBUG, logger="crmkit.hubspot"):
            logging.getLogger("crmkit.hubspot").warning("sent Authorization: Bearer %s", TOKEN)
        assert TOKEN not in caplog.text
        assert REDACTED in caplog.text
    finally:
        unregister_secret(TOKEN)
