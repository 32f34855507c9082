"""The bad-input corpus: malformed and hostile CSV exports, each with what crmkit must do.

Every case is one file written into its own data folder. ``error`` cases must stop with a
one-line message (exit 2) that names the problem; ``rows`` cases must be read, with every
record accounted for (``rows`` is the number of spreadsheet records the file holds, blank
lines included, counted by hand here, not by crmkit). ``hostile`` lists values that must
never reach errors.csv as live formulas or an HTML page unescaped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

CONTACTS = "Contact ID,First Name,Last Name,E-mail Address,Phone Number,Lifecycle Stage"
TICKETS = "Ticket ID,Ticket Subject,Description,Priority,Status,Opened On,Requester Email"
SCRIPT = "<script>alert(1)</script>"
FORMULAS = ('=HYPERLINK("http://evil.example","click")', "+cmd|' /C calc'!A0", "@SUM(1+1)")


@dataclass(frozen=True)
class Case:
    """One corpus file: its name in the folder, its bytes, and the expected outcome."""

    name: str
    file: str
    data: Callable[[], bytes]
    error: str | None = None  # a word the one-line message must contain
    rows: int | None = None
    rejected_at_least: int = 0
    dropped_at_least: int = 0  # values left out (or cut) of rows that still land (issue 9)
    hostile: tuple[str, ...] = field(default_factory=tuple)


def _lines(header: str, *records: str, end: str = "\n") -> bytes:
    return end.join([header, *records, ""]).encode("utf-8")


def _contact(i: int, email: str | None = None, first: str = "Ann") -> str:
    return f"C{i},{first},Lee,{email or f'ann{i}@firm.example'},+1 415 555 01{i % 100:02d},Lead"


def _good(n: int) -> list[str]:
    return [_contact(i) for i in range(n)]


def _formulas() -> bytes:
    bad = [
        f'C{i},"{f.replace(chr(34), chr(34) * 2)}",Lee,{f.replace(",", " ")},,Lead'
        for i, f in enumerate(FORMULAS)
    ]
    return _lines(CONTACTS, *_good(3), *bad, "C9,-2+3,Lee,minus@firm.example,,=1+1")


def _scripts() -> bytes:
    rows = [
        f'T1,Broken export,"{SCRIPT} happens when I click",High,New,2024-01-05,a@firm.example',
        f"T2,{SCRIPT},plain body,High,New,2024-01-06,b@firm.example",
        f'T3,Priority,"body <img src=x onerror=alert(2)>",{SCRIPT},New,2024-01-07,c@x.example',
        f"T4,Date attack,body,Low,New,{SCRIPT},d@firm.example",
    ]
    return _lines(TICKETS, *rows)


CASES: tuple[Case, ...] = (
    Case("empty", "contacts.csv", lambda: b"", error="empty"),
    Case("header_only", "contacts.csv", lambda: _lines(CONTACTS), error="header"),
    Case("only_whitespace", "contacts.csv", lambda: b"   \n \n\t\n  ", error="empty"),
    Case("bom_only", "contacts.csv", lambda: b"\xef\xbb\xbf", error="empty"),
    Case(
        "binary_png",
        "contacts.csv",
        lambda: b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64,
        error="not a CSV",
    ),
    Case(
        "nul_bytes",
        "contacts.csv",
        lambda: _lines(CONTACTS, "C1,A\x00n,Lee,a@x.example,,Lead"),
        error="NUL",
    ),
    Case(  # HubSpot's contacts export with the associated company repeats header names
        "duplicate_headers",
        "contacts.csv",
        lambda: _lines("Email,First Name,Email", "a@x.example,Ann,b@x.example"),
        rows=1,
    ),
    Case(
        "blank_header",
        "contacts.csv",
        lambda: _lines("Email,,Last Name", "a@x.example,x,Lee"),
        error="header",
    ),
    Case(
        "ten_thousand_columns",
        "contacts.csv",
        lambda: _lines(",".join(f"c{i}" for i in range(10_000)), ",".join(["v"] * 10_000)),
        error="columns",
    ),
    Case(
        "unclosed_quote",
        "contacts.csv",
        lambda: _lines(CONTACTS, 'C1,"Ann,Lee,a@x.example,,Lead'),
        error="quote",
    ),
    Case(
        "ten_mb_field",
        "contacts.csv",
        lambda: _lines(CONTACTS, *_good(2), "C9,Ann," + "x" * 10_000_000 + ",big@x.example,,Lead"),
        rows=3,
        dropped_at_least=1,  # the long last name is VALUE_TOO_LONG: cut, and the row lands
    ),
    Case("utf8_bom", "contacts.csv", lambda: b"\xef\xbb\xbf" + _lines(CONTACTS, *_good(5)), rows=5),
    Case(
        "utf16_bom",
        "contacts.csv",
        lambda: "\r\n".join([CONTACTS, *_good(4), ""]).encode("utf-16"),
        rows=4,
    ),
    Case(
        "cp1252_accents",
        "contacts.csv",
        lambda: "\n".join(
            [CONTACTS, _contact(1, first="Zoë"), _contact(2, first="Müller"), ""]
        ).encode("cp1252"),
        rows=2,
    ),
    Case(
        "semicolons",
        "contacts.csv",
        lambda: _lines(CONTACTS.replace(",", ";"), *(r.replace(",", ";") for r in _good(6))),
        rows=6,
    ),
    Case(
        "excel_sep_hint",
        "contacts.csv",
        lambda: (
            b"sep=;\n"
            + _lines(CONTACTS.replace(",", ";"), *(r.replace(",", ";") for r in _good(3)))
        ),
        rows=3,
    ),
    Case(
        "ragged_rows",
        "contacts.csv",
        lambda: _lines(
            CONTACTS, *_good(4), "C8,Ann,Lee", "C9,Ann,Lee,x@x.example,,Lead,extra,more"
        ),
        rows=6,
        rejected_at_least=2,
    ),
    Case(
        "embedded_newlines",
        "contacts.csv",
        lambda: _lines(CONTACTS, '"C1","Ann\nMarie","Lee\r\nJr",ann@x.example,,Lead', *_good(2)),
        rows=3,
    ),
    Case(
        "mixed_line_endings",
        "contacts.csv",
        lambda: (
            CONTACTS + "\r\n" + _contact(1) + "\n" + _contact(2) + "\r" + _contact(3) + "\r\n"
        ).encode(),
        rows=3,
    ),
    Case(
        "blank_lines",
        "contacts.csv",
        lambda: _lines(CONTACTS, _contact(1), "", ",,,,,", _contact(2)),
        rows=4,
        rejected_at_least=2,
    ),
    Case(
        "formula_injection",
        "contacts.csv",
        _formulas,
        rows=7,
        rejected_at_least=3,
        hostile=(*FORMULAS, "=1+1"),
    ),
    Case(
        "script_in_tickets",
        "tickets.csv",
        _scripts,
        rows=4,
        dropped_at_least=2,  # the script as a priority and as a date: left out, rows land
        hostile=(SCRIPT, "<img src=x onerror=alert(2)>"),
    ),
    Case(
        "invisible_characters",
        "contacts.csv",
        lambda: _lines(CONTACTS, "C1,\u202eAnn\u200b,Lee\ufeff,ann1@x.example,,Lead", *_good(2)),
        rows=3,
    ),
    Case(
        "late_bad_byte",
        "contacts.csv",
        lambda: _lines(CONTACTS, *_good(3000)) + b"C9,Ren\xe9,Lee,rene@x.example,,Lead\n",
        rows=3001,
    ),
    Case(
        "no_email_column",
        "contacts.csv",
        lambda: _lines("Name,City", "Ann Lee,Paris", "Bo,Oslo"),
        rows=2,
        rejected_at_least=2,
    ),
)
