"""Values as sets of meaningful words, so "Waiting for Customer", "customer_waiting" and
"Awaiting customers" compare equal while "Not resolved" never passes for "Resolved".

A value becomes tokens: camelCase and separators split, accents, case and stop words dropped,
word forms unified ("awaiting" → "waiting", "enquiry" → "inquiry"), a light suffix stemmer for
plurals and verb forms, and abbreviations written in capitals expanded ("PR" → public relations;
"it" in lower case stays a pronoun). The word lists live in ``option_vocabulary.json``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z][a-z])|(?<=[A-Z])(?=[A-Z][a-z])")
_WORD = re.compile(r"[a-z0-9]+")
_VOWELS = frozenset("aeiouy")


def stem(word: str) -> str:
    """A word's stem: enough to make plurals and -ed/-ing forms meet ("closed" = "closing").

    Deliberately light: it only has to make two spellings of one word equal, never to be a
    dictionary form, and both sides of every comparison go through it.
    """
    w = word
    if len(w) > 4 and w.endswith("ies"):
        w = w[:-3] + "y"
    elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    for suffix in ("ing", "ed"):
        if len(w) > len(suffix) + 2 and w.endswith(suffix):
            base = w[: -len(suffix)]
            if any(c in _VOWELS for c in base):
                w = base
                if len(w) > 2 and w[-1] == w[-2] and w[-1] not in "ls":
                    w = w[:-1]  # shipping → ship, cancelled → cancel (but not "fill")
                break
    if len(w) > 3 and w.endswith("e"):
        w = w[:-1]
    if len(w) > 3 and w.endswith("ll"):
        w = w[:-1]
    return w


@dataclass(frozen=True)
class Words:
    """The word lists that turn text into tokens (see ``option_vocabulary.json`` ``_words``)."""

    stopwords: frozenset[str]
    negations: frozenset[str]
    forms: dict[str, str]
    abbreviations: dict[str, str]

    def __hash__(self) -> int:
        return id(self)


def raw_words(text: str) -> list[tuple[str, bool]]:
    """(lower-case word, written in capitals) for each word of ``text``."""
    s = unicodedata.normalize("NFKD", text)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.replace("&", " and ").replace("'", "")
    s = _CAMEL.sub(" ", s)
    out = []
    for m in re.finditer(r"[A-Za-z0-9]+", s):
        word = m.group(0)
        out.append((word.lower(), len(word) > 1 and word.isupper() and word.isalpha()))
    return out


@lru_cache(maxsize=65536)
def tokens(text: str, words: Words, forms: tuple[tuple[str, str], ...] = ()) -> tuple[str, ...]:
    """The meaningful stems of ``text`` in order (stop words dropped, forms and capitals
    expanded); ``forms`` adds a property's own word forms (priorities' "hi" → "high")."""
    extra = dict(forms)
    found = raw_words(text)
    alone = len(found) == 1
    out: list[str] = []
    for word, capitals in found:
        word = extra.get(word, words.forms.get(word, word))
        if (capitals or alone) and word in words.abbreviations:
            word = words.abbreviations[word]
        for part in word.split():
            if part not in words.stopwords:
                out.append(stem(part))
    return tuple(out)
