"""Make the demo dataset: companies.csv, contacts.csv, tickets.csv with documented dirt.

Seeded and free of clocks, so ``make data`` always writes byte-identical files. Every planted
problem is recorded as it is made and written to ``planted_dirt.json`` (what the tests check
validation against) and to the table in ``README.md`` (what people read).

Run: ``python data/generate.py [--out DIR]``.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import unicodedata
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

SEED = 20240611
N_COMPANIES, N_CONTACTS, N_TICKETS = 48, 80, 165
HERE = Path(__file__).resolve().parent


VOCABULARY: dict[str, Any] = json.loads((HERE / "vocabulary.json").read_text(encoding="utf-8"))
"""The word lists (names, companies, subjects, …): data, so they are easy to extend."""

COMPANY_HEADER = VOCABULARY["company_header"]
CONTACT_HEADER = VOCABULARY["contact_header"]
TICKET_HEADER = VOCABULARY["ticket_header"]
ANCHORS = [tuple(item) for item in VOCABULARY["anchors"]]
STEMS = VOCABULARY["stems"]
SUFFIXES = VOCABULARY["suffixes"]
INDUSTRIES = VOCABULARY["industries"]
PLACES = [tuple(item) for item in VOCABULARY["places"]]
COUNTRY_CODE = VOCABULARY["country_code"]
FIRST = VOCABULARY["first"]
LAST = VOCABULARY["last"]
UNICODE_PEOPLE = [tuple(item) for item in VOCABULARY["unicode_people"]]
TITLES = VOCABULARY["titles"]
STAGES = VOCABULARY["stages"]
PRIORITIES = VOCABULARY["priorities"]
STATUSES = VOCABULARY["statuses"]
CATEGORIES = VOCABULARY["categories"]
SUBJECTS = VOCABULARY["subjects"]
BODIES = VOCABULARY["bodies"]


DROPPED_CATEGORIES = frozenset({"INVALID_NUMBER", "INVALID_DATE", "INVALID_OPTION"})
"""Planted bad values that are left out of a row that still lands (crmkit.rejection)."""


def severity_of(category: str | None) -> str | None:
    """The severity crmkit reports a planted category with (None: no row issue expected)."""
    if category is None:
        return None
    return "dropped" if category in DROPPED_CATEGORIES else "error"


@dataclass(frozen=True)
class Dirt:
    """One planted problem: where it is and what crmkit should make of it.

    ``category`` is the row issue validation must report (``None`` when the problem is for a
    later stage to handle, e.g. company name variants matched by the planner).
    """

    file: str
    row: int
    column: str
    kind: str
    value: str
    category: str | None
    severity: str | None
    note: str


@dataclass(frozen=True)
class Planter:
    """Records each problem of one file as it is planted (``index`` = 0-based record)."""

    dirt: list[Dirt]
    file: str

    def __call__(
        self,
        index: int,
        column: str,
        kind: str,
        value: str,
        note: str,
        category: str | None = None,
        severity: str | None = None,
    ) -> None:
        self.dirt.append(Dirt(self.file, index + 2, column, kind, value, category, severity, note))


def ascii_slug(text: str) -> str:
    """``"Zoë Müller"`` → ``"zoe.muller"``-style local parts (exports rarely keep accents)."""
    text = text.translate(str.maketrans({"Ł": "L", "ł": "l", "Ø": "O", "ø": "o", "ß": "ss"}))
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch.isalnum() or ch in ".-")


def us_phone(rng: random.Random) -> str:
    return f"{rng.choice([212, 312, 415, 512, 617, 646, 206])}555{rng.randint(100, 199):04d}"


def mobile(rng: random.Random) -> str:
    d = us_phone(rng)
    return f"+1 {d[:3]}-{d[3:6]}-{d[6:]}"


def company_phone(rng: random.Random, country: str) -> str:
    """A phone number as the source system happened to store it, in several formats."""
    if country == "US":
        d = us_phone(rng)
        style = rng.randrange(4)
        if style == 0:
            return f"({d[:3]}) {d[3:6]}-{d[6:]}"
        if style == 1:
            return f"{d[:3]}-{d[3:6]}-{d[6:]} ext. {rng.randint(10, 99)}"
        if style == 2:
            return f"+1 {d[:3]} {d[3:6]} {d[6:]}"
        return f"{d[:3]}.{d[3:6]}.{d[6:]}"
    if country == "GB":
        return f"+44 20 7946 {rng.randint(0, 999):04d}"
    if country == "FR":
        return f"0033 1 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} 89"
    return {
        "DE": f"+49 30 {rng.randint(1000000, 9999999)}",
        "ES": f"+34 91 {rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
        "PL": f"+48 22 {rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
        "JP": f"+81 3-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}",
        "AU": f"+61 2 {rng.randint(8000, 9999)} {rng.randint(1000, 9999)}",
    }[country]


def a_date(rng: random.Random, start: date, days: int) -> date:
    return start + timedelta(days=rng.randrange(days))


def fmt_date(rng: random.Random, day: date, with_time: bool = False) -> str:
    """ISO or US M/D/YYYY, as different exports of the same CRM tend to mix."""
    if rng.random() < 0.6:
        text = day.isoformat()
        return (
            f"{text} {rng.randint(8, 18):02d}:{rng.choice([0, 15, 30, 45]):02d}"
            if with_time
            else text
        )
    return f"{day.month}/{day.day}/{day.year}"


def make_companies(rng: random.Random, dirt: list[Dirt]) -> list[dict[str, str]]:
    plant_company = Planter(dirt, "companies.csv")
    stems = rng.sample(STEMS, N_COMPANIES - len(ANCHORS))
    rows: list[dict[str, str]] = []
    for i in range(N_COMPANIES):
        if i < len(ANCHORS):
            name, stem, industry, city, country = ANCHORS[i][:5]
            code = COUNTRY_CODE[country]
        else:
            stem_name = stems[i - len(ANCHORS)]
            name = f"{stem_name} {rng.choice(SUFFIXES)}"
            stem = ascii_slug(stem_name.replace(" ", ""))
            industry = rng.choice(INDUSTRIES)
            city, country, code = rng.choice(PLACES)
        domain = f"{stem}.example"
        website = rng.choice([f"https://www.{domain}", f"http://{domain}", domain, f"www.{domain}"])
        rows.append(
            {
                "Company ID": f"CMP-{1001 + i}",
                "Company Name": name,
                "Website": website,
                "Phone Number": company_phone(rng, code),
                "Industry": industry,
                "City": city,
                "Country": country,
                "Employees": str(rng.choice([8, 12, 25, 40, 75, 120, 250, 600, 1500, 4200])),
                "Annual Revenue": str(rng.randrange(5, 900) * 100_000),
                "Founded": str(rng.randint(1950, 2021)),
            }
        )
    late = rng.sample(range(len(ANCHORS), N_COMPANIES), 2)
    rows[late[0]]["Company Name"] = ""
    plant_company(
        late[0],
        "Company Name",
        "missing_required",
        "",
        "company without a name",
        category="MISSING_REQUIRED",
        severity="error",
    )
    rows[late[1]]["Employees"] = "about 250"
    plant_company(
        late[1],
        "Employees",
        "not_a_number",
        "about 250",
        "employee count written as words",
        category="INVALID_NUMBER",
        severity=severity_of("INVALID_NUMBER"),
    )
    for i in range(len(ANCHORS)):
        phone = rows[i]["Phone Number"]
        plant_company(
            i,
            "Phone Number",
            "phone_format",
            phone,
            "national/international format with prefix or extension; coerced to E.164",
        )
    return rows


DEMO_OWNERS = ("Dana Whitfield", "raj.patel@crmkit.test", "Mei Chen")
"""Owners of the demo portal (crmkit.demo.DEMO_SANDBOX), written as a name or an email."""


def assign_owners(rng: random.Random, rows: list[dict[str, str]], dirt: list[Dirt]) -> None:
    """An "Account Owner" per company; one names someone the portal does not have."""
    for row in rows:
        row["Account Owner"] = rng.choice([*DEMO_OWNERS, ""])
    gone = rng.choice([i for i in range(len(ANCHORS), len(rows)) if rows[i]["Company Name"]])
    rows[gone]["Account Owner"] = "Pat Former"
    Planter(dirt, "companies.csv")(
        gone,
        "Account Owner",
        "unknown_owner",
        "Pat Former",
        "owner who is not in the portal: lands without an owner, COULD_NOT_FIND_OWNER at import",
    )


def make_contacts(
    rng: random.Random, companies: list[dict[str, str]], dirt: list[Dirt]
) -> list[dict[str, str]]:
    plant_contact = Planter(dirt, "contacts.csv")
    named = [(c, ascii_slug(c["Website"].split("//")[-1].removeprefix("www."))) for c in companies]
    named = [(c, d) for c, d in named if c["Company Name"]]
    people: list[tuple[str, str]] = list(UNICODE_PEOPLE)
    seen = {p for p in people}
    while len(people) < N_CONTACTS - 1:
        pair = (rng.choice(FIRST), rng.choice(LAST))
        if pair not in seen:
            seen.add(pair)
            people.append(pair)
    rng.shuffle(people)
    # Anchor companies get two or three contacts each (room for name variants), then round robin.
    employers = [named[a] for a, anchor in enumerate(ANCHORS) for _ in range(len(anchor[5]) + 1)]
    employers += named[len(ANCHORS) :] * 2
    rows: list[dict[str, str]] = []
    for i, (first, last) in enumerate(people):
        company, domain = employers.pop(0) if i % 9 else (None, "mail.example")
        local = f"{ascii_slug(first)}.{ascii_slug(last)}" if first != "太郎" else "taro.yamada"
        phone = company_phone(rng, "US") if rng.random() < 0.7 else ""
        rows.append(
            {
                "Contact ID": f"CT-{5001 + i}",
                "First Name": first,
                "Last Name": last,
                "E-mail Address": f"{local}@{domain}",
                "Phone Number": phone,
                "Mobile": mobile(rng) if rng.random() < 0.3 else "",
                "Job Title": rng.choice(TITLES),
                "Company": company["Company Name"] if company else "",
                "Lifecycle Stage": rng.choice(STAGES),
                "Created On": fmt_date(rng, a_date(rng, date(2022, 1, 1), 900)),
            }
        )
    # Company name variants: contacts of the anchor companies use other spellings.
    for anchor in ANCHORS:
        members = [i for i, r in enumerate(rows) if r["Company"] == anchor[0]]
        for variant, i in zip(anchor[5], members[1:], strict=True):
            rows[i]["Company"] = variant
            plant_contact(
                i,
                "Company",
                "company_name_variant",
                variant,
                f"spelled {anchor[0]!r} in companies.csv; matched fuzzily by the planner",
            )
    # The same person twice, email in another letter case, slightly different details.
    src = next(i for i, r in enumerate(rows) if r["Company"] and r["Phone Number"])
    twin = dict(rows[src])
    local, _, domain = twin["E-mail Address"].partition("@")
    twin["E-mail Address"] = f"{local.title()}@{domain.title()}"
    twin["Job Title"] = "Senior " + twin["Job Title"]
    twin["Contact ID"] = f"CT-{5001 + len(rows)}"
    rows.append(twin)
    for i in (src, len(rows) - 1):
        plant_contact(
            i,
            "E-mail Address",
            "duplicate_email_case",
            rows[i]["E-mail Address"],
            f"same contact as row {(len(rows) - 1 if i == src else src) + 2}, email case differs",
            category="DUPLICATE",
            severity="warning",
        )
    free = [
        i
        for i in range(N_CONTACTS - 1)
        if i != src and rows[i]["Company"] not in {v for a in ANCHORS for v in a[5]}
    ]
    picks = rng.sample(free, 7)
    for i, (kind, make, category, note) in zip(picks, CONTACT_DIRT, strict=True):
        column = {"bad_date": "Created On", "invalid_option": "Lifecycle Stage"}.get(
            kind, "E-mail Address"
        )
        rows[i][column] = make(rows[i][column])
        plant_contact(
            i,
            column,
            kind,
            rows[i][column],
            note,
            category=category,
            severity=severity_of(category),
        )
    for i, r in enumerate(rows):
        if r["First Name"] in {f for f, _ in UNICODE_PEOPLE}:
            plant_contact(
                i,
                "First Name",
                "non_ascii_name",
                f"{r['First Name']} {r['Last Name']}",
                "kept as UTF-8",
            )
    # A few international and national phones on contacts.
    for i, phone in zip(
        rng.sample(free, 3),
        ["+44 20 7946 0958", "0033 1 23 45 67 89", "(415) 555-0132 ext. 12"],
        strict=True,
    ):
        if i not in picks:
            rows[i]["Phone Number"] = phone
            plant_contact(
                i,
                "Phone Number",
                "phone_format",
                phone,
                "international or extension format; coerced to E.164",
            )
    return rows


CONTACT_DIRT = [
    ("malformed_email", lambda v: v.replace("@", "@@"), "INVALID_EMAIL", "doubled @"),
    ("malformed_email", lambda v: v.replace("@", " at "), "INVALID_EMAIL", "'at' instead of @"),
    ("malformed_email", lambda v: v.rsplit(".", 1)[0], "INVALID_EMAIL", "domain without TLD"),
    ("malformed_email", lambda v: v.replace(".", "..", 1), "INVALID_EMAIL", "two dots in a row"),
    ("missing_required", lambda v: "", "MISSING_REQUIRED", "contact without an email"),
    ("bad_date", lambda v: "2023-02-30", "INVALID_DATE", "30 February"),
    ("invalid_option", lambda v: "Tier 2", "INVALID_OPTION", "not a lifecycle stage"),
]


def make_tickets(
    rng: random.Random,
    companies: list[dict[str, str]],
    contacts: list[dict[str, str]],
    dirt: list[Dirt],
) -> list[dict[str, str]]:
    plant_ticket = Planter(dirt, "tickets.csv")
    bad = {(d.row - 2) for d in dirt if d.file == "contacts.csv" and d.category}
    good = [c for i, c in enumerate(contacts) if i not in bad]
    rows: list[dict[str, str]] = []
    for i in range(N_TICKETS):
        category = rng.choice(CATEGORIES)
        subject = rng.choice(SUBJECTS[category])
        who = rng.choice(good)
        body = rng.choice(
            [
                f'Hi team,\nabout "{subject}": can you have a look? It started this week.',
                f"{subject}. This blocks our month-end close.",
                f"{BODIES[category]}\nThanks, {who['First Name']}",
                f"{subject} — see the screenshot attached.",
            ]
        )
        status = rng.choice(STATUSES)
        rows.append(
            {
                "Ticket ID": f"TK-{90001 + i}",
                "Ticket Subject": subject,
                "Description": body,
                "Priority": rng.choice(PRIORITIES)
                if rng.random() < 0.9
                else rng.choice(PRIORITIES).lower(),
                "Status": status,
                "Opened On": fmt_date(rng, a_date(rng, date(2024, 1, 1), 170), with_time=True),
                "Requester Email": who["E-mail Address"],
                "Category": category,
            }
        )
    order = rng.sample(range(N_TICKETS), 24)
    slots = iter(order)

    def plant(column: str, kind: str, value: str, category: str | None, note: str) -> int:
        i = next(slots)
        rows[i][column] = value
        plant_ticket(
            i, column, kind, value, note, category=category, severity=severity_of(category)
        )
        return i

    plant("Ticket Subject", "missing_required", "", "MISSING_REQUIRED", "ticket without subject")
    plant("Ticket Subject", "missing_required", "   ", "MISSING_REQUIRED", "subject only blanks")
    plant("Priority", "invalid_option", "Whenever", "INVALID_OPTION", "not a ticket priority")
    plant("Opened On", "bad_date", "13/45/2024", "INVALID_DATE", "no month 13, no day 45")
    # Requester only inside the free text, Requester Email empty.
    with_phone = [c for c in good if c["Phone Number"]]
    for n in range(6):
        who = with_phone[n * 5] if n % 2 else good[n * 7]
        text = (
            f"Contact: {who['E-mail Address']} - Tel: {_e164(who['Phone Number'])}"
            if n % 2
            else f"Please reply to {who['E-mail Address']}, thanks!"
        )
        i = plant("Description", "email_in_text", text, None, "requester email only in the body")
        rows[i]["Requester Email"] = ""
    for n in range(2):
        who = with_phone[-1 - n]
        text = f"Call me back on {who['Phone Number']} before 5pm. {who['First Name']}"
        i = plant("Description", "phone_in_text", text, None, "requester phone only in the body")
        rows[i]["Requester Email"] = ""
    # Requesters that are not contacts: three at known company domains, three elsewhere.
    domains = [c["Website"].split("//")[-1].removeprefix("www.") for c in companies[:6]]
    for n, email in enumerate(
        [
            f"helpdesk@{domains[0]}",
            f"it-support@{domains[1]}",
            f"j.ramirez@{domains[2]}",
            "pat.doe@mailbox.test",
            "alex.kowalski@freemail.test",
            "r.chen@inbox.test",
        ]
    ):
        kind = "unknown_requester_company_domain" if n < 3 else "unknown_requester"
        plant(
            "Requester Email",
            kind,
            email,
            None,
            "no such contact; created from the ticket" + (", linked by domain" if n < 3 else ""),
        )
    # Requester emails in another letter case than the contact's.
    for _ in range(2):
        i = next(slots)
        rows[i]["Requester Email"] = rows[i]["Requester Email"].upper()
        plant_ticket(
            i,
            "Requester Email",
            "email_case",
            rows[i]["Requester Email"],
            "upper case; matches the contact anyway",
        )
    # Descriptions with line breaks and quotes, to exercise the CSV reader.
    for _ in range(2):
        i = next(slots)
        rows[i]["Description"] += '\n\n"Urgent", they said; see ticket #4471 (v2.3.1, 10:30).'
    return rows


def _e164(phone: str) -> str:
    digits = "".join(ch for ch in phone.split("ext")[0] if ch.isdigit())
    return f"+1{digits[-10:]}"


def write_csv(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode("utf-8"))


def readme(dirt: list[Dirt]) -> str:
    lines = [
        "# Demo data",
        "",
        f"`companies.csv` ({N_COMPANIES} rows), `contacts.csv` ({N_CONTACTS}), "
        f"`tickets.csv` ({N_TICKETS}), UTF-8, made by `generate.py` from the word lists in "
        f"`vocabulary.json` (seed {SEED}, no clock): `make data` rewrites them byte for byte. "
        "Headers are as people export them, not HubSpot's names, so mapping is exercised. "
        "Domains use the reserved `.example` and `.test` names; US numbers use the fictional "
        "555-01xx range, UK ones Ofcom's drama range.",
        "",
        "## Planted dirt",
        "",
        "Written by the generator as it plants it; `planted_dirt.json` holds the same list and "
        "the tests check that validation reports exactly the rows with a category. Rows are "
        "spreadsheet rows (header = 1). A category of `-` means no row issue is expected: a "
        "later stage (coercion, extraction, the planner) handles it.",
        "",
        "| file | row | column | what | value | category | severity | note |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for d in sorted(dirt, key=lambda d: (d.file, d.row, d.column)):
        value = d.value.replace("|", "\\|").replace("\n", " ")
        shown = f"`{value}`" if value.strip() else ("(empty)" if not value else "(blanks)")
        lines.append(
            f"| {d.file} | {d.row} | {d.column} | {d.kind} | {shown} | "
            f"{d.category or '-'} | {d.severity or '-'} | {d.note} |"
        )
    lines += [
        "",
        "## Quality score",
        "",
        "Severity `error` rejects the row (a contact's email is its upsert key; a company's "
        "name and a ticket's subject are required); `dropped` leaves the bad value out and "
        "the row lands without it (`crmkit.rejection`; `--strict` rejects those rows too); "
        "`warning` only reports. `crmkit.quality` scores a column as the share of rows whose "
        "cell is blank or readable (a readable value that matches no option is not dirt: "
        "`matched` gives each option column's share of matched values), and an object as the "
        "share of rows neither rejected nor holding an unreadable value; warnings such as "
        "duplicate emails do not lower it.",
        "",
    ]
    return "\n".join(lines)


def generate(out: Path) -> list[Dirt]:
    """Write the three CSVs, planted_dirt.json and README.md into ``out``."""
    rng = random.Random(SEED)
    dirt: list[Dirt] = []
    companies = make_companies(rng, dirt)
    assign_owners(random.Random(SEED + 1), companies, dirt)  # own stream: other values unchanged
    contacts = make_contacts(rng, companies, dirt)
    tickets = make_tickets(rng, companies, contacts, dirt)
    out.mkdir(parents=True, exist_ok=True)
    write_csv(out / "companies.csv", COMPANY_HEADER, companies)
    write_csv(out / "contacts.csv", CONTACT_HEADER, contacts)
    write_csv(out / "tickets.csv", TICKET_HEADER, tickets)
    ordered = sorted(dirt, key=lambda d: (d.file, d.row, d.column, d.kind))
    text = json.dumps([asdict(d) for d in ordered], indent=1, ensure_ascii=False) + "\n"
    (out / "planted_dirt.json").write_bytes(text.encode("utf-8"))
    (out / "README.md").write_bytes(readme(dirt).encode("utf-8"))
    return ordered


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE, help="folder to write (default: data/)")
    args = parser.parse_args()
    dirt = generate(args.out)
    print(f"wrote {args.out}: {len(dirt)} planted items")


if __name__ == "__main__":
    main()
