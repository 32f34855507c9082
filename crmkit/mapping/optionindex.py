"""What each option is called, per property: its label, its value, and the words other systems
use for it (``option_vocabulary.json``), indexed for the matcher.

The vocabulary names options by value or by label ("Waiting on us"), so a portal whose pipeline
uses other stage ids still gets its stages matched by label, and a portal without an option
simply gets no phrases for it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from crmkit.mapping.normalize import normalize
from crmkit.mapping.valuetokens import Words, stem, tokens
from crmkit.schema import PropertyDef

LABEL = 1.0
PHRASE = 0.97
TOKENS = 0.95
WEAK = 0.75
"""Confidence of a match by label or value, by a vocabulary phrase, by the same words in
another order or form, and by a phrase the systems disagree on (a suggestion only)."""

TokenSet = frozenset[str]


@dataclass(frozen=True)
class Phrase:
    """One way to name an option: its tokens (generic words removed), the option, its weight."""

    tokens: TokenSet
    value: str
    confidence: float
    label: bool = False


@dataclass
class OptionIndex:
    """Every name of every option of one property, by normal form and by token set."""

    exact: dict[str, str]
    names: dict[str, dict[str, float]] = field(default_factory=dict)
    keys: dict[TokenSet, dict[str, float]] = field(default_factory=dict)
    phrases: list[Phrase] = field(default_factory=list)
    generic: frozenset[str] = frozenset()
    forms: tuple[tuple[str, str], ...] = ()
    _by_token: dict[str, list[Phrase]] | None = field(default=None, repr=False)

    def add(self, text: str, value: str, confidence: float) -> None:
        """Index one name of an option; a label also by its words without generic ones
        ("Product issue" → product), a phrase only by all its words ("change request")."""
        for name in (normalize(text), normalize(text).replace(" ", "")):
            if name:
                _keep_best(self.names.setdefault(name, {}), value, confidence)
        label = confidence == LABEL
        full = frozenset(self.tokens(text))
        for key in {full, self.stripped(full)} if label else {full}:
            if key:
                _keep_best(self.keys.setdefault(key, {}), value, min(confidence, TOKENS))
                self.phrases.append(Phrase(key, value, min(confidence, TOKENS), label))

    def tokens(self, text: str) -> tuple[str, ...]:
        return tokens(text, words(), self.forms)

    def sharing(self, key: TokenSet) -> list[Phrase]:
        """The phrases with at least one word of ``key`` (the only ones that can match)."""
        if self._by_token is None:
            self._by_token = {}
            for phrase in self.phrases:
                for token in phrase.tokens:
                    self._by_token.setdefault(token, []).append(phrase)
        found: dict[int, Phrase] = {}
        for token in key:
            for phrase in self._by_token.get(token, ()):
                found.setdefault(id(phrase), phrase)
        return list(found.values())

    def stripped(self, key: TokenSet) -> TokenSet:
        """``key`` without generic words, unless nothing would be left."""
        return (key - self.generic) or key

    def key(self, text: str) -> TokenSet:
        """The token set that names an option: generic words dropped unless nothing is left."""
        return self.stripped(frozenset(self.tokens(text)))

    def keys_of(self, text: str) -> list[TokenSet]:
        """All the words of ``text``, then without the generic ones."""
        full = frozenset(self.tokens(text))
        return list(dict.fromkeys([full, self.stripped(full)]))


def _keep_best(table: dict[str, float], value: str, confidence: float) -> None:
    table[value] = max(table.get(value, 0.0), confidence)


@cache
def _data() -> dict[str, Any]:
    text = resources.files("crmkit.mapping").joinpath("option_vocabulary.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@cache
def words() -> Words:
    w = _data()["_words"]
    return Words(
        stopwords=frozenset(w["stopwords"]),
        negations=frozenset(stem(n) for n in w["negations"]),
        forms=dict(w["forms"]),
        abbreviations=dict(w["abbreviations"]),
    )


def vocabulary(prop_name: str) -> dict[str, Any]:
    """The vocabulary section of one property (empty when the vocabulary has none)."""
    section: dict[str, Any] = _data().get(prop_name, {})
    return section


def _resolve(key: str, prop: PropertyDef) -> str | None:
    """The option a vocabulary key names: by value, else by label."""
    for o in prop.options:
        if o.value == key:
            return o.value
    wanted = normalize(key)
    for o in prop.options:
        if normalize(o.label) == wanted:
            return o.value
    return None


@cache
def option_index(prop: PropertyDef) -> OptionIndex:
    """Labels, values and vocabulary phrases of ``prop``'s options, ready to look up."""
    section = vocabulary(prop.name)
    generic = frozenset(stem(w) for w in section.get("generic", ()))
    forms = tuple(sorted(section.get("forms", {}).items()))
    index = OptionIndex({o.value: o.value for o in prop.options}, generic=generic, forms=forms)
    for o in prop.options:
        index.add(o.value, o.value, LABEL)
        index.add(o.label, o.value, LABEL)
    for kind, weight in (("phrases", PHRASE), ("weak", WEAK)):
        for key, phrases in section.get(kind, {}).items():
            value = _resolve(key, prop)
            if value is not None:
                for phrase in phrases:
                    index.add(phrase, value, weight)
    return index
