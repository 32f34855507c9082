"""The plan's data model: what will be written, linked and reported, before any request.

The plan is the dry run's output (``plan.json``) and the import's input; ``from_json`` reads it
back so a resumed run works from exactly the plan the first run made.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from crmkit import RECORD_TYPES
from crmkit.issues import RowIssue
from crmkit.plan.gcpause import paused_gc

PLAN_VERSION = 1


@dataclass(slots=True)
class PlannedRecord:
    """One record to upsert, merged from one or more source rows.

    ``key`` is the upsert key value (the contact's email, else the ``crmkit_import_key``
    value); ``source_rows`` lists ``(file, row)`` with the primary row first, merged duplicates
    after. ``origin`` is ``"ticket"`` for a contact that only a ticket's requester email named.
    """

    object_type: str
    key: str
    id_property: str
    properties: dict[str, str]
    source_rows: list[tuple[str, int]]
    origin: str = "file"

    def to_dict(self) -> dict[str, Any]:
        return {
            "object_type": self.object_type,
            "key": self.key,
            "id_property": self.id_property,
            "properties": self.properties,
            "source_rows": [[f, r] for f, r in self.source_rows],
            "origin": self.origin,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PlannedRecord:
        return cls(
            object_type=data["object_type"],
            key=data["key"],
            id_property=data["id_property"],
            properties=dict(data["properties"]),
            source_rows=[(str(f), int(r)) for f, r in data["source_rows"]],
            origin=data.get("origin", "file"),
        )


@dataclass(slots=True)
class PlannedLink:
    """An association between two planned records, by key (ids exist only at import time).

    ``reason`` says how the link was found: ``domain``, ``name``, ``fuzzy_name``,
    ``email_column``, ``email_in_body``, ``phone_in_body`` or ``via_contact``; ``score`` is the
    fuzzy score.
    """

    from_type: str
    from_key: str
    to_type: str
    to_key: str
    reason: str
    score: float | None = None

    @property
    def kind(self) -> str:
        """``"contacts->companies"`` style name of the association kind."""
        return f"{self.from_type}->{self.to_type}"

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "from_type": self.from_type,
            "from_key": self.from_key,
            "to_type": self.to_type,
            "to_key": self.to_key,
            "reason": self.reason,
        }
        if self.score is not None:
            out["score"] = self.score
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PlannedLink:
        score = data.get("score")
        return cls(
            from_type=data["from_type"],
            from_key=data["from_key"],
            to_type=data["to_type"],
            to_key=data["to_key"],
            reason=data["reason"],
            score=None if score is None else float(score),
        )


def _empty_counts() -> dict[str, int]:
    return {}


@dataclass
class ImportPlan:
    """Everything the import will do, and every row it will not, per object type.

    Accounting per object type: ``rows = rejected + duplicates + records from the file``
    (records with ``origin == "file"``); contacts created from tickets come on top.
    """

    records: dict[str, list[PlannedRecord]]
    links: list[PlannedLink]
    issues: list[RowIssue]
    rows: dict[str, int]
    duplicates: dict[str, int]
    quality: dict[str, dict[str, Any]]
    rejected: dict[str, int] = field(default_factory=_empty_counts)
    files: dict[str, str] = field(default_factory=dict)
    sources: dict[str, Any] = field(default_factory=dict)
    """Which file went where and which were left out (``crmkit.sources.Discovery.to_dict``)."""
    columns: dict[str, dict[str, str | None]] = field(default_factory=dict)
    """Per object type, each source column's property (None = not imported)."""
    decisions: list[dict[str, Any]] = field(default_factory=list)
    """File-level decisions (columns not imported, guesses, file-wide defaults): values.csv."""
    suggestions: dict[str, dict[str, dict[str, dict[str, Any]]]] = field(default_factory=dict)
    """Per object type and property, unmatched values' likely option, too unsure to apply:
    ``{raw: {"option", "confidence"}}`` (``Mapping.suggestions``), for the analyst to accept."""
    schema_changes: list[dict[str, Any]] = field(default_factory=list)
    """Options to add to the portal before writing (``crmkit.pipeline.schemachanges``)."""

    def file_types(self) -> dict[str, str]:
        """``{file name: object type}``; several files of one type are named ``a + b``."""
        return {name: t for t, files in self.files.items() for name in files.split(" + ")}

    def unmatched(self) -> dict[str, dict[str, dict[str, int]]]:
        """Per object type and property, each value that matched no option, with its rows.

        This is the option drift the analyst decides on: map the value, leave it empty, or add
        it to the portal (the mapping file's ``options`` section).
        """
        type_of = self.file_types()
        out: dict[str, dict[str, dict[str, int]]] = {}
        for issue in self.issues:
            if issue.category != "INVALID_OPTION" or issue.file not in type_of:
                continue
            object_type = type_of[issue.file]
            column = issue.column or ""
            prop = self.columns.get(object_type, {}).get(column) or column
            values = out.setdefault(object_type, {}).setdefault(prop, {})
            value = issue.value or ""
            values[value] = values.get(value, 0) + 1
        return out

    def from_file(self, object_type: str) -> int:
        """Records of this type that came from its own file (not created from tickets)."""
        return sum(1 for r in self.records.get(object_type, []) if r.origin == "file")

    def from_tickets(self, object_type: str) -> int:
        """Records of this type created from tickets' requester emails."""
        return sum(1 for r in self.records.get(object_type, []) if r.origin == "ticket")

    def summary(self) -> dict[str, Any]:
        """Small counts for people and reports: records, duplicates, links, warnings."""
        objects: dict[str, dict[str, int]] = {}
        present = self.rows.keys() | self.records.keys()
        for object_type in [t for t in RECORD_TYPES if t in present]:
            objects[object_type] = {
                "rows": self.rows.get(object_type, 0),
                "records": self.from_file(object_type),
                "created_from_tickets": self.from_tickets(object_type),
                "duplicates": self.duplicates.get(object_type, 0),
                "rejected": self.rejected.get(object_type, 0),
            }
        links = Counter(link.kind for link in self.links)
        reasons = Counter(f"{link.kind}:{link.reason}" for link in self.links)
        warnings = Counter(i.category for i in self.issues if i.severity == "warning")
        errors = Counter(i.category for i in self.issues if i.severity == "error")
        return {
            "objects": objects,
            "links": dict(sorted(links.items())),
            "links_by_reason": dict(sorted(reasons.items())),
            "warnings": dict(sorted(warnings.items())),
            "errors": dict(sorted(errors.items())),
        }

    def _head(self) -> dict[str, Any]:
        """The small top-level keys, shared by ``to_dict`` and the streamed ``save``."""
        return {
            "version": PLAN_VERSION,
            "summary": self.summary(),
            "rows": self.rows,
            "rejected": self.rejected,
            "duplicates": self.duplicates,
            "quality": self.quality,
            "files": self.files,
            "sources": self.sources,
            "columns": self.columns,
            "decisions": self.decisions,
            "unmatched": self.unmatched(),
            "suggestions": self.suggestions,
            "schema_changes": self.schema_changes,
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            **self._head(),
            "records": {t: [r.to_dict() for r in recs] for t, recs in self.records.items()},
            "links": [link.to_dict() for link in self.links],
            "issues": [i.to_dict() for i in self.issues],
        }

    def to_json(self, *, indent: int | None = None) -> str:
        """The plan as JSON text: ``save``'s layout, or ``json.dumps``'s with an ``indent``."""
        if indent is not None:
            return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)
        with paused_gc():
            return "".join(self._json_parts())

    def save(self, path: str | Path) -> Path:
        """Write ``plan.json``: one JSON document, one line per top-level key and per item.

        A record, link or issue per line keeps a million-record plan readable (``grep``,
        ``less``) and lets the C encoder do the work: ``json.dump`` to a file, or any
        ``indent``, runs the pure-Python encoder, several times slower. Written in chunks, so
        the text never exists as one giant string.
        """
        target = Path(path)
        with paused_gc(), target.open("w", encoding="utf-8") as handle:
            for part in self._json_parts():
                handle.write(part)
        return target

    def _json_parts(self) -> Iterator[str]:
        """The pieces of the document, each a few MB at most."""
        encode = json.JSONEncoder(ensure_ascii=False).encode
        head = self._head()
        yield "{" + ",\n".join(f"{encode(k)}: {encode(v)}" for k, v in head.items())
        yield ',\n"records": {'
        for n, (object_type, records) in enumerate(self.records.items()):
            yield f"{',' if n else ''}\n{encode(object_type)}: "
            yield from _json_list(encode, (r.to_dict() for r in records), "object_type")
        yield '},\n"links": '
        yield from _json_list(encode, (link.to_dict() for link in self.links), "from_type")
        yield ',\n"issues": '
        yield from _json_list(encode, (i.to_dict() for i in self.issues), "file")
        yield "}\n"

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ImportPlan:
        return cls(
            records={
                t: [PlannedRecord.from_dict(r) for r in recs]
                for t, recs in data.get("records", {}).items()
            },
            links=[PlannedLink.from_dict(x) for x in data.get("links", [])],
            issues=[RowIssue(**x) for x in data.get("issues", [])],
            rows={k: int(v) for k, v in data.get("rows", {}).items()},
            duplicates={k: int(v) for k, v in data.get("duplicates", {}).items()},
            quality=dict(data.get("quality", {})),
            rejected={k: int(v) for k, v in data.get("rejected", {}).items()},
            files=dict(data.get("files", {})),
            sources=dict(data.get("sources", {})),
            columns={t: dict(c) for t, c in data.get("columns", {}).items()},
            decisions=[dict(d) for d in data.get("decisions", [])],
            suggestions={t: dict(s) for t, s in data.get("suggestions", {}).items()},
            schema_changes=[dict(c) for c in data.get("schema_changes", [])],
        )

    @classmethod
    def from_json(cls, text: str) -> ImportPlan:
        with paused_gc():
            return cls.from_dict(json.loads(text))

    @classmethod
    def load(cls, path: str | Path) -> ImportPlan:
        """Read a ``plan.json`` (any JSON layout of the same document)."""
        with paused_gc(), Path(path).open(encoding="utf-8") as handle:
            return cls.from_dict(json.load(handle))


