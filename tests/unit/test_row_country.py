"""The rows' country as evidence: phone numbers in ticket text, and the order of dates."""

from __future__ import annotations

from pathlib import Path

from crmkit.prepare import PHONES_IN_TEXT, prepare_object


def test_phones_in_ticket_text_read_by_the_requesters_country(tmp_path: Path) -> None:
    """A national number in a ticket body is read with that row's country, not the run's."""
    path = tmp_path / "tickets.csv"
    path.write_text(
        "Subject,Description,Requester Country\n"
        "Call me,please ring 020 7946 0321 today,United Kingdom\n"
        "Call me,please ring (415) 555-0132 today,USA\n",
        encoding="utf-8",
    )
    obj = prepare_object(path, "tickets")
    phones = obj.frame[PHONES_IN_TEXT].tolist()
    assert phones == [["+442079460321"], ["+14155550132"]]


def test_a_uk_file_reads_03_04_as_april(tmp_path: Path) -> None:
    """Issue 9: a UK file's 03/04/2024 was silently read month first; the rows' country
    decides now, and the decision is in the notes a reviewer reads."""
    path = tmp_path / "contacts.csv"
    path.write_text(
        "Email,Birthdate,Country\na@example.com,03/04/1990,UK\nb@example.com,05/06/1985,UK\n",
        encoding="utf-8",
    )
    obj = prepare_object(path, "contacts")
    assert obj.frame["date_of_birth"].tolist() == ["1990-04-03", "1985-06-05"]
    assert not obj.issues
