"""Phone numbers in free text and in single cells, as E.164 with the extension kept apart.

phonenumbers' ``PhoneNumberMatcher`` runs at ``Leniency.POSSIBLE``, chosen deliberately: the
stricter ``VALID`` drops numbers people really write in tickets (fictional 555 numbers, numbers
from ranges the metadata does not know yet), and each hit must say whether it is valid or only
possible. The precision lost by that choice is won back here, by context: a number glued to an
identifier (``INV-2024-000123``), labelled as an order/ticket/account number, or next to a
currency sign is not a phone; a number that is only possible must also look like a phone
(international ``+``, an extension, full national formatting, or a phone word nearby).
The matcher itself already skips dates, times and page ranges.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers
from phonenumbers import Leniency, NumberParseException, PhoneNumber, PhoneNumberMatcher

_E164 = phonenumbers.PhoneNumberFormat.E164

_ENOUGH_DIGITS = re.compile(r"\d(?:\D{0,3}\d){5}")
"""Fewer than six digits close together cannot be a phone: skip the matcher (the slow part)."""

_IDD_00 = re.compile(r"(?<![\w+])00(?=[1-9]\d)")
"""``0033 1 …``: the ITU international prefix, which the US matcher would read as national."""

_NEGATIVE = (
    r"order|ord|invoice|inv|ticket|tkt|case|ref|reference|id|account|acct|po|sku|serial|s/n"
    r"|tracking|zip|postal|postcode|iban|ssn|isbn|version|ver|build|confirmation|conf|booking"
    r"|reservation|policy|claim|batch|lot|item|part|model|transaction|txn|receipt|customer"
    r"|commande|facture|bestellung|bestellnummer|rechnung|kundennummer|auftrag|pedido|factura"
    r"|fatura|cpf|cnpj|cep|pin|upi|plz"
)
_LABELLED_NOT_PHONE = re.compile(
    rf"\b(?:{_NEGATIVE})\b[\s#:.\-]*(?:(?:no|nr|num|number)\b[\s#:.\-]*)?$", re.IGNORECASE
)
_PHONE_WORDS = re.compile(
    r"\b(?:tel|tél|telephone|téléphone|phone|ph|call|calling|mobile|mob|cell|cellphone|fax"
    r"|whatsapp|sms|text|reach|dial|hotline|telefon|teléfono|telefono|telefone|celular|móvil"
    r"|movil|portable|handy|mobil|numéro|nummer|número|contact)\b|[☎📞]|(?<!\w)[TMPF]\s?:",
    re.IGNORECASE,
)
_GLUED_IDENTIFIER = re.compile(r"(?:[A-Za-z]{1,12}[-_/]|#\s*)$")
_CURRENCY_BEFORE = re.compile(r"[$€£¥₹]\s*$|\b(?:USD|EUR|GBP|CHF|BRL|INR|JPY)\s*$")
_CURRENCY_AFTER = re.compile(r"^\s*(?:[$€£¥₹%]|(?:USD|EUR|GBP|CHF|BRL|INR|JPY)\b)")
_ASCII_WORD = re.compile(r"[A-Za-z0-9_]")
_SEPARATED = re.compile(r"\d[\s().\-]+\d")

CELL_LABEL = re.compile(r"^(?:tel|phone|mobile|cell|fax|ph|t|m|p)\s*[:.]\s*", re.IGNORECASE)
_CELL_PHONEISH = re.compile(
    r"^\+?[\d\s().\-/]{4,}(?:\s*(?:ext\.?|extension|x|#)\s*\d{1,6})?$", re.IGNORECASE
)
CELL_DATE = re.compile(r"^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}$")

WINDOW = 30
"""Characters of context looked at before a candidate number."""


@dataclass(frozen=True)
class PhoneHit:
    """One phone number found: E.164 without the extension, which is kept apart.

    ``valid`` is phonenumbers' ``is_valid_number`` (an assigned range); a hit with
    ``valid=False`` is only possible (right length for its country).
    """

    e164: str
    extension: str | None
    valid: bool
    raw: str
    start: int
    end: int
    region: str | None = None


def _hit(number: PhoneNumber, raw: str, start: int, end: int) -> PhoneHit:
    e164, region, valid = _classify(
        number.country_code,
        number.national_number,
        number.italian_leading_zero,
        number.number_of_leading_zeros,
    )
    return PhoneHit(
        e164=e164,
        extension=number.extension or None,
        valid=valid,
        raw=raw,
        start=start,
        end=end,
        region=region,
    )


@lru_cache(maxsize=100_000)
def _classify(
    country_code: int | None,
    national_number: int | None,
    italian_leading_zero: bool | None,
    leading_zeros: int | None,
) -> tuple[str, str | None, bool]:
    """E.164 text, region and validity of one number (extension aside), looked up once.

    These fields are all that E.164 formatting and the region/validity lookups read, so one
    number written several ways, or a switchboard number with many extensions, costs one
    lookup; for +1 numbers the region lookup tries each NANP country's ranges in turn.
    is_valid_number() would look the region up again: it is done once here.
    """
    number = PhoneNumber(
        country_code=country_code,
        national_number=national_number,
        italian_leading_zero=italian_leading_zero,
        number_of_leading_zeros=leading_zeros,
    )
    region = phonenumbers.region_code_for_number(number)
    valid = region is not None and phonenumbers.is_valid_number_for_region(number, region)
    return phonenumbers.format_number(number, _E164), region, valid


def _not_a_phone(text: str, start: int, end: int) -> bool:
    """Context rules (cheap, so they run first): an identifier, a labelled number, an amount."""
    before = text[max(0, start - WINDOW) : start]
    after = text[end : end + 5]
    if _ASCII_WORD.match(before[-1:]) or _ASCII_WORD.match(after[:1]) or after[:1] == "/":
        return True  # glued to a word: part of an identifier (CJK text has no spaces: allowed)
    if _GLUED_IDENTIFIER.search(before) or _LABELLED_NOT_PHONE.search(before):
        return True
    return bool(_CURRENCY_BEFORE.search(before) or _CURRENCY_AFTER.search(after))


def _looks_like_a_phone(text: str, hit: PhoneHit, number: PhoneNumber) -> bool:
    """A number that is only possible must also be written or announced like a phone."""
    if hit.valid:
        return True
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason != phonenumbers.ValidationResult.IS_POSSIBLE:
        return False  # local-only (no area code): cannot be written as E.164
    raw = hit.raw.lstrip()
    if raw.startswith(("+", "00")) or hit.extension:
        return True
    formatted = _SEPARATED.search(raw) is not None and len(str(number.national_number)) >= 10
    before = text[max(0, hit.start - WINDOW) : hit.start]
    return formatted or _PHONE_WORDS.search(before) is not None


def find_phone_matches(text: str, region: str = "US") -> list[PhoneHit]:
    """Every phone number in ``text`` with its position, validity and extension.

    ``region`` (ISO 3166 alpha-2) is how national numbers without ``+`` are read.
    """
    if not text or not _ENOUGH_DIGITS.search(text):
        return []
    scanned = _IDD_00.sub(" +", text)  # same length, so offsets stay those of ``text``
    hits: list[PhoneHit] = []
    for match in PhoneNumberMatcher(scanned, region, leniency=Leniency.POSSIBLE):
        start, end = match.start, match.end
        if scanned[start] == "+" and text[start - 1 : start + 1] == "00":
            start -= 1
        if _not_a_phone(text, start, end):
            continue
        hit = _hit(match.number, text[start:end], start, end)
        if _looks_like_a_phone(text, hit, match.number):
            hits.append(hit)
    return hits


def find_phones(text: str, region: str = "US") -> list[str]:
    """E.164 numbers (no extension) in ``text``, de-duplicated in order of appearance."""
    seen: dict[str, None] = {}
    for hit in find_phone_matches(text, region):
        seen.setdefault(hit.e164, None)
    return list(seen)


def normalize_phone(value: str, region: str = "US") -> PhoneHit | None:
    """The one phone number a cell holds (as in a "Phone Number" column), or None.

    Stricter than the text matcher about shape (digits, separators, an optional ``tel:``-like
    label and extension; no letters, no dates) and looser about context, since the column
    already says it is a phone. Possible-but-invalid numbers are returned with ``valid=False``.
    """
    if not isinstance(value, str):
        return None
    text = CELL_LABEL.sub("", value.strip())
    text = re.sub(r"^00(?=[1-9])", "+", text)
    if not _CELL_PHONEISH.match(text) or CELL_DATE.match(text):
        return None
    try:
        number = phonenumbers.parse(text, region)
    except NumberParseException:
        return None
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason != phonenumbers.ValidationResult.IS_POSSIBLE:
        return None
    return _hit(number, value, 0, len(value))
