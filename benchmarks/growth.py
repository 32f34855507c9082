"""Cost of growth: how preparation and import figures scale across three sizes.

The scaling exponent between two sizes is ``log(t2 / t1) / log(n2 / n1)``: 1.0 is linear,
below 1 means fixed costs (imports, Great Expectations start-up, the first window's free
burst) still weigh, above 1 means something grows faster than the data.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from benchmarks.common import table


def exponent(n1: float, t1: float, n2: float, t2: float) -> float | None:
    """Growth exponent of time against size between two measurements."""
    if min(n1, t1, n2, t2) <= 0 or n1 == n2:
        return None
    return round(math.log(t2 / t1) / math.log(n2 / n1), 2)


def preparation_rows(preps: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for i, prep in enumerate(preps):
        dry = prep["dryrun"]
        row = {
            "rows": prep["rows"],
            "total_s": dry["total_s"],
            "rows_per_s": dry["rows_per_s"],
            "us_per_row": round(dry["total_s"] / prep["rows"] * 1e6, 1),
            "peak_rss_mb": dry["peak_rss_mb"],
            "chunked_peak_rss_mb": (prep.get("chunked") or {}).get("peak_rss_mb"),
            "floor_s": (prep.get("floor") or {}).get("total_s"),
            "exponent": None,
        }
        if i:
            before = preps[i - 1]
            row["exponent"] = exponent(
                before["rows"], before["dryrun"]["total_s"], prep["rows"], dry["total_s"]
            )
        out.append(row)
    return out


def import_rows(imports: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for i, result in enumerate(imports):
        row = {
            "records": result["records"],
            "prepare_s": result["prepare_s"],
            "objects_s": result["objects_s"],
            "records_per_s": result["records_per_s"],
            "ratio_to_ceiling": result["ratio_to_ceiling"],
            "steady_ratio_to_ceiling": result["steady_ratio_to_ceiling"],
            "windows": result["windows"],
            "associations_s": result["associations_s"],
            "exponent": None,
        }
        if i:
            before = imports[i - 1]
            row["exponent"] = exponent(
                before["records"], before["objects_s"], result["records"], result["objects_s"]
            )
        out.append(row)
    return out


def growth_tables(preps: Sequence[dict[str, Any]], imports: Sequence[dict[str, Any]]) -> str:
    """Both growth tables as Markdown."""
    prep = table(
        [
            "contacts rows",
            "dry run s",
            "rows/s",
            "µs/row",
            "peak MB",
            "peak MB chunked",
            "pandas floor s",
            "growth exp.",
        ],
        [
            [
                r["rows"],
                r["total_s"],
                r["rows_per_s"],
                r["us_per_row"],
                r["peak_rss_mb"],
                _dash(r["chunked_peak_rss_mb"]),
                _dash(r["floor_s"]),
                _dash(r["exponent"]),
            ]
            for r in preparation_rows(preps)
        ],
    )
    imp = table(
        [
            "records",
            "prepare s",
            "objects s",
            "records/s",
            "ratio",
            "steady ratio",
            "windows",
            "associations s",
            "growth exp.",
        ],
        [
            [
                r["records"],
                r["prepare_s"],
                r["objects_s"],
                r["records_per_s"],
                r["ratio_to_ceiling"],
                _dash(r["steady_ratio_to_ceiling"]),
                r["windows"],
                r["associations_s"],
                _dash(r["exponent"]),
            ]
            for r in import_rows(imports)
        ],
    )
    return f"{prep}\n\n{imp}"


def _dash(value: Any) -> Any:
    return "–" if value is None else value
