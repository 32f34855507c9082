"""Planning a million contacts stays fast (slow test: ``pytest -m slow tests/plan``)."""

from __future__ import annotations

import random
import time

import numpy as np
import pandas as pd
import pytest
from plan_fakes import FakeObject, FakePrepared

from crmkit.plan import build_plan

SYLLABLES = ["ka", "lo", "mi", "ra", "ten", "vo", "zu", "bri", "gal", "nor", "pex", "qui", "sar"]


def synthetic(companies: int, contacts: int, tickets: int, seed: int = 7) -> FakePrepared:
    """Companies with distinct names; contacts matching by domain (70%), by a name variant
    (22%), by a misspelt name (5%) or not at all; 1% duplicate contacts; tickets by email."""
    rng = random.Random(seed)
    names: dict[str, None] = {}
    while len(names) < companies:
        words = ["".join(rng.choices(SYLLABLES, k=rng.randint(2, 4))) for _ in range(2)]
        names.setdefault(" ".join(w.capitalize() for w in words))
    name_list = list(names)
    domains = [n.lower().replace(" ", "") + ".com" for n in name_list]
    comp = pd.DataFrame(
        {"name": [f"{n} Inc." for n in name_list], "domain": domains},
        index=pd.Index(range(2, companies + 2), name="row"),
    ).astype("str")
    pick = np.random.default_rng(seed).integers(0, companies, contacts)
    kind = np.random.default_rng(seed + 1).random(contacts)
    emails, company_names = [], []
    for i, (c, k) in enumerate(zip(pick.tolist(), kind.tolist(), strict=True)):
        if k < 0.7:
            emails.append(f"p{i}@{domains[c]}")
            company_names.append(name_list[c])
        elif k < 0.92:
            emails.append(f"p{i}@gmail.com")
            company_names.append(name_list[c].upper() + ", LLC")
        elif k < 0.97:
            n = name_list[c % 3000]
            emails.append(f"p{i}@yahoo.com")
            company_names.append(n[:3] + "x" + n[4:])
        else:
            emails.append(f"p{i}@hotmail.com")
            company_names.append("")
    for j in range(0, contacts - 1, 100):
        emails[j + 1] = emails[j].upper()
    cont = pd.DataFrame(
        {
            "email": emails,
            "firstname": [f"F{i % 5000}" for i in range(contacts)],
            "lastname": "L",
            "phone": "+15555550100",
            "jobtitle": "Engineer",
            "_company_name": company_names,
        },
        index=pd.Index(range(2, contacts + 2), name="row"),
    ).astype("str")
    tick = pd.DataFrame(
        {
            "subject": [f"Issue {i}" for i in range(tickets)],
            "content": [f"Body of ticket {i}" for i in range(tickets)],
            "_contact_email": [emails[(i * 7) % contacts].lower() for i in range(tickets)],
        },
        index=pd.Index(range(2, tickets + 2), name="row"),
    ).astype("str")
    return FakePrepared(
        {
            "companies": FakeObject("companies", "companies.csv", companies, comp),
            "contacts": FakeObject("contacts", "contacts.csv", contacts, cont),
            "tickets": FakeObject("tickets", "tickets.csv", tickets, tick),
        }
    )


def test_small_synthetic_plan_is_consistent() -> None:
    """The generator's plan balances (runs in the normal suite, small)."""
    plan = build_plan(synthetic(companies=200, contacts=5_000, tickets=500))
    for object_type in ("companies", "contacts", "tickets"):
        assert plan.rows[object_type] == (
            plan.rejected[object_type] + plan.duplicates[object_type] + plan.from_file(object_type)
        )
    assert plan.duplicates["contacts"] == 50
    reasons = plan.summary()["links_by_reason"]
    assert reasons["contacts->companies:domain"] > 0 and reasons["contacts->companies:name"] > 0


@pytest.mark.slow
def test_million_contacts_plan_in_time() -> None:
    """1M contacts + 10k companies + 100k tickets plan in well under 30 s (CPU time)."""
    prepared = synthetic(companies=10_000, contacts=1_000_000, tickets=100_000)
    wall, cpu = time.perf_counter(), time.process_time()
    plan = build_plan(prepared)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"build_plan 1M contacts: {wall:.1f} s wall, {cpu:.1f} s CPU")
    assert len(plan.records["contacts"]) == 990_000
    assert cpu < 30
