"""``GET /account-info/v3/details``: the portal's identity, stable per database.

The official SDK (hubspot-api-client 12) has no account-info API (its ``settings`` holds only
users and business units), so this is checked over plain HTTP, and through crmkit's client.
"""

from __future__ import annotations

from pathlib import Path

import requests

from crmkit.hubspot import HubSpotClient
from crmkit.sandbox import running

PATH = "/account-info/v3/details"
FIELDS = {
    "portalId",
    "accountType",
    "timeZone",
    "companyCurrency",
    "additionalCurrencies",
    "utcOffset",
    "utcOffsetMilliseconds",
    "uiDomain",
    "dataHostingLocation",
}


def details(base_url: str, token: str) -> dict[str, object]:
    answer = requests.get(base_url + PATH, headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert isinstance(body, dict)
    return body


def test_details_have_hubspots_fields_and_need_the_token() -> None:
    """The answer has HubSpot's fields; without the bearer token it is a 401 like any call."""
    with running() as box:
        body = details(box.base_url, box.token)
        assert body.keys() >= FIELDS
        assert isinstance(body["portalId"], int) and 10_000_000 <= body["portalId"] < 10**8
        assert requests.get(box.base_url + PATH, timeout=10).status_code == 401
        with HubSpotClient(box.base_url, box.token) as client:
            assert client.account_details()["portalId"] == body["portalId"]


def test_portal_id_is_stable_per_database(tmp_path: Path) -> None:
    """One database, one portal: the same id after a restart and after a reset; another
    database is another portal."""
    db = str(tmp_path / "portal.db")
    with running(db=db) as box:
        first = details(box.base_url, box.token)["portalId"]
        box.reset()
        assert details(box.base_url, box.token)["portalId"] == first
    with running(db=db) as again:
        assert details(again.base_url, again.token)["portalId"] == first
    with running(db=str(tmp_path / "other.db")) as other:
        assert details(other.base_url, other.token)["portalId"] != first
