"""``GET /account-info/v3/details``: who this portal is, so a run can tell two portals apart.

HubSpot answers with the account's ``portalId`` (the hub id) and its settings. The sandbox
draws one portal id per database the first time it is asked and keeps it in that database:
a file database is the same portal after a restart (and after ``/_sandbox/reset``, which
empties the portal, not replaces it); two databases are two portals.
"""

from __future__ import annotations

import secrets
import sqlite3
import time

from crmkit.sandbox.replies import JSON, Reply

_TABLE = "CREATE TABLE IF NOT EXISTS account (portal_id INTEGER NOT NULL, created_at REAL)"
SETTINGS: JSON = {
    "accountType": "SANDBOX",
    "timeZone": "US/Eastern",
    "companyCurrency": "USD",
    "additionalCurrencies": [],
    "utcOffset": "-05:00",
    "utcOffsetMilliseconds": -18_000_000,
    "uiDomain": "localhost",
    "dataHostingLocation": "na1",
}
"""A plain US portal; the shape and field names are HubSpot's."""


class AccountTable:
    """The portal's identity, in the store's SQLite database."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        conn.execute(_TABLE)

    def portal_id(self) -> int:
        row = self._conn.execute("SELECT portal_id FROM account").fetchone()
        if row is not None:
            return int(row[0])
        portal = 10_000_000 + secrets.randbelow(90_000_000)  # eight digits, as hub ids look
        self._conn.execute(
            "INSERT INTO account (portal_id, created_at) VALUES (?, ?)", (portal, time.time())
        )
        return portal


def details(account: AccountTable) -> Reply:
    return Reply(200, {"portalId": account.portal_id(), **SETTINGS})
