"""Which property a header text names: exact names, labels, synonyms, and careful fuzzy matching.

The fuzzy step only forgives spelling ("Comapny Name", "Schools"): every word on one side must
be nearly a word on the other. Similar-looking strings made of different words ("Account Tier"
and "Twitter account", "CleanStatus" and "Lead status") are not a match, because a wrong
property is worse than none; the nearest one is still named in the reason for the reviewer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from crmkit.mapping.normalize import compact, normalize_header
from crmkit.mapping.synonyms import OWN_PREFIXES, column_lookup
from crmkit.schema import IMPORT_KEY_PROPERTY, PropertyDef, Schema

FUZZY_THRESHOLD = 86.0
FUZZY_SHORT_THRESHOLD = 92.0
_WORD_RATIO = 80.0
_WORD_LENGTH_GAP = 2
_NEST_SPLIT = re.compile(r"\s+[-–—>|]\s+")


@dataclass(frozen=True)
class Candidate:
    """A property a column may fill, how sure, and why."""

    prop: str
    confidence: float
    reason: str
    text: str = ""  # the header words that matched
    qualifier: str | None = None  # whose: business, billing, home, shipping…


def _words_agree(a: str, b: str) -> bool:
    """Every word of each side is nearly a word of the other (spelling, not meaning)."""

    def covered(xs: list[str], ys: list[str]) -> bool:
        return all(
            any(
                fuzz.ratio(x, y) >= _WORD_RATIO and abs(len(x) - len(y)) <= _WORD_LENGTH_GAP
                for y in ys
            )
            for x in xs
        )

    wa, wb = a.split(), b.split()
    return covered(wa, wb) and covered(wb, wa)


class Matcher:
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

    def exact(self, column: str) -> Candidate | None:
        """Exact name, label or synonym of the whole header, also after an own-object prefix."""
        key, text = compact(column), normalize_header(column)
        if column.strip().lower() in self.by_name:
            return Candidate(self.by_name[column.strip().lower()], 1.0, "exact name", text)
        if key in self.by_compact:
            return Candidate(self.by_compact[key], 0.98, "name", text)
        if key in self.by_label:
            return Candidate(self.by_label[key], 0.97, "label", text)
        if key in self.synonyms:
            return Candidate(self.synonyms[key], 0.95, "synonym", text)
        hit = self.lookup(text, prefix_only=True)
        return hit or self._nested(column)

    def lookup(self, text: str, prefix_only: bool = False) -> Candidate | None:
        """A header text (normal form) that is a name, label or synonym, maybe after a prefix."""
        key = text.replace(" ", "")
        if not prefix_only:
            for table, conf, what in (
                (self.by_compact, 0.93, "name"),
                (self.by_label, 0.92, "label"),
                (self.synonyms, 0.9, "synonym"),
            ):
                if key in table:
                    return Candidate(table[key], conf, f"{what} {text!r}", text)
        for prefix in OWN_PREFIXES.get(self.object_type, ()):
            if text.startswith(prefix + " "):
                rest = text[len(prefix) + 1 :]
                hit = self.by_label.get(rest.replace(" ", "")) or self.synonyms.get(
                    rest.replace(" ", "")
                )
                if hit:
                    return Candidate(hit, 0.9, f"synonym {rest!r} after prefix {prefix!r}", rest)
        return None

    def _nested(self, column: str) -> Candidate | None:
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
                return Candidate(hit, 0.88, f"synonym {text!r} in nested header", text)
        return None

    def fuzzy(self, text: str) -> tuple[list[Candidate], str | None]:
        """Close spellings of a label, name or synonym; and the nearest miss, for the reason."""
        if not text or not self.choices:
            return [], None
        out: dict[str, Candidate] = {}
        nearest: str | None = None
        # Short headers are easy to confuse ("name" ~ "fname"): ask more of them.
        cutoff = FUZZY_THRESHOLD if len(text) >= 6 else FUZZY_SHORT_THRESHOLD
        hits = process.extract(
            text, self.choices, scorer=fuzz.token_sort_ratio, limit=6, score_cutoff=cutoff
        )
        for choice, score, idx in hits:
            prop, what = self.choice_info[idx]
            if not _words_agree(text, choice):
                nearest = nearest or f"nearest is {what} of {prop}, but its words differ"
                continue
            if prop not in out:
                conf = round(0.9 * score / 100, 3)
                out[prop] = Candidate(prop, conf, f"fuzzy {score / 100:.2f} on {what}", choice)
        return sorted(out.values(), key=lambda c: -c.confidence), nearest

    def read_only_hit(self, column: str) -> PropertyDef | None:
        return self.read_only.get(compact(column))
