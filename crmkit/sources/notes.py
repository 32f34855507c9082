"""Notes: a notes column, Salesforce's ``Note.csv`` and Zendesk's ticket comments, as HubSpot notes.

Each becomes a ``notes`` record (``hs_note_body``, ``hs_timestamp`` from the source) upserted by
``crmkit_import_key`` — ``note:id:<system>:<id>`` when the source numbers its notes, else a hash of
the parent's key, the time and the text — so a re-run creates none twice, and a link to its
record (note → contact 202, → company 190, → ticket 228) that the association stage makes.
They are planned after the records (a note needs its parent's upsert key), counted in
report.json under ``objects.notes`` and archived by a rollback like any created record.

A note whose parent was not planned (a rejected row, an object crmkit does not import) is
rejected with ``NOTE_PARENT_NOT_FOUND``; a time that cannot be read takes the parent row's
``createdate`` when it has one, else the run's start, and is reported (``NOTE_TIME_DEFAULTED``).
The first Zendesk comment repeats the ticket's description (its ``content``) and is not a note.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pandas as pd

from crmkit.issues import RowIssue
from crmkit.plan.keys import SOURCE_ID, keys_for
from crmkit.plan.model import ImportPlan, PlannedLink, PlannedRecord
from crmkit.schema import IMPORT_KEY_PROPERTY
from crmkit.sources.jsonrecords import JSON_SUFFIXES

NOTE_COLUMNS = ("note", "notes", "comment", "comments", "remarks", "remark")
MAX_BODY = 65_536


@dataclass(frozen=True)
class _Note:
    file: str
    row: int
    body: str
    when: str
    parent_id: str | None = None  # the source CRM's id of the parent record
    parent_key: str | None = None  # or the parent's upsert key, when known already
    parent_type: str | None = None
    note_id: str | None = None  # e.g. "salesforce:00T…", "zendesk:123"


def plan_notes(prepared: Any, plan: ImportPlan, *, now: float | None = None) -> None:
    """Add the notes of a prepared folder to ``plan`` (records, links, issues, counts)."""
    notes = list(_collect(prepared))
    if not notes:
        return
    by_id = _parents(prepared, plan)
    planned = {t: {r.key for r in recs} for t, recs in plan.records.items()}
    default_when = _iso(pd.Timestamp(now if now is not None else time.time(), unit="s", tz="UTC"))
    records: dict[str, PlannedRecord] = {}
    links: list[PlannedLink] = []
    rejected = duplicates = 0
    for note in notes:
        parent = (note.parent_type, note.parent_key) if note.parent_key else None
        if parent is None and note.parent_id:
            parent = by_id.get(note.parent_id)
        if parent is None or parent[1] not in planned.get(str(parent[0]), ()):
            rejected += 1
            plan.issues.append(
                RowIssue(note.file, note.row, "plan", "NOTE_PARENT_NOT_FOUND",
                         f"the note's record ({note.parent_id or 'this row'}) is not imported; "
                         "the note has nowhere to go", value=note.parent_id)
            )  # fmt: skip
            continue
        parent_type, parent_key = parent
        when = _when(note.when)
        if when is None:
            when = default_when
            plan.issues.append(
                RowIssue(note.file, note.row, "plan", "NOTE_TIME_DEFAULTED",
                         f"note time {note.when!r} is not a date; {when} used", value=note.when,
                         severity="warning")
            )  # fmt: skip
        key = _key(note, str(parent_key), _when(note.when) or "")  # never the run's time
        if key in records:
            duplicates += 1
            records[key].source_rows.append((note.file, note.row))
            continue
        props = {"hs_note_body": note.body[:MAX_BODY], "hs_timestamp": when}
        props[IMPORT_KEY_PROPERTY] = key
        records[key] = PlannedRecord(
            "notes", key, IMPORT_KEY_PROPERTY, props, [(note.file, note.row)]
        )
        links.append(PlannedLink("notes", key, str(parent_type), str(parent_key), "note_parent"))
    plan.records["notes"] = list(records.values())
    plan.links.extend(links)
    plan.rows["notes"] = len(notes)
    plan.rejected["notes"] = rejected
    plan.duplicates["notes"] = duplicates
    plan.files["notes"] = " + ".join(dict.fromkeys(n.file for n in notes))


def _iso(stamp: pd.Timestamp) -> str:
    return stamp.strftime("%Y-%m-%dT%H:%M:%SZ")


def _when(text: str) -> str | None:
    if not text.strip():
        return None
    stamp = pd.to_datetime(text.strip(), utc=True, errors="coerce")
    return None if pd.isna(stamp) else _iso(stamp)


def _key(note: _Note, parent_key: str, when: str) -> str:
    if note.note_id:
        return f"note:id:{note.note_id}"
    text = "\x1f".join((parent_key, when, " ".join(note.body.split())))
    return "note:sha:" + hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()


def _parents(prepared: Any, plan: ImportPlan) -> dict[str, tuple[str, str]]:
    """Source CRM id → (object type, planned upsert key), over every prepared file."""
    planned = {t: {r.key for r in recs} for t, recs in plan.records.items()}
    out: dict[str, tuple[str, str]] = {}
    for object_type, obj in prepared.objects.items():
        for part in getattr(obj, "parts", None) or [obj]:
            frame = part.frame
            if SOURCE_ID not in frame.columns:
                continue
            ids = frame[SOURCE_ID].fillna("").astype(str).str.strip()
            for sid, key in zip(ids.tolist(), keys_for(object_type, frame).tolist(), strict=True):
                if sid and key in planned.get(object_type, ()):
                    out.setdefault(sid, (object_type, key))
    return out


def _collect(prepared: Any) -> Iterator[_Note]:
    discovery = getattr(prepared, "discovery", None)
    yield from _note_columns(prepared)
    if discovery is None:
        return
    for source in discovery.of("notes"):
        yield from _salesforce_notes(source)
    for source in discovery.of("tickets"):
        if source.system == "zendesk" and source.path.suffix.lower() in (
            ".json",
            ".ndjson",
            ".jsonl",
        ):
            yield from _zendesk_comments(source)


def _note_columns(prepared: Any) -> Iterator[_Note]:
    """Cells of a column named like notes that the mapping left without a property."""
    from crmkit.io import read_table

    for object_type, obj in prepared.objects.items():
        for part in getattr(obj, "parts", None) or [obj]:
            mapping, path = getattr(part, "mapping", None), getattr(part, "path", None)
            if mapping is None or path is None or path.suffix.lower() in JSON_SUFFIXES:
                continue  # a JSON export's notes are its comments (see _zendesk_comments)
            columns = [
                c for c, m in mapping.columns.items()
                if m.property is None and m.role is None and c.strip().lower() in NOTE_COLUMNS
            ]  # fmt: skip
            if not columns:
                continue
            sheet = part.file.split(":", 1)[1] if ":" in part.file else None
            raw = read_table(path if sheet is None else f"{path}:{sheet}").frame
            keys = keys_for(object_type, part.frame)
            when = part.frame["createdate"] if "createdate" in part.frame.columns else None
            for label, key in zip(keys.index.tolist(), keys.tolist(), strict=True):
                for column in columns:
                    body = str(raw.at[label, column]).strip() if label in raw.index else ""
                    if body and key:
                        stamp = "" if when is None else str(when.get(label, "") or "")
                        yield _Note(part.file, int(label), body, stamp, parent_key=key,
                                    parent_type=object_type)  # fmt: skip


def _salesforce_notes(source: Any) -> Iterator[_Note]:
    from crmkit.io import read_table

    table = read_table(source.spec)
    frame = table.frame
    for label, row in frame.iterrows():
        title = str(row.get("Title", "")).strip()
        body = str(row.get("Body", "")).strip()
        text = f"{title}\n\n{body}".strip() if title and body else (title or body)
        if not text:
            continue
        yield _Note(
            table.name, int(label), text, str(row.get("CreatedDate", "")),  # type: ignore[call-overload]
            parent_id=str(row.get("ParentId", "")).strip() or None,
            note_id=f"salesforce:{row['Id']}" if str(row.get("Id", "")).strip() else None,
        )  # fmt: skip


def _zendesk_comments(source: Any) -> Iterator[_Note]:
    from crmkit.sources.jsonrecords import read_records

    for row, ticket in read_records(source.path):
        comments = ticket.get("comments") or []
        if not isinstance(comments, list):
            continue
        description = " ".join(str(ticket.get("description") or "").split())
        for n, comment in enumerate(comments):
            if not isinstance(comment, dict):
                continue
            body = str(comment.get("plain_body") or comment.get("body") or "").strip()
            if not body or (n == 0 and " ".join(body.split()) == description):
                continue
            cid = comment.get("id")
            yield _Note(
                source.path.name, row, body, str(comment.get("created_at") or ""),
                parent_key=f"ticket:id:{ticket.get('id')}", parent_type="tickets",
                note_id=f"zendesk:{cid}" if cid not in (None, "") else None,
            )  # fmt: skip
