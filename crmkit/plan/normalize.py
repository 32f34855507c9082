"""Normal forms for matching: company names, web domains, email addresses.

Exports from different systems spell the same company many ways ("ACME, Inc.", "Acme Inc",
"The Acme Company"); matching compares normal forms, never raw text. Every function here is
pure and cheap, and callers apply it once per distinct value.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from crmkit.coerce.text import domain_of

# Legal-form and filler words dropped from the end of a company name (after punctuation is
# removed, so "S.A." is "sa" and "Co." is "co"). "the" is dropped from the start.
LEGAL_SUFFIXES: frozenset[str] = frozenset(
    {
        "inc", "incorporated", "llc", "llp", "lp", "ltd", "limited", "gmbh", "mbh", "kg", "ag",
        "sa", "sas", "sarl", "srl", "spa", "bv", "nv", "plc", "corp", "corporation", "co",
        "company", "group", "holding", "holdings", "pty", "pte", "pvt", "oy", "ab", "kk",
        "se", "sl", "as", "aps", "oyj", "cv",
    }
)  # fmt: skip

# Consumer mailbox providers: an address there says nothing about the person's employer, so
# its domain is never used to link a contact or a ticket to a company.
FREE_MAIL_DOMAINS: frozenset[str] = frozenset(
    {
        "gmail.com", "googlemail.com", "yahoo.com", "yahoo.co.uk", "yahoo.fr", "yahoo.de",
        "yahoo.es", "yahoo.it", "yahoo.co.jp", "yahoo.com.br", "ymail.com", "rocketmail.com",
        "outlook.com", "outlook.fr", "outlook.de", "hotmail.com", "hotmail.co.uk", "hotmail.fr",
        "hotmail.de", "hotmail.it", "hotmail.es", "live.com", "live.fr", "live.co.uk",
        "msn.com", "icloud.com", "me.com", "mac.com", "aol.com", "aim.com", "proton.me",
        "protonmail.com", "protonmail.ch", "pm.me", "tutanota.com", "tuta.io", "gmx.com",
        "gmx.de", "gmx.net", "gmx.fr", "web.de", "t-online.de", "mail.com", "email.com",
        "yandex.com", "yandex.ru", "mail.ru", "inbox.ru", "list.ru", "bk.ru", "rambler.ru",
        "zoho.com", "zohomail.com", "fastmail.com", "fastmail.fm", "hey.com", "orange.fr",
        "wanadoo.fr", "free.fr", "sfr.fr", "laposte.net", "libero.it", "virgilio.it",
        "qq.com", "163.com", "126.com", "sina.com", "naver.com", "daum.net", "hanmail.net",
        "rediffmail.com", "comcast.net", "verizon.net", "att.net", "sbcglobal.net",
        "btinternet.com", "sky.com", "bigpond.com", "shaw.ca", "rogers.com", "seznam.cz",
        "wp.pl", "o2.pl", "interia.pl", "uol.com.br", "bol.com.br", "terra.com.br",
    }
)  # fmt: skip

_DROP = re.compile(r"['’.`´]")  # joined: "S.A." -> "sa", "Macy's" -> "macys"
_LETTER_SLASH = re.compile(r"\b(\w)/(\w)\b")  # "A/S" -> "as"
_SPACE = re.compile(r"[\W_]+")  # any other punctuation separates words
# "Schön & Söhne" is "Schön und Söhne" in the next export: "and" in the languages whose word for
# it is never a name on its own ("y", "e", "en" are left alone).
_AND = {"und": "and", "et": "and", "og": "and", "och": "and"}


@lru_cache(maxsize=200_000)
def normalize_company_name(name: str) -> str:
    """Lower-case, accent-free, punctuation-free name without legal suffixes or a leading "the".

    A name made only of such words ("The Company") keeps them, so it still has a normal form.
    """
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = text.replace("&", " and ").replace("+", " and ")
    text = _LETTER_SLASH.sub(r"\1\2", text)
    words = [_AND.get(w, w) for w in _SPACE.sub(" ", _DROP.sub("", text)).split()]
    kept = words[1:] if len(words) > 1 and words[0] == "the" else list(words)
    while kept and kept[-1] in LEGAL_SUFFIXES:
        kept.pop()
    if kept and kept[-1] == "and":  # "Smith & Co" -> "smith and" -> "smith"
        kept.pop()
    if not kept:
        kept = words
    return " ".join(kept)


def normalize_domain(value: str) -> str:
    """The bare host of a domain, URL or email, or ``""`` when there is none.

    The same rule as coercion's :func:`~crmkit.coerce.text.domain_of`, so a website the plan
    matches on and a ``domain`` column coercion cleaned give the same key ("www2." included).
    """
    return domain_of(value) or ""


def parent_domains(domain: str) -> list[str]:
    """The domain and its parents down to two labels: mail.eu.acme.com -> [..., acme.com]."""
    labels = domain.split(".")
    return [".".join(labels[i:]) for i in range(0, max(1, len(labels) - 1))]


def is_free_mail(domain: str) -> bool:
    """True for consumer mailbox domains (gmail.com, yahoo.co.uk, ...)."""
    return domain in FREE_MAIL_DOMAINS


def normalize_email(value: str) -> str:
    """The address compared case-insensitively: stripped, lower-cased, "" when not an address."""
    text = value.strip().strip("<>").strip().lower()
    if text.startswith("mailto:"):
        text = text[7:]
    local, sep, domain = text.rpartition("@")
    if not sep or not local or "." not in domain or " " in text:
        return ""
    return text
