"""Automatic column → property mapping, with a confidence and a reason a person can check.

Each column collects candidate properties (exact name, label, synonym, fuzzy similarity, and a
look at its values); then candidates are granted best first so one property is filled by one
column only. Read-only and calculated properties are never targets; ids and row numbers are left
out on purpose and said so, but keep a linking role for the planner.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from collections.abc import Mapping as AbcMapping
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz, process

from crmkit.mapping.model import ColumnMatch, Mapping
from crmkit.mapping.normalize import compact, normalize_header
from crmkit.mapping.synonyms import (
    FALLBACK,
    OWN_PREFIXES,
    ROLE_OF_PROPERTY,
    column_lookup,
    kind_of_unimported,
    role_lookup,
)
from crmkit.mapping.values import map_values
from crmkit.schema import IMPORT_KEY_PROPERTY, PropertyDef, Schema, check_object_type

FUZZY_THRESHOLD = 86.0
FUZZY_SHORT_THRESHOLD = 92.0
SAMPLE_SHOWN = 5
_SNIFF_VALUES = 200
_NEST_SPLIT = re.compile(r"\s+[-–—>|]\s+")


@dataclass(frozen=True)
class _Candidate:
    prop: str
    confidence: float
    reason: str


def _looks_like(values: Sequence[str]) -> str | None:
    """ "email" when most sampled values are email addresses (for a header that says nothing)."""
    vals = [v.strip() for v in values[:_SNIFF_VALUES] if v and v.strip()]
    if len(vals) < 3:
        return None
    emails = sum(1 for v in vals if "@" in v and " " not in v and "." in v.split("@")[-1])
    return "email" if emails / len(vals) >= 0.8 else None


class _Matcher:
    """Candidate properties for headers of one object type against one schema."""

    def __init__(self, object_type: str, schema: Schema) -> None:
        self.object_type = object_type
        self.schema = schema
        # Owner/team ids live outside the schema: only a mapping file may target them.
        targets = [
            p
            for p in schema
            if p.writable
            and p.name != IMPORT_KEY_PROPERTY
            and not (p.external_options and not p.options)
        ]
        self.targets = {p.name: p for p in targets}
        self.by_name = {p.name.lower(): p.name for p in targets}
        self.by_compact: dict[str, str] = {}
        for p in targets:
            self.by_compact.setdefault(compact(p.name), p.name)
        # Labels and synonyms are keyed by their compact form so "LinkedIn URL" (camelCase
        # split: "linked in url") still equals the synonym "linkedin url".
        self.by_label: dict[str, str] = {}
        for p in targets:
            self.by_label.setdefault(compact(p.label), p.name)
        self.read_only = {
            key: p for p in schema if not p.writable for key in (compact(p.label), compact(p.name))
        }
        self.synonyms: dict[str, str] = {}
        for key, prop in column_lookup(object_type).items():
            if prop in self.targets:
                self.synonyms.setdefault(key.replace(" ", ""), prop)
        # Fuzzy choices: labels, names and synonym headers, each pointing at its property.
        self.choices: list[str] = []
        self.choice_info: list[tuple[str, str]] = []
        for p in targets:
            self._add_choice(normalize_header(p.label), p.name, f"label {p.label!r}")
            self._add_choice(normalize_header(p.name), p.name, f"name {p.name!r}")
        for key, prop in column_lookup(object_type).items():
            if prop in self.targets:
                self._add_choice(key, prop, f"synonym {key!r}")

    def _add_choice(self, text: str, prop: str, what: str) -> None:
        if text:
            self.choices.append(text)
            self.choice_info.append((prop, what))

    def exact(self, column: str) -> _Candidate | None:
        """Exact name, label or synonym; also tries the header without an own-object prefix."""
        norm, key = normalize_header(column), compact(column)
        if column.strip().lower() in self.by_name:
            return _Candidate(self.by_name[column.strip().lower()], 1.0, "exact name")
        if key in self.by_compact:
            return _Candidate(self.by_compact[key], 0.98, "name")
        if key in self.by_label:
            return _Candidate(self.by_label[key], 0.97, "label")
        if key in self.synonyms:
            return _Candidate(self.synonyms[key], 0.95, "synonym")
        for prefix in OWN_PREFIXES.get(self.object_type, ()):
            if norm.startswith(prefix + " "):
                rest = norm[len(prefix) + 1 :].replace(" ", "")
                hit = self.by_label.get(rest) or self.synonyms.get(rest)
                if hit:
                    return _Candidate(hit, 0.9, f"synonym after prefix {prefix!r}")
        return self._nested(column)

    def _nested(self, column: str) -> _Candidate | None:
        """Nested headers of the own object, "Person - Phone - Mobile" (Pipedrive style).

        The parts after the object's name are tried joined, in reverse order ("mobile phone")
        and the last alone ("Organization - Address - Country" → country), each also without a
        repeated object name ("Organization - Organization created" → created). Another
        object's fields ("Organization - Address" in a people export) are never taken.
        """
        parts = [normalize_header(p) for p in _NEST_SPLIT.split(column)]
        parts = [p for p in parts if p]
        prefixes = OWN_PREFIXES.get(self.object_type, ())
        if len(parts) < 2 or parts[0] not in prefixes:
            return None
        rest = parts[1:]
        tries = [" ".join(rest), " ".join(reversed(rest[-2:])), rest[-1]]
        for text in list(tries):
            for prefix in prefixes:
                if text.startswith(prefix + " "):
                    tries.append(text[len(prefix) + 1 :])
        for text in tries:
            key = text.replace(" ", "")
            hit = self.by_label.get(key) or self.synonyms.get(key)
            if hit:
                return _Candidate(hit, 0.88, f"synonym {text!r} in nested header")
        return None

    def fuzzy(self, column: str) -> list[_Candidate]:
        norm = normalize_header(column)
        if not norm or not self.choices:
            return []
        out: dict[str, _Candidate] = {}
        # Short headers are easy to confuse ("name" ~ "fname"): ask more of them.
        cutoff = FUZZY_THRESHOLD if len(norm) >= 6 else FUZZY_SHORT_THRESHOLD
        hits = process.extract(
            norm, self.choices, scorer=fuzz.token_sort_ratio, limit=6, score_cutoff=cutoff
        )
        for _choice, score, idx in hits:
            prop, what = self.choice_info[idx]
            if prop not in out:
                conf = round(0.9 * score / 100, 3)
                out[prop] = _Candidate(prop, conf, f"fuzzy {score / 100:.2f} on {what}")
        return sorted(out.values(), key=lambda c: -c.confidence)

    def read_only_hit(self, column: str) -> PropertyDef | None:
        return self.read_only.get(compact(column))


def _candidates(
    m: _Matcher, column: str, samples: Sequence[str]
) -> tuple[list[_Candidate], ColumnMatch | None]:
    """Candidates for one column, or a final decision (ids, read-only, row numbers)."""
    exact = m.exact(column)
    if exact is not None and exact.prop in ("hubspot_owner_id", "hubspot_team_id"):
        exact = None  # an owner column holds emails or names: crmkit.sources.owners resolves it
    if exact is None:
        skip = kind_of_unimported(m.object_type, column)
        if skip is not None:
            reason, role = skip
            return [], ColumnMatch(column, None, 0.9, reason, role)
        ro = m.read_only_hit(column)
        if ro is not None:
            why = "calculated" if ro.calculated else "read-only"
            return [], ColumnMatch(
                column, None, 0.9, f"{why} property {ro.label!r} ({ro.name}): not imported"
            )
    cands = [exact] if exact else []
    if not cands and normalize_header(column) not in role_lookup(m.object_type):
        cands = m.fuzzy(column)  # a known linking header ("Name", "Requester") is not fuzzed
    sniffed = _looks_like(samples)
    if sniffed and sniffed in m.targets and all(c.prop != sniffed for c in cands):
        cands.append(_Candidate(sniffed, 0.7 if not cands else 0.6, "values look like emails"))
    # A second phone-like column can fall back to a sibling property.
    for c in list(cands):
        for alt in FALLBACK.get((m.object_type, c.prop), ()):
            if alt in m.targets and all(x.prop != alt for x in cands):
                cands.append(
                    _Candidate(alt, round(c.confidence * 0.8, 3), f"{c.reason}; {c.prop} taken")
                )
    return cands, None


def _as_samples(samples: Any, columns: Sequence[str]) -> dict[str, list[str]]:
    """Samples as ``{column: [values]}`` from a dict of lists or a DataFrame."""
    if samples is None:
        return {}
    if hasattr(samples, "columns") and hasattr(samples, "__getitem__"):
        return {c: [str(v) for v in samples[c].tolist()] for c in columns if c in samples.columns}
    if isinstance(samples, AbcMapping):
        return {c: [str(v) for v in samples[c]] for c in columns if c in samples}
    raise TypeError("samples must be a DataFrame or a {column: values} mapping")


def auto_map(
    columns: Iterable[str],
    object_type: str,
    schema: Schema | None = None,
    samples: Any = None,
) -> Mapping:
    """Map each column onto a property of ``object_type`` (or none), saying how sure and why.

    ``schema`` defaults to HubSpot's bundled defaults; pass a live portal's schema to include its
    custom properties. ``samples`` (a DataFrame or ``{column: values}``) lets values confirm a
    header and maps enumeration values onto option values.
    """
    check_object_type(object_type)
    schema = schema or Schema.bundled(object_type)
    cols = list(dict.fromkeys(columns))
    sample_map = _as_samples(samples, cols)
    matcher = _Matcher(object_type, schema)

    decided: dict[str, ColumnMatch] = {}
    pending: list[tuple[float, int, str, _Candidate]] = []
    for pos, col in enumerate(cols):
        cands, final = _candidates(matcher, col, sample_map.get(col, []))
        if final is not None:
            decided[col] = final
        for c in cands:
            pending.append((-c.confidence, pos, col, c))

    # Grant best first: a property goes to its most confident column; the others move on.
    claimed: dict[str, str] = {}
    for _neg, _pos, col, cand in sorted(pending, key=lambda t: (t[0], t[1])):
        if col in decided or cand.prop in claimed:
            continue
        claimed[cand.prop] = col
        decided[col] = ColumnMatch(col, cand.prop, cand.confidence, cand.reason)

    for col in cols:
        if col in decided:
            continue
        wanted = [c.prop for _n, _p, cc, c in pending if cc == col]
        if wanted:
            reason = f"{wanted[0]!r} already filled by column {claimed[wanted[0]]!r}"
        else:
            reason = "no match"
        decided[col] = ColumnMatch(col, None, 0.0, reason)

    result = Mapping(object_type, {c: decided[c] for c in cols})
    result = _assign_roles(result, sample_map)
    return fill_values(result, schema, sample_map)


def _assign_roles(mapping: Mapping, samples: dict[str, list[str]]) -> Mapping:
    """Give linking roles, one column per role: property-based roles first, then headers."""
    taken: set[str] = set()
    out = dict(mapping.columns)
    for col, m in mapping.columns.items():
        if m.role and m.role in taken:
            out[col] = ColumnMatch(col, m.property, m.confidence, m.reason, None)
        elif m.role:
            taken.add(m.role)
    roles = role_lookup(mapping.object_type)
    for by_property in (True, False):
        for col, m in mapping.columns.items():
            if out[col].role:
                continue
            if by_property:
                role = ROLE_OF_PROPERTY.get((mapping.object_type, m.property or ""))
                if mapping.object_type == "companies" and m.property == "website":
                    # The domain column, when there is one, is the better link key.
                    role = None if mapping.column_for("domain") else role
            elif m.property is None:
                role = roles.get(normalize_header(col))
                if role == "contact_name" and _looks_like(samples.get(col, [])) == "email":
                    role = "contact_email"
                elif role is None and mapping.object_type == "tickets":
                    role = "contact_email" if _looks_like(samples.get(col, [])) else None
            else:
                role = None
            if role and role not in taken:
                taken.add(role)
                reason = m.reason
                if m.property is None:
                    reason = _ROLE_REASON.get(role, f"used to link ({role})")
                    if m.reason.startswith("'"):
                        reason += f"; {m.reason}"
                out[col] = ColumnMatch(col, m.property, max(m.confidence, 0.8), reason, role)
    return Mapping(mapping.object_type, out, mapping.values, mapping.unmatched_values)


_ROLE_REASON = {
    "contact_email": "no email property on tickets: used to link the ticket to a contact",
    "contact_name": "requester name: used to link the ticket to a contact",
    "contact_phone": "requester phone: used to link the ticket to a contact",
    "company_name": "company name: used to link to a company",
    "company_domain": "company domain: used to link to a company",
    "full_name": "full name: split into first and last name when those are missing",
}


def fill_values(mapping: Mapping, schema: Schema, samples: dict[str, list[str]]) -> Mapping:
    """Map the sampled values of enumeration columns onto options (keeps existing overrides)."""
    values = {c: dict(v) for c, v in mapping.values.items()}
    unmatched = {c: list(v) for c, v in mapping.unmatched_values.items()}
    shown = {
        c: list(dict.fromkeys(v for v in vals if v))[:SAMPLE_SHOWN] for c, vals in samples.items()
    }
    for col, prop_name in mapping.mapped().items():
        prop = schema.get(prop_name)
        if prop is None or prop.type != "enumeration" or col not in samples:
            continue
        distinct = [v for v in dict.fromkeys(samples[col]) if v.strip()]
        mapped, missing = map_values(prop, distinct, values.get(col))
        if mapped:
            values[col] = mapped
        if missing:
            unmatched[col] = missing
        else:
            unmatched.pop(col, None)
    return Mapping(mapping.object_type, mapping.columns, values, unmatched, shown)
