"""Import throughput against the tier's ceiling, through the real pipeline and the sandbox.

The ceiling is what HubSpot's limit allows at best: 100 records per batch request times the
tier's requests per second (``per_window / window_s``), i.e. ``100 × per_window / window_s``
records per second. The sandbox's ten-second window is scaled down to ``window_s`` (same
count, shorter window) so a run takes about a minute.

crmkit's limiter counts a request's slot from the moment the call completes, and keeps 5% of
the budget unused, so it can reach at most about ``0.95 × W / (W + round trip)`` of the
ceiling; the result reports that model next to the measured ratio. A run's first window is a
free burst (the whole budget at once), so only runs spanning several windows say anything
about the steady state: ``windows`` reports how many the run spanned.

Run alone: ``python -m benchmarks.throughput --size 1000,5000,5000``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import statistics
import time
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from benchmarks.common import DATA, OUT, emit, run_child
from benchmarks.datasets import generate_folder

UPSERT = "POST /crm/v3/objects/{type}/batch/upsert"
ASSOCIATE = "POST /crm/v4/associations/{from}/{to}/batch/associate/default"
RECORDS_PER_REQUEST = 100


@dataclass(frozen=True)
class ImportCase:
    """One throughput measurement: dataset size and the sandbox/client settings."""

    companies: int
    contacts: int
    tickets: int
    tier: str = "starter"
    window_s: float = 5.0
    latency_ms: float = 150.0
    concurrency: int = 8
    seed: int = 11

    @property
    def rows(self) -> int:
        return self.companies + self.contacts + self.tickets

    def folder(self) -> Path:
        return DATA / f"import_{self.companies}_{self.contacts}_{self.tickets}_s{self.seed}"


def measure(case: ImportCase) -> dict[str, Any]:
    """Measure ``case`` in a fresh child process (the sandbox runs in that process's thread)."""
    return run_child("benchmarks.throughput", [json.dumps(asdict(case))])


def _dataset(case: ImportCase) -> Path:
    folder = case.folder()
    if not (folder / "truth.json").is_file():
        generate_folder(
            folder,
            companies=case.companies,
            contacts=case.contacts,
            tickets=case.tickets,
            seed=case.seed,
        )
    return folder


def _run(case: ImportCase) -> dict[str, Any]:
    """The child: prepare and plan, then import stage by stage with wall-clock timings."""
    from crmkit import OBJECT_TYPES
    from crmkit.hubspot.policy import TIER_WINDOW_LIMITS, RateLimitPolicy
    from crmkit.pipeline import (
        ImportOptions,
        finish_run,
        import_associations,
        import_objects,
        plan_run,
        start_run,
    )
    from crmkit.sandbox import running

    data = _dataset(case)
    run_id = f"bench-{case.rows}"
    shutil.rmtree(OUT / "runs-import" / "runs" / run_id, ignore_errors=True)  # the last one only
    with running(
        tier=case.tier, window_s=case.window_s, latency_ms=case.latency_ms, seed=case.seed
    ) as box:
        os.environ["HUBSPOT_ACCESS_TOKEN"] = box.token
        options = ImportOptions(
            data_dir=data,
            target=box.base_url,
            tier=case.tier,
            window_s=case.window_s,
            concurrency=case.concurrency,
            output_dir=OUT / "runs-import",
            run_id=run_id,
            progress=False,
        )
        started = time.perf_counter()
        run = start_run(options)
        plan = plan_run(run)
        prepared = time.perf_counter()
        phases: dict[str, float] = {}
        for object_type in OBJECT_TYPES:
            begin = time.perf_counter()
            import_objects(run, plan, object_type)
            phases[object_type] = time.perf_counter() - begin
        objects_done = time.perf_counter()
        import_associations(run, plan)
        links_done = time.perf_counter()
        result = finish_run(run)
        held = box.stats()
    del os.environ["HUBSPOT_ACCESS_TOKEN"]

    report = result.report
    by_endpoint = Counter(held["requests"]["by_endpoint"])
    landed = sum(
        o["created"] + o["updated"] + o["created_from_tickets"] for o in report["objects"].values()
    )
    planned = {t: len(plan.records.get(t, [])) for t in OBJECT_TYPES}
    links = Counter((k.from_type, k.to_type) for k in plan.links)
    objects_s = objects_done - prepared
    policy = RateLimitPolicy.for_tier(case.tier, window_s=case.window_s)
    ceiling = RECORDS_PER_REQUEST * TIER_WINDOW_LIMITS[case.tier] / case.window_s
    upsert_durations = [b["duration_s"] for b in report["batches"] if b["action"] == "upsert"]
    round_trip = statistics.median(upsert_durations) if upsert_durations else 0.0
    min_upserts = sum(math.ceil(n / RECORDS_PER_REQUEST) for n in planned.values())
    min_links = sum(math.ceil(n / RECORDS_PER_REQUEST) for n in links.values())
    records_per_s = landed / objects_s if objects_s > 0 else 0.0
    steady = steady_records_per_s(report["batches"], policy.budget)
    return {
        "case": asdict(case),
        "status": report["status"],
        "records": landed,
        "records_planned": sum(planned.values()),
        "records_held_by_sandbox": sum(held["records"].values()),
        "prepare_s": round(prepared - started, 2),
        "objects_s": round(objects_s, 2),
        "phase_s": {k: round(v, 2) for k, v in phases.items()},
        "records_per_s": round(records_per_s, 1),
        "ceiling_records_per_s": ceiling,
        "ceiling_formula": f"100 records x {TIER_WINDOW_LIMITS[case.tier]} requests"
        f" / {case.window_s:g} s window (tier {case.tier}, window scaled from 10 s)",
        "ratio_to_ceiling": round(records_per_s / ceiling, 3),
        "steady_records_per_s": None if steady is None else round(steady, 1),
        "steady_ratio_to_ceiling": None if steady is None else round(steady / ceiling, 3),
        "model_ratio": round(
            policy.budget / policy.per_window * case.window_s / (case.window_s + round_trip), 3
        ),
        "median_round_trip_s": round(round_trip, 3),
        "windows": round(by_endpoint[UPSERT] / policy.per_window, 1),
        "upsert_requests": by_endpoint[UPSERT],
        "upsert_requests_min": min_upserts,
        "requests_per_record": round(by_endpoint[UPSERT] / max(landed, 1), 4),
        "requests_per_record_min": round(min_upserts / max(sum(planned.values()), 1), 4),
        "links": sum(links.values()),
        "links_created": report["associations"]["created"],
        "association_requests": by_endpoint[ASSOCIATE],
        "association_requests_min": min_links,
        "associations_s": round(links_done - objects_done, 2),
        "links_per_s": round(sum(links.values()) / max(links_done - objects_done, 1e-9), 1),
        "other_requests": held["requests"]["total"] - by_endpoint[UPSERT] - by_endpoint[ASSOCIATE],
        "requests_total": held["requests"]["total"],
        "rate_limited_429": sum(held["rate_limited"].values()),
        "client_rate_limited": report["requests"]["rate_limited"],
        "retries": report["requests"]["retried"],
        "server_errors": report["requests"]["server_errors"],
    }


def steady_records_per_s(batches: list[dict[str, Any]], budget: int) -> float | None:
    """Records per second over whole limiter cycles, leaving out the first window's burst.

    Request ``budget + 1`` is the first that had to wait for a slot; from there, every
    ``budget`` requests make one cycle of about ``window + round trip``. Counting from the
    start of request ``budget + 1`` to the start of request ``k * budget + 1`` covers exactly
    ``k - 1`` cycles, so neither the free first window nor a partial last cycle inflates it.
    None when the run is shorter than two full cycles.
    """
    upserts = sorted((b for b in batches if b["action"] == "upsert"), key=lambda b: float(b["t"]))
    cycles = (len(upserts) - 1) // budget
    if cycles < 2:
        return None
    first, last = budget, cycles * budget
    span = float(upserts[last]["t"]) - float(upserts[first]["t"])
    if span <= 0:
        return None
    return sum(int(b["records"]) for b in upserts[first:last]) / span


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--child", nargs=1, metavar="CASE_JSON")
    parser.add_argument("--size", default="1000,5000,5000", help="companies,contacts,tickets")
    parser.add_argument("--tier", default="starter")
    parser.add_argument("--window-s", type=float, default=5.0)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args(argv)
    if args.child:
        emit(_run(ImportCase(**json.loads(args.child[0]))))
        return
    companies, contacts, tickets = (int(v) for v in args.size.split(","))
    case = ImportCase(
        companies,
        contacts,
        tickets,
        tier=args.tier,
        window_s=args.window_s,
        concurrency=args.concurrency,
    )
    print(json.dumps(measure(case), indent=2))


if __name__ == "__main__":
    main()
