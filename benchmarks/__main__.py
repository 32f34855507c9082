"""``make bench`` / ``python -m benchmarks [--quick]``: throughput, preparation and growth.

Writes ``output/bench/{throughput,preparation,growth}.json`` and ``output/bench/results.md``,
and prints the Markdown tables (the README's "Benchmarks" section is pasted from them).
Each measurement runs in its own child process; generated data is kept in
``output/bench/data`` and reused by later runs.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from benchmarks import growth, preparation, throughput
from benchmarks.common import OUT, machine, table, write_json
from benchmarks.throughput import ImportCase

IMPORT_SIZES = ((1_000, 5_000, 5_000), (2_500, 12_500, 12_500), (5_000, 25_000, 25_000))
PREP_SIZES = (10_000, 100_000, 1_000_000)
QUICK_IMPORT_SIZES = ((200, 1_000, 1_000), (500, 2_500, 2_500), (1_000, 5_000, 5_000))
QUICK_PREP_SIZES = (10_000, 30_000, 100_000)


def headline_import(result: dict[str, Any]) -> str:
    case = result["case"]
    rows = [
        ["records imported (companies, contacts, tickets)", f"{result['records']:,}"],
        ["sandbox", f"tier {case['tier']}, {case['latency_ms']:g} ms latency, "
         f"window scaled 10 s → {case['window_s']:g} s, concurrency {case['concurrency']}"],
        ["ceiling", f"{result['ceiling_records_per_s']:,.0f} records/s"
         f" = {result['ceiling_formula']}"],
        ["records/s (object phase)", result["records_per_s"]],
        ["ratio to ceiling (whole phase, incl. the first window's free burst)",
         result["ratio_to_ceiling"]],
        ["ratio to ceiling, steady state (whole limiter cycles)",
         result["steady_ratio_to_ceiling"]],
        ["model 0.95 × W / (W + median batch time "
         f"{result['median_round_trip_s']} s)", result["model_ratio"]],
        ["windows spanned", result["windows"]],
        ["upsert requests (minimum ⌈records/100⌉ per type)",
         f"{result['upsert_requests']} ({result['upsert_requests_min']})"],
        ["requests per record (minimum)",
         f"{result['requests_per_record']} ({result['requests_per_record_min']})"],
        ["association calls (minimum ⌈links/100⌉ per pair)",
         f"{result['association_requests']} ({result['association_requests_min']})"],
        ["links created / s", f"{result['links_created']:,} in {result['associations_s']} s"],
        ["429s received / retries", f"{result['rate_limited_429']} / {result['retries']}"],
    ]  # fmt: skip
    return table(["import throughput", "value"], rows)


def headline_preparation(prep: dict[str, Any]) -> str:
    dry = prep["dryrun"]
    stages = ", ".join(f"{k} {v:.1f}" for k, v in dry["stages_s"].items())
    rows = [
        ["rows (contacts, 5% planted dirt)", f"{prep['rows']:,} ({prep['file_mb']} MB)"],
        ["dry run total s (read → plan, plan.json and reports written)", dry["total_s"]],
        ["seconds per stage", stages],
        ["rows/s", dry["rows_per_s"]],
        ["peak memory MB (child process ru_maxrss)", dry["peak_rss_mb"]],
        ["chunked prepare + plan: s / peak MB",
         f"{prep['chunked']['total_s']} / {prep['chunked']['peak_rss_mb']}"
         if "chunked" in prep else "–"],
        ["bare pandas.read_csv floor: s / peak MB",
         f"{prep['floor']['total_s']} / {prep['floor']['peak_rss_mb']}"],
        ["ratio to the floor", prep.get("ratio_to_floor")],
        ["rows = rejected + duplicates + planned", prep.get("accounted")],
        ["rejections and duplicates equal the planted ones", prep.get("matches_planted")],
    ]  # fmt: skip
    return table(["preparation at scale", "value"], rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller sizes (a few minutes)")
    parser.add_argument("--only", choices=("import", "preparation"), default=None)
    args = parser.parse_args(argv)
    import_sizes = QUICK_IMPORT_SIZES if args.quick else IMPORT_SIZES
    prep_sizes = QUICK_PREP_SIZES if args.quick else PREP_SIZES
    started = time.perf_counter()
    host = machine()
    imports: list[dict[str, Any]] = []
    preps: list[dict[str, Any]] = []
    if args.only in (None, "import"):
        for size in import_sizes:
            print(f"import {size} …", file=sys.stderr, flush=True)
            imports.append(throughput.measure(ImportCase(*size)))
        write_json("throughput", {"machine": host, "runs": imports})
    if args.only in (None, "preparation"):
        for rows in prep_sizes:
            print(f"preparation {rows:,} rows …", file=sys.stderr, flush=True)
            preps.append(preparation.measure(rows))
        write_json("preparation", {"machine": host, "runs": preps})
    parts = [f"Measured {host['measured_at']} on {host['cpus']} CPUs, Python {host['python']}"
             f" (1-min load average at start {host['load_avg_1m']})."]  # fmt: skip
    if imports:
        parts.append(headline_import(imports[-1]))
    if preps:
        parts.append(headline_preparation(preps[-1]))
    if imports and preps:
        write_json(
            "growth",
            {
                "preparation": growth.preparation_rows(preps),
                "import": growth.import_rows(imports),
            },
        )
        parts.append(growth.growth_tables(preps, imports))
    parts.append(f"`make bench` took {time.perf_counter() - started:.0f} s.")
    text = "\n\n".join(parts) + "\n"
    (OUT / "results.md").write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
