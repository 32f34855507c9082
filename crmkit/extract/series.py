"""Vectorised extraction over a pandas Series: each distinct value is processed once.

CRM columns repeat a lot (the same company phone on every contact, template ticket bodies), and
the matchers cost tens of microseconds per string, so the work is done per distinct value
(``pd.factorize``) and spread back, which keeps a million-row column in seconds.

Rows with equal text share one result list: treat the lists as read-only (copy before
changing one).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import numpy as np
import pandas as pd

from crmkit.extract.emails import find_emails
from crmkit.extract.phones import find_phones


def _per_distinct(series: pd.Series, extract: Callable[[str], list[str]]) -> pd.Series:
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    results = np.empty(len(uniques) + 1, dtype=object)
    results[:-1] = [extract(value) if isinstance(value, str) else [] for value in uniques]
    results[-1] = []  # code -1 (missing) indexes the last slot
    values = results[codes]  # equal cells share one list: copying a million lists costs seconds
    return pd.Series(values, index=series.index, name=series.name, dtype=object)


def emails_in(series: pd.Series) -> pd.Series:
    """A Series of ``list[str]``: the addresses ``find_emails`` sees in each cell."""
    return _per_distinct(series, find_emails)


def _phones_of(text: str, region: str) -> list[str]:
    return find_phones(text, region)


def phones_in(series: pd.Series, region: str | pd.Series = "US") -> pd.Series:
    """A Series of ``list[str]``: the E.164 numbers ``find_phones`` sees in each cell.

    ``region`` is one dialling region for all cells, or a Series of each row's region (a UK
    requester's "020 7946 0321" is a London number, a US one's is none).
    """
    if isinstance(region, str):
        return _per_distinct(series, lambda text: find_phones(text, region))
    parts = []
    for code in pd.unique(region):
        rows = series[region == code]
        parts.append(_per_distinct(rows, partial(_phones_of, region=str(code))))
    return pd.concat(parts).reindex(series.index) if parts else _per_distinct(series, list)
