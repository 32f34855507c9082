"""Regressions found on real exports (tests/realworld): cells holding more than one value."""

from __future__ import annotations

import pandas as pd
import pytest

from crmkit.coerce import Coerced, coerce_frame
from crmkit.mapping import auto_map
from crmkit.schema import Schema


def _coerce(object_type: str, columns: dict[str, list[str]]) -> Coerced:
    frame = pd.DataFrame(columns, dtype="str")
    frame.index = pd.RangeIndex(2, 2 + len(frame), name="row")
    mapping = auto_map(list(frame.columns), object_type, samples=frame)
    return coerce_frame(frame, mapping, Schema.bundled(object_type), file="f.csv")


@pytest.mark.parametrize(
    ("raw", "value", "category"),
    [
        # Pipedrive joins a person's addresses with commas, spreadsheets with semicolons.
        ("p.weiss@x.example, einkauf@x.example", "p.weiss@x.example", "MULTIPLE_EMAILS"),
        ("a@x.example; b@y.example", "a@x.example", "MULTIPLE_EMAILS"),
        ("A@X.example / b@y.example", "a@x.example", "MULTIPLE_EMAILS"),
        # not a list of addresses: still refused
        ("call a@x.example now", "call a@x.example now", "INVALID_EMAIL"),
        ("a@x.example; b@y", "a@x.example; b@y", "INVALID_EMAIL"),
        ("Jane Doe <jane@x.example>", "jane@x.example", None),
    ],
)
def test_several_emails_in_one_cell(raw: str, value: str, category: str | None) -> None:
    """The first address is imported and the others reported; the row is not rejected."""
    result = _coerce("contacts", {"Email": [raw]})
    assert result.frame.loc[2, "email"] == value
    assert [i.category for i in result.issues] == ([category] if category else [])
    if category == "MULTIPLE_EMAILS":
        (issue,) = result.issues
        assert issue.severity == "warning"
        assert "not" in issue.message and issue.value == raw


@pytest.mark.parametrize(
    ("raw", "value", "category"),
    [
        ("+49 151 23456789 / +49 89 2345679", "+4915123456789", "MULTIPLE_PHONES"),
        ("+1 212 555 0150, +1 646 555 0133", "+12125550150", "MULTIPLE_PHONES"),
        ("not a number", "not a number", "INVALID_PHONE"),
    ],
)
def test_several_phones_in_one_cell(raw: str, value: str, category: str) -> None:
    """Two numbers in a phone cell: the first in E.164, the second named in a warning."""
    result = _coerce("contacts", {"Phone": [raw]})
    assert result.frame.loc[2, "phone"] == value
    assert [(i.category, i.severity) for i in result.issues] == [(category, "warning")]


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        # Freshdesk exports the editor's HTML as the ticket description
        (
            "<div>Hi team,<br>our page shows an <b>error 500</b>.</div><div><br></div>"
            "<div>Thanks,<br>Bea</div>",
            "Hi team,\nour page shows an error 500.\n\nThanks,\nBea",
        ),
        ("<p>Drops:</p><ul><li>Windows 11</li><li>v4.2</li></ul>", "Drops:\n- Windows 11\n- v4.2"),
        (
            "<p>Uploads over 5&nbsp;MB fail with &quot;413&quot;.</p>",
            'Uploads over 5 MB fail with "413".',
        ),
        (
            '<p>See <a href="https://t.example/AF-1">AF-1</a>.</p>',
            "See AF-1 (https://t.example/AF-1).",
        ),
        ("<style>p {color: red}</style><p>x</p>", "x"),
        # not markup: left as written
        ("Mail Jane <jane@x.example> if 2 < 3", "Mail Jane <jane@x.example> if 2 < 3"),
    ],
)
def test_html_description_becomes_text(raw: str, text: str) -> None:
    """HubSpot shows a ticket description as text: tags would arrive as literal noise."""
    result = _coerce("tickets", {"Subject": ["s"], "Description": [raw]})
    assert result.frame.loc[2, "content"] == text
    assert result.issues == []


@pytest.mark.parametrize(
    ("country", "raw", "value"),
    [
        ("United Kingdom", "0117 496 0124", "+441174960124"),
        ("Deutschland", "030 1234567", "+49301234567"),
        ("DE", "030 1234567", "+49301234567"),
        ("United States", "(206) 555-0101", "+12065550101"),
        ("Atlantis", "(206) 555-0101", "+12065550101"),  # unknown country: the run's region
        ("United Kingdom", "+1 206 555 0101", "+12065550101"),  # a + number needs no region
    ],
)
def test_national_numbers_read_by_the_rows_country(country: str, raw: str, value: str) -> None:
    """A UK export writes UK numbers without +44: the row's country says how to read them."""
    result = _coerce("contacts", {"Phone": [raw, "(212) 555-0150"], "Country": [country, "USA"]})
    assert result.frame["phone"].tolist() == [value, "+12125550150"]
    assert result.issues == []
