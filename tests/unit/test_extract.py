"""crmkit.extract: emails and phones from free text; a labelled set scores precision/recall."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import phonenumbers
import pytest

import crmkit.extract.series as series_module
from crmkit.extract import (
    PhoneHit,
    emails_in,
    find_emails,
    find_phone_matches,
    find_phones,
    normalize_email,
    normalize_phone,
    phones_in,
)

CASES: list[dict[str, Any]] = json.loads(
    (Path(__file__).parent.parent / "data" / "extract_cases.json").read_text(encoding="utf-8")
)


def _score(found: list[list[str]], expected: list[list[str]]) -> tuple[float, float, int, int]:
    """Micro-averaged precision and recall over all sentences, plus TP and expected counts."""
    tp = fp = fn = 0
    for got, want in zip(found, expected, strict=True):
        tp += len(set(got) & set(want))
        fp += len(set(got) - set(want))
        fn += len(set(want) - set(got))
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall, tp, tp + fn


def test_labelled_set_is_broad() -> None:
    """At least 80 sentences, positives and negatives, numbers from eight countries."""
    assert len(CASES) >= 80
    assert sum(1 for c in CASES if not c["emails"] and not c["phones"]) >= 25
    assert sum(1 for c in CASES if c["emails"]) >= 25
    assert sum(1 for c in CASES if c["phones"]) >= 30
    countries = {
        phonenumbers.region_code_for_number(phonenumbers.parse(p))
        for c in CASES
        for p in c["phones"]
    }
    assert {"US", "FR", "GB", "DE", "ES", "BR", "IN", "JP"} <= countries


@pytest.mark.parametrize(
    ("kind", "extract"),
    [
        ("emails", lambda case: find_emails(case["text"])),
        ("phones", lambda case: find_phones(case["text"], case["region"])),
    ],
)
def test_precision_and_recall(
    kind: str,
    extract: Callable[[dict[str, Any]], list[str]],
    record_property: Callable[[str, object], None],
) -> None:
    """Precision and recall on the labelled set are each at least 0.95 (printed with -s)."""
    found = [extract(case) for case in CASES]
    precision, recall, tp, expected = _score(found, [case[kind] for case in CASES])
    misses = [
        (case["text"], got, case[kind])
        for case, got in zip(CASES, found, strict=True)
        if got != case[kind]
    ]
    print(
        f"\n{kind}: precision {precision:.3f} recall {recall:.3f} "
        f"({tp}/{expected} found, {len(CASES)} sentences)"
    )
    for miss in misses:
        print("  mismatch:", miss)
    record_property(f"{kind}_precision", round(precision, 4))
    record_property(f"{kind}_recall", round(recall, 4))
    assert precision >= 0.95
    assert recall >= 0.95


# ---------------------------------------------------------------------------- emails


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<a@b.com>", ["a@b.com"]),
        ("(a@b.com).", ["a@b.com"]),
        ("mailto:Jane@Example.ORG", ["Jane@example.org"]),
        ("'quoted@x.com'", ["quoted@x.com"]),
        ("John.Doe@ACME.Com and john.doe@acme.com", ["John.Doe@acme.com", "john.doe@acme.com"]),
        ("x@y.io, x@y.io; X@Y.IO", ["x@y.io", "X@y.io"]),
        ("https://x.com/@user", []),
        ("http://user@host.example.com/path", []),
        ("https://example.com/contact?email=a@b.com", []),
        ("name@localhost", []),
        ("a@b", []),
        ("user@acme.invalid", []),
        ("user@box.local", []),
        ("r.chen@inbox.test", ["r.chen@inbox.test"]),
        ("Sales@Example.COM", ["sales@example.com"]),
        ("logo@2x.png", []),
        ("john..doe@x.com", []),
        ("josé@exämple.de", ["josé@exämple.de"]),
        ("", []),
        ("no at sign here", []),
    ],
)
def test_find_emails_exact(text: str, expected: list[str]) -> None:
    """Tricky email cases, exactly."""
    assert find_emails(text) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("  John.Doe@ACME.com ", "John.Doe@acme.com"),
        ("mailto:a@b.com", "a@b.com"),
        ("<a@b.com>", "a@b.com"),
        ("John Doe <jd@x.org>", "jd@x.org"),
        ('"Doe, John" <jd@x.org>', "jd@x.org"),
        ("a@b.com.", "a@b.com"),
        ("john doe@x.com", None),
        ("a@b.com; c@d.com", None),
        ("john@", None),
        ("john@company", None),
        ("john.company.com", None),
        ("", None),
    ],
)
def test_normalize_email(value: str, expected: str | None) -> None:
    """A cell is one address or nothing: never a guess at part of a typo."""
    assert normalize_email(value) == expected


# ---------------------------------------------------------------------------- phones


@pytest.mark.parametrize(
    ("text", "region", "e164", "extension", "valid", "raw"),
    [
        ("Call +33 1 23 45 67 89 now", "US", "+33123456789", None, True, "+33 1 23 45 67 89"),
        ("+44 20 7946 0958", "US", "+442079460958", None, True, "+44 20 7946 0958"),
        ("+49 30 123456", "US", "+4930123456", None, True, "+49 30 123456"),
        ("tel 0033 1 23 45 67 89", "US", "+33123456789", None, True, "0033 1 23 45 67 89"),
        ("(555) 123-4567 ext. 89", "US", "+15551234567", "89", False, "(555) 123-4567 ext. 89"),
        ("+1-212-555-0147 x204", "US", "+12125550147", "204", True, "+1-212-555-0147 x204"),
        ("Tel: 01 23 45 67 89", "FR", "+33123456789", None, True, "01 23 45 67 89"),
    ],
)
def test_phone_match_fields(
    text: str, region: str, e164: str, extension: str | None, valid: bool, raw: str
) -> None:
    """Each hit carries E.164, the extension apart, validity and its place in the text."""
    (hit,) = find_phone_matches(text, region)
    assert (hit.e164, hit.extension, hit.valid, hit.raw) == (e164, extension, valid, raw)
    assert text[hit.start : hit.end] == raw


@pytest.mark.parametrize(
    "text",
    [
        "2024-03-15",
        "03/15/2024",
        "15.03.2024",
        "at 10:30 or 14:45:00",
        "v2.10.3",
        "$1,299.00",
        "€ 1 234 567 890",
        "zip 90210",
        "10001-1234",
        "Order #123456789",
        "INV-2024-000123",
        "Ticket 4567890123",
        "invoice no. 2125550147",
        "1234567890",
        "555-0147",
    ],
)
def test_not_phones(text: str) -> None:
    """Dates, times, versions, prices, zip codes and order/ticket numbers are not phones."""
    assert find_phones(text) == []


def test_find_phones_deduplicates_in_order() -> None:
    """The same number twice (another format, another extension) is listed once."""
    text = "+1 212 555 0147 x1, or (212) 555-0147 x2; alt +44 20 7946 0958"
    assert find_phones(text) == ["+12125550147", "+442079460958"]


@pytest.mark.parametrize(
    ("value", "region", "e164", "extension", "valid"),
    [
        ("(212) 555-0147", "US", "+12125550147", None, True),
        ("Tel: 212 555 0147", "US", "+12125550147", None, True),
        ("555-123-4567 ext. 12", "US", "+15551234567", "12", False),
        ("0033 1 23 45 67 89", "US", "+33123456789", None, True),
        ("06 12 34 56 78", "FR", "+33612345678", None, True),
        ("+44 (0)20 7946 0958", "US", "+442079460958", None, True),
    ],
)
def test_normalize_phone(
    value: str, region: str, e164: str, extension: str | None, valid: bool
) -> None:
    """One cell, one number: E.164, extension apart, valid or only possible."""
    hit = normalize_phone(value, region)
    assert isinstance(hit, PhoneHit)
    assert (hit.e164, hit.extension, hit.valid, hit.raw) == (e164, extension, valid, value)


@pytest.mark.parametrize(
    "value", ["", "n/a", "12345", "2024-03-15", "1-800-FLOWERS", "555-0147", "call me", "+1"]
)
def test_normalize_phone_rejects(value: str) -> None:
    """Cells that hold no complete number give None, never an exception."""
    assert normalize_phone(value) is None


# ---------------------------------------------------------------------------- vectorised


def test_series_helpers_match_scalar_functions() -> None:
    """emails_in / phones_in equal the per-cell functions, keep the index and handle NaN."""
    values = [
        "mail a@b.com or +33 1 23 45 67 89",
        None,
        "",
        "Tel (212) 555-0147",
        "mail a@b.com or +33 1 23 45 67 89",
        float("nan"),
    ]
    series = pd.Series(values, index=pd.Index([2, 3, 5, 8, 9, 11], name="row"), dtype=object)
    emails = emails_in(series)
    phones = phones_in(series, "US")
    assert emails.index.equals(series.index) and phones.index.equals(series.index)
    for value, got_e, got_p in zip(values, emails, phones, strict=True):
        text = value if isinstance(value, str) else ""
        assert got_e == find_emails(text)
        assert got_p == find_phones(text)


def test_series_helpers_compute_each_distinct_value_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Repeated cells are extracted once and spread back to every row that holds them."""
    calls: list[str] = []

    def counting(text: str) -> list[str]:
        calls.append(text)
        return find_emails(text)

    monkeypatch.setattr(series_module, "find_emails", counting)
    series = pd.Series(["x a@b.com", "y c@d.com"] * 500 + [None] * 10, dtype="str")
    result = series_module.emails_in(series)
    assert sorted(calls) == ["x a@b.com", "y c@d.com"]
    assert result.iloc[0] == ["a@b.com"] and result.iloc[1] == ["c@d.com"]
    assert result.iloc[998] == ["a@b.com"] and result.iloc[-1] == []
    assert len(result) == len(series)
