"""Seeded CRM exports for benchmarks and the reliability suite: realistic values, ~5% dirt.

The files look like a real export (the demo data's headers, mixed date formats, phone styles,
company-name variants, multi-line ticket bodies) and carry a known share of dirt. Each dirty
row is one of the kinds in :data:`DIRT_KINDS`; the generator records the kind of every row it
writes so tests can check what crmkit did against what was planted, not against crmkit itself:

- ``error`` kinds must be rejected (invalid or missing email, ragged row): such a row cannot be
  written safely;
- ``dropped`` kinds (impossible date, unknown option, non-numeric count) land without the bad
  value, which is reported (crmkit.rejection; ``--strict`` rejects them);
- ``duplicate`` rows repeat an earlier contact's email in another case and must be merged;
- ``warning`` kinds (an unreadable phone) are kept and only reported.

Rows are written in chunks, so a million-row file needs little memory.
"""

from __future__ import annotations

import csv
import json
import random
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path

COMPANY_HEADER = (
    "Company ID",
    "Company Name",
    "Website",
    "Phone Number",
    "Industry",
    "City",
    "Country",
    "Employees",
    "Annual Revenue",
    "Founded",
)
CONTACT_HEADER = (
    "Contact ID",
    "First Name",
    "Last Name",
    "E-mail Address",
    "Phone Number",
    "Mobile",
    "Job Title",
    "Company",
    "Lifecycle Stage",
    "Created On",
)
TICKET_HEADER = (
    "Ticket ID",
    "Ticket Subject",
    "Description",
    "Priority",
    "Status",
    "Opened On",
    "Requester Email",
    "Category",
)


def _items(text: str) -> tuple[str, ...]:
    """A vocabulary written as one "|"-separated string (compact, easy to extend)."""
    return tuple(item.strip() for item in text.split("|"))


FIRST = _items(
    "Sarah|James|Maria|David|Emma|Noah|Olivia|Liam|Ava|Ethan|Mia|Lucas|Grace|Henry|Chloe|"
    "Owen|Priya|Rahul|Aisha|Tom|Nina|Omar|Hannah|Leo|Ingrid|Pedro|Yuki|Fatima|Zoë|José|"
    "Jürgen|Søren"
)
LAST = _items(
    "Smith|Johnson|Okafor|Tanaka|Cohen|Larsen|Haddad|Andersson|Reyes|Kowalski|Nguyen|Patel|"
    "Garcia|Müller|Rossi|Dubois|Novak|Silva|Kim|Martin|Hughes|Becker|Costa|Lindqvist|Moreau"
)
STEMS = _items(
    "Blue Harbor|Cedar Peak|Brightline|Ironwood|Silver Fern|Quantum Leaf|Red Maple|"
    "Summit Ridge|Oakmont|Pinecrest|Riverbend|Stonegate|Clearwater|Foxglove|Granite Bay|"
    "Harborview|Juniper|Kestrel|Lakeshore|Meridian|Nimbus|Orchard Lane|Pelican|Quarry Hill|"
    "Rosewood|Tidewater"
)
TRADES = _items(
    "Analytics|Foods|Logistics|Health|Robotics|Energy|Media|Capital|Textiles|Software|"
    "Dental|Marine|Brewing|Optics|Builders|Pharma|Travel|Security|Farms|Studios"
)
SUFFIXES = _items("Inc.|LLC|Ltd|GmbH|Group|Co.")
INDUSTRIES = _items(
    "Computer Software|Accounting|Financial Services|Marketing and Advertising|"
    "Information Technology and Services|Hospital & Health Care|Retail|Construction|"
    "Telecommunications|Food & Beverages|Management Consulting|Real Estate"
)
PLACES = (
    ("New York", "United States"),
    ("Austin", "United States"),
    ("Seattle", "United States"),
    ("London", "United Kingdom"),
    ("Berlin", "Germany"),
    ("Madrid", "Spain"),
    ("Tokyo", "Japan"),
)
TITLES = _items(
    "CEO|CFO|Account Executive|Analyst|Support Lead|Office Manager|VP Sales|Engineer|"
    "Product Manager|Buyer"
)
STAGES = _items(
    "Subscriber|Lead|Marketing Qualified Lead|Sales Qualified Lead|Opportunity|Customer|"
    "Evangelist|Other"
)
PRIORITIES = _items("Low|Medium|High|Urgent")
STATUSES = _items("New|Waiting on contact|Waiting on us|Closed")
CATEGORIES = _items("Product issue|Billing issue|Feature request|General inquiry")
SUBJECTS = _items(
    "Export to PDF fails|Dashboard not loading|Sync stuck at 90%|Invoice shows wrong VAT|"
    "Charged twice this month|Bulk edit for contacts|API access for reports|"
    "Question about onboarding|How do I add a user?|Login loop after password reset"
)
FREE_MAIL = ("mail.example", "inbox.example")

