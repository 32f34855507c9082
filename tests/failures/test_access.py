"""The portal stops trusting us: a token revoked half-way, a private app without the scopes
crmkit needs. Each must stop the run at once with a message that says what to do."""

from __future__ import annotations

from pathlib import Path

import pytest

from crmkit.sandbox import running
from tests.support.cli import CliRunner, import_args
from tests.support.journal import journal_keys as planned_keys
from tests.support.journal import journal_states, journal_status
from tests.support.portal import portal_keys
from tests.support.stub_server import Canned, Seen, hubspot_error, misbehaving

OLD, NEW = "pat-na1-old-token-0000", "pat-na1-new-token-1111"
UNAUTHORIZED = hubspot_error(
    401,
    "INVALID_AUTHENTICATION",
    "Authentication credentials not found. This API supports OAuth 2.0 authentication.",
)


class Revocation:
    """Accepts OLD until ``after`` record batches have gone through, then only NEW."""

    def __init__(self, after: int) -> None:
        self.after = after
        self.batches = 0

    def __call__(self, seen: Seen) -> Canned | None:
        accepted = NEW if self.batches >= self.after else OLD
        if seen.token not in (accepted, NEW):
            return UNAUTHORIZED
        if "/batch/upsert" in seen.path:
            self.batches += 1
        return None


def test_token_revoked_mid_run_stops_at_once_and_resumes_with_a_new_token(
    cli: CliRunner, export: Path, tmp_path: Path
) -> None:
    """After two record batches the portal answers 401: the run stops after the first refusal
    (no retries, no further batches), says the token was refused and how to resume, and a
    resume with the new token lands everything once."""
    out = tmp_path / "out"
    run_dir = out / "runs" / "revoked"
    with running(tier="enterprise") as box:
        revocation = Revocation(after=2)
        with misbehaving(revocation, upstream=box.base_url, upstream_token=box.token) as proxy:
            ran = cli(*import_args(export, proxy.base_url, out, "revoked"), token=OLD)
            refused = proxy.answered(401)
            assert ran.code == 1, ran.err
            assert refused == 1, "a refused token must not be retried, nor used again"
            assert "HUBSPOT_ACCESS_TOKEN" in ran.err and "--resume revoked" in ran.err
            assert "Traceback" not in ran.err and OLD not in ran.err + ran.out
            assert journal_status(run_dir) == "stopped"
            assert journal_states(run_dir)["new"] > 0

            resumed = cli(*import_args(None, proxy.base_url, out, "revoked"), token=NEW)
        assert resumed.code == 0, resumed.err + resumed.out
        assert portal_keys(box.base_url, box.token) == planned_keys(run_dir)


def missing_scopes(scope: str) -> Canned:
    return hubspot_error(
        403,
        "MISSING_SCOPES",
        "This app hasn't been granted all required scopes to make this call.",
        errors=[
            {
                "message": "One or more of the following scopes are required.",
                "context": {"requiredGranularScopes": [scope]},
            }
        ],
    )


@pytest.mark.parametrize(
    ("refused", "scope", "advice"),
    [
        pytest.param(
            ("POST", "/crm/v3/properties/companies"),
            "crm.schemas.companies.write",
            "crmkit_import_key",
            id="property-create",
        ),
        pytest.param(
            ("POST", "/crm/v3/objects/contacts/batch/upsert"),
            "crm.objects.contacts.write",
            "--resume scopes",
            id="contact-writes",
        ),
    ],
)
def test_missing_scopes_name_the_scope_and_what_to_do(
    cli: CliRunner,
    export: Path,
    tmp_path: Path,
    refused: tuple[str, str],
    scope: str,
    advice: str,
) -> None:
    """A 403 MISSING_SCOPES: a message without traceback that names the scope to add (and,
    for the import-key property, that it can be created by hand as a unique text property)."""

    def rule(seen: Seen) -> Canned | None:
        return missing_scopes(scope) if (seen.method, seen.path) == refused else None

    with (
        running(tier="enterprise") as box,
        misbehaving(rule, upstream=box.base_url, upstream_token=box.token) as proxy,
    ):
        ran = cli(*import_args(export, proxy.base_url, tmp_path / "out", "scopes"), token=OLD)
        assert proxy.answered(403) == 1
    assert ran.code in (1, 2), ran.err
    assert "Traceback" not in ran.err and OLD not in ran.err
    assert scope in ran.err and advice in ran.err
    if "properties" in refused[1]:
        assert ran.code == 2 and len(ran.err_lines) == 1
        assert "unique" in ran.err


def test_a_write_refused_for_scopes_leaves_nothing_half_reported(
    cli: CliRunner, export: Path, tmp_path: Path
) -> None:
    """Companies land, contacts are refused (403): the report says incomplete, the companies
    are journaled as created, and the contacts are still to send (not failed for good)."""
    rule_path = "/crm/v3/objects/contacts/batch/upsert"

    def rule(seen: Seen) -> Canned | None:
        return missing_scopes("crm.objects.contacts.write") if seen.path == rule_path else None

    out = tmp_path / "out"
    with (
        running(tier="enterprise") as box,
        misbehaving(rule, upstream=box.base_url, upstream_token=box.token) as proxy,
    ):
        ran = cli(*import_args(export, proxy.base_url, out, "half"), token=OLD)
        assert proxy.answered(403) == 1
    run_dir = out / "runs" / "half"
    assert ran.code == 1
    states = journal_states(run_dir)
    assert states["failed"] == 0 and states["created"] > 0 and states["new"] > 0
    assert (run_dir / "report.json").is_file()
