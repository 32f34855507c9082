"""Hand-made plans and an in-memory writer, for testing the pipeline without a network."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field

from crmkit.errors import DailyLimitReached
from crmkit.hubspot.outcome import WriteOutcome
from crmkit.issues import RowIssue
from crmkit.plan.model import ImportPlan, PlannedLink, PlannedRecord

ID_PROPERTY = {
    "contacts": "email",
    "companies": "crmkit_import_key",
    "tickets": "crmkit_import_key",
}
FILES = {"companies": "companies.csv", "contacts": "contacts.csv", "tickets": "tickets.csv"}


def record(object_type: str, key: str, row: int, **props: str) -> PlannedRecord:
    properties = {ID_PROPERTY[object_type]: key, **props}
    return PlannedRecord(
        object_type, key, ID_PROPERTY[object_type], properties, [(FILES[object_type], row)]
    )


def make_plan(
    companies: int = 3,
    contacts: int = 5,
    tickets: int = 4,
    *,
    rejected_contacts: int = 1,
    duplicate_contacts: int = 1,
    from_tickets: int = 1,
) -> ImportPlan:
    """A small consistent plan: rows = rejected + duplicates + records, links between them."""
    comps = [record("companies", f"co{i}.example", i + 2, name=f"Co {i}") for i in range(companies)]
    conts = [
        record("contacts", f"p{i}@co{i % max(companies, 1)}.example", i + 2, firstname=f"P{i}")
        for i in range(contacts)
    ]
    if duplicate_contacts and conts:
        first = conts[0]
        first.source_rows.extend(
            ("contacts.csv", contacts + 2 + n) for n in range(duplicate_contacts)
        )
    issues = [
        RowIssue(
            "contacts.csv",
            contacts + duplicate_contacts + 2 + n,
            "validate",
            "INVALID_EMAIL",
            "not an email",
            column="email",
            value="=HYPERLINK(1)",
        )
        for n in range(rejected_contacts)
    ]
    tick = [
        record(
            "tickets",
            f"t{i}",
            i + 2,
            subject=f"Ticket {i}",
            hs_pipeline="0",
            hs_pipeline_stage="1",
        )
        for i in range(tickets)
    ]
    extra = [
        PlannedRecord(
            "contacts",
            f"req{i}@new.example",
            "email",
            {"email": f"req{i}@new.example"},
            [("tickets.csv", i + 2)],
            origin="ticket",
        )
        for i in range(from_tickets)
    ]
    links = [
        PlannedLink("contacts", c.key, "companies", c.key.split("@")[1], "domain") for c in conts
    ]
    links += [
        PlannedLink("tickets", t.key, "contacts", conts[i % len(conts)].key, "email_column")
        for i, t in enumerate(tick)
    ]
    return ImportPlan(
        records={"companies": comps, "contacts": conts + extra, "tickets": tick},
        links=links,
        issues=issues,
        rows={
            "companies": companies,
            "contacts": contacts + duplicate_contacts + rejected_contacts,
            "tickets": tickets,
        },
        duplicates={"companies": 0, "contacts": duplicate_contacts, "tickets": 0},
        quality={"contacts": {"score": 0.9, "columns": {"email": 0.9}}},
        rejected={"companies": 0, "contacts": rejected_contacts, "tickets": 0},
        files=dict(FILES),
    )


@dataclass
class FakeWriter:
    """A portal in memory: upserts by key, refuses ``invalid`` keys, may hit a daily limit."""

    invalid: set[str] = field(default_factory=set)
    flaky: set[str] = field(default_factory=set)  # outcome unknown once, then fine
    daily_budget: int | None = None  # write calls allowed before DailyLimitReached
    store: dict[tuple[str, str], str] = field(default_factory=dict)
    links: set[tuple[str, str, str, str]] = field(default_factory=set)
    archived: list[tuple[str, str]] = field(default_factory=list)
    calls: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def _spend(self) -> None:
        with self.lock:
            if self.daily_budget is not None and self.calls >= self.daily_budget:
                raise DailyLimitReached("daily limit (fake)")
            self.calls += 1

    def write(self, object_type: str, records: Sequence[PlannedRecord]) -> list[WriteOutcome]:
        self._spend()
        out = []
        with self.lock:
            for rec in records:
                if rec.key in self.invalid:
                    out.append(WriteOutcome(rec.key, "failed", None, "INVALID_EMAIL", "bad"))
                    continue
                if rec.key in self.flaky:
                    self.flaky.discard(rec.key)
                    out.append(WriteOutcome(rec.key, "sent", None, "SERVER_ERROR", "500"))
                    continue
                known = self.store.get((object_type, rec.key))
                if known is None:
                    known = str(len(self.store) + 1000)
                    self.store[(object_type, rec.key)] = known
                    out.append(WriteOutcome(rec.key, "created", known))
                else:
                    out.append(WriteOutcome(rec.key, "updated", known))
        return out

    def associate(
        self, from_type: str, to_type: str, pairs: Sequence[tuple[str, str]]
    ) -> list[WriteOutcome]:
        self._spend()
        with self.lock:
            for f, t in pairs:
                self.links.add((from_type, f, to_type, t))
        return [WriteOutcome(f"{f}->{t}", "created") for f, t in pairs]

    def archive(self, object_type: str, ids: Sequence[str]) -> None:
        with self.lock:
            self.archived.extend((object_type, i) for i in ids)
            for key, value in list(self.store.items()):
                if key[0] == object_type and value in ids:
                    del self.store[key]

    def stats(self) -> dict[str, int]:
        return {"requests": self.calls, "retried": 0, "rate_limited": 0}

    def ceiling_records_per_s(self) -> float | None:
        return 1900.0
