"""The mapping review's state, kept apart from its widgets so it is tested without a browser.

The state is the automatic mapping (``auto_map`` on the file's columns and distinct values, as
``prepare_folder`` does it) plus a :class:`~crmkit.mapping.MappingSection` of the person's
choices. The current mapping is always ``apply_overrides`` of the two, then ``fill_values``
for columns moved onto an enumeration: the very functions the import runs, so the screen
shows what the import will do, and the file it saves is an ordinary mapping file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from crmkit.errors import ConfigError, MappingError
from crmkit.mapping import (
    Mapping,
    MappingSection,
    apply_overrides,
    auto_map,
    check_columns,
    fill_values,
    load_mapping_file,
    save_mapping_file,
)
from crmkit.prepare import SchemaFor, schema_of
from crmkit.schema import PropertyDef, Schema

if TYPE_CHECKING:
    from crmkit.io import SourceTable

NOT_IMPORTED = "— not imported —"
NO_OPTION = "— no option: row rejected —"
LEAVE_EMPTY = "— leave empty: row kept —"
EMPTY = ""
"""A raw value translated to ``""`` leaves the property empty (``null`` in the mapping file)."""
MAX_VALUES_SHOWN = 60
"""Distinct values offered for value mapping per column; more is not a list of options."""


@dataclass
class ObjectReview:
    """One file under review: its automatic mapping, its distinct values and the overrides."""

    object_type: str
    file: str
    schema: Schema
    automatic: Mapping
    distinct: dict[str, list[str]]
    overrides: MappingSection
    _current: Mapping | None = field(default=None, repr=False, compare=False)

    def current(self) -> Mapping:
        """The mapping the import would use with the choices made so far."""
        if self._current is None:
            applied = apply_overrides(self.automatic, self.overrides, self.schema)
            self._current = fill_values(applied, self.schema, self.distinct)
        return self._current

    def changed(self) -> None:
        """Forget the computed mapping after the overrides changed."""
        self._current = None

    def is_override(self, column: str) -> bool:
        return column in self.overrides.columns


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
        """Read each CSV's header and distinct values, map automatically, apply the file."""
        from crmkit.sources import discover, read_sources

        discovery = discover(data_dir)
        found = discovery.object_types()
        tables = read_sources(discovery).tables
        schemas = {t: schema_of(t, schema_for) for t in found}
        path = Path(mapping_file) if mapping_file else None
        sections = load_mapping_file(path, schemas) if path and path.is_file() else {}
        state = cls(mapping_file=path, loaded=bool(path and path.is_file()))
        for object_type in found:
            table = _first_table(tables[object_type][0])
            raw = table.frame
            distinct = {str(c): [str(v) for v in raw[c].unique()] for c in raw.columns}
            schema = schemas[object_type]
            automatic = auto_map(list(raw.columns), object_type, schema, distinct)
            chosen = sections.get(object_type)
            if chosen is not None:
                others = [_first_table(t) for t in tables[object_type][1:]]
                headers = {t.name: list(t.frame.columns) for t in [table, *others]}
                check_columns(chosen, headers)
            section = chosen.only(raw.columns) if chosen else MappingSection(object_type)
            state.objects[object_type] = ObjectReview(
                object_type, table.name, schema, automatic, distinct, section
            )
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

        ``option`` is an option value, ``EMPTY`` (keep the row, leave the property empty) or
        None (no choice: back to the automatic match, which may be none: row rejected).
        """
        obj = self.review(object_type)
        values = obj.overrides.values
        if option is None:
            values.get(column, {}).pop(raw, None)
            if column in values and not values[column]:
                del values[column]
            obj.changed()
            return
        prop = self.property_of(object_type, column)
        if prop is None or (option != EMPTY and option not in prop.option_values()):
            raise MappingError(f"{option!r} is not an option of the property of {column!r}")
        values.setdefault(column, {})[raw] = option
        obj.changed()

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
        raws = [v for v in self.review(object_type).distinct.get(column, []) if v.strip()]
        return [(raw, mapped.get(raw)) for raw in raws[:MAX_VALUES_SHOWN]]

    def value_choices(self, object_type: str, column: str) -> list[tuple[str, str | None]]:
        """Dropdown options for one raw value: "no option", "leave empty", the options."""
        prop = self.property_of(object_type, column)
        if prop is None:
            return []
        options = [(f"{o.label} ({o.value})", o.value) for o in prop.options]
        return [(NO_OPTION, None), (LEAVE_EMPTY, EMPTY), *options]

    def save(self, path: str | Path | None = None) -> Path:
        """Write the current mappings as a mapping file (default: the one under review)."""
        target = Path(path) if path else self.mapping_file
        if target is None:
            raise ConfigError("no mapping file path given to save to")
        written = save_mapping_file(target, self.mappings())
        self.mapping_file = written
        return written


def _first_table(source: SourceTable | Path) -> SourceTable:
    """The review screen shows one file per object type: the first one discovery placed."""
    from crmkit.io import SourceTable, read_csv

    return source if isinstance(source, SourceTable) else read_csv(source)
