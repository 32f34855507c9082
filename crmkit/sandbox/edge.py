"""What HubSpot's edge does before a CRM handler runs: one aiohttp middleware.

Per request: correlation id → bearer token → rate limits → latency → seeded fault → handler;
then the correlation and rate-limit headers on the answer. Admin routes (``/_sandbox/``) are
authenticated but neither counted nor limited.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from typing import Any

from aiohttp import web

from crmkit.sandbox.http import json_reply
from crmkit.sandbox.ratelimit import MESSAGES
from crmkit.sandbox.replies import JSON, Reply, error_body
from crmkit.sandbox.state import CID, STATE, SandboxState

AUTH_MESSAGE = (
    "Authentication credentials not found. This API supports OAuth 2.0 authentication and you "
    "can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview"
)
HAPIKEY_MESSAGE = (
    "API keys (hapikey) were sunset on 2022-11-30 and are no longer accepted. Create a private "
    "app and send its access token as 'Authorization: Bearer <token>'."
)


@web.middleware
async def edge(request: web.Request, handler: Callable[..., Any]) -> web.StreamResponse:
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
