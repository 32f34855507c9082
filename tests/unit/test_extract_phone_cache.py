"""One lookup per phone number, however it is written: the cached region/validity agree."""

from __future__ import annotations

import phonenumbers
import pytest

from crmkit.extract import normalize_phone
from crmkit.extract.phones import _classify


@pytest.mark.parametrize(
    ("writings", "region", "e164", "valid"),
    [
        (["(212) 555-0179", "+1 212 555 0179", "212.555.0179", "212-555-0179 ext. 42"], "US",
         "+12125550179", True),
        (["+39 06 1234 5678", "06 1234 5678"], "IT", "+390612345678", True),  # leading zero kept
        (["+1 242 357 1234", "(242) 357-1234 x7"], "US", "+12423571234", True),  # Bahamas, NANP
        (["+44 20 7946 0958", "020 7946 0958"], "GB", "+442079460958", True),
    ],
)  # fmt: skip
def test_every_writing_of_a_number_shares_one_lookup(
    writings: list[str], region: str, e164: str, valid: bool
) -> None:
    _classify.cache_clear()
    hits = [normalize_phone(w, region) for w in writings]
    assert all(h is not None for h in hits)
    assert {h.e164 for h in hits if h} == {e164}
    assert {h.valid for h in hits if h} == {valid}
    assert _classify.cache_info().misses == 1
    for writing, hit in zip(writings, hits, strict=True):
        number = phonenumbers.parse(writing, region)
        assert hit is not None
        assert hit.region == phonenumbers.region_code_for_number(number)
        assert hit.valid == phonenumbers.is_valid_number(number)
        assert hit.extension == (number.extension or None)
