"""Headers of German, French, Spanish, Italian, Portuguese and Dutch exports in English words.

The words live in ``vocabulary.json`` (data, not code): one table per language, with a ``*``
table for every object type and object tables where a word means something else there (French
"Nom" is a contact's last name but a company's name). Translation replaces the longest known
phrase first, so "Code postal (bureau)" becomes "postal code business" and the English matcher
does the rest: qualifiers, synonyms and the one-column-per-property rule are never repeated per
language.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

_LONGEST = 6


@cache
def _raw() -> dict[str, dict[str, dict[str, str]]]:
    text = resources.files("crmkit.mapping").joinpath("vocabulary.json").read_text("utf-8")
    return dict(json.loads(text)["languages"])


def conflicts() -> list[str]:
    """Phrases two languages translate differently for one object type (the data must have none)."""
    out = []
    for object_type in ("contacts", "companies", "tickets"):
        seen: dict[str, tuple[str, str]] = {}
        for lang, tables in _raw().items():
            for phrase, english in {**tables.get("*", {}), **tables.get(object_type, {})}.items():
                if phrase in seen and seen[phrase][1] != english:
                    out.append(f"{object_type}: {phrase!r} is {seen[phrase]} and {(lang, english)}")
                seen.setdefault(phrase, (lang, english))
    return out


@cache
def phrases(object_type: str) -> dict[str, tuple[str, str]]:
    """Normal-form phrase → (English words, language) for one object type."""
    out: dict[str, tuple[str, str]] = {}
    for lang, tables in _raw().items():
        for phrase, english in tables.get("*", {}).items():
            out.setdefault(phrase, (english, lang))
    for lang, tables in _raw().items():  # an object's own meaning wins over the shared one
        for phrase, english in tables.get(object_type, {}).items():
            out[phrase] = (english, lang)
    return out


@cache
def translate(text: str, object_type: str) -> tuple[str, tuple[str, ...]]:
    """``text`` (normal form) with known foreign phrases in English, and the languages seen."""
    table = phrases(object_type)
    words = text.split()
    out: list[str] = []
    langs: list[str] = []
    i = 0
    while i < len(words):
        for n in range(min(_LONGEST, len(words) - i), 0, -1):
            hit = table.get(" ".join(words[i : i + n]))
            if hit is not None:
                out.append(hit[0])
                if hit[0] != " ".join(words[i : i + n]):
                    langs.append(hit[1])
                i += n
                break
        else:
            out.append(words[i])
            i += 1
    return " ".join(out), tuple(dict.fromkeys(langs))
