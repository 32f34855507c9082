"""A tiny three-file export whose outcome is known (TRUTH), for the notebook runs."""

from __future__ import annotations

from pathlib import Path

COMPANIES = """Company ID,Company Name,Website,Industry
C-1,Acme Inc.,www.acme.example,Computer Software
C-2,Globex,globex.example,Logistics and Supply Chain
C-3,,www.nameless.example,Wholesale
"""
CONTACTS = """Contact ID,First Name,Last Name,E-mail Address,Job Title,Company
P-1,Ann,Lee,ann.lee@acme.example,CTO,Acme Inc.
P-2,Bob,Ray,bob.ray@globex.example,Buyer,Globex
P-3,Cy,Doe,not-an-email,Intern,Acme Inc.
P-4,Dee,Fox,dee.fox@mail.example,,
"""
TICKETS = """Ticket ID,Ticket Subject,Description,Priority,Status,Requester Email
T-1,Login fails,Cannot log in,High,New,ann.lee@acme.example
T-2,Invoice question,Charged twice,Low,Closed,bob.ray@globex.example
T-3,Feature idea,Please add an export,Medium,New,eve.new@mail.example
T-4,Old thing,Nothing urgent,Whenever,New,dee.fox@mail.example
"""
# The truth of the files above: (rows, rejected) per object type. Company row 4 lacks a name,
# contact row 4 has no valid email (both cannot be written safely); ticket row 5's priority
# "Whenever" is no option: the value is left out and the ticket lands (issue 9).
TRUTH = {"companies": (3, 1), "contacts": (4, 1), "tickets": (4, 0)}
NEW_FROM_TICKETS = 1  # eve.new@ is only a ticket's requester


def write_folder(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in (("companies", COMPANIES), ("contacts", CONTACTS), ("tickets", TICKETS)):
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    return folder
