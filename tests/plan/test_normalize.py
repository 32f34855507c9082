"""Normal forms used for matching: company names, domains, email addresses."""

from __future__ import annotations

import pytest

from crmkit.plan.normalize import (
    is_free_mail,
    normalize_company_name,
    normalize_domain,
    normalize_email,
    parent_domains,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Acme Inc.", "acme"),
        ("ACME, Inc", "acme"),
        ("acme incorporated", "acme"),
        ("The Acme Company", "acme"),
        ("Acme Co. Ltd", "acme"),
        ("Acme Group", "acme"),
        ("Société Générale S.A.", "societe generale"),
        ("Müller GmbH", "muller"),
        ("Ørsted A/S", "ørsted"),
        ("Johnson & Johnson", "johnson and johnson"),
        ("Smith & Co", "smith"),
        ("Macy's", "macys"),
        ("  Globex   Corporation ", "globex"),
        ("The Company", "the company"),  # nothing but filler words: kept
        ("Inc", "inc"),
        ("Initech LLC", "initech"),
        ("Wayne Enterprises, B.V.", "wayne enterprises"),
        ("", ""),
        ("!!!", ""),
    ],
)
def test_normalize_company_name(raw: str, expected: str) -> None:
    """Case, accents, punctuation, legal suffixes and a leading "the" do not matter."""
    assert normalize_company_name(raw) == expected


def test_orsted_variants_agree() -> None:
    """Letters without an ASCII decomposition stay, but both spellings still agree."""
    assert normalize_company_name("Ørsted A/S") == normalize_company_name("ØRSTED a.s.")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("acme.com", "acme.com"),
        ("ACME.COM", "acme.com"),
        ("www.acme.com", "acme.com"),
        ("https://www.Acme.com/about?x=1", "acme.com"),
        ("http://acme.com:8080", "acme.com"),
        ("acme.com.", "acme.com"),
        ("shop.acme.co.uk/", "shop.acme.co.uk"),
        ("sales@acme.com", "acme.com"),
        ("acme", ""),
        ("", ""),
        ("not a domain.com", ""),
    ],
)
def test_normalize_domain(raw: str, expected: str) -> None:
    """Scheme, www, port, path and case are dropped; text that is no domain gives ""."""
    assert normalize_domain(raw) == expected


@pytest.mark.parametrize(
    ("domain", "expected"),
    [
        ("acme.com", ["acme.com"]),
        ("mail.acme.com", ["mail.acme.com", "acme.com"]),
        ("a.b.acme.com", ["a.b.acme.com", "b.acme.com", "acme.com"]),
    ],
)
def test_parent_domains(domain: str, expected: list[str]) -> None:
    """Sub-domains walk up to the registrable-looking two-label domain."""
    assert parent_domains(domain) == expected


@pytest.mark.parametrize(
    ("domain", "free"),
    [
        ("gmail.com", True),
        ("yahoo.com", True),
        ("outlook.com", True),
        ("hotmail.com", True),
        ("icloud.com", True),
        ("protonmail.com", True),
        ("acme.com", False),
        ("gmail.acme.com", False),
    ],
)
def test_is_free_mail(domain: str, free: bool) -> None:
    """Consumer mailbox providers are known; company domains are not."""
    assert is_free_mail(domain) is free


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Ann.Lee@Acme.COM", "ann.lee@acme.com"),
        ("  <ann@acme.com> ", "ann@acme.com"),
        ("mailto:ann@acme.com", "ann@acme.com"),
        ("ann@acme", ""),
        ("ann.acme.com", ""),
        ("@acme.com", ""),
        ("", ""),
    ],
)
def test_normalize_email(raw: str, expected: str) -> None:
    """Addresses compare case-insensitively; non-addresses normalise to ""."""
    assert normalize_email(raw) == expected
