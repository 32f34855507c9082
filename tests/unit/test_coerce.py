"""Coercion into HubSpot formats: every type, column-level decisions, and failures as issues."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from crmkit.coerce import coerce_frame
from crmkit.coerce.dateorder import decide_order
from crmkit.coerce.dates import DateOrder, parse_datetime
from crmkit.coerce.numbers import decimal_comma, format_number, parse_bool, parse_number
from crmkit.coerce.text import MAX_VALUE_CHARS, domain_of, split_full_name
from crmkit.mapping import Mapping, auto_map
from crmkit.mapping.model import ColumnMatch
from crmkit.schema import Schema


def _coerce(object_type: str, columns: dict[str, list[str]], region: str = "US"):  # type: ignore[no-untyped-def]
    """Map the columns automatically and coerce them; index = spreadsheet rows from 2."""
    n = len(next(iter(columns.values())))
    frame = pd.DataFrame(columns, index=pd.Index(range(2, n + 2), name="row"))
    mapping = auto_map(list(frame.columns), object_type, samples=frame)
    return coerce_frame(frame, mapping, Schema.bundled(object_type), file="f.csv", region=region)


@pytest.mark.parametrize(
    ("column", "values", "expected"),
    [
        ("Birthdate", ["2024-03-15", "1999-12-31"], ["2024-03-15", "1999-12-31"]),
        ("Birthdate", ["15/03/2024", "03/04/2024"], ["2024-03-15", "2024-04-03"]),  # day first
        ("Birthdate", ["03/15/2024", "03/04/2024"], ["2024-03-15", "2024-03-04"]),  # month first
        ("Birthdate", ["03/03/2024", "12/12/2024"], ["2024-03-03", "2024-12-12"]),  # either way
        ("Birthdate", ["15.03.2024", "03.04.2024"], ["2024-03-15", "2024-04-03"]),
        ("Birthdate", ["Mar 15, 2024", "15 March 2024"], ["2024-03-15", "2024-03-15"]),
        ("Birthdate", ["45366", "20240315"], ["2024-03-15", "2024-03-15"]),  # Excel, compact
        ("Birthdate", ["2024/03/15 10:30", "3/15/24"], ["2024-03-15", "2024-03-15"]),
    ],
)
def test_date_property(column: str, values: list[str], expected: list[str]) -> None:
    """``date`` properties become YYYY-MM-DD (midnight UTC) from many real formats."""
    result = _coerce("contacts", {column: values})
    assert result.frame["date_of_birth"].tolist() == expected
    assert result.issues == []


def test_ambiguous_dates_are_reported_never_guessed() -> None:
    """With nothing in the file to tell the order, each ambiguous value is left out and
    reported (a warning: the row lands); the run's region is no evidence for dates."""
    result = _coerce("contacts", {"Birthdate": ["03/04/2024", "05/05/2024"]}, region="US")
    assert result.frame["date_of_birth"].tolist() == ["", "2024-05-05"]
    [issue] = result.issues
    assert (issue.row, issue.category, issue.severity) == (2, "AMBIGUOUS_DATE", "warning")
    assert "--date-order" in issue.message and "undecided" in result.notes["Birthdate"]


def _coerce_with(columns: dict[str, list[str]], date_order: str | None = None):  # type: ignore[no-untyped-def]
    n = len(next(iter(columns.values())))
    frame = pd.DataFrame(columns, index=pd.Index(range(2, n + 2), name="row"))
    mapping = auto_map(list(frame.columns), "contacts", samples=frame)
    schema = Schema.bundled("contacts")
    return coerce_frame(frame, mapping, schema, file="f.csv", date_order=date_order)


