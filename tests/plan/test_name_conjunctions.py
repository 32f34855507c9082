"""Regression found on real exports (tests/realworld): "&" written as a German or French "and"."""

from __future__ import annotations

import pytest

from crmkit.plan import normalize_company_name


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Bäckerei Schön & Söhne KG", "Bäckerei Schön und Söhne"),
        ("Dupont et Fils SARL", "Dupont & Fils"),
        ("Berg og Dal AS", "Berg & Dal"),
        ("Lind och Son AB", "Lind & Son"),
    ],
)
def test_and_in_other_languages(one: str, other: str) -> None:
    """Pipedrive's person export spells the organization's "&" as "und"; both are one name."""
    assert normalize_company_name(one) == normalize_company_name(other)
