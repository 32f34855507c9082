"""The phone fast path agrees with phonenumbers (the reference) on a large labelled sample.

The sample is generated (seeded): numbers of a dozen countries written the ways exports write
them (national, international, ``00``, with a ``(0)``, dots, dashes, brackets, extensions,
labels, a leading trunk ``1``), plus near misses (too short, too long, dates, letters, two
numbers in a cell, other scripts' digits). For every value the fast path either decides
exactly what ``normalize_phone`` gives or leaves it to phonenumbers; most plain ones it decides.
"""

from __future__ import annotations

import random

import pytest

from crmkit.coerce.phones import _phone_text
from crmkit.extract import normalize_phone
from crmkit.extract.phonefast import e164_texts

# (region, calling code, national-number lengths commonly written, trunk prefix)
COUNTRIES = (
    ("US", "1", (10,), "1"),
    ("CA", "1", (10,), "1"),
    ("GB", "44", (10, 9), "0"),
    ("DE", "49", (10, 11, 7), "0"),
    ("FR", "33", (9,), "0"),
    ("BR", "55", (10, 11), "0"),
    ("IN", "91", (10,), "0"),
    ("JP", "81", (9, 10), "0"),
    ("AU", "61", (9,), "0"),
    ("IT", "39", (9, 10), ""),
    ("ES", "34", (9,), ""),
    ("MX", "52", (10,), ""),
)


def _digits(rng: random.Random, n: int) -> str:
    return str(rng.randint(2, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(n - 1))


def _group(number: str, rng: random.Random) -> str:
    sep = rng.choice((" ", "-", ".", ""))
    cut = sorted(rng.sample(range(1, len(number)), 2))
    return sep.join((number[: cut[0]], number[cut[0] : cut[1]], number[cut[1] :]))


def written(rng: random.Random, code: str, national: str, trunk: str) -> str:
    """One way of writing a number, as seen in exports."""
    style = rng.randrange(12)
    grouped = _group(national, rng)
    if style == 0:
        text = f"+{code} {grouped}"
    elif style == 1:
        text = f"00{code} {grouped}"
    elif style == 2:
        text = f"+{code} ({trunk or '0'}){grouped}"
    elif style == 3:
        text = f"({national[:3]}) {national[3:6]}-{national[6:]}"
    elif style == 4:
        text = f"{trunk}{grouped}"
    elif style == 5:
        text = f"{trunk} {grouped}" if trunk else grouped
    elif style == 6:
        text = f"+{code}{national}"
    elif style == 7:
        marker = rng.choice(("ext.", "ext", "x", "X", "#", "extension"))
        text = f"{grouped} {marker} {rng.randint(1, 99999)}"
    elif style == 8:
        text = f"{rng.choice(('Tel: ', 'Phone. ', 'M: ', 'mobile: '))}{grouped}"
    elif style == 9:
        text = f"+{code}-{grouped}x{rng.randint(1, 999)}"
    elif style == 10:
        text = f"  {national}  "
    else:
        text = f"{code}{national}"
    return text


NEAR_MISSES = (
    "", "n/a", "call reception", "12", "555-0123", "2024-03-15", "15/03/2024", "+", "+0 123 456",
    "+1 415 555 0123 / +1 415 555 0199", "415-555-0123; 415-555-0199", "+800 1234 5678",
    "+44 (0)20 7946 0958", "1-800-FLOWERS", "٠١٢٣٤٥٦٧٨٩٠", "＋１ ４１５ ５５５ ０１２３",
    "+1 415 555 01234567890", "0044 20 7946 0958", "011 44 20 7946 0958", "+39 06 6982 1234",
    "(0) 30 1234567", "+49 (0) 30 1234567", "1 (415) 555-0123", "+1 (415) 555-0123 ext 7",
)  # fmt: skip


def labelled_sample(n: int = 10_000, seed: int = 3) -> list[str]:
    rng = random.Random(seed)
    values = list(NEAR_MISSES)
    while len(values) < n:
        _, code, lengths, trunk = rng.choice(COUNTRIES)
        national = _digits(rng, rng.choice((*lengths, rng.randint(4, 14))))
        values.append(written(rng, code, national, trunk))
    return values


def reference(value: str, region: str) -> str | None:
    hit = normalize_phone(value, region)
    return None if hit is None else _phone_text(hit)


@pytest.mark.parametrize("region", ["US", "GB", "DE", "FR", "BR", "IN", "JP", "IT", "CA", "AU"])
def test_every_decided_value_equals_phonenumbers(region: str) -> None:
    """No value on which the two disagree, in any default region."""
    sample = labelled_sample()
    fast = e164_texts(sample, region)
    decided = [(v, got) for v, got in zip(sample, fast, strict=True) if got is not None]
    wrong = [(v, got, reference(v, region)) for v, got in decided if got != reference(v, region)]
    assert wrong == []


def test_most_plainly_written_numbers_are_decided_by_the_fast_path() -> None:
    """International and US national numbers without trunk prefixes: nearly all decided."""
    rng = random.Random(5)
    plain = [
        f"+{code} {_group(_digits(rng, lengths[0]), rng)}"
        for _, code, lengths, _ in COUNTRIES
        for _ in range(200)
    ] + [
        f"({_digits(rng, 3)}) {rng.randint(200, 999)}-{rng.randint(0, 9999):04d}"
        for _ in range(500)
    ]
    decided = [v for v, got in zip(plain, e164_texts(plain, "US"), strict=True) if got is not None]
    possible = [v for v in plain if reference(v, "US") is not None]
    assert len(decided) >= 0.9 * len(possible)


def test_undecided_values_are_left_to_the_reference() -> None:
    """Values libphonenumber reads in a way the fast path does not model stay undecided."""
    tricky = ["+44 (0)20 7946 0958", "1 (415) 555-0123", "011 44 20 7946 0958", "+39 06 6982 1234"]
    assert e164_texts(tricky, "US") == [None, None, None, None]
    assert e164_texts([], "US") == []
    assert e164_texts(["+1 415 555 0123"], "ZZ") == [None]