@pytest.mark.parametrize(
    ("columns", "date_order", "expected", "evidence"),
    [
        # another date column of the file has a day above 12: the file writes day first
        ({"Birthdate": ["03/04/2024"], "Created": ["25/12/2023"]}, None, "2024-04-03", "column"),
        ({"Birthdate": ["03/04/2024"], "Created": ["12/25/2023"]}, None, "2024-03-04", "column"),
        # the rows' country: UK day first, US month first
        ({"Birthdate": ["03/04/2024"], "Country": ["United Kingdom"]}, None, "2024-04-03", "GB"),
        ({"Birthdate": ["03/04/2024"], "Country": ["USA"]}, None, "2024-03-04", "US"),
        # the option decides what the file cannot
        ({"Birthdate": ["03/04/2024"]}, "dmy", "2024-04-03", "--date-order"),
        ({"Birthdate": ["03/04/2024"]}, "mdy", "2024-03-04", "--date-order"),
        # the file's own evidence beats the option
        ({"Birthdate": ["03/04/2024", "13/04/2024"]}, "mdy", "2024-04-03", "above 12"),
    ],
)
def test_ambiguous_dates_decided_from_the_file(
    columns: dict[str, list[str]], date_order: str | None, expected: str, evidence: str
) -> None:
    """Other date columns, then the rows' country, then --date-order decide; said in notes."""
    result = _coerce_with(columns, date_order)
    assert result.frame["date_of_birth"].tolist()[0] == expected
    assert not [i for i in result.issues if i.category == "AMBIGUOUS_DATE"]
    assert evidence in result.notes["Birthdate"]


def test_countries_that_disagree_decide_nothing() -> None:
    """A file of UK and US rows cannot say how it writes dates: reported, not guessed."""
    result = _coerce_with({"Birthdate": ["03/04/2024", "03/04/2024"], "Country": ["UK", "US"]})
    assert result.frame["date_of_birth"].tolist() == ["", ""]
    assert {i.category for i in result.issues} == {"AMBIGUOUS_DATE"}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-03-15", "2024-03-15T00:00:00Z"),
        ("2024-03-15 10:30", "2024-03-15T10:30:00Z"),
        ("2024-03-15T10:30:00+02:00", "2024-03-15T08:30:00Z"),
        ("2024-03-15T10:30:00.250Z", "2024-03-15T10:30:00.250Z"),
        ("03/15/2024 4:05 PM", "2024-03-15T16:05:00Z"),
        ("Mar 15, 2024 10:30", "2024-03-15T10:30:00Z"),
        ("1710460800000", "2024-03-15T00:00:00Z"),
        ("1710460800", "2024-03-15T00:00:00Z"),
    ],
)
def test_datetime_property(raw: str, expected: str) -> None:
    """``datetime`` properties become ISO-8601 UTC."""
    result = _coerce("tickets", {"Opened On": [raw]})
    assert result.frame["createdate"].tolist() == [expected]
    assert result.issues == []


@pytest.mark.parametrize(
    "raw", ["nope", "31/31/2024", "2024-02-30", "0024-01-01", "12", "March", "1/2", "99999"]
)
def test_bad_dates_are_row_errors_not_exceptions(raw: str) -> None:
    """An unreadable date is an INVALID_DATE error naming row, column and value; kept as written."""
    result = _coerce("contacts", {"Birthdate": [raw, "2024-01-01"]})
    assert result.frame["date_of_birth"].tolist() == [raw, "2024-01-01"]
    [issue] = result.issues
    assert (issue.row, issue.column, issue.value) == (2, "Birthdate", raw)
    assert (issue.stage, issue.category, issue.severity) == ("coerce", "INVALID_DATE", "error")


def test_decide_order_evidence() -> None:
    """The day/month decision uses every value of the column."""
    assert decide_order(["01/02/2024", "25/02/2024"]).day_first is True
    assert decide_order(["01/02/2024", "02/25/2024"]).day_first is False
    assert decide_order(["01.02.2024"]).day_first is True
    assert parse_datetime("2024-03-15", DateOrder(False, "")) is not None


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["1,234.50", "$1,200", "12"], ["1234.5", "1200", "12"]),
        (["1.234,50", "12,5", "€ 3 400"], ["1234.5", "12.5", "3400"]),
        (["(500)", "-42", "1.2M", "3k", "12%"], ["-500", "-42", "1200000", "3000", "12"]),
        (["1.234.567", "0.5", "USD 99"], ["1234567", "0.5", "99"]),
    ],
)
def test_number_property(values: list[str], expected: list[str]) -> None:
    """Numbers in US, EU and currency formats become plain decimal strings."""
    result = _coerce("companies", {"Annual Revenue": values})
    assert result.frame["annualrevenue"].tolist() == expected
    assert result.issues == []


