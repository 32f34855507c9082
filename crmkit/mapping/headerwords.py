"""A header read as composed words: what it names, which one of several it is, whose it is.

Real exports compose their headers: "Business Street", "Home Phone 2", "E-mail 1 - Value",
"primary_address_city", "Account.Name", "Level__c", "Straße geschäftlich". Matching such a
header as a whole string misses it (or worse, lands on a lookalike), so a header is taken apart:

- the **qualifier** says whose or which one it is. Business, work, primary, billing and mailing
  details are the ones a CRM keeps; home, personal and shipping ones only when nothing better is
  there; other, alternate and secondary ones never;
- a **number** ("Phone 2", "E-mail 2 Address") marks a second one of a kind, never imported
  automatically (a ``… - Type`` / ``… - Label`` column may still say what it is: see
  :mod:`crmkit.mapping.typelabels`);
- a **numbered group** ("Address 1 - Region") names a part of a group, and its ``Type`` or
  ``Label`` column describes the group rather than holding data;
- prefixes and suffixes of the source's own making ("Account.", ``__c``, a leading ``*``) are
  dropped, and foreign words become English (:mod:`crmkit.mapping.vocabulary`).

The result lists the texts to look up, best first; the matcher decides what they mean.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from crmkit.mapping.normalize import normalize_header
from crmkit.mapping.vocabulary import translate

# qualifier word → (kind, weight); weight None = never imported automatically
QUALIFIERS: dict[str, tuple[str, float | None]] = {
    "primary": ("primary", 1.0),
    "main": ("primary", 1.0),
    "business": ("business", 1.0),
    "work": ("business", 1.0),
    "office": ("business", 1.0),
    "professional": ("business", 1.0),
    "billing": ("billing", 1.0),
    "bill": ("billing", 1.0),
    "mailing": ("mailing", 1.0),
    "postal": ("mailing", 1.0),
    "po": ("mailing", 1.0),
    "home": ("home", 0.8),
    "personal": ("home", 0.8),
    "private": ("home", 0.8),
    "shipping": ("shipping", 0.8),
    "ship": ("shipping", 0.8),
    "delivery": ("shipping", 0.8),
    "other": ("other", None),
    "alt": ("other", None),
    "alternate": ("other", None),
    "alternative": ("other", None),
    "secondary": ("other", None),
    "additional": ("other", None),
}
# Phrases in which a qualifier word is part of the name, not a qualifier.
_KEEP = (
    "home page",
    "po box",
    "postal code",
    "main phone",
    "office phone",
    "work phone",
    "work email",
)
GROUPS = (
    "email",
    "phone",
    "address",
    "organization",
    "organisation",
    "website",
    "web page",
    "event",
    "custom field",
    "relation",
    "im",
    "external id",
)
_LABEL_PARTS = ("type", "label")
_ADDRESS_PARTS = (
    "street",
    "city",
    "region",
    "postal code",
    "postalcode",
    "zip code",
    "zip",
    "country",
    "state",
)
_SPLIT_DATE = re.compile(r"^(?:birth|birthday|date of birth) (?:day|month|year)$")
_NUMBERED = re.compile(r"^(?P<group>.+?) (?P<index>\d+)(?: (?P<part>.+))?$")


@dataclass(frozen=True)
class HeaderWords:
    """One header taken apart (see the module docstring)."""

    text: str  # the whole header in English normal form
    tries: tuple[tuple[str, bool], ...]  # (text to look up, is a second one of its kind)
    qualifier: str | None = None
    weight: float | None = 1.0  # None: a qualifier that is never imported automatically
    group: str | None = None
    index: int | None = None
    label_of: tuple[str, int] | None = None  # this column describes group N
    split_date: bool = False
    languages: tuple[str, ...] = ()
    custom: bool = False

    def describe(self) -> str:
        """Words for a reason: the languages translated, "custom field"."""
        bits = []
        if self.languages:
            bits.append("/".join(self.languages))
        if self.custom:
            bits.append("custom field")
        return ", ".join(bits)


def _strip_source_marks(header: str) -> tuple[str, bool]:
    """Drop a leading ``*`` (required-column mark), a ``__c`` suffix, and dotted prefixes."""
    raw = header.strip().lstrip("*").strip()
    custom = raw.lower().endswith("__c")
    if custom:
        raw = raw[:-3]
    if re.fullmatch(r"[A-Za-z]+\.[A-Za-z][\w .]*", raw):
        raw = raw.replace(".", " ")
    return raw, custom


def _qualifier(words: list[str]) -> tuple[list[str], str | None, float | None]:
    """The words without their qualifier, the qualifier's kind and weight."""
    joined = " ".join(words)
    kept = [p for p in _KEEP if re.search(rf"\b{p}\b", joined)]
    rest: list[str] = []
    kind: str | None = None
    weight: float | None = 1.0
    for i, word in enumerate(words):
        if word == "to" and i and words[i - 1] in ("bill", "ship") and kind is not None:
            continue  # "Bill To City", "Ship To Country"
        q = QUALIFIERS.get(word)
        in_phrase = any(
            word in p.split() and re.search(rf"\b{p}\b", " ".join(words[max(0, i - 1) : i + 2]))
            for p in kept
        )
        if q is None or in_phrase or kind is not None:
            rest.append(word)
            continue
        kind, weight = q
    return rest, kind, weight


@cache
def parse_header(header: str, object_type: str) -> HeaderWords:
    """Take ``header`` apart for ``object_type`` (cached: headers repeat across files)."""
    raw, custom = _strip_source_marks(header)
    text, langs = translate(normalize_header(raw), object_type)
    if _SPLIT_DATE.match(text):
        return HeaderWords(text, (), split_date=True, languages=langs, custom=custom)
    words, kind, weight = _qualifier(text.split())
    core = " ".join(words)
    tries: list[tuple[str, bool]] = [(text, False)]
    if core and core != text:
        tries.append((core, False))
    group = index = label_of = None
    m = _NUMBERED.match(core)
    if m and (m["group"] in GROUPS or m["part"] is None):
        index = int(m["index"])
        group = m["group"] if m["group"] in GROUPS else None
        part = m["part"] or ""
        second = index >= 2
        if part in _LABEL_PARTS and group:
            label_of = (group, index)
        elif part in ("", "value"):
            tries.append((m["group"], second))
        else:
            tries.append((f"{m['group']} {part}", second))
            if m["group"] in ("address", "organization", "organisation"):
                tries.append((part, second))
    if core.startswith("address ") and core[8:] in _ADDRESS_PARTS:
        tries.append((core[8:], False))
    if core.endswith(" number") and core.count(" ") == 2:
        tries.append((core[: -len(" number")], False))  # "Main Phone #" = "main phone number"
    if len(words) == 2 and not any(w.isdigit() for w in words):
        tries.append((f"{words[1]} {words[0]}", False))
    return HeaderWords(
        text=text,
        tries=tuple(dict.fromkeys(t for t in tries if t[0])),
        qualifier=kind,
        weight=weight,
        group=group,
        index=index,
        label_of=label_of,
        languages=langs,
        custom=custom,
    )
