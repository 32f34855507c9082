"""Preparation at scale: read → map → coerce → extract → validate → dedupe → plan, no writes.

The file is the worst case for preparation: every contact has a phone no other row has, so
nothing is shared between rows. Measurements per file, each in its own child process (so
each peak memory is its own; ``MODES`` by default, ``chunked`` on request):

- ``dryrun``: the real dry-run path (``run_import(ImportOptions(dry_run=True))``, exactly what
  ``crmkit import --dry-run`` runs), with exclusive seconds per stage from
  :mod:`benchmarks.stagetimer`, and the accounting check rows = rejected + duplicates + planned;
- ``chunked``: ``prepare_object(chunk_rows=100_000)`` + ``build_plan`` — the chunked reader the
  dry run does not use today — to show what chunking changes in peak memory;
- ``floor``: a bare ``pandas.read_csv(path, on_bad_lines="skip")`` of the same file (the
  planted ragged rows would stop it otherwise): the least any pandas-based reader can cost.

Run alone: ``python -m benchmarks.preparation --rows 100000``.
"""

from __future__ import annotations

import argparse
import shutil
import time
from pathlib import Path
from typing import Any

from benchmarks.common import DATA, OUT, emit, peak_rss_mb, run_child
from benchmarks.datasets import contacts_file

CHUNK_ROWS = 100_000
MODES = ("dryrun", "floor")


def contacts_path(rows: int) -> Path:
    return DATA / f"contacts_{rows}_distinct" / "contacts.csv"


def measure(rows: int, *, modes: tuple[str, ...] = MODES) -> dict[str, Any]:
    """Make (or reuse) a ``rows``-row contacts file and measure it in fresh child processes."""
    path = contacts_path(rows)
    made = time.perf_counter()
    truth = contacts_file(path, rows, distinct_phones=True)
    result: dict[str, Any] = {
        "rows": rows,
        "file_mb": round(path.stat().st_size / 1e6, 1),
        "generate_s": round(time.perf_counter() - made, 2),
        "planted": {"rejected": truth.rejected, "duplicates": truth.duplicates},
    }
    for mode in modes:
        result[mode] = run_child("benchmarks.preparation", [mode, str(path)], timeout_s=7200)
    dry, floor = result.get("dryrun"), result.get("floor")
    if dry and floor:
        result["ratio_to_floor"] = round(dry["total_s"] / max(floor["total_s"], 1e-9), 1)
    if dry:
        counts = dry["counts"]
        result["accounted"] = counts["rows"] == (
            counts["rejected"] + counts["duplicates"] + counts["planned"]
        )
        result["matches_planted"] = (
            counts["rejected"] == truth.rejected and counts["duplicates"] == truth.duplicates
        )
    return result


def _dryrun(path: Path) -> dict[str, Any]:
    from benchmarks.stagetimer import instrumented
    from crmkit.pipeline import ImportOptions, run_import
    from crmkit.pipeline.runfolder import RunFolder

    out = OUT / "runs-prep"
    shutil.rmtree(out / "runs" / "prep", ignore_errors=True)
    options = ImportOptions(
        data_dir=path.parent, dry_run=True, output_dir=out, run_id="prep", progress=False
    )
    with instrumented() as clock:
        start = time.perf_counter()
        result = run_import(options)
        total = time.perf_counter() - start
    contacts = result.report["objects"]["contacts"]
    return {
        "total_s": round(total, 2),
        "rows_per_s": round(contacts["rows"] / total),
        "stages_s": clock.report(total),
        "peak_rss_mb": peak_rss_mb(),
        "counts": {k: contacts[k] for k in ("rows", "rejected", "duplicates", "planned")},
        "plan_json_mb": round(RunFolder(result.run_dir).plan.stat().st_size / 1e6, 1),
    }


def _chunked(path: Path) -> dict[str, Any]:
    from crmkit.plan import build_plan
    from crmkit.prepare import Prepared, prepare_object

    start = time.perf_counter()
    prepared = Prepared(path.parent)
    prepared.objects["contacts"] = prepare_object(path, "contacts", chunk_rows=CHUNK_ROWS)
    plan = build_plan(prepared)
    total = time.perf_counter() - start
    return {
        "total_s": round(total, 2),
        "chunk_rows": CHUNK_ROWS,
        "peak_rss_mb": peak_rss_mb(),
        "planned": len(plan.records.get("contacts", [])),
    }


def _floor(path: Path) -> dict[str, Any]:
    import pandas as pd

    start = time.perf_counter()
    frame = pd.read_csv(path, on_bad_lines="skip")
    total = time.perf_counter() - start
    return {"total_s": round(total, 2), "rows": len(frame), "peak_rss_mb": peak_rss_mb()}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--child", nargs=2, metavar=("MODE", "PATH"))
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    if args.child:
        mode, path = args.child
        emit({"dryrun": _dryrun, "chunked": _chunked, "floor": _floor}[mode](Path(path)))
        return
    import json

    print(json.dumps(measure(args.rows), indent=2))


if __name__ == "__main__":
    main()