@pytest.mark.parametrize("raw", ["lots", "12.5", "-3", "1,2,3,4x"])
def test_bad_employee_counts(raw: str) -> None:
    """numberofemployees must be a whole, non-negative number; otherwise INVALID_NUMBER."""
    result = _coerce("companies", {"Employees": [raw]})
    assert result.frame["numberofemployees"].tolist() == [raw]
    assert [i.category for i in result.issues] == ["INVALID_NUMBER"]


@pytest.mark.parametrize(
    ("text", "comma", "expected"),
    [
        ("1,234", False, Decimal("1234")),
        ("1,234", True, Decimal("1.234")),
        ("1'234.5", False, Decimal("1234.5")),
        ("abc", False, None),
        ("", False, None),
        ("1.2.3,4", False, None),
    ],
)
def test_parse_number(text: str, comma: bool, expected: Decimal | None) -> None:
    """parse_number honours the column's decimal separator."""
    assert parse_number(text, comma) == expected


def test_decimal_comma_detection_and_format() -> None:
    """One value with a decimal comma decides the column; output has no exponent."""
    assert decimal_comma(["1,234", "12,5"]) is True
    assert decimal_comma(["1,234", "1,000,000"]) is False
    assert format_number(Decimal("1.2E+3")) == "1200"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("Yes", "true"), ("y", "true"), ("TRUE", "true"), ("1", "true"), ("x", "true"),
     ("no", "false"), ("N", "false"), ("0", "false"), ("False", "false"), ("maybe", None)],
)  # fmt: skip
def test_parse_bool(raw: str, expected: str | None) -> None:
    """Yes/no in its many spellings."""
    assert parse_bool(raw) == expected


def test_bool_property_and_failure() -> None:
    """Bool columns become true/false; anything else is an INVALID_BOOL error."""
    result = _coerce("companies", {"Is Public": ["Yes", "no", "perhaps", ""]})
    assert result.frame["is_public"].tolist() == ["true", "false", "perhaps", ""]
    [issue] = result.issues
    assert (issue.category, issue.row, issue.severity) == ("INVALID_BOOL", 4, "error")


def test_enumerations_through_mapping_values_and_errors() -> None:
    """Options by value, label or synonym; unmatched values are row errors (never sent)."""
    result = _coerce(
        "tickets",
        {
            "Subject": ["a", "b", "c", "d"],
            "Priority": ["High", "Hi", "urgent!", "Whenever"],
            "Status": ["Closed", "Open", "Pending", "Limbo"],
        },
    )
    assert result.frame["hs_ticket_priority"].tolist() == ["HIGH", "HIGH", "URGENT", "Whenever"]
    assert result.frame["hs_pipeline_stage"].tolist() == ["4", "1", "2", "Limbo"]
    assert {i.row for i in result.issues} == {5}
    by_column = {i.column: i for i in result.issues}
    assert by_column["Priority"].category == "INVALID_OPTION"
    assert by_column["Priority"].severity == "error"
    assert by_column["Status"].severity == "error"
    assert "allowed options" in by_column["Status"].message


def test_enum_value_override_is_used() -> None:
    """A value translation in the mapping wins over the automatic one."""
    frame = pd.DataFrame({"Priority": ["Hi"]}, index=pd.Index([2], name="row"))
    mapping = auto_map(["Priority"], "tickets")
    mapping.values["Priority"] = {"Hi": "LOW"}
    result = coerce_frame(frame, mapping, Schema.bundled("tickets"), file="t.csv")
    assert result.frame["hs_ticket_priority"].tolist() == ["LOW"]