DIRT_KINDS: dict[str, str] = {
    "bad_email": "error",
    "no_email": "error",
    "bad_date": "dropped",
    "bad_option": "dropped",
    "bad_number": "dropped",
    "ragged": "error",
    "duplicate": "duplicate",
    "bad_phone": "warning",
}
"""Every planted problem and how crmkit must treat it."""

CHUNK = 50_000
START = date(2019, 1, 1)


@dataclass
class Truth:
    """What one generated file holds, row by row: for checking crmkit against the generator."""

    file: str
    rows: int = 0
    dirt: dict[str, int] = field(default_factory=dict)
    error_rows: list[int] = field(default_factory=list)
    duplicate_rows: list[int] = field(default_factory=list)
    valid_keys: list[str] = field(default_factory=list)

    @property
    def rejected(self) -> int:
        return len(self.error_rows)

    @property
    def duplicates(self) -> int:
        return len(self.duplicate_rows)

    def note(self, row: int, kind: str | None) -> None:
        self.rows += 1
        if kind is None:
            return
        self.dirt[kind] = self.dirt.get(kind, 0) + 1
        if DIRT_KINDS[kind] == "error":
            self.error_rows.append(row)
        elif DIRT_KINDS[kind] == "duplicate":
            self.duplicate_rows.append(row)


@dataclass
class Dataset:
    """A generated data folder and the truth of each of its files."""

    folder: Path
    truths: dict[str, Truth]

    def save_truth(self) -> Path:
        path = self.folder / "truth.json"
        path.write_text(json.dumps({k: asdict(v) for k, v in self.truths.items()}))
        return path


