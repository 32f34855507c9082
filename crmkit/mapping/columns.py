"""Automatic column → property mapping, with a confidence and a reason a person can check.

Each column collects candidate properties (exact name, label, synonym, fuzzy similarity, and a
look at its values); then candidates are granted best first so one property is filled by one
column only. Read-only and calculated properties are never targets; ids and row numbers are left
out on purpose and said so, but keep a linking role for the planner.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from collections.abc import Mapping as AbcMapping
from dataclasses import replace
from typing import Any

from crmkit.mapping.candidates import column_candidates
from crmkit.mapping.headerwords import parse_header
from crmkit.mapping.matcher import Candidate, Matcher
from crmkit.mapping.model import ColumnMatch, Mapping
from crmkit.mapping.normalize import normalize_header
from crmkit.mapping.synonyms import ROLE_OF_PROPERTY, role_lookup
from crmkit.mapping.typelabels import label_hints
from crmkit.mapping.values import match_values
from crmkit.mapping.valuesniff import looks_like
from crmkit.schema import Schema, check_object_type

SAMPLE_SHOWN = 5
ADDRESS_PARTS = frozenset({"address", "address2", "city", "state", "zip", "country"})


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
    matcher = Matcher(object_type, schema)
    words = {c: parse_header(c, object_type) for c in cols}
    hints = label_hints(words, sample_map)

    decided: dict[str, ColumnMatch] = {}
    notes: dict[str, str] = {}
    pending: list[tuple[float, int, str, Candidate]] = []
    for pos, col in enumerate(cols):
        cands, final, notes[col] = column_candidates(
            matcher, col, words[col], sample_map.get(col, []), hints.get(col)
        )
        if final is not None:
            decided[col] = final
        for c in cands:
            pending.append((-c.confidence, pos, col, c))

    # Grant best first: a property goes to its most confident column; the others move on.
    # The parts of an address come from one address (billing, not billing and shipping).
    claimed: dict[str, str] = {}
    address_of: str | None = None
    for _neg, _pos, col, cand in sorted(pending, key=lambda t: (t[0], t[1])):
        if col in decided or cand.prop in claimed:
            continue
        if cand.prop in ADDRESS_PARTS and cand.qualifier:
            if address_of not in (None, cand.qualifier):
                notes[col] = f"{cand.qualifier} address, the other parts are the {address_of} one"
                continue
            address_of = cand.qualifier
        claimed[cand.prop] = col
        decided[col] = ColumnMatch(col, cand.prop, cand.confidence, cand.reason)

    for col in cols:
        if col in decided:
            continue
        wanted = [c for _n, _p, cc, c in pending if cc == col]
        if wanted and wanted[0].prop not in claimed:
            reason = f"{wanted[0].prop!r} not filled from it: {notes[col]}"
        elif wanted:
            reason = (
                f"{wanted[0].prop!r} already filled by column {claimed[wanted[0].prop]!r}; "
                f"this one: {wanted[0].reason}"
            )
        else:
            reason = f"no match ({notes[col]})" if notes[col] else "no match"
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
                elif role == "company_domain" and _names_company_domain(mapping, roles):
                    # A contact's own website yields to a column that says it is the company's
                    # domain (HubSpot's "Associated Company Domain").
                    role = None
            elif m.property is None:
                words = parse_header(col, mapping.object_type).text
                role = roles.get(normalize_header(col)) or roles.get(words)
                if role == "contact_name" and looks_like(samples.get(col, [])) == "email":
                    role = "contact_email"
                elif role is None and mapping.object_type == "tickets":
                    role = "contact_email" if looks_like(samples.get(col, [])) else None
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
    return replace(mapping, columns=out)


def _names_company_domain(mapping: Mapping, roles: dict[str, str]) -> bool:
    """Some column without a property is headed as the company's domain."""
    return any(
        m.property is None and roles.get(normalize_header(col)) == "company_domain"
        for col, m in mapping.columns.items()
    )


_ROLE_REASON = {
    "contact_email": "no email property on tickets: used to link the ticket to a contact",
    "contact_name": "requester name: used to link the ticket to a contact",
    "contact_phone": "requester phone: used to link the ticket to a contact",
    "company_name": "company name: used to link to a company",
    "company_domain": "company domain: used to link to a company",
    "full_name": "full name: split into first and last name when those are missing",
}


def fill_values(mapping: Mapping, schema: Schema, samples: dict[str, list[str]]) -> Mapping:
    """Map the sampled values of enumeration columns onto options (keeps existing overrides).

    Unsure matches are not applied: they stay unmatched, with their candidate in
    ``suggestions``.
    """
    values = {c: dict(v) for c, v in mapping.values.items()}
    unmatched = {c: list(v) for c, v in mapping.unmatched_values.items()}
    suggestions = {c: dict(v) for c, v in mapping.suggestions.items()}
    shown = {
        c: list(dict.fromkeys(v for v in vals if v))[:SAMPLE_SHOWN] for c, vals in samples.items()
    }
    for col, prop_name in mapping.mapped().items():
        prop = schema.get(prop_name)
        if prop is None or prop.type != "enumeration" or col not in samples:
            continue
        distinct = [v for v in dict.fromkeys(samples[col]) if v.strip()]
        found = match_values(prop, distinct, values.get(col))
        if found.mapped:
            values[col] = found.mapped
        if found.unmatched:
            unmatched[col] = found.unmatched
        else:
            unmatched.pop(col, None)
        kept = {**suggestions.get(col, {}), **found.suggestions}
        kept = {raw: s for raw, s in kept.items() if raw not in found.mapped}
        if kept:
            suggestions[col] = kept
        else:
            suggestions.pop(col, None)
    return replace(
        mapping, values=values, unmatched_values=unmatched, samples=shown, suggestions=suggestions
    )
