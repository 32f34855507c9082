"""The person-editable mapping file: fix the automatic choice column by column, value by value.

```json
{"version": 1,
 "contacts": {"columns": {"E-mail Address": "email", "Row ID": null},
              "values": {"Lead Status": {"Hot": "IN_PROGRESS"}},
              "roles": {"Account": "company_name"}}}
```
``null`` means "do not import this column"; a value mapped to ``null`` leaves the property
empty on the rows that have it (a source picklist value HubSpot has no option for, such as
Salesforce's "Customer - Direct" account type, no longer rejects those rows). Names are
checked against the schema when the file is loaded, so a typo is a clear :class:`MappingError`
naming the column and close names, never a 400 from HubSpot halfway through an import; and
every column it names must be one of the file's (a mistyped header would otherwise be ignored
without a word), checked against every file of the object type when there are several.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from collections.abc import Mapping as AbcMapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from crmkit import OBJECT_TYPES
from crmkit.errors import MappingError
from crmkit.mapping.model import ROLES, ColumnMatch, Mapping
from crmkit.mapping.normalize import normalize_header
from crmkit.mapping.optionchoices import OptionChoices, parse_options
from crmkit.schema import IMPORT_KEY_PROPERTY, Schema

VERSION = 1
_SECTION_KEYS = {"columns", "values", "roles", "update_policy", "options"}
"""``update_policy`` (column → overwrite | fill-blanks | never) is read by
``crmkit.pipeline.update_policy``."""


@dataclass
class MappingSection:
    """The overrides of one object type, as read from a mapping file."""

    object_type: str
    columns: dict[str, str | None] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    roles: dict[str, str | None] = field(default_factory=dict)
    where: str = "mapping file"
    """The mapping file it was read from, for messages."""
    options: OptionChoices = field(default_factory=dict)
    """Per property, the choice for each unmatched value (:mod:`crmkit.mapping.optionchoices`)."""

    def named_columns(self) -> list[str]:
        """Every column the section names, in the order written."""
        return list(dict.fromkeys([*self.columns, *self.values, *self.roles]))

    def only(self, columns: Iterable[str]) -> MappingSection:
        """The choices about ``columns`` alone: for one of several files of one object type."""
        keep = set(columns)
        return MappingSection(
            self.object_type,
            {c: p for c, p in self.columns.items() if c in keep},
            {c: v for c, v in self.values.items() if c in keep},
            {c: r for c, r in self.roles.items() if c in keep},
            self.where,
            self.options,  # keyed by property: they hold for every file of the type
        )

    def to_json_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"columns": self.columns}
        if self.values:
            out["values"] = {
                c: {raw: (v if v else None) for raw, v in table.items()}
                for c, table in self.values.items()
            }
        if self.roles:
            out["roles"] = self.roles
        if self.options:
            out["options"] = self.options
        return out


def _suggest(name: str, schema: Schema) -> str:
    """ ", did you mean 'x' or 'y'?" from property names and labels close to ``name``."""
    choices = {p.name: p.name for p in schema.writable()}
    choices.update({p.label: p.name for p in schema.writable()})
    hits = process.extract(name, list(choices), scorer=fuzz.WRatio, limit=3, score_cutoff=60)
    names = list(dict.fromkeys(choices[h[0]] for h in hits))
    return f"; did you mean {' or '.join(repr(n) for n in names)}?" if names else ""


def _closest_columns(name: str, columns: Iterable[str]) -> str:
    """ "; did you mean 'x'?" from the file's headers closest to a mistyped one."""
    choices = {normalize_header(c): c for c in columns}
    hits = process.extract(
        normalize_header(name), list(choices), scorer=fuzz.WRatio, limit=2, score_cutoff=70
    )
    names = list(dict.fromkeys(choices[h[0]] for h in hits))
    return f"; did you mean {' or '.join(repr(n) for n in names)}?" if names else ""


def check_columns(section: MappingSection | None, headers: AbcMapping[str, Iterable[str]]) -> None:
    """Every column ``section`` names is a header of at least one file (``{file: headers}``).

    A mapping file naming a column no file has is a MappingError naming it and the closest
    real header: the person meant some column, and ignoring the line would import it wrongly.
    """
    if section is None:
        return
    present = list(dict.fromkeys(str(c) for columns in headers.values() for c in columns))
    files = ", ".join(headers) or "the data"
    for column in section.named_columns():
        if column not in present:
            raise MappingError(
                f"{section.where}, {section.object_type}: column {column!r} is not in {files}"
                f"{_closest_columns(column, present)}"
            )


