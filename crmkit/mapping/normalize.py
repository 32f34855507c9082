"""One normal form for headers, labels and values, so "E-mail Address", "emailAddress" and
"EMAIL_ADDRESS" compare equal."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_CAMEL_1 = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_CAMEL_2 = re.compile(r"(?<=[A-Z])(?=[A-Z][a-z])")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
# Letters that do not decompose into a base letter and an accent ("Straße" = "Strasse").
_FOLD = str.maketrans({"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ı": "i"})
# "Address1", "Line2": a number glued to a word is a word of its own.
_LETTER_DIGIT = re.compile(r"(?<=[A-Za-z])(?=[0-9])")
# "IDs", "URLs": a plural acronym is one word, not "I Ds" for the camelCase split.
_PLURAL_ACRONYM = re.compile(r"(?<![A-Za-z])([A-Z]{2,})s(?![A-Za-z])")
# Whole-token rewrites applied after splitting: spelling variants that mean the same word.
_TOKENS = {"e mail": "email", "eml": "email", "no": "number", "nr": "number", "num": "number"}
_TOKEN_RE = re.compile(r"\b(" + "|".join(re.escape(k) for k in _TOKENS) + r")\b")


@lru_cache(maxsize=65536)
def normalize(text: str) -> str:
    """Lower-case words separated by one space: accents and punctuation removed.

    ``&`` becomes the word ``and`` ("Food & Beverages" = "Food and Beverages").
    """
    s = unicodedata.normalize("NFKD", text.lower().translate(_FOLD))
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.replace("&", " and ").replace("'", "")
    return _NON_ALNUM.sub(" ", s.lower()).strip()


@lru_cache(maxsize=65536)
def normalize_header(text: str) -> str:
    """:func:`normalize` for headers and labels: camelCase split, word variants ("e-mail", "no.").

    ``#`` becomes the word ``number`` because headers such as "# Employees" or "Ticket #" carry
    meaning in it.
    """
    s = _PLURAL_ACRONYM.sub(lambda m: m.group(1) + "S", text.replace("#", " number "))
    s = _CAMEL_2.sub(" ", _CAMEL_1.sub(" ", s))
    s = normalize(_LETTER_DIGIT.sub(" ", s))
    return _TOKEN_RE.sub(lambda m: _TOKENS[m.group(1)], s)


def compact(text: str) -> str:
    """The header form without spaces: "First Name" and "firstname" become equal."""
    return normalize_header(text).replace(" ", "")
