"""From discovered sources to ``SourceTable``s per object type, and the source CRM's users.

Most files are read as they are (``crmkit.io.read_table``, ``read_json``). Export files get the
little their system needs to mean in HubSpot what they meant there:

- Salesforce ``Lead.csv``: contacts with lifecycle stage ``lead`` (a column added when the file
  has none); ``User.csv`` is the directory ``OwnerId`` resolves through.
- Zendesk's files: see :mod:`crmkit.sources.zendesk` (agents are the owner directory).

Relations stay ids (``AccountId``, ``ContactId``, ``requester_id``, ``organization_id``): the
mapping gives them linking roles and the planner links by them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from crmkit.io import SourceTable, header_notes
from crmkit.sources.discover import Discovery, Source
from crmkit.sources.jsonrecords import is_json, read_json

LIFECYCLE_COLUMN = "Lifecycle Stage"


@dataclass(frozen=True)
class SourceUser:
    """A user of the source CRM that records name as their owner."""

    id: str
    email: str
    name: str


@dataclass
class SourceTables:
    """Tables per object type (several files each, in discovery order), users, notes."""

    tables: dict[str, list[SourceTable | Path]] = field(default_factory=dict)
    """A plain CSV stays a path: ``prepare_object`` reads it (in chunks when asked)."""
    users: dict[str, SourceUser] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    """Decisions taken while reading (printed and reported with discovery's)."""


def read_sources(discovery: Discovery) -> SourceTables:
    out = SourceTables()
    for source in discovery.of("owners"):
        out.users.update(_users(read_source(source)))
    for object_type in discovery.object_types():
        for source in discovery.of(object_type):
            if _plain_csv(source):  # read later, in chunks; what its header needs said, now
                out.notes.extend(f"{source.path.name}: {n}" for n in header_notes(source.path))
                out.tables.setdefault(object_type, []).append(source.path)
                continue
            table = _shaped(source, read_source(source), out)
            out.notes.extend(f"{table.name}: {note}" for note in table.notes)
            out.tables.setdefault(object_type, []).append(table)
    return out


def _plain_csv(source: Source) -> bool:
    shaped = source.system == "zendesk" or (
        source.system == "salesforce" and source.path.stem.lower() == "lead"
    )
    return source.path.suffix.lower() in (".csv", ".txt", ".tsv") and not shaped


def read_source(source: Source) -> SourceTable:
    from crmkit.io import read_table

    return read_json(source.path) if is_json(source.path) else read_table(source.spec)


def _shaped(source: Source, table: SourceTable, out: SourceTables) -> SourceTable:
    stem = source.path.stem.lower()
    if source.system == "salesforce" and stem == "lead":
        return with_lifecycle(table, "lead")
    if source.system == "zendesk":
        from crmkit.sources import zendesk

        return zendesk.shape(source.path, table, lambda staff: out.users.update(_users(staff)))
    return table


def with_lifecycle(table: SourceTable, stage: str) -> SourceTable:
    """Every row gets lifecycle stage ``stage`` unless the file says its own."""
    lowered = {str(c).strip().lower().replace("_", " ") for c in table.frame.columns}
    if {"lifecycle stage", "lifecyclestage"} & lowered:
        return table
    frame = table.frame.copy()
    frame[LIFECYCLE_COLUMN] = stage
    note = f"every row imported with lifecycle stage {stage!r} (column {LIFECYCLE_COLUMN!r} added)"
    table.notes.append(note)
    table.frame = frame
    return table


def _users(table: SourceTable) -> dict[str, SourceUser]:
    """Id → user from a Salesforce ``User.csv``, a Zendesk users file or an owners file."""
    import pandas as pd

    frame = table.frame
    cols = {str(c).strip().lower().replace("_", "").replace(" ", ""): c for c in frame.columns}

    def col(*names: str) -> pd.Series:
        for n in names:
            if n in cols:
                return frame[cols[n]].astype(str).str.strip()
        return pd.Series("", index=frame.index, dtype=object)

    ids, emails = col("id", "userid", "ownerid"), col("email", "emailaddress")
    names = col("name", "fullname")
    first, last = col("firstname"), col("lastname")
    full = (first + " " + last).str.strip()
    names = names.where(names != "", full)
    out: dict[str, SourceUser] = {}
    for i, e, n in zip(ids.tolist(), emails.tolist(), names.tolist(), strict=True):
        if i:
            out[i] = SourceUser(i, e, n)
    return out
