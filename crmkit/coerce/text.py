"""Strings, domains and names: the cleaning that is not about types."""

from __future__ import annotations

import re
from functools import lru_cache

from crmkit.coerce.html import html_to_text, looks_like_html

MAX_VALUE_CHARS = 65_536
"""HubSpot refuses property values longer than this."""

_WS = re.compile(r"\s+")
_LINE_WS = re.compile(r"[ \t\u00a0]+")
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
_DOMAIN = re.compile(r"^(?=.{4,253}$)(?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)+[^\W\d_][\w-]{0,62}$")


def clean_line(text: str) -> str:
    """One-line text: trimmed, every run of whitespace one space."""
    return _WS.sub(" ", text).strip()


def clean_block(text: str) -> str:
    """Multi-line text (descriptions, ticket bodies): line breaks kept, spaces tidied.

    A body exported as HTML (helpdesks store their editor's markup) becomes plain text first.
    """
    if looks_like_html(text):
        text = html_to_text(text)
    lines = (_LINE_WS.sub(" ", line).strip() for line in text.replace("\r\n", "\n").split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


@lru_cache(maxsize=65_536)
def domain_of(value: str) -> str | None:
    """The bare domain of a website, URL or email: ``https://www.Acme.com:8080/x`` → ``acme.com``.

    This is what links contacts to companies (HubSpot deduplicates companies by domain).
    """
    s = value.strip().lower()
    if not s:
        return None
    if "@" in s and "/" not in s:
        s = s.rsplit("@", 1)[1]
    s = _SCHEME.sub("", s)
    s = s.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    s = s.rsplit("@", 1)[-1]  # user:pass@host
    s = s.split(":", 1)[0].strip(". ")
    if s.startswith("www."):
        s = s[4:]
    elif re.match(r"^www\d\.", s):
        s = s[5:]
    return s if _DOMAIN.match(s) else None


def split_full_name(value: str) -> tuple[str, str]:
    """``"Doe, Jane"`` or ``"Jane Q. Doe"`` → ``("Jane", "Doe")`` / ``("Jane Q.", "Doe")``."""
    s = clean_line(value)
    if not s:
        return "", ""
    if "," in s:
        last, _, first = s.partition(",")
        return first.strip(), last.strip()
    if " " not in s:
        return s, ""
    first, _, last = s.rpartition(" ")
    return first, last
