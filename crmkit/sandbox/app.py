"""The aiohttp application: routes, and one middleware that does what HubSpot's edge does.

Per request: correlation id → bearer token → rate limits → latency → seeded fault → handler.
Store calls run on one dedicated thread, so each request's read-check-write is atomic.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from typing import Any

from aiohttp import web

from crmkit.sandbox import associations, objects, portal_routes, properties, reads, search
from crmkit.sandbox.http import Handler, json_reply, path_type, query_of, read_body, wrap
from crmkit.sandbox.ratelimit import MESSAGES, POLICIES
from crmkit.sandbox.replies import JSON, ApiFailure, Reply, error_body
from crmkit.sandbox.state import CID, STATE, SandboxState
from crmkit.sandbox.store import Store

__all__ = ["SandboxState", "build_app"]
AUTH_MESSAGE = (
    "Authentication credentials not found. This API supports OAuth 2.0 authentication and you "
    "can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview"
)
HAPIKEY_MESSAGE = (
    "API keys (hapikey) were sunset on 2022-11-30 and are no longer accepted. Create a private "
    "app and send its access token as 'Authorization: Bearer <token>'."
)


def build_app(state: SandboxState) -> web.Application:
    app = web.Application(middlewares=[_edge], client_max_size=64 * 1024**2)
    app[STATE] = state
    r = app.router
    for action, fn in (
        ("create", objects.batch_create),
        ("upsert", objects.batch_upsert),
        ("read", reads.batch_read),
        ("update", objects.batch_update),
        ("archive", reads.batch_archive),
    ):
        r.add_post(f"/crm/v3/objects/{{type}}/batch/{action}", wrap(_object_batch(fn)))
    r.add_post("/crm/v3/objects/{type}/search", wrap(_search))
    r.add_get("/crm/v3/objects/{type}", wrap(_list))
    r.add_post("/crm/v3/objects/{type}", wrap(_object_batch(objects.create_one)))
    r.add_get("/crm/v3/objects/{type}/{id}", wrap(_get_one))
    r.add_patch("/crm/v3/objects/{type}/{id}", wrap(_update_one))
    r.add_delete("/crm/v3/objects/{type}/{id}", wrap(_archive_one))
    r.add_get("/crm/v3/properties/{type}", wrap(_list_properties))
    r.add_post("/crm/v3/properties/{type}", wrap(_create_property))
    r.add_get("/crm/v3/properties/{type}/{name}", wrap(_read_property))
    for action, afn in (
        ("create", associations.batch_create),
        ("associate/default", associations.batch_default),
        ("read", associations.batch_read),
        ("archive", associations.batch_archive),
    ):
        r.add_post(f"/crm/v4/associations/{{from}}/{{to}}/batch/{action}", wrap(_assoc(afn)))
    r.add_get("/_sandbox/stats", wrap(_stats))
    r.add_post("/_sandbox/reset", wrap(_reset))
    r.add_post("/_sandbox/clock", wrap(_clock))
    r.add_post("/_sandbox/faults", wrap(_faults))
    portal_routes.add_routes(r)
    return app


# -- the edge -------------------------------------------------------------------------------
@web.middleware
async def _edge(request: web.Request, handler: Callable[..., Any]) -> web.StreamResponse:
    state = request.app[STATE]
    cid = str(uuid.uuid4())
    request[CID] = cid
    admin = request.path.startswith("/_sandbox/")
    route_error = request.match_info.http_exception
    endpoint = "unknown" if route_error else _endpoint(request)
    if not admin:
        state.total += 1
        state.by_endpoint[endpoint] += 1
    response: web.StreamResponse | None = _authenticate(request, state, cid)
    if response is None and route_error is not None:
        status = route_error.status
        message = f"Unable to route {request.method} request to {request.path}"
        response = json_reply(Reply(status, error_body("OBJECT_NOT_FOUND", message)), cid)
    if response is None and admin:
        response = await handler(request)
    elif response is None:
        response = await _crm(request, state, handler, cid)
    if response is None:  # the connection was dropped on purpose: nothing to send
        return web.Response()
    response.headers["x-hubspot-correlation-id"] = cid
    if not admin:
        response.headers.update(state.limiter.headers())
        state.by_status[str(response.status)] += 1
    return response


async def _crm(
    request: web.Request, state: SandboxState, handler: Callable[..., Any], cid: str
) -> web.StreamResponse | None:
    """Rate limits, latency and one seeded fault around a CRM handler."""
    v4 = request.path.startswith("/crm/v4/associations/")
    is_search = request.path.endswith("/search") and request.method == "POST"
    decision = state.limiter.check(exempt=v4 or is_search, search=is_search)
    if not decision.allowed:
        policy = str(decision.policy)
        body: JSON = {
            "status": "error",
            "message": MESSAGES[policy],
            "errorType": "RATE_LIMIT",
            "correlationId": cid,
            "policyName": policy,
            "category": "RATE_LIMITS",
        }
        return web.json_response(body, status=429)
    options = state.options
    if options.latency_ms > 0:
        spread = state.jitter.uniform(-options.jitter, options.jitter)
        await asyncio.sleep(options.latency_ms * (1 + spread) / 1000)
    fault = state.faults.draw()
    if fault == "error_before_write":
        return _server_error(state, cid)
    if fault == "drop_before_write":
        _drop(request)
        return None
    response: web.StreamResponse = await handler(request)
    if fault == "error_after_write":
        return _server_error(state, cid)
    if fault == "drop_after_write":
        _drop(request)
        return None
    if fault == "hang_after_write":
        await asyncio.sleep(options.hang_s)
    elif fault == "slow":
        await asyncio.sleep(options.slow_ms / 1000)
    return response


def _authenticate(request: web.Request, state: SandboxState, cid: str) -> web.Response | None:
    if "hapikey" in request.query:
        body = error_body("INVALID_AUTHENTICATION", HAPIKEY_MESSAGE)
        return json_reply(Reply(401, body), cid)
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or token.strip() != state.token:
        return json_reply(Reply(401, error_body("INVALID_AUTHENTICATION", AUTH_MESSAGE)), cid)
    return None


def _server_error(state: SandboxState, cid: str) -> web.Response:
    status = state.faults.error_status()
    messages = {500: "internal error", 502: "Bad Gateway", 503: "Service Unavailable"}
    body = error_body("INTERNAL_ERROR", messages.get(status, "error"))
    return json_reply(Reply(status, body), cid)


def _drop(request: web.Request) -> None:
    transport = request.transport
    if transport is not None:
        transport.close()


def _endpoint(request: web.Request) -> str:
    resource = request.match_info.route.resource
    path = resource.canonical if resource is not None else request.path
    return f"{request.method} {path}"


# -- handlers -------------------------------------------------------------------------------
def _object_batch(fn: Callable[[Store, str, Any], Reply]) -> Handler:
    async def handle(request: web.Request) -> Reply:
        object_type, body = path_type(request), await read_body(request)
        return await request.app[STATE].call(fn, request.app[STATE].store, object_type, body)

    return handle


def _assoc(fn: Callable[[Store, str, str, Any], Reply]) -> Handler:
    async def handle(request: web.Request) -> Reply:
        from_type, to_type = path_type(request, "from"), path_type(request, "to")
        body = await read_body(request)
        state = request.app[STATE]
        return await state.call(fn, state.store, from_type, to_type, body)

    return handle


async def _search(request: web.Request) -> Reply:
    object_type, body = path_type(request), await read_body(request)
    state = request.app[STATE]
    lag = state.options.search_lag_ms
    return await state.call(search.search, state.store, object_type, body, lag)


async def _list(request: web.Request) -> Reply:
    state = request.app[STATE]
    return await state.call(reads.list_page, state.store, path_type(request), query_of(request))


async def _get_one(request: web.Request) -> Reply:
    state = request.app[STATE]
    args = (state.store, path_type(request), request.match_info["id"], query_of(request))
    return await state.call(reads.get_one, *args)


async def _update_one(request: web.Request) -> Reply:
    state = request.app[STATE]
    object_type, body = path_type(request), await read_body(request)
    args = (state.store, object_type, request.match_info["id"], query_of(request), body)
    return await state.call(objects.update_one, *args)


async def _archive_one(request: web.Request) -> Reply:
    state = request.app[STATE]
    args = (state.store, path_type(request), request.match_info["id"])
    return await state.call(reads.archive_one, *args)


async def _list_properties(request: web.Request) -> Reply:
    state = request.app[STATE]
    return await state.call(properties.list_properties, state.store, path_type(request))


async def _read_property(request: web.Request) -> Reply:
    state = request.app[STATE]
    name = request.match_info["name"]
    return await state.call(properties.read_property, state.store, path_type(request), name)


async def _create_property(request: web.Request) -> Reply:
    object_type, body = path_type(request), await read_body(request)
    state = request.app[STATE]
    return await state.call(properties.create_property, state.store, object_type, body)


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
