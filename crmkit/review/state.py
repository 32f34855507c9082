"""The mapping review's state, kept apart from its widgets so it is tested without a browser.

The state is, per object type, every file discovery placed there (its automatic mapping on
its own distinct values) plus one :class:`~crmkit.mapping.MappingSection` of the person's
choices. Each file's current mapping is :func:`crmkit.mapping.decide.with_choices` of the two:
the very function ``prepare_folder`` runs, so the screen shows what the import will do, and
the file it saves is an ordinary mapping file. The object type's mapping shown and saved is
its files' mappings together (a column several files share: the first file's match).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from crmkit.errors import ConfigError, MappingError
from crmkit.mapping import (
    Mapping,
    MappingSection,
    check_columns,
    load_mapping_file,
    save_mapping_file,
)
from crmkit.mapping.decide import automatic_mapping, distinct_values, with_choices
from crmkit.mapping.optionchoices import ADD, parse_options, with_added_options
from crmkit.prepare import SchemaFor, schema_of
from crmkit.schema import PropertyDef, Schema

if TYPE_CHECKING:
    from crmkit.io import SourceTable

NOT_IMPORTED = "— not imported —"
NO_OPTION = "— no option: value left out —"
LEAVE_EMPTY = "— leave empty: row kept —"
ADD_TO_PORTAL = "— add to the portal as a new option —"
"""Offered where the portal lets options be edited (``"add"`` in the mapping file)."""
EMPTY = ""
"""A raw value translated to ``""`` leaves the property empty (``null`` in the mapping file)."""
MAX_VALUES_SHOWN = 60
"""Distinct values offered for value mapping per column; more is not a list of options."""


@dataclass(frozen=True)
class UnmatchedValue:
    """A raw value no option takes: how many rows hold it and the likely option, if any."""

    raw: str
    rows: int
    suggestion: str | None = None
    confidence: float | None = None


@dataclass
class FileReview:
    """One file of an object type: its frame, distinct values and automatic mapping."""

    file: str
    frame: pd.DataFrame = field(repr=False)
    distinct: dict[str, list[str]]
    automatic: Mapping


@dataclass
class ObjectReview:
    """One object type under review: each of its files and the person's choices."""

    object_type: str
    schema: Schema
    files: list[FileReview]
    overrides: MappingSection
    _mappings: dict[str, Mapping] | None = field(default=None, repr=False, compare=False)

    @property
    def file(self) -> str:
        """The files' names as the import's summary names them (``a.csv + b.csv``)."""
        return " + ".join(f.file for f in self.files)

    @property
    def automatic(self) -> Mapping:
        return combined([f.automatic for f in self.files])

    @property
    def distinct(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for part in self.files:
            for column, values in part.distinct.items():
                out[column] = list(dict.fromkeys([*out.get(column, []), *values]))
        return out

    def file_mappings(self) -> dict[str, Mapping]:
        """Each file's mapping with the choices made so far: what the import uses for it.

        Options chosen to be added count as options already, as ``prepare_object`` has them.
        """
        if self._mappings is None:
            schema = self.schema
            if self.overrides.options:
                schema = with_added_options(schema, self.overrides.options)
            self._mappings = {}
            for f in self.files:
                automatic = f.automatic
                if schema is not self.schema:
                    automatic = automatic_mapping(f.frame, self.object_type, schema, f.distinct)
                self._mappings[f.file] = with_choices(
                    automatic, self.overrides, schema, f.distinct, f.frame
                )
        return self._mappings

    def current(self) -> Mapping:
        """The object type's mapping with the choices made so far (its files together)."""
        return combined(list(self.file_mappings().values()))

    def changed(self) -> None:
        """Forget the computed mappings after the overrides changed."""
        self._mappings = None

    def is_override(self, column: str) -> bool:
        return column in self.overrides.columns


def combined(mappings: list[Mapping]) -> Mapping:
    """Several files' mappings as one: each column as the first file holding it maps it."""
    first, *rest = mappings
    if not rest:
        return first
    columns, samples = dict(first.columns), dict(first.samples)
    values = {c: dict(v) for c, v in first.values.items()}
    unmatched = {c: list(v) for c, v in first.unmatched_values.items()}
    suggestions = {c: dict(v) for c, v in first.suggestions.items()}
    counts = {c: dict(v) for c, v in first.unmatched_counts.items()}
    for other in rest:
        for column, match in other.columns.items():
            columns.setdefault(column, match)
            samples.setdefault(column, other.samples.get(column, []))
        for column, table in other.values.items():
            values[column] = {**table, **values.get(column, {})}
        for column, raws in other.unmatched_values.items():
            unmatched[column] = list(dict.fromkeys([*unmatched.get(column, []), *raws]))
        for column, guesses in other.suggestions.items():
            suggestions[column] = {**guesses, **suggestions.get(column, {})}
        for column, held in other.unmatched_counts.items():
            rows = counts.setdefault(column, {})
            for raw, n in held.items():
                rows[raw] = rows.get(raw, 0) + n
    return replace(
        first,
        columns=columns,
        values=values,
        unmatched_values=unmatched,
        samples=samples,
        suggestions=suggestions,
        unmatched_counts=counts,
    )


@dataclass
class ReviewState:
    """Every file of a data folder under review, and where its mapping came from."""

    objects: dict[str, ObjectReview] = field(default_factory=dict)
    mapping_file: Path | None = None
    loaded: bool = False
    """True when ``mapping_file`` existed and its choices are applied."""

    @classmethod
    def from_folder(
        cls,
        data_dir: str | Path,
        *,
        mapping_file: str | Path | None = None,
        schema_for: SchemaFor | None = None,
    ) -> ReviewState:
        """Read every file discovery places, map it as the import does, apply the file."""
        from crmkit.sources import discover, read_sources

        discovery = discover(data_dir)
        found = discovery.object_types()
        tables = read_sources(discovery).tables
        schemas = {t: schema_of(t, schema_for) for t in found}
        path = Path(mapping_file) if mapping_file else None
        sections = load_mapping_file(path, schemas) if path and path.is_file() else {}
        state = cls(mapping_file=path, loaded=bool(path and path.is_file()))
        for object_type in found:
            schema = schemas[object_type]
            files = [_file_review(t, object_type, schema) for t in tables[object_type]]
            chosen = sections.get(object_type)
            check_columns(chosen, {f.file: list(f.frame.columns) for f in files})
            section = chosen or MappingSection(object_type)
            state.objects[object_type] = ObjectReview(object_type, schema, files, section)
        return state

    def source_message(self) -> str:
        """Which mapping is in use, in one sentence (the headless notebook prints it)."""
        if self.loaded and self.mapping_file is not None:
            changed = sum(len(o.overrides.columns) for o in self.objects.values())
            return (
                f"Using the saved mapping file {self.mapping_file.name} "
                f"({changed} column choice(s) in it) on top of the automatic mapping."
            )
        if self.mapping_file is not None:
            return (
                f"{self.mapping_file.name} does not exist yet: using the automatic mapping "
                "(Save writes your choices there)."
            )
        return "No mapping file given: using the automatic mapping."

    def review(self, object_type: str) -> ObjectReview:
        try:
            return self.objects[object_type]
        except KeyError:
            raise ConfigError(f"no {object_type}.csv under review") from None

    def mappings(self) -> dict[str, Mapping]:
        """The current mapping of every file."""
        return {t: o.current() for t, o in self.objects.items()}

    # -- choices ---------------------------------------------------------------------------

    def set_property(self, object_type: str, column: str, prop: str | None) -> None:
        """Map ``column`` onto ``prop`` (None: do not import it); another holder lets go."""
        obj = self.review(object_type)
        if column not in obj.automatic.columns:
            raise MappingError(f"{obj.file} has no column {column!r}")
        if prop is not None:
            definition = obj.schema.get(prop)
            if definition is None or not definition.writable:
                raise MappingError(f"{prop!r} is not a writable {object_type} property")
        before = obj.current().columns[column].property
        columns = obj.overrides.columns
        if prop is not None:
            for other, chosen in list(columns.items()):
                if other != column and chosen == prop:
                    columns[other] = None
        columns[column] = prop
        if prop != before:
            obj.overrides.values.pop(column, None)
        obj.changed()

    def set_value(self, object_type: str, column: str, raw: str, option: str | None) -> None:
        """Translate one raw value of an enumeration column.

        ``option`` is an option value, ``EMPTY`` (keep the row, leave the property empty),
        ``ADD`` (add it to the portal as a new option, where :meth:`can_add`) or None (no
        choice: back to the automatic match; with none the value is left out, reported).
        """
        obj = self.review(object_type)
        values = obj.overrides.values
        prop = self.property_of(object_type, column)
        known = option in (None, ADD, EMPTY) or (
            prop is not None and option in prop.option_values()
        )
        if not known or (option == EMPTY and prop is None):
            raise MappingError(f"{option!r} is not an option of the property of {column!r}")
        if option == ADD:
            if prop is None:
                raise MappingError(f"{column!r} is not mapped onto an enumeration")
            parse_options(f"{obj.file}, {column!r}", {prop.name: {raw: ADD}}, obj.schema)
        chosen = obj.overrides.options
        if prop is not None:  # the value's earlier choice of the options section lets go
            chosen.get(prop.name, {}).pop(raw, None)
            if prop.name in chosen and not chosen[prop.name]:
                del chosen[prop.name]
        values.get(column, {}).pop(raw, None)
        if column in values and not values[column]:
            del values[column]
        if option == ADD and prop is not None:
            chosen.setdefault(prop.name, {})[raw] = ADD
        elif option is not None:
            values.setdefault(column, {})[raw] = option
        obj.changed()

    def can_add(self, object_type: str, column: str) -> bool:
        """Whether the portal lets a value of ``column`` be added as a new option."""
        prop = self.property_of(object_type, column)
        if prop is None or prop.type != "enumeration":
            return False
        try:
            parse_options("review", {prop.name: {"x": ADD}}, self.review(object_type).schema)
        except MappingError:
            return False
        return True

    # -- what the screen shows -------------------------------------------------------------

    def property_choices(self, object_type: str) -> list[tuple[str, str | None]]:
        """Dropdown options: "not imported", then writable properties by label."""
        schema = self.review(object_type).schema
        props = sorted(schema.writable(), key=lambda p: (p.label.lower(), p.name))
        return [(NOT_IMPORTED, None), *((f"{p.label} ({p.name})", p.name) for p in props)]

    def property_of(self, object_type: str, column: str) -> PropertyDef | None:
        obj = self.review(object_type)
        name = obj.current().columns[column].property
        return obj.schema.get(name) if name else None

    def value_rows(self, object_type: str, column: str) -> list[tuple[str, str | None]]:
        """(raw value, option, ``EMPTY`` or None) for an enumeration column, else []."""
        prop = self.property_of(object_type, column)
        if prop is None or prop.type != "enumeration" or not prop.options:
            return []
        current = self.review(object_type).current()
        mapped = current.values.get(column, {})
        added = self.review(object_type).overrides.options.get(prop.name, {})
        misses = [u.raw for u in self.unmatched(object_type, column)]  # most rows first
        raws = [v for v in self.review(object_type).distinct.get(column, []) if v.strip()]
        raws = list(dict.fromkeys([*misses, *raws]))
        return [
            (raw, ADD if added.get(raw) == ADD else mapped.get(raw))
            for raw in raws[:MAX_VALUES_SHOWN]
        ]

    def unmatched(self, object_type: str, column: str) -> list[UnmatchedValue]:
        """The column's values no option takes yet, most rows first, each with its suggestion."""
        current = self.review(object_type).current()
        counts = current.unmatched_counts.get(column, {})
        guesses = current.suggestions.get(column, {})
        found = [
            UnmatchedValue(raw, counts.get(raw, 0), *guesses.get(raw, (None, None)))
            for raw in current.unmatched_values.get(column, [])
            if raw.strip()
        ]
        return sorted(found, key=lambda u: (-u.rows, u.raw))

    def accept_suggestion(self, object_type: str, column: str, raw: str | None = None) -> int:
        """Take the suggested option for ``raw`` (None: for every value with a suggestion).

        Returns how many values were translated; a choice made before is never replaced.
        """
        taken = 0
        for value in self.unmatched(object_type, column):
            if value.suggestion is not None and raw in (None, value.raw):
                self.set_value(object_type, column, value.raw, value.suggestion)
                taken += 1
        return taken

    def value_choices(self, object_type: str, column: str) -> list[tuple[str, str | None]]:
        """Dropdown options for one raw value: "no option", "leave empty", the options."""
        prop = self.property_of(object_type, column)
        if prop is None:
            return []
        options = [(f"{o.label} ({o.value})", o.value) for o in prop.options]
        add = [(ADD_TO_PORTAL, ADD)] if self.can_add(object_type, column) else []
        return [(NO_OPTION, None), (LEAVE_EMPTY, EMPTY), *add, *options]

    def save(self, path: str | Path | None = None) -> Path:
        """Write the current mappings as a mapping file (default: the one under review)."""
        target = Path(path) if path else self.mapping_file
        if target is None:
            raise ConfigError("no mapping file path given to save to")
        options = {t: o.overrides.options for t, o in self.objects.items()}
        written = save_mapping_file(target, self.mappings(), options)
        self.mapping_file = written
        return written


def _file_review(source: SourceTable | Path, object_type: str, schema: Schema) -> FileReview:
    """A file read whole, as ``prepare_folder`` reads it when not asked for chunks."""
    from crmkit.io import SourceTable, read_csv

    table = source if isinstance(source, SourceTable) else read_csv(source)
    distinct = distinct_values(table.frame)
    automatic = automatic_mapping(table.frame, object_type, schema, distinct)
    return FileReview(table.name, table.frame, distinct, automatic)
