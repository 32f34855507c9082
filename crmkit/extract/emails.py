"""Email addresses in free text and in single cells.

A loose regular expression proposes candidates; email-validator (syntax only, no DNS) decides.
The regex is deliberately wide (Unicode letters, every RFC "atext" symbol but ``/`` and ``=``)
so that validation, not the pattern, is what rejects; URL context and file-name look-alikes are
filtered first because they are syntactically valid addresses that no person meant.
"""

from __future__ import annotations

import re
from functools import lru_cache

from email_validator import EmailNotValidError, validate_email

_LOCAL_CHARS = r"\w.!#$%&'*+?^`{|}~-"
_CANDIDATE = re.compile(
    rf"(?<![{_LOCAL_CHARS}])"  # start at the beginning of the local part, never inside it
    rf"(?P<local>[{_LOCAL_CHARS}]+)"
    r"@"
    r"(?P<domain>(?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)+(?:[^\W\d_]{2,63}|xn--[A-Za-z0-9-]{2,59}))"
    r"(?![\w-])"  # never cut a domain label in half
)
_URL_MARK = re.compile(r"://|^www\.|^[\w-]+(?:\.[\w-]+)+/", re.IGNORECASE)
_LEADING_JUNK = ".'`{|}~-"
_FILE_SUFFIXES = frozenset(
    {"png", "jpg", "jpeg", "gif", "svg", "webp", "bmp", "ico", "tif", "tiff", "pdf", "css", "js"}
)
"""Look like TLDs but are file names: ``logo@2x.png`` is an image, not an address."""

_DISPLAY_FORM = re.compile(r'^\s*(?:"[^"]*"|[^<>"]*?)\s*<\s*([^<>\s]+)\s*>\s*$')
_CELL_TRIM = "\"'()[]<>{}.,;:"


@lru_cache(maxsize=65_536)
def _validated(candidate: str) -> str | None:
    """Normalised address (domain lower-cased, local part kept) or None; cached per string.

    ``test_environment`` admits the reserved ``.test`` names that demo and sandbox data use
    (RFC 2606); ``localhost``, ``.local``, ``.invalid`` and the like stay refused. Role
    mailboxes (``Sales@``, ``Postmaster@``) are lower-cased by email-validator (RFC 2142).
    """
    try:
        result = validate_email(candidate, check_deliverability=False, test_environment=True)
    except EmailNotValidError:
        return None
    return str(result.normalized)


def _drop_glued_word(domain: str) -> str:
    """``company.com.Phone`` → ``company.com``: a missing space glued the next word on.

    Real domains are written in one case; a Titlecase last label after an all-lowercase
    domain with a dot is the start of the next sentence.
    """
    head, _, last = domain.rpartition(".")
    if "." in head and head.islower() and last[:1].isupper() and last[1:].islower():
        return head
    return domain


def _in_url(text: str, start: int) -> bool:
    """True when the candidate sits inside a URL-like token (``https://x/@u``, ``u:p@host``)."""
    token_start = start
    while token_start > 0 and not text[token_start - 1].isspace():
        token_start -= 1
    before = text[token_start:start]
    return bool(_URL_MARK.search(before)) and not before.lower().startswith("mailto:")


def find_emails(text: str) -> list[str]:
    """Every syntactically valid address in ``text``, normalised, de-duplicated in order.

    Surrounding punctuation (``<a@b.com>``, ``(a@b.com).``, ``mailto:``) never becomes part
    of an address; hosts without a dot (``name@localhost``) and special-use names are refused.
    """
    if not text or "@" not in text:
        return []
    found: list[str] = []
    for match in _CANDIDATE.finditer(text):
        local = match.group("local").lstrip(_LEADING_JUNK)
        domain = _drop_glued_word(match.group("domain"))
        if not local or domain.rsplit(".", 1)[-1].lower() in _FILE_SUFFIXES:
            continue
        if _in_url(text, match.start()):
            continue
        address = _validated(f"{local}@{domain}")
        if address is not None and address not in found:
            found.append(address)
    return found


def normalize_email(value: str) -> str | None:
    """The one address a cell holds, normalised; None when it is not exactly one address.

    Strict on purpose: a cell ``john doe@x.com`` is a typo to report, not ``doe@x.com``.
    Accepts ``mailto:a@b.com``, ``<a@b.com>`` and ``John Doe <a@b.com>``.
    """
    if not isinstance(value, str):
        return None
    text = value.strip()
    display = _DISPLAY_FORM.match(text)
    if display:
        text = display.group(1)
    if text[:7].lower() == "mailto:":
        text = text[7:]
    text = text.strip(_CELL_TRIM + " ")
    if not text or any(ch.isspace() for ch in text) or text.count("@") != 1:
        return None
    domain = text.rsplit("@", 1)[1]
    if "." not in domain or domain.rsplit(".", 1)[-1].lower() in _FILE_SUFFIXES:
        return None
    return _validated(text)