def _check_property(where: str, column: str, prop: Any, schema: Schema) -> str | None:
    if prop is None:
        return None
    if not isinstance(prop, str) or not prop:
        raise MappingError(f"{where}: column {column!r} must map to a property name or null")
    definition = schema.get(prop)
    if definition is None and prop == IMPORT_KEY_PROPERTY:
        return prop
    if definition is None:
        raise MappingError(
            f"{where}: column {column!r} maps to unknown property {prop!r}{_suggest(prop, schema)}"
        )
    if not definition.writable:
        raise MappingError(
            f"{where}: column {column!r} maps to {prop!r}, which HubSpot sets itself (read-only)"
        )
    return prop


def _check_value(
    where: str, column: str, prop_name: str, raw: str, value: Any, schema: Schema
) -> str:
    if value is None or value == "":
        return ""  # null: leave the property empty on rows with this value
    if not isinstance(value, str):
        raise MappingError(
            f"{where}: value {raw!r} of column {column!r} must map to a string or null"
        )
    prop = schema.get(prop_name)
    if prop is None or prop.type != "enumeration" or not prop.options:
        return value
    allowed = prop.option_values()
    parts = value.split(";") if prop.multi else [value]
    for part in parts:
        if part not in allowed:
            labels = {o.label: o.value for o in prop.options}
            hits = process.extract(part, list(labels) + allowed, scorer=fuzz.WRatio, limit=2)
            close = list(dict.fromkeys(labels.get(h[0], h[0]) for h in hits if h[1] >= 60))
            hint = f"; did you mean {' or '.join(map(repr, close))}?" if close else ""
            raise MappingError(
                f"{where}: value {raw!r} of column {column!r} maps to {part!r}, not an option "
                f"of {prop_name!r}{hint}"
            )
    return value


def parse_section(
    object_type: str, data: Any, schema: Schema | None = None, *, where: str = "mapping"
) -> MappingSection:
    """Validate one object type's section of a mapping file."""
    schema = schema or Schema.bundled(object_type)
    where = f"{where}, {object_type}"
    if not isinstance(data, dict):
        raise MappingError(f"{where}: expected an object with 'columns' and 'values'")
    unknown = set(data) - _SECTION_KEYS
    if unknown:
        raise MappingError(
            f"{where}: unknown key(s) {sorted(unknown)};"
            " allowed: columns, values, roles, update_policy, options"
        )
    columns_in = data.get("columns", {})
    values_in = data.get("values", {})
    roles_in = data.get("roles", {})
    for key, part in (("columns", columns_in), ("values", values_in), ("roles", roles_in)):
        if not isinstance(part, dict):
            raise MappingError(f"{where}: {key!r} must be an object")
    columns = {c: _check_property(where, c, p, schema) for c, p in columns_in.items()}
    values: dict[str, dict[str, str]] = {}
    for col, table in values_in.items():
        if not isinstance(table, dict):
            raise MappingError(f"{where}: values of column {col!r} must be an object")
        prop = columns.get(col)
        values[col] = {
            str(raw): (
                _check_value(where, col, prop, str(raw), v, schema)
                if prop
                else ("" if v is None else v)
            )
            for raw, v in table.items()
        }
    roles: dict[str, str | None] = {}
    for col, role in roles_in.items():
        if role is not None and role not in ROLES:
            raise MappingError(
                f"{where}: column {col!r} has unknown role {role!r}; roles: {', '.join(ROLES)}"
            )
        roles[col] = role
    options = parse_options(where, data.get("options", {}), schema)
    return MappingSection(object_type, columns, values, roles, where.rsplit(", ", 1)[0], options)