def test_multi_select() -> None:
    """Multi-select cells split on ; or , and join with ; — a bad part is named in the error."""
    result = _coerce("contacts", {"Buying Role": ["Champion, End User", "Champion; Wizard", ""]})
    assert result.frame["hs_buying_role"].tolist()[0] == "CHAMPION;END_USER"
    [issue] = result.issues
    assert (issue.row, issue.category, issue.severity) == (3, "INVALID_OPTION", "error")
    assert "'Wizard'" in issue.message and "'Champion'" not in issue.message


def test_emails() -> None:
    """Emails are normalised and lower-cased; an invalid one rejects the contact row."""
    result = _coerce("contacts", {"E-mail Address": [" Ann@Example.COM ", "bad@", "x@@y.com", ""]})
    assert result.frame["email"].tolist() == ["ann@example.com", "bad@", "x@@y.com", ""]
    assert [(i.row, i.category, i.severity) for i in result.issues] == [
        (3, "INVALID_EMAIL", "error"),
        (4, "INVALID_EMAIL", "error"),
    ]


def test_phones() -> None:
    """Phones become E.164 with the extension kept; unreadable ones stay as is, with a warning."""
    result = _coerce(
        "contacts", {"Phone": ["(312) 555-0147 ext. 204", "+44 20 7946 0958", "ask reception"]}
    )
    assert result.frame["phone"].tolist() == [
        "+13125550147 ext. 204",
        "+442079460958",
        "ask reception",
    ]
    [issue] = result.issues
    assert (issue.category, issue.severity) == ("INVALID_PHONE", "warning")


def test_phone_region() -> None:
    """National numbers are read in the given region."""
    result = _coerce("contacts", {"Phone": ["01 23 45 67 89"]}, region="FR")
    assert result.frame["phone"].tolist() == ["+33123456789"]


def test_company_domain_derived_from_website() -> None:
    """Without a Domain column, a company's domain comes from its website (or an email in it)."""
    result = _coerce(
        "companies",
        {"Website": ["https://www.Acme.com/about", "info@globex.co.uk", "not a site", ""]},
    )
    assert result.frame["domain"].tolist() == ["acme.com", "globex.co.uk", "", ""]
    assert result.frame["website"].tolist()[1] == "globex.co.uk"


def test_company_domain_column_normalised_and_filled_from_website() -> None:
    """A Domain column is normalised; blanks are filled from the website; junk is reported."""
    result = _coerce(
        "companies",
        {"Domain": ["WWW.Initech.com", "", "???"], "Website": ["", "http://umbrella.io:8080", ""]},
    )
    assert result.frame["domain"].tolist() == ["initech.com", "umbrella.io", ""]
    assert [i.category for i in result.issues] == ["INVALID_DOMAIN"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https://www.acme.com/x?y=1", "acme.com"),
        ("HTTP://Sub.Acme.COM:443/", "sub.acme.com"),
        ("acme.com.", "acme.com"),
        ("jane@Acme.com", "acme.com"),
        ("www2.acme.com", "acme.com"),
        ("localhost", None),
        ("", None),
        ("not a domain", None),
    ],
)
def test_domain_of(raw: str, expected: str | None) -> None:
    """domain_of strips scheme, www, path, port and case."""
    assert domain_of(raw) == expected


def test_strings_trimmed_and_long_values_cut() -> None:
    """Strings trimmed, whitespace normalised; textarea keeps line breaks; too long = cut, and
    an error (crmkit.rejection lands the row with the cut value, --strict rejects it)."""
    long = "x" * (MAX_VALUE_CHARS + 10)
    result = _coerce(
        "tickets",
        {
            "Subject": ["  Printer   on fire ", long],
            "Description": ["line 1  \r\n\r\n\r\n\r\nline 2", ""],
        },
    )
    assert result.frame["subject"].tolist()[0] == "Printer on fire"
    assert len(result.frame["subject"].tolist()[1]) == MAX_VALUE_CHARS
    assert result.frame["content"].tolist()[0] == "line 1\n\nline 2"
    [issue] = result.issues
    assert issue.category == "VALUE_TOO_LONG" and len(issue.value or "") == 200
    assert issue.severity == "error"


