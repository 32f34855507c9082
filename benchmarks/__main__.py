"""``make bench`` / ``python -m benchmarks``: the import as a user runs it, and preparation.

In one run, and each measurement in its own process:

- the import of ``CRMKIT_BENCH_CONTACTS`` contacts (default 50,000, every phone distinct) by
  ``crmkit import`` against a sandbox at the tier's real window (free: 100 requests per 10 s),
  150 ms latency, whole process: against the ideal time, against the official SDK in a plain
  batch loop (on a second sandbox), first-write latency, 429s, requests per record;
- the same import while another app already spends ``CRMKIT_BENCH_SHARE`` (0.5) of the window;
- the dry run at ``CRMKIT_BENCH_PREP_ROWS`` rows (default 250k, 1M, 2M, 10M; every phone
  distinct): seconds, ratio to ``pandas.read_csv`` of the same file, peak memory.

Sizes come from the environment so a small run is possible, e.g.
``CRMKIT_BENCH_CONTACTS=12000 CRMKIT_BENCH_PREP_ROWS=50000,100000 make bench``.
Writes ``output/bench/{import,preparation}.json`` and ``output/bench/results.md`` and prints
the tables (the README's are pasted from them). Generated data is kept in
``output/bench/data`` and reused.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from typing import Any

from benchmarks import preparation, wholeprocess
from benchmarks.common import OUT, machine, table, write_json
from benchmarks.wholeprocess import WholeCase

DEFAULT_PREP_ROWS = "250000,1000000,2000000,10000000"
DEFAULT_MAX_MB = 12_000
"""A size whose peak memory, projected linearly from the last size measured, would pass this
(``CRMKIT_BENCH_MAX_MB``) is skipped and reported so: the machine is shared."""


def case_from_env() -> WholeCase:
    return WholeCase(
        contacts=int(os.environ.get("CRMKIT_BENCH_CONTACTS", "50000")),
        tier=os.environ.get("CRMKIT_BENCH_TIER", "free"),
        latency_ms=float(os.environ.get("CRMKIT_BENCH_LATENCY_MS", "150")),
        share=float(os.environ.get("CRMKIT_BENCH_SHARE", "0.5")),
    )


def prep_rows_from_env() -> list[int]:
    raw = os.environ.get("CRMKIT_BENCH_PREP_ROWS", DEFAULT_PREP_ROWS)
    return [int(part) for part in raw.split(",") if part.strip()]


def projected_peak_mb(preps: list[dict[str, Any]], rows: int) -> float | None:
    """The last measured peak scaled linearly to ``rows`` (None before the first)."""
    if not preps:
        return None
    last = preps[-1]
    return float(last["dryrun"]["peak_rss_mb"]) * rows / max(int(last["rows"]), 1)


def import_table(result: dict[str, Any]) -> str:
    case, alone, sdk, shared = result["case"], result["alone"], result["sdk"], result["shared"]
    ratio_sdk = sdk["whole_process_s"] / max(alone["whole_process_s"], 1e-9)
    rows = [
        ["contacts (every phone distinct) / landed",
         f"{case['contacts']:,} / {alone['records']:,}"],
        ["sandbox", f"tier {case['tier']}, {case['latency_ms']:g} ms latency, "
         f"window {case['window_s']:g} s (not scaled)"],
        ["crmkit import, whole process s (exit code)",
         f"{alone['whole_process_s']} ({alone['exit_code']})"],
        ["ideal s: (⌈requests / limit⌉ − 1) × window", alone["ideal_s"]],
        ["ratio to the ideal", alone["ratio_to_ideal"]],
        ["official SDK in a plain batch loop, whole process s",
         f"{sdk['whole_process_s']} ({sdk['records']:,} landed)"],
        ["crmkit vs the SDK loop (× faster)", round(ratio_sdk, 2)],
        ["first write, s after process start", alone["first_write_s"]],
        ["429s (crmkit / SDK loop)", f"{alone['rate_limited_429']} / {sdk['rate_limited_429']}"],
        ["requests counted by the window (upserts, minimum ⌈records/100⌉)",
         f"{alone['requests_counted']} ({alone['upsert_requests']}, "
         f"{alone['upsert_requests_min']})"],
        ["requests per record (minimum)",
         f"{alone['requests_per_record']} ({alone['requests_per_record_min']})"],
        [f"shared: another app spends {shared['share']:.0%} of the window; whole process s",
         shared["whole_process_s"]],
        ["shared: crmkit upserts per window after the first (budget left)",
         f"{shared['crmkit_upserts_per_window']} ({shared['budget_left_per_window']})"],
        ["shared: 429s to crmkit / to the other app",
         f"{shared['crmkit_429']} / {shared['neighbour_429']} (of {shared['neighbour_sent']})"],
    ]  # fmt: skip
    return table(["import as a user runs it", "value"], rows)


def preparation_table(preps: list[dict[str, Any]]) -> str:
    first_peak = preps[0]["dryrun"]["peak_rss_mb"] if preps else None
    rows = []
    for prep in preps:
        dry, floor = prep["dryrun"], prep["floor"]
        rows.append(
            [
                f"{prep['rows']:,}",
                prep["file_mb"],
                dry["total_s"],
                floor["total_s"],
                prep.get("ratio_to_floor"),
                dry["peak_rss_mb"],
                round(dry["peak_rss_mb"] / first_peak, 2) if first_peak else None,
                prep.get("accounted"),
                ", ".join(
                    f"{stage} {seconds:.1f}"
                    for stage, seconds in sorted(
                        dry["stages_s"].items(), key=lambda item: -float(item[1])
                    )[:4]
                ),
            ]
        )
    headers = ["rows (every phone distinct)", "file MB", "dry run s", "read_csv s",
               "× floor", "peak MB", "peak vs first size", "rows accounted",
               "slowest stages s"]  # fmt: skip
    return table(headers, rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--only", choices=("import", "preparation"), default=None)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    host = machine()
    parts = [
        f"Measured {host['measured_at']} on {host['cpus']} CPUs, Python {host['python']}"
        f" (1-min load average at start {host['load_avg_1m']})."
    ]
    if args.only in (None, "import"):
        case = case_from_env()
        print(f"import of {case.contacts:,} contacts (alone, SDK, shared) …", file=sys.stderr)
        imported = wholeprocess.measure(case)
        write_json("import", {"machine": host, **imported})
        parts.append(import_table(imported))
    if args.only in (None, "preparation"):
        preps: list[dict[str, Any]] = []
        skipped: list[str] = []
        budget = float(os.environ.get("CRMKIT_BENCH_MAX_MB", DEFAULT_MAX_MB))
        for rows in prep_rows_from_env():
            projected = projected_peak_mb(preps, rows)
            if projected is not None and projected > budget:
                skipped.append(
                    f"{rows:,} rows skipped: projected peak {projected:,.0f} MB"
                    f" > CRMKIT_BENCH_MAX_MB={budget:,.0f}"
                )
                continue
            print(f"preparation {rows:,} rows …", file=sys.stderr, flush=True)
            preps.append(preparation.measure(rows))
        write_json("preparation", {"machine": host, "runs": preps, "skipped": skipped})
        parts.append(preparation_table(preps))
        parts.extend(skipped)
    parts.append(f"`make bench` took {time.perf_counter() - started:.0f} s.")
    text = "\n\n".join(parts) + "\n"
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "results.md").write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
