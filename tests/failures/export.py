"""The small export the failure suite imports: three files, four contact batches."""

from __future__ import annotations

import csv
from pathlib import Path

COMPANIES = 8
CONTACTS = 350  # four record batches of at most 100
TICKETS = 40
COMPANY_TYPES = ("Prospect", "Partner", "Vendor")


def write_export(folder: Path, *, extra_company: list[str] | None = None) -> Path:
    """A clean little export: every row valid, contacts and tickets linked to companies."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "companies.csv").open("w", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["Company Name", "Website", "Company Type"])
        for i in range(COMPANIES):
            out.writerow([f"Firm {i} Ltd", f"www.firm{i}.example", COMPANY_TYPES[i % 3]])
        if extra_company:
            out.writerow(extra_company)
    with (folder / "contacts.csv").open("w", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["First Name", "Last Name", "E-mail Address", "Company"])
        for i in range(CONTACTS):
            company = f"Firm {i % COMPANIES} Ltd"
            out.writerow([f"Ann{i}", f"Lee{i}", f"ann.lee{i}@firm{i % COMPANIES}.example", company])
    with (folder / "tickets.csv").open("w", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["Ticket ID", "Subject", "Description", "Priority", "Requester Email"])
        for i in range(TICKETS):
            email = f"ann.lee{i}@firm{i % COMPANIES}.example"
            out.writerow([f"T-{i}", f"Printer {i} jams", f"It jams on page {i}.", "High", email])
    return folder
