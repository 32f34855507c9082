"""Read → map → coerce → extract → validate, for one folder of CRM exports.

The planner gets, per object type, a frame of the rows that survived (columns = HubSpot
property names plus ``_``-prefixed linking columns, index = spreadsheet row number) and every
issue found on the way. Nothing is dropped silently: ``rows`` counts every source row read and
``rows == len(frame) + rejected`` always holds.

Linking columns kept beside the properties:

- ``_<role>`` for each role the mapping gives a column (``_contact_email``, ``_company_name``,
  ``_source_id``, ``_contact_name``, …), holding the column's raw (stripped) text;
- for tickets, ``_emails_in_text`` / ``_phones_in_text``: lists of the emails and E.164 phones
  found in the subject and description, so a requester named only in the body can be linked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from crmkit.issues import RowIssue
from crmkit.killpoints import killpoint
from crmkit.mapping.optionchoices import option_changes, with_added_options
from crmkit.quality import quality_of_file
from crmkit.rejection import absent_required, blank_dropped, settle, with_default_subject
from crmkit.reportmerge import merge_reports

if TYPE_CHECKING:
    from crmkit.io import SourceTable
    from crmkit.mapping.files import MappingSection
    from crmkit.mapping.model import Mapping
    from crmkit.schema import Schema
    from crmkit.sources import Discovery, Overrides, SourceUser
    from crmkit.validate import ValidationReport

SchemaFor = Callable[[str], "Schema"]
"""Gives the schema to map and validate against (a live portal's, or the bundled defaults)."""

EMAILS_IN_TEXT = "_emails_in_text"
PHONES_IN_TEXT = "_phones_in_text"
TEXT_PROPERTIES = {"tickets": ("subject", "content")}
"""Free-text properties searched for a requester's email or phone, per object type."""


@dataclass
class PreparedObject:
    """One object type's file after preparation; ``frame`` holds only rows without errors."""

    object_type: str
    file: str
    rows: int
    frame: pd.DataFrame
    mapping: Mapping
    issues: list[RowIssue] = field(default_factory=list)
    quality: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None
    validation: ValidationReport | None = None
    origins: list[str] = field(default_factory=list)
    """The files stacked into ``frame`` when several hold this type (``crmkit.sources``)."""
    parts: list[PreparedObject] = field(default_factory=list)
    schema_changes: list[dict[str, Any]] = field(default_factory=list)
    """Options the mapping file asks to add to the portal (``crmkit.mapping.optionchoices``)."""

    @property
    def rejected_rows(self) -> set[int]:
        """Spreadsheet rows with at least one error-severity issue."""
        return {issue.row for issue in self.issues if issue.severity == "error"}

    @property
    def rejected(self) -> int:
        return len({(i.file, i.row) for i in self.issues if i.severity == "error"})


@dataclass
class Prepared:
    """Every object type found in a data folder, in write order."""

    data_dir: Path
    objects: dict[str, PreparedObject] = field(default_factory=dict)
    discovery: Discovery | None = None
    """Which file went where, and the files left out with why (``crmkit.sources``)."""
    users: dict[str, SourceUser] = field(default_factory=dict)
    """The source CRM's users by id (Salesforce ``User.csv``, Zendesk agents), for owners."""
    source_notes: list[str] = field(default_factory=list)

    @property
    def issues(self) -> list[RowIssue]:
        return [issue for obj in self.objects.values() for issue in obj.issues]

    @property
    def mappings(self) -> dict[str, Mapping]:
        return {t: obj.mapping for t, obj in self.objects.items()}


def prepare_folder(
    data_dir: str | Path | None,
    *,
    mapping_file: str | Path | None = None,
    schema_for: SchemaFor | None = None,
    region: str = "US",
    chunk_rows: int | None = None,
    sources: Overrides | None = None,
    date_order: str | None = None,
    strict: bool = False,
    discovery: Discovery | None = None,
) -> Prepared:
    """Prepare every file ``data_dir`` holds for companies, contacts and tickets.

    Which files those are is :func:`crmkit.sources.discover`'s decision (names, headers, known
    exports; ``sources`` = the ``--companies/--contacts/--tickets`` files, which win); several
    files of one type are prepared one by one and stacked (:mod:`crmkit.sources.combine`).
    ``date_order`` (``dmy``/``mdy``, the ``--date-order`` option) decides the date columns whose
    day/month order nothing in the file can tell (:mod:`crmkit.coerce.dateorder`).
    ``strict`` rejects a row for any bad value; by default a bad value that does not make the
    row unsafe to write is left out and the row kept (:mod:`crmkit.rejection`).
    ``discovery``: the placement the caller already printed (the CLI), so files are looked at
    once per import; None discovers here.
    """
    from crmkit.mapping.files import check_columns
    from crmkit.sources import combine, discover, read_sources

    discovery = discovery or discover(data_dir, sources)
    found = discovery.object_types()
    schemas = {t: schema_of(t, schema_for) for t in found}
    sections = _sections(mapping_file, schemas)
    prepared = Prepared(discovery.folder, discovery=discovery)
    read = read_sources(discovery)
    prepared.users, prepared.source_notes = read.users, read.notes
    for object_type in found:
        parts = [
            prepare_object(
                table,
                object_type,
                section=sections.get(object_type),
                check_columns=False,
                schema=schemas[object_type],
                region=region,
                chunk_rows=chunk_rows,
                date_order=date_order,
                strict=strict,
            )
            for table in read.tables[object_type]
        ]
        check_columns(sections.get(object_type), {p.file: list(p.mapping.columns) for p in parts})
        prepared.objects[object_type] = combine(parts)
        killpoint("reading")  # tests: a kill while the folder is being read
    return prepared


def object_files(
    data_dir: str | Path | None, sources: Overrides | None = None
) -> tuple[Path, list[str]]:
    """The folder and the object types it holds files for, in write order.

    A missing folder, or one where no file can be placed, is the user's mistake: a
    ConfigError (SourcesError when files are there but cannot be told apart).
    """
    from crmkit.sources import discover

    discovery = discover(data_dir, sources)
    return discovery.folder, discovery.object_types()


def prepare_object(
    path: str | Path | SourceTable,
    object_type: str,
    *,
    section: MappingSection | None = None,
    schema: Schema | None = None,
    region: str = "US",
    chunk_rows: int | None = None,
    date_order: str | None = None,
    check_columns: bool = True,
    strict: bool = False,
) -> PreparedObject:
    """Prepare one file; with ``chunk_rows`` it is read in chunks (flat memory for huge files).

    A column the mapping section names that the file lacks is a MappingError
    (``check_columns=False``: the caller checks it against all the files of the object type).

    The mapping is decided on the first chunk (enumeration values of later chunks are added as
    they appear); uniqueness warnings then hold within a chunk, and the planner dedupes anyway.
    """
    from crmkit.io import SourceTable, iter_csv, read_csv

    schema = schema if schema is not None else schema_of(object_type, None)
    if section is not None and section.options:  # options the analyst chose to add
        schema = with_added_options(schema, section.options)
    tables: Iterable[SourceTable]
    if isinstance(path, SourceTable):  # read already (a workbook, a JSON or shaped export)
        source, tables = path.path, [path]
    else:
        source = Path(path)
        tables = iter_csv(source, chunk_rows=chunk_rows) if chunk_rows else [read_csv(source)]
    parts = _prepare_chunks(tables, object_type, section, schema, region, date_order, strict)
    first = next(parts)
    frames, issues, rows, reports = [first.frame], list(first.issues), first.rows, [first.report]
    mapping = first.mapping
    for part in parts:
        frames.append(part.frame)
        issues.extend(part.issues)
        rows += part.rows
        reports.append(part.report)
        mapping = part.mapping
    frame = pd.concat(frames) if len(frames) > 1 else frames[0]
    if check_columns:
        from crmkit.mapping.files import check_columns as check_named

        check_named(section, {first.name: list(mapping.columns)})
    return PreparedObject(
        object_type=object_type,
        file=first.name,
        rows=rows,
        frame=frame,
        mapping=mapping,
        issues=issues,
        quality=quality_of_file(rows, issues, frame, mapping, schema),
        path=source,
        validation=reports[0] if len(reports) == 1 else merge_reports(reports, rows),
        schema_changes=option_changes(object_type, section.options, frame) if section else [],
    )


@dataclass
class _Part:
    name: str
    rows: int
    frame: pd.DataFrame
    mapping: Mapping
    issues: list[RowIssue]
    report: ValidationReport


def _prepare_chunks(
    tables: Iterable[SourceTable],
    object_type: str,
    section: MappingSection | None,
    schema: Schema,
    region: str,
    date_order: str | None = None,
    strict: bool = False,
) -> Iterator[_Part]:
    from crmkit.coerce import coerce_frame
    from crmkit.mapping.decide import file_mapping
    from crmkit.mapping.unmatched import count_unmatched
    from crmkit.validate import validate_frame

    mapping: Mapping | None = None
    for table in tables:
        raw = table.frame
        if mapping is None:  # the review screen shows this very mapping (crmkit.mapping.decide)
            mapping = file_mapping(raw, object_type, schema, section)
        else:  # later chunks: only option columns can bring new values to map
            mapping = count_unmatched(_more_values(mapping, schema, raw), raw)
        coerced = coerce_frame(
            raw, mapping, schema, file=table.name, region=region, date_order=date_order
        )
        props = coerced.frame
        defaulted: list[RowIssue] = []
        if object_type == "tickets":
            props, defaulted = with_default_subject(
                props, _role_values(raw, mapping, "source_id"), file=table.name
            )
        report = validate_frame(props, object_type, file=table.name, schema=schema)
        full = _with_links(props, raw, mapping, object_type, region)
        prop_of = {c: m.property for c, m in mapping.columns.items() if m.property}
        issues = settle(
            _merge_issues(
                mapping,
                [
                    *table.rejected,
                    *coerced.issues,
                    *defaulted,
                    *report.issues,
                    *absent_required(props, object_type, table.name),
                ],
            ),
            object_type,
            prop_of,
            strict=strict,
        )
        bad = {issue.row for issue in issues if issue.severity == "error"}
        kept = full[~full.index.isin(list(bad))] if bad else full
        kept = blank_dropped(kept, issues, prop_of)
        yield _Part(table.name, table.rows, kept, mapping, issues, report)


def _role_values(raw: pd.DataFrame, mapping: Mapping, role: str) -> pd.Series | None:
    """The raw cells of the column that plays ``role`` (None when no column does)."""
    name = mapping.roles().get(role)
    return raw[name] if name is not None and name in raw.columns else None


def _more_values(mapping: Mapping, schema: Schema, raw: pd.DataFrame) -> Mapping:
    """Map option values first seen in a later chunk; keep earlier unmatched values, samples."""
    from crmkit.mapping.columns import fill_values
    from crmkit.mapping.decide import distinct_values

    grown = fill_values(mapping, schema, distinct_values(raw, _option_columns(mapping, schema)))
    unmatched = {c: list(v) for c, v in mapping.unmatched_values.items()}
    for column, values in grown.unmatched_values.items():
        unmatched[column] = list(dict.fromkeys([*unmatched.get(column, []), *values]))
    return replace(grown, unmatched_values=unmatched, samples=mapping.samples)


def _option_columns(mapping: Mapping, schema: Schema) -> list[str]:
    """Columns mapped onto enumeration properties (their values map onto option values)."""
    out = []
    for column, prop in mapping.mapped().items():
        definition = schema.get(prop)
        if definition is not None and definition.type == "enumeration":
            out.append(column)
    return out


def _with_links(
    props: pd.DataFrame, raw: pd.DataFrame, mapping: Mapping, object_type: str, region: str
) -> pd.DataFrame:
    """The property frame plus the ``_`` linking columns the planner reads."""
    extra: dict[str, pd.Series] = {}
    for role, column in mapping.roles().items():
        extra[f"_{role}"] = raw[column].astype("str").str.strip()
    text_props = [p for p in TEXT_PROPERTIES.get(object_type, ()) if p in props.columns]
    if text_props:
        from crmkit.extract import emails_in, phones_in

        text = props[text_props[0]].astype("str")
        for prop in text_props[1:]:
            text = text + "\n" + props[prop].astype("str")
        extra[EMAILS_IN_TEXT] = emails_in(text)
        from crmkit.coerce.regions import file_regions

        regions = file_regions(raw, mapping.column_for("country"), region)
        extra[PHONES_IN_TEXT] = phones_in(text, regions)
    if not extra:
        return props
    return pd.concat([props, pd.DataFrame(extra, index=props.index)], axis=1)


def _merge_issues(mapping: Mapping, issues: list[RowIssue]) -> list[RowIssue]:
    """One reason per bad cell, the earliest stage's.

    Coercion and validation may see the same cell: the same category is reported once, and a
    cell coercion already rejected (e.g. a malformed email it blanked) gets no second, less
    precise issue from validation (``MISSING_REQUIRED`` for the blank it left).
    """
    prop_of = {c: m.property for c, m in mapping.columns.items() if m.property}
    column_of = {p: c for c, p in prop_of.items()}
    seen: set[tuple[int, str, str]] = set()
    rejected_cells: set[tuple[int, str]] = set()
    out: list[RowIssue] = []
    for issue in issues:
        column = issue.column or ""
        prop = prop_of.get(column, column)
        key = (issue.row, prop, issue.category)
        if key in seen or (issue.stage == "validate" and (issue.row, prop) in rejected_cells):
            continue
        seen.add(key)
        if issue.severity == "error" and issue.stage != "validate":
            rejected_cells.add((issue.row, prop))
        if issue.stage == "validate" and column in column_of:
            # Name the header the user sees in their file, as coercion's issues do.
            issue = replace(issue, column=column_of[column])
        out.append(issue)
    out.sort(key=lambda i: (i.row, i.column or "", i.category))
    return out


def schema_of(object_type: str, schema_for: SchemaFor | None) -> Schema:
    """``schema_for``'s schema, or the bundled defaults when there is no portal to ask."""
    from crmkit.schema import Schema

    return schema_for(object_type) if schema_for is not None else Schema.bundled(object_type)


def _sections(
    mapping_file: str | Path | None, schemas: dict[str, Schema]
) -> dict[str, MappingSection]:
    if mapping_file is None:
        return {}
    from crmkit.mapping import load_mapping_file

    return load_mapping_file(mapping_file, schemas)