def load_mapping_file(
    path: str | Path, schemas: dict[str, Schema] | None = None
) -> dict[str, MappingSection]:
    """Read and validate a mapping file: ``{object_type: MappingSection}``."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise MappingError(f"{p}: mapping file not found") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise MappingError(f"{p}: cannot read the mapping file ({exc})") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise MappingError(
            f"{p}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from exc
    if not isinstance(data, dict):
        raise MappingError(f"{p}: expected a JSON object with one section per object type")
    version = data.get("version", VERSION)
    if version != VERSION:
        raise MappingError(
            f"{p}: unsupported mapping file version {version!r} (expected {VERSION})"
        )
    unknown = set(data) - set(OBJECT_TYPES) - {"version"}
    if unknown:
        raise MappingError(
            f"{p}: unknown section(s) {sorted(unknown)}; expected {', '.join(OBJECT_TYPES)}"
        )
    schemas = schemas or {}
    return {
        t: parse_section(t, data[t], schemas.get(t), where=str(p))
        for t in OBJECT_TYPES
        if t in data
    }


def save_mapping_file(
    path: str | Path,
    mappings: dict[str, Mapping],
    options: AbcMapping[str, OptionChoices] | None = None,
) -> Path:
    """Write mappings as an editable mapping file, the shape :func:`load_mapping_file` reads.

    ``options`` (per object type, the review's choices keyed by property, ``"add"`` among
    them) go in the ``options`` section; the values they decide are left out of ``values``.
    """
    out: dict[str, Any] = {"version": VERSION}
    for object_type in OBJECT_TYPES:
        m = mappings.get(object_type)
        if m is None:
            continue
        chosen = (options or {}).get(object_type, {})
        values = {}
        for column, table in m.values.items():
            decided = (
                chosen.get(m.columns[column].property or "", {}) if column in m.columns else {}
            )
            kept = {raw: v for raw, v in table.items() if raw not in decided}
            if kept:
                values[column] = kept
        section = MappingSection(
            object_type,
            columns=m.to_dict(),
            values=values,
            roles={c: cm.role for c, cm in m.columns.items() if cm.role},
            options={p: dict(t) for p, t in chosen.items() if t},
        )
        out[object_type] = section.to_json_dict()
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return p


def apply_overrides(
    mapping: Mapping, section: MappingSection | None, schema: Schema | None = None
) -> Mapping:
    """A copy of ``mapping`` with a mapping file's choices applied (confidence 1.0, "override").

    A column given a property takes it from any other column that had it; a column given
    ``null`` is not imported. A column the section names that the file does not have is a
    MappingError suggesting the closest header (for several files of one object type, check
    them together with :func:`check_columns` and pass each file ``section.only(its columns)``).
    """
    if section is None:
        return mapping
    check_columns(section, {"the file": list(mapping.columns)})
    draft = _Draft.of(mapping)
    for col, prop in section.columns.items():
        if col in draft.columns:
            draft.give_property(col, prop)
    for col, role in section.roles.items():
        if col in draft.columns:
            draft.give_role(col, role)
    schema = schema or Schema.bundled(mapping.object_type)
    for col, table in section.values.items():
        draft.take_values(col, table, schema)
    return replace(
        mapping,
        columns=draft.columns,
        values=draft.values,
        unmatched_values=draft.unmatched,
        suggestions=draft.suggestions,
        samples=dict(mapping.samples),
    )


@dataclass
class _Draft:
    """The parts of a mapping that overrides change, copied so the original stays as it was."""

    columns: dict[str, ColumnMatch]
    values: dict[str, dict[str, str]]
    unmatched: dict[str, list[str]]
    suggestions: dict[str, dict[str, tuple[str, float]]]

    @classmethod
    def of(cls, mapping: Mapping) -> _Draft:
        return cls(
            dict(mapping.columns),
            {c: dict(v) for c, v in mapping.values.items()},
            {c: list(v) for c, v in mapping.unmatched_values.items()},
            {c: dict(v) for c, v in mapping.suggestions.items()},
        )

    def give_property(self, col: str, prop: str | None) -> None:
        """``col`` imports into ``prop`` (None: not imported), taking it from any other column."""
        if prop is not None:
            for other, m in self.columns.items():
                if other != col and m.property == prop:
                    self.columns[other] = ColumnMatch(
                        other, None, 1.0, f"{prop!r} given to column {col!r} by override", m.role
                    )
        old = self.columns[col]
        if old.property != prop:  # value translations made for the old property no longer hold
            self.values.pop(col, None)
            self.unmatched.pop(col, None)
            self.suggestions.pop(col, None)
        reason = "override" if prop else "override: not imported"
        self.columns[col] = ColumnMatch(col, prop, 1.0, reason, old.role)

    def give_role(self, col: str, role: str | None) -> None:
        """``col`` plays ``role``; a column that played it before no longer does."""
        if role is not None:
            for other, m in self.columns.items():
                if m.role == role and other != col:
                    self.columns[other] = ColumnMatch(other, m.property, m.confidence, m.reason)
        m = self.columns[col]
        self.columns[col] = ColumnMatch(col, m.property, m.confidence, m.reason, role)

    def take_values(self, col: str, table: dict[str, str], schema: Schema) -> None:
        """The file's value table for ``col``: checked, added, and no longer unmatched."""
        target = self.columns[col].property if col in self.columns else None
        if target:
            for raw, v in table.items():
                _check_value("mapping file", col, target, raw, v, schema)
        self.values.setdefault(col, {}).update(table)
        if col in self.unmatched:
            self.unmatched[col] = [v for v in self.unmatched[col] if v not in table]
            if not self.unmatched[col]:
                del self.unmatched[col]
        if col in self.suggestions:
            self.suggestions[col] = {
                r: s for r, s in self.suggestions[col].items() if r not in table
            }
            if not self.suggestions[col]:
                del self.suggestions[col]
