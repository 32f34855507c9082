"""The sandbox's own admin API under ``/_sandbox/``: stats, reset, the day clock, faults.

Not part of HubSpot's API; tests and benchmarks use it to look inside and to steer the portal.
"""

from __future__ import annotations

from aiohttp import web

from crmkit.sandbox.http import read_body, wrap
from crmkit.sandbox.ratelimit import POLICIES
from crmkit.sandbox.replies import ApiFailure, Reply
from crmkit.sandbox.state import STATE


def add_routes(r: web.UrlDispatcher) -> None:
    r.add_get("/_sandbox/stats", wrap(_stats))
    r.add_post("/_sandbox/reset", wrap(_reset))
    r.add_post("/_sandbox/clock", wrap(_clock))
    r.add_post("/_sandbox/faults", wrap(_faults))


async def _stats(request: web.Request) -> Reply:
    state = request.app[STATE]

    def collect() -> Reply:
        return Reply(
            200,
            {
                "requests": {
                    "total": state.total,
                    "by_endpoint": dict(state.by_endpoint),
                    "by_status": dict(state.by_status),
                },
                "rate_limited": {p: state.limiter.refused.get(p, 0) for p in POLICIES},
                "daily_used": state.limiter.daily_used,
                "faults": state.faults.counts(),
                "records": state.store.counts(),
                "associations": state.store.association_count(),
            },
        )

    return await state.call(collect)


async def _reset(request: web.Request) -> Reply:
    state = request.app[STATE]

    def wipe() -> Reply:
        state.store.reset()
        state.seed_owners()
        return Reply(204)

    await state.call(wipe)
    state.reset_counters()
    return Reply(204)


async def _clock(request: web.Request) -> Reply:
    body = await read_body(request)
    days = body.get("advance_days", 1) if isinstance(body, dict) else None
    if not isinstance(days, int) or isinstance(days, bool) or days < 0:
        raise ApiFailure(400, "VALIDATION_ERROR", "advance_days must be a non-negative integer")
    state = request.app[STATE]
    day = state.limiter.advance_day(days)
    remaining = state.limiter.limits.daily - state.limiter.daily_used
    return Reply(200, {"day": day, "daily_remaining": remaining})


async def _faults(request: web.Request) -> Reply:
    body = await read_body(request)
    state = request.app[STATE]
    if not isinstance(body, dict):
        raise ApiFailure(400, "VALIDATION_ERROR", "expected an object")
    rate = body.get("fault_rate", state.faults.rate)
    try:
        state.faults.configure(float(rate), body.get("fault_kinds"))
    except (TypeError, ValueError) as exc:
        raise ApiFailure(400, "VALIDATION_ERROR", str(exc)) from None
    return Reply(200, {"fault_rate": state.faults.rate})