def test_full_name_split_when_no_name_columns() -> None:
    """A contacts' full-name column fills firstname/lastname when the file has none."""
    result = _coerce("contacts", {"Full Name": ["Doe, Jane", "John Q. Smith", "Cher"]})
    assert result.frame["firstname"].tolist() == ["Jane", "John Q.", "Cher"]
    assert result.frame["lastname"].tolist() == ["Doe", "Smith", ""]
    assert split_full_name("  ") == ("", "")


def test_output_shape_and_index() -> None:
    """Output columns are property names only; index and row count are the input's."""
    frame = pd.DataFrame(
        {"Id": ["7", "8"], "E-mail": ["a@b.co", "c@d.co"], "Notes?": ["x", "y"]},
        index=pd.Index([10, 11], name="row"),
    )
    mapping = auto_map(list(frame.columns), "contacts")
    result = coerce_frame(frame, mapping, Schema.bundled("contacts"), file="c.csv")
    assert list(result.frame.columns) == ["email"]
    assert result.frame.index.tolist() == [10, 11] and result.frame.index.name == "row"


def test_unknown_property_in_mapping_is_skipped() -> None:
    """A mapping naming a property the schema lacks cannot crash coercion."""
    frame = pd.DataFrame({"A": ["1"]}, index=pd.Index([2], name="row"))
    mapping = Mapping("contacts", {"A": ColumnMatch("A", "no_such_property", 1.0, "override")})
    result = coerce_frame(frame, mapping, Schema.bundled("contacts"), file="c.csv")
    assert result.frame.empty and result.issues == []


def test_repeated_values_are_converted_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Conversion runs per distinct value, not per row."""
    import crmkit.coerce.converters as converters

    calls: list[str] = []
    real = converters._bool_converter

    def counting(raw: str):  # type: ignore[no-untyped-def]
        calls.append(raw)
        return real(raw)

    monkeypatch.setattr(converters, "_bool_converter", counting)
    result = _coerce("companies", {"Is Public": ["yes", "no"] * 500})
    assert sorted(calls) == ["no", "yes"]
    assert (result.frame["is_public"] == "true").sum() == 500


@pytest.mark.parametrize(
    "raw",
    [
        "ann@example.com", "A.B@Ex.COM", "a_b+tag@x.io", "a%b@sub.x.co.uk", "a@1.com",
        "a@x.test", "a@localhost", "a..b@x.io", ".a@x.io", "a.@x.io", "a@-x.io", "a@x-.io",
        "a@xn--bcher-kva.example", "a@b.c", "a@x.c0m", "é@x.io", "a b@x.io", "a@x..io",
        "x" * 65 + "@x.io", "a@" + "d" * 64 + ".io",
    ],
)  # fmt: skip
def test_plain_email_fast_path_agrees_with_validator(raw: str) -> None:
    """The fast path only accepts what email-validator accepts, with the same result."""
    from crmkit.coerce.converters import plain_email
    from crmkit.extract import normalize_email

    fast = plain_email(raw)
    if fast is not None:
        slow = normalize_email(raw)
        assert slow is not None and slow.lower() == fast


def test_plain_email_fast_path_takes_common_addresses() -> None:
    """Ordinary addresses take the fast path; special-use domains do not."""
    from crmkit.coerce.converters import plain_email

    assert plain_email(" Ann.Lee@Example.COM ") == "ann.lee@example.com"
    assert plain_email("a@x.test") is None


def test_date_order_option_is_checked() -> None:
    """--date-order takes dmy or mdy; anything else is a ConfigError before any work."""
    from crmkit.errors import ConfigError
    from crmkit.pipeline import ImportOptions

    assert ImportOptions(data_dir=Path("d"), date_order="dmy").validated().date_order == "dmy"
    with pytest.raises(ConfigError, match="dmy, mdy"):
        ImportOptions(data_dir=Path("d"), date_order="ymd").validated()