_CHUNK = 5_000
"""Items encoded per write: a few MB of text."""


def _json_list(
    encode: Callable[[Any], str], items: Iterable[dict[str, Any]], first_key: str
) -> Iterator[str]:
    """A JSON array of dicts, one per line, yielded a chunk at a time."""
    it = iter(items)
    chunk = list(islice(it, _CHUNK))
    if not chunk:
        yield "[]"
        return
    yield "[\n"
    while chunk:
        text = _one_per_line(encode, chunk, first_key)
        chunk = list(islice(it, _CHUNK))
        yield text + (",\n" if chunk else "\n]")


def _one_per_line(encode: Callable[[Any], str], chunk: list[dict[str, Any]], first_key: str) -> str:
    """The chunk's items, ``,\n``-separated, encoded in one call (a call per item is 1.6x slower).

    Every item is a dict whose first key is ``first_key``, so items meet at
    ``}, {"<first_key>": ``. That text cannot come from inside a value: a quote in a string
    is escaped, and a string's closing quote is followed by ``,`` ``:`` ``}`` or ``]``, never
    by a letter. The split is still checked by its count; on a mismatch each item is encoded
    on its own.
    """
    joint = "}, {" + encode(first_key) + ": "
    text = encode(chunk)[1:-1].replace(joint, "},\n{" + encode(first_key) + ": ")
    if text.count("\n") == len(chunk) - 1:
        return text
    return ",\n".join(map(encode, chunk))