def company_name(i: int) -> str:
    """A unique, plausible company name for index ``i``."""
    stem = STEMS[i % len(STEMS)]
    trade = TRADES[(i // len(STEMS)) % len(TRADES)]
    suffix = SUFFIXES[(i // (len(STEMS) * len(TRADES))) % len(SUFFIXES)]
    cycle = i // (len(STEMS) * len(TRADES) * len(SUFFIXES))
    return f"{stem} {trade}{f' {cycle + 1}' if cycle else ''} {suffix}"


def company_domain(i: int) -> str:
    return "".join(ch for ch in company_name(i).lower() if ch.isalnum()) + ".example"


AREAS = (212, 312, 415, 512, 617, 646, 206)


def _phone(rng: random.Random, unique: int | None = None) -> str:
    """A US phone in one of four styles; with ``unique``, a number no other row has
    (the worst case for preparation: nothing to share between rows)."""
    if unique is not None:
        rest = unique // len(AREAS)
        area, exchange = AREAS[unique % len(AREAS)], 200 + (rest // 10_000) % 800
        line = rest % 10_000
        return (
            f"({area}) {exchange}-{line:04d}",
            f"+1 {area} {exchange} {line:04d}",
            f"{area}.{exchange}.{line:04d}",
            f"{area}-{exchange}-{line:04d} ext. {rng.randint(10, 99)}",
        )[unique % 4]
    area = rng.choice(AREAS)
    line = rng.randint(100, 199)
    return rng.choice(
        (
            f"({area}) 555-{line:04d}",
            f"+1 {area} 555 {line:04d}",
            f"{area}.555.{line:04d}",
            f"{area}-555-{line:04d} ext. {rng.randint(10, 99)}",
        )
    )


def _day(rng: random.Random, with_time: bool = False) -> str:
    day = START + timedelta(days=rng.randrange(5 * 365))
    if rng.random() < 0.7:
        text = day.isoformat()
        if with_time:
            return f"{text} {rng.randint(8, 18):02d}:{rng.choice((0, 15, 30, 45)):02d}"
        return text
    return f"{day.month}/{day.day}/{day.year}"


def _dirt(rng: random.Random, rate: float, kinds: tuple[str, ...]) -> str | None:
    return rng.choice(kinds) if rng.random() < rate else None


def write_rows(path: Path, header: tuple[str, ...], rows: Iterator[list[str]]) -> None:
    """Write in chunks so memory stays flat whatever the row count."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(header)
        chunk: list[list[str]] = []
        for row in rows:
            chunk.append(row)
            if len(chunk) >= CHUNK:
                out.writerows(chunk)
                chunk.clear()
        out.writerows(chunk)


def company_rows(n: int, rng: random.Random, rate: float, truth: Truth) -> Iterator[list[str]]:
    for i in range(n):
        kind = _dirt(rng, rate, ("bad_number", "bad_date", "ragged", "bad_phone"))
        city, country = PLACES[i % len(PLACES)]
        domain = company_domain(i)
        row = [
            f"CMP-{1001 + i}",
            company_name(i),
            rng.choice((f"https://www.{domain}", f"http://{domain}", domain, f"www.{domain}")),
            "call reception" if kind == "bad_phone" else _phone(rng),
            rng.choice(INDUSTRIES),
            city,
            country,
            "about fifty" if kind == "bad_number" else str(rng.choice((8, 25, 120, 600, 4200))),
            str(rng.randrange(5, 900) * 100_000),
            "19xx" if kind == "bad_date" else str(rng.randint(1950, 2021)),
        ]
        if kind == "ragged":
            row.append("stray cell")
        truth.note(i + 2, kind)
        if DIRT_KINDS.get(kind or "") not in ("error", "duplicate"):
            truth.valid_keys.append(f"company:id:CMP-{1001 + i}")
        yield row


def contact_email(i: int, companies: int) -> str:
    first, last = FIRST[i % len(FIRST)], LAST[(i // len(FIRST)) % len(LAST)]
    local = "".join(ch for ch in f"{first}.{last}".lower() if ch.isascii() and ch != " ")
    host = company_domain(i % companies) if companies and i % 5 else FREE_MAIL[i % 2]
    return f"{local}{i}@{host}"


def contact_rows(
    n: int,
    companies: int,
    rng: random.Random,
    rate: float,
    truth: Truth,
    distinct_phones: bool = False,
) -> Iterator[list[str]]:
    """``n`` contact rows; a planted duplicate repeats an earlier clean row's email."""
    clean: list[list[str]] = []
    kinds = ("bad_email", "no_email", "bad_date", "bad_option", "ragged", "duplicate", "bad_phone")
    for i in range(n):
        kind = _dirt(rng, rate, kinds)
        if kind == "duplicate" and not clean:
            kind = None
        if kind == "duplicate":
            row = list(rng.choice(clean))
            row[3] = row[3].upper()
            row[0] = f"CT-{100001 + i}"
            truth.note(i + 2, kind)
            yield row
            continue
        email = contact_email(i, companies)
        first, last = FIRST[i % len(FIRST)], LAST[(i // len(FIRST)) % len(LAST)]
        linked = companies and i % 5 and rng.random() < 0.9
        row = [
            f"CT-{100001 + i}",
            first,
            last,
            {"bad_email": email.replace("@", " at "), "no_email": ""}.get(kind or "", email),
            "n/a - ask"
            if kind == "bad_phone"
            else _phone(rng, i)
            if distinct_phones
            else (_phone(rng) if rng.random() < 0.6 else ""),
            "",
            rng.choice(TITLES),
            company_name(i % companies) if linked else "",
            "Tier 2" if kind == "bad_option" else rng.choice(STAGES),
            "2023-02-30" if kind == "bad_date" else _day(rng),
        ]
        if kind == "ragged":
            row.append("oops")
        truth.note(i + 2, kind)
        if DIRT_KINDS.get(kind or "") not in ("error", "duplicate"):
            truth.valid_keys.append(email)
            if len(clean) < 1000:
                clean.append(row)
        yield row


def ticket_rows(
    n: int, contacts: int, companies: int, rng: random.Random, rate: float, truth: Truth
) -> Iterator[list[str]]:
    """Tickets from known contacts (a few from unknown requesters, a few named in the body)."""
    for i in range(n):
        kind = _dirt(rng, rate, ("bad_option", "bad_date", "ragged"))
        subject = rng.choice(SUBJECTS)
        requester = contact_email(rng.randrange(contacts), companies) if contacts else ""
        if rng.random() < 0.03:
            requester = f"walk.in{i}@{FREE_MAIL[i % 2]}"
        body = rng.choice(
            (
                f'Hi team,\nabout "{subject}": can you have a look? It started this week.',
                f"{subject}. This blocks our month-end close.",
                f"{subject} - see the screenshot attached.\nCall me on {_phone(rng)}.",
            )
        )
        row = [
            f"TK-{900001 + i}",
            subject,
            body,
            "Whenever" if kind == "bad_option" else rng.choice(PRIORITIES),
            rng.choice(STATUSES),
            "31/31/2024" if kind == "bad_date" else _day(rng, with_time=True),
            requester,
            rng.choice(CATEGORIES),
        ]
        if kind == "ragged":
            row.append("x")
        truth.note(i + 2, kind)
        if DIRT_KINDS.get(kind or "") not in ("error", "duplicate"):
            truth.valid_keys.append(f"ticket:id:TK-{900001 + i}")
        yield row


def generate_folder(
    folder: Path,
    *,
    companies: int,
    contacts: int,
    tickets: int,
    seed: int = 0,
    dirt: float = 0.05,
    distinct_phones: bool = False,
) -> Dataset:
    """Write companies.csv, contacts.csv and tickets.csv (and truth.json) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    truths = {t: Truth(f"{t}.csv") for t in ("companies", "contacts", "tickets")}
    if companies:
        write_rows(
            folder / "companies.csv",
            COMPANY_HEADER,
            company_rows(companies, rng, dirt, truths["companies"]),
        )
    if contacts:
        write_rows(
            folder / "contacts.csv",
            CONTACT_HEADER,
            contact_rows(contacts, companies, rng, dirt, truths["contacts"], distinct_phones),
        )
    if tickets:
        write_rows(
            folder / "tickets.csv",
            TICKET_HEADER,
            ticket_rows(tickets, contacts, companies, rng, dirt, truths["tickets"]),
        )
    dataset = Dataset(folder, {t: v for t, v in truths.items() if v.rows})
    dataset.save_truth()
    return dataset


def contacts_file(
    path: Path,
    rows: int,
    *,
    companies: int = 10_000,
    seed: int = 0,
    distinct_phones: bool = False,
) -> Truth:
    """One big contacts.csv (for the preparation benchmark); reused when already made."""
    stamp = path.with_suffix(".json")
    wanted = {
        "rows": rows,
        "companies": companies,
        "seed": seed,
        "version": 1,
        "distinct_phones": distinct_phones,
    }
    if path.is_file() and stamp.is_file():
        saved = json.loads(stamp.read_text())
        if saved.get("params") == wanted:
            return Truth(**saved["truth"])
    path.parent.mkdir(parents=True, exist_ok=True)
    truth = Truth(path.name)
    truth_rows = contact_rows(
        rows, companies, random.Random(seed), 0.05, truth, distinct_phones=distinct_phones
    )
    write_rows(path, CONTACT_HEADER, truth_rows)
    truth.valid_keys = []  # a million keys is no use to a benchmark
    stamp.write_text(json.dumps({"params": wanted, "truth": asdict(truth)}))
    return truth
