"""How sure crmkit is that a raw value names an option, and why.

Steps, most trusted first; each gives a confidence, and only a match at or above
:data:`APPLY_AT` is ever applied (below it the best candidate is kept as a suggestion):

1. the option's value as written, its label or value in normal form, or a vocabulary phrase;
2. the same meaningful words in another order, case, separator or word form;
3. every ``/``-separated part names the same option ("Channel Partner / Reseller"), a short
   part read with the first part's words too ("Computer Software / Engineering" = software
   engineering);
4. the option's words all appear in the value and every other word is generic ("Refund
   request", "Pending Customer Response"); words naming another option, or a "not", stop it;
5. the value is the beginning of exactly one option's name ("Public Relations");
6. a near spelling of one name (typos), never for short words or numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from crmkit.mapping.normalize import normalize
from crmkit.mapping.optionindex import OptionIndex, TokenSet, option_index, words
from crmkit.schema import PropertyDef

APPLY_AT = 0.85
"""A match below this confidence is not applied; it is offered as a suggestion."""
SUGGEST_AT = 0.5
"""Below this a candidate is not worth showing."""
AGREE = 0.93
FUZZY_MIN_RATIO = 88.0
_PARTS = re.compile(r"\s*(?:/|\||;|,|\(|\)|\s\+\s)\s*")
_DASH = re.compile(r"\s+-\s+")


@dataclass(frozen=True)
class ValueMatch:
    """The option a raw value names (None = none), how sure, and why."""

    value: str | None
    confidence: float
    reason: str

    @property
    def applied(self) -> bool:
        return self.value is not None and self.confidence >= APPLY_AT


NO_MATCH = ValueMatch(None, 0.0, "no match")
SAYS_NOT = ValueMatch(None, 0.0, "says not")
PARTS_DISAGREE = ValueMatch(None, 0.0, "the parts name different options")
_FINAL = (SAYS_NOT, PARTS_DISAGREE)
"""Answers that end the search: a later, looser step must not overrule them."""


def _best(table: dict[str, float], reason: str) -> ValueMatch | None:
    """The single best option of a lookup; None when two options tie (ambiguous)."""
    if not table:
        return None
    ranked = sorted(table.items(), key=lambda kv: -kv[1])
    if len(ranked) > 1 and ranked[1][1] >= ranked[0][1] - 0.01:
        return ValueMatch(None, 0.0, f"{reason}: names several options")
    value, confidence = ranked[0]
    return ValueMatch(value, confidence, reason)


def _lookup(index: OptionIndex, text: str) -> ValueMatch | None:
    """Steps 1 and 2: a whole name of an option, as written or as a set of words."""
    name = normalize(text)
    for form in (name, name.replace(" ", "")):
        if form in index.names:
            return _best(index.names[form], "name")
    for key in index.keys_of(text):
        if key in index.keys:
            return _best(index.keys[key], "same words")
    return None


def _prefix_of(index: OptionIndex, key: TokenSet) -> ValueMatch | None:
    """Step 5: the value's words are part of exactly one option's label, covering half or more
    of it ("Apparel" of "Apparel & Fashion"); vocabulary phrases are too loose for this."""
    if not key:
        return None
    holders: dict[str, float] = {}
    for phrase in index.sharing(key):
        if key < phrase.tokens and phrase.confidence > 0.8:
            share = len(key) / len(phrase.tokens) if phrase.label else 0.0
            holders[phrase.value] = max(holders.get(phrase.value, 0.0), share)
    if len(holders) != 1:
        return None
    ((value, share),) = holders.items()
    if share < 0.5:
        return None
    return ValueMatch(value, 0.8 + 0.15 * share, "beginning of the option's name")


def _names(index: OptionIndex, text: str) -> ValueMatch | None:
    """What one part of a value names on its own (steps 1, 2, 5)."""
    found = _lookup(index, text)
    if found is not None and found.value is not None:
        return found
    if found is None and _DASH.search(text):  # "Non - Profit" is one word, "1 - Critical" two
        return _agreeing(index, _DASH.split(text))
    return _prefix_of(index, index.key(text)) if found is None else None


def _part_readings(index: OptionIndex, first: str, part: str) -> list[str]:
    """A one-word part after a longer first part also reads with that part's words:
    "Computer Software / Engineering" → "Computer Engineering", "Software Engineering"."""
    head = index.tokens(first)
    if len(index.tokens(part)) != 1 or len(head) < 2:
        return [part]
    return [part, " ".join([*head[:-1], part]), f"{head[-1]} {part}"]


def _agreeing(index: OptionIndex, parts: list[str]) -> ValueMatch | None:
    """Step 3: every part names the same option (None when the parts cannot tell)."""
    parts = [p for p in parts if p.strip()]
    if len(parts) < 2:
        return None
    named: list[ValueMatch | None] = []
    for i, part in enumerate(parts):
        readings = [part] if i == 0 else _part_readings(index, parts[0], part)
        hits = [h for h in (_names(index, r) for r in readings) if h is not None and h.value]
        strong = [h for h in hits if h.confidence >= APPLY_AT]
        named.append(max(strong or hits, key=lambda h: h.confidence) if hits else None)
    values = {n.value for n in named if n is not None and n.confidence >= APPLY_AT}
    if len(values) == 1 and all(n is not None and n.confidence >= APPLY_AT for n in named):
        confidence = min(AGREE, *(n.confidence for n in named if n is not None))
        return ValueMatch(values.pop(), confidence, "every part names it")
    if len(values) == 1:  # some parts name nothing (or only weakly): a suggestion
        share = sum(1 for n in named if n is not None and n.value in values) / len(named)
        return ValueMatch(values.pop(), 0.6 + 0.2 * share, "some parts name it")
    return PARTS_DISAGREE if values else None


def _contained(index: OptionIndex, key: TokenSet) -> ValueMatch | None:
    """Step 4: options whose whole name appears among the value's words."""
    if not key:
        return None
    covered: dict[str, set[str]] = {}
    weak: dict[str, set[str]] = {}
    for phrase in index.sharing(key):
        if phrase.tokens <= key:
            table = covered if phrase.confidence > 0.8 else weak
            table.setdefault(phrase.value, set()).update(phrase.tokens)
    if not covered:
        if len(weak) == 1:
            ((value, _),) = weak.items()
            return ValueMatch(value, 0.6, "a word the systems use for it")
        return None
    if len(covered) > 1:
        value = max(covered, key=lambda v: len(covered[v]))
        return ValueMatch(value, 0.5, "words that name several options")
    ((value, used),) = covered.items()
    rest = key - used - weak.get(value, set()) - index.generic
    if rest & words().negations:
        return SAYS_NOT
    share = 1 - len(rest) / max(len(key - index.generic), 1)
    if not rest:
        return ValueMatch(value, AGREE, "every word names it")
    return ValueMatch(value, 0.6 + 0.2 * share, "some words name it")


