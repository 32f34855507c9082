"""Company matching: domain, exact normalised name, fuzzy name; doubts reported, never guessed."""

from __future__ import annotations

import pandas as pd
import pytest

from crmkit.plan.companies import (
    AMBIGUOUS,
    MATCHED,
    NONE,
    NOT_FOUND,
    WEAK,
    CompanyIndex,
    MatchPolicy,
    resolve_companies,
)

COMPANIES = [
    ("company:domain:acme.com", "acme.com", "Acme Inc."),
    ("company:domain:globex.com", "globex.com", "Globex Corporation"),
    ("company:domain:initech.io", "initech.io", "Initech LLC"),
    ("company:name:umbrella", "", "Umbrella Corp"),
    ("company:id:1", "twin.com", "Twin Holdings"),
    ("company:id:2", "twin.com", "Twin Holdings Europe"),
    ("company:id:3", "", "Stark Industries"),
    ("company:id:4", "", "Stark Industries Ltd"),
    ("company:id:5", "", "Wayne Enterprises"),
    ("company:id:6", "", "Wayne Enterprize Co"),
    ("company:id:7", "gmail.com", "Tiny Shop"),
]


@pytest.fixture
def index() -> CompanyIndex:
    keys, domains, names = zip(*COMPANIES, strict=True)
    return CompanyIndex.build(keys, domains, names)


@pytest.mark.parametrize(
    ("domain", "status", "key"),
    [
        ("acme.com", MATCHED, "company:domain:acme.com"),
        ("eu.mail.acme.com", MATCHED, "company:domain:acme.com"),
        ("initech.io", MATCHED, "company:domain:initech.io"),
        ("twin.com", AMBIGUOUS, None),
        ("gmail.com", NONE, None),  # free mail: never a company, even one that lists it
        ("yahoo.com", NONE, None),
        ("unknown.org", NONE, None),
        ("", NONE, None),
    ],
)
def test_match_domain(index: CompanyIndex, domain: str, status: str, key: str | None) -> None:
    """Email domain = company domain (or a parent of it); free-mail domains never match."""
    match = index.match_domain(domain)
    assert (match.status, match.key) == (status, key)
    if status == MATCHED:
        assert match.reason == "domain"


@pytest.mark.parametrize(
    ("name", "status", "key", "reason"),
    [
        ("ACME, Inc", MATCHED, "company:domain:acme.com", "name"),
        ("acme", MATCHED, "company:domain:acme.com", "name"),
        ("The Globex Corp.", MATCHED, "company:domain:globex.com", "name"),
        ("Umbrella", MATCHED, "company:name:umbrella", "name"),
        ("Initecch", MATCHED, "company:domain:initech.io", "fuzzy_name"),
        ("Globbex", MATCHED, "company:domain:globex.com", "fuzzy_name"),
        ("Enterprises Wayne", MATCHED, "company:id:5", "fuzzy_name"),  # word order ignored
        ("Stark Industries", AMBIGUOUS, None, ""),  # two companies with the same normal form
        ("Wayne Enterprise", AMBIGUOUS, None, ""),  # two close candidates, no clear winner
        ("Initeck", WEAK, None, ""),
        ("Something Else Entirely", NOT_FOUND, None, ""),
        ("", NONE, None, ""),
    ],
)
def test_match_name(
    index: CompanyIndex, name: str, status: str, key: str | None, reason: str
) -> None:
    """Exact normalised name first, then fuzzy only when strong and clearly ahead."""
    match = index.match_name(name)
    assert (match.status, match.key, match.reason) == (status, key, reason)


def test_ambiguous_and_weak_name_their_candidates(index: CompanyIndex) -> None:
    """A doubt lists the companies a person should choose between."""
    assert set(index.match_name("Stark Industries").candidates) == {
        "company:id:3",
        "company:id:4",
    }
    assert set(index.match_name("Wayne Enterprise").candidates) == {
        "company:id:5",
        "company:id:6",
    }
    weak = index.match_name("Initeck")
    assert weak.candidates == ("company:domain:initech.io",)
    assert weak.score is not None and 80 <= weak.score < 90


@pytest.mark.parametrize(
    ("policy", "status"),
    [
        (MatchPolicy(accept=90, weak=80), WEAK),
        (MatchPolicy(accept=85, weak=70), MATCHED),
        (MatchPolicy(accept=95, weak=90), NOT_FOUND),
    ],
)
def test_policy_thresholds(policy: MatchPolicy, status: str) -> None:
    """The same score is weak, accepted or ignored depending on the thresholds."""
    keys, domains, names = zip(*COMPANIES, strict=True)
    index = CompanyIndex.build(keys, domains, names, policy)
    assert index.match_name("Initeck").status == status


def test_empty_index_finds_nothing() -> None:
    """No companies: a name is simply not found (no crash in the fuzzy pass)."""
    index = CompanyIndex.build([], [], [])
    assert index.match_name("Acme").status == NOT_FOUND
    assert index.match_domain("acme.com").status == NONE


def test_fuzzy_with_fewer_companies_than_candidates() -> None:
    """Fewer than three companies still gives a fuzzy answer."""
    index = CompanyIndex.build(["k1"], ["a.com"], ["Initech"])
    match = index.match_name("Initecch")
    assert (match.status, match.key) == (MATCHED, "k1")


def test_resolve_domain_first_then_name(index: CompanyIndex) -> None:
    """Each row: domain rule first; the name rule only for rows the domain left unlinked."""
    rows = pd.Index([2, 3, 4, 5, 6, 7], name="row")
    domains = pd.Series(
        ["acme.com", "gmail.com", "gmail.com", "twin.com", "gmail.com", "yahoo.com"], index=rows
    )
    names = pd.Series(
        ["Globex", "Globex", "Initecch", "", "Stark Industries", "Nothing Like It"], index=rows
    )
    found = resolve_companies(index, domains, names)
    assert found.key.tolist() == [
        "company:domain:acme.com",
        "company:domain:globex.com",
        "company:domain:initech.io",
        None,
        None,
        None,
    ]
    assert found.reason.tolist()[:3] == ["domain", "name", "fuzzy_name"]
    assert {label: m.status for label, m in found.problems.items()} == {
        5: AMBIGUOUS,
        6: AMBIGUOUS,
        7: NOT_FOUND,
    }


def test_resolve_uses_name_when_domain_is_ambiguous(index: CompanyIndex) -> None:
    """Two companies share a domain: the contact's company name settles it."""
    rows = pd.Index([2], name="row")
    found = resolve_companies(
        index, pd.Series(["twin.com"], index=rows), pd.Series(["Twin Holdings Europe"], index=rows)
    )
    assert found.key.tolist() == ["company:id:2"]
    assert found.problems == {}
