"""Which country's dialling rules read a phone number written without ``+``: the row's own.

A UK export writes "0117 496 0124" and a German one "030 1234567"; read with the run's single
region (US by default) those are no numbers at all. When the row says its country, that country
decides; a value crmkit does not know leaves the run's region in charge.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd
import phonenumbers

from crmkit.mapping.normalize import normalize

# fmt: off
_NAMES: dict[str, tuple[str, ...]] = {
    "US": ("united states", "united states of america", "usa", "u s a", "u s", "america"),
    "GB": ("united kingdom", "uk", "u k", "great britain", "britain", "england", "scotland",
           "wales", "northern ireland"),
    "IE": ("ireland", "eire", "republic of ireland"),
    "CA": ("canada",), "MX": ("mexico",), "BR": ("brazil", "brasil"), "AR": ("argentina",),
    "CL": ("chile",), "CO": ("colombia",), "PE": ("peru",),
    "DE": ("germany", "deutschland"), "AT": ("austria", "osterreich"),
    "CH": ("switzerland", "schweiz", "suisse", "svizzera"), "FR": ("france",),
    "BE": ("belgium", "belgique", "belgie"), "NL": ("netherlands", "the netherlands",
    "nederland", "holland"), "LU": ("luxembourg",), "ES": ("spain", "espana"),
    "PT": ("portugal",), "IT": ("italy", "italia"), "DK": ("denmark", "danmark"),
    "NO": ("norway", "norge"), "SE": ("sweden", "sverige"), "FI": ("finland", "suomi"),
    "IS": ("iceland",), "PL": ("poland", "polska"), "CZ": ("czech republic", "czechia",
    "cesko"), "SK": ("slovakia",), "HU": ("hungary", "magyarorszag"), "RO": ("romania",),
    "BG": ("bulgaria",), "GR": ("greece", "hellas"), "HR": ("croatia", "hrvatska"),
    "SI": ("slovenia",), "RS": ("serbia",), "EE": ("estonia",), "LV": ("latvia",),
    "LT": ("lithuania",), "UA": ("ukraine",), "TR": ("turkey", "turkiye"), "IL": ("israel",),
    "RU": ("russia", "russian federation"), "AU": ("australia",), "NZ": ("new zealand",),
    "JP": ("japan",), "CN": ("china", "people s republic of china"), "HK": ("hong kong",),
    "TW": ("taiwan",), "KR": ("south korea", "korea", "republic of korea", "korea republic of"),
    "SG": ("singapore",), "MY": ("malaysia",), "ID": ("indonesia",), "PH": ("philippines",),
    "TH": ("thailand",), "VN": ("vietnam", "viet nam"), "IN": ("india",),
    "PK": ("pakistan",), "BD": ("bangladesh",), "LK": ("sri lanka",),
    "AE": ("united arab emirates", "uae"), "SA": ("saudi arabia",), "QA": ("qatar",),
    "EG": ("egypt",), "ZA": ("south africa",), "NG": ("nigeria",), "KE": ("kenya",),
    "MA": ("morocco",), "LB": ("lebanon",),
}
# fmt: on
_BY_NAME = {name: code for code, names in _NAMES.items() for name in names}
_ISO3 = {"usa": "US", "gbr": "GB", "deu": "DE", "fra": "FR", "nld": "NL", "che": "CH"}


@lru_cache(maxsize=4096)
def region_of(country: str) -> str | None:
    """ISO 3166 alpha-2 region for a country as people write it, or None when unknown."""
    text = country.strip()
    if len(text) == 2 and text.upper() in phonenumbers.SUPPORTED_REGIONS:
        return text.upper()
    key = normalize(text)
    return _BY_NAME.get(key) or _ISO3.get(key)


def row_regions(countries: pd.Series, default: str) -> pd.Series:
    """Each row's dialling region: its country's when known, else ``default``."""
    table = {c: region_of(c) or default for c in pd.unique(countries)}
    return countries.map(table).fillna(default).astype("str")


def file_regions(frame: pd.DataFrame, country: str | None, default: str) -> str | pd.Series:
    """The rows' regions from the file's country column (mapped, or a header that says
    "country" on an object without a country property, e.g. a ticket's "Requester Country");
    ``default`` alone when there is none or no row names another country."""
    if country is None:
        country = next((str(c) for c in frame.columns if _says_country(str(c))), None)
    if country is None or country not in frame.columns:
        return default
    regions = row_regions(frame[country].fillna("").astype("str"), default)
    return regions if (regions != default).any() else default


def _says_country(header: str) -> bool:
    words = normalize(header).split()
    return bool(words) and words[-1] == "country"
