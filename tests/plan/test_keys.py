"""Upsert keys: email for contacts, namespaced import keys for companies and tickets."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest

from crmkit.plan.keys import company_keys, contact_keys, ticket_keys

FrameOf = Callable[..., pd.DataFrame]


@pytest.mark.parametrize(
    ("email", "key"),
    [
        ("Ann@Acme.com", "ann@acme.com"),
        ("  ann@acme.com ", "ann@acme.com"),
        ("ANN@ACME.COM", "ann@acme.com"),
        ("not-an-email", ""),
        ("", ""),
    ],
)
def test_contact_key_is_lowercased_email(email: str, key: str, frame_of: FrameOf) -> None:
    """Contacts upsert by email, compared case-insensitively."""
    assert contact_keys(frame_of([{"email": email}])).tolist() == [key]


@pytest.mark.parametrize(
    ("row", "key"),
    [
        ({"_source_id": "C-17", "domain": "acme.com", "name": "Acme"}, "company:id:C-17"),
        ({"_source_id": "", "domain": "acme.com", "name": "Acme"}, "company:domain:acme.com"),
        ({"domain": "https://www.ACME.com/", "name": "Acme"}, "company:domain:acme.com"),
        ({"website": "www.acme.com", "name": "Acme"}, "company:domain:acme.com"),
        ({"domain": "", "name": "ACME, Inc."}, "company:name:acme"),
        ({"domain": "gmail.com", "name": "Tiny Shop"}, "company:name:tiny shop"),
        ({"domain": "", "name": ""}, ""),
    ],
)
def test_company_key(row: dict[str, str], key: str, frame_of: FrameOf) -> None:
    """Id column first, then the normalised domain (not free mail), then the normalised name."""
    assert company_keys(frame_of([row])).tolist() == [key]


TICKETS: list[dict[str, Any]] = [
    {"subject": "Printer jam", "content": "It jams.", "createdate": "2024-01-02",
     "_contact_email": "ann@acme.com"},
    {"subject": "Login fails", "content": "Cannot log in", "createdate": "2024-01-03",
     "_contact_email": "bob@globex.com"},
    {"subject": "Refund", "content": "Please refund", "createdate": "2024-01-04",
     "_contact_email": ""},
]  # fmt: skip


def test_ticket_keys_do_not_depend_on_row_order(frame_of: FrameOf) -> None:
    """Re-exporting the same tickets in another order gives the same keys."""
    forward = frame_of(TICKETS)
    backward = frame_of(list(reversed(TICKETS)))
    assert sorted(ticket_keys(forward)) == sorted(ticket_keys(backward))
    assert ticket_keys(forward).iloc[0] == ticket_keys(backward).iloc[-1]
    assert all(k.startswith("ticket:sha:") for k in ticket_keys(forward))


@pytest.mark.parametrize(
    ("change", "same"),
    [
        ({"subject": "PRINTER   JAM"}, True),  # case and spacing are not content
        ({"content": " It  jams. "}, True),
        ({"_contact_email": "ANN@acme.com"}, True),
        ({"subject": "Printer jam again"}, False),
        ({"content": "It jams badly."}, False),
        ({"createdate": "2024-01-05"}, False),
        ({"_contact_email": "cy@acme.com"}, False),
    ],
)
def test_ticket_key_covers_content(change: dict[str, str], same: bool, frame_of: FrameOf) -> None:
    """The hash covers subject, content, createdate and requester, in normal form."""
    base = ticket_keys(frame_of([TICKETS[0]])).iloc[0]
    other = ticket_keys(frame_of([{**TICKETS[0], **change}])).iloc[0]
    assert (base == other) is same


def test_ticket_id_column_preferred(frame_of: FrameOf) -> None:
    """A ticket with a source id is keyed by it; one without falls back to the hash."""
    keys = ticket_keys(frame_of([{**TICKETS[0], "_source_id": "T-9"}, {**TICKETS[1]}]))
    assert keys.iloc[0] == "ticket:id:T-9"
    assert keys.iloc[1].startswith("ticket:sha:")