def _typo(index: OptionIndex, text: str) -> ValueMatch | None:
    """Step 6: one name spelled a little differently ("Custmer"); never short or numeric."""
    name = normalize(text)
    if len(name) < 5 or any(ch.isdigit() for ch in name):
        return None
    choices = [n for n in index.names if len(n) >= 5]
    hits = process.extract(name, choices, scorer=fuzz.ratio, limit=3)
    if not hits or hits[0][1] < FUZZY_MIN_RATIO:
        return None
    if hits[0][0] in name or name in hits[0][0]:
        return None  # "unresolved" is not a typo of "resolved": a word was added
    best = index.names[hits[0][0]]
    rivals = [h for h in hits[1:] if h[1] >= hits[0][1] - 5 and set(index.names[h[0]]) != set(best)]
    found = _best(best, "near spelling")
    if rivals or found is None or found.value is None:
        return None
    return ValueMatch(found.value, min(found.confidence, hits[0][1] / 100), found.reason)


@lru_cache(maxsize=65536)
def match_value(prop: PropertyDef, raw: str) -> ValueMatch:
    """One raw single value against ``prop``'s options: the best candidate, how sure, why.

    Cached: mapping and coercion both ask about every distinct value of a column.
    """
    text = raw.strip()
    if not text:
        return ValueMatch("", 1.0, "empty")
    index = option_index(prop)
    if text in index.exact:
        return ValueMatch(text, 1.0, "exact")
    found = _lookup(index, text)
    if found is not None:
        return found
    candidates: list[ValueMatch] = []
    parts = _PARTS.split(text)
    if len([p for p in parts if p]) < 2:
        parts = _DASH.split(text)
    for step in (
        lambda: _agreeing(index, parts),
        lambda: _contained(index, index.key(text)),
        lambda: _prefix_of(index, index.key(text)),
        lambda: _typo(index, text),
    ):
        hit = step()
        if hit is None:
            continue
        if hit.applied:
            return hit
        if hit in _FINAL:
            return hit
        candidates.append(hit)
    return max(candidates, key=lambda h: h.confidence, default=NO_MATCH)
