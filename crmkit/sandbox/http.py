"""The HTTP seam of the sandbox's handlers: JSON bodies in, HubSpot-shaped replies out."""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from crmkit.sandbox.replies import ApiFailure, Reply, error_body
from crmkit.sandbox.schemadata import canonical_type
from crmkit.sandbox.state import CID

log = logging.getLogger("crmkit.sandbox.app")
Handler = Callable[[web.Request], Awaitable[Reply]]


def json_reply(reply: Reply, cid: str) -> web.Response:
    if reply.body is None:
        return web.Response(status=reply.status)
    body = reply.body
    if body.get("status") == "error" and "correlationId" in body:
        body["correlationId"] = cid
    return web.Response(status=reply.status, text=json.dumps(body), content_type="application/json")


def wrap(fn: Handler) -> Callable[[web.Request], Awaitable[web.Response]]:
    async def handle(request: web.Request) -> web.Response:
        try:
            reply = await fn(request)
        except ApiFailure as failure:
            reply = failure.reply
        except web.HTTPException as exc:  # e.g. 413 for a body past client_max_size
            reply = Reply(exc.status, error_body("VALIDATION_ERROR", exc.reason))
        except ConnectionError:
            # The client went away mid-request (a killed import): nothing to answer, no alarm.
            log.debug("client disconnected during %s %s", request.method, request.path)
            raise
        except Exception:
            log.exception("sandbox handler failed")
            reply = Reply(500, error_body("INTERNAL_ERROR", "internal error"))
        return json_reply(reply, request[CID])

    return handle


async def read_body(request: web.Request) -> Any:
    text = await request.text()
    try:
        return json.loads(text) if text else {}
    except json.JSONDecodeError as exc:
        raise ApiFailure(
            400,
            "VALIDATION_ERROR",
            f"Invalid input JSON on line {exc.lineno}, column {exc.colno}: {exc.msg}",
        ) from None


def path_type(request: web.Request, key: str = "type") -> str:
    raw = request.match_info[key]
    object_type = canonical_type(raw)
    if object_type is None:
        raise ApiFailure(400, "VALIDATION_ERROR", f"Unable to infer object type from: {raw}")
    return object_type


def query_of(request: web.Request) -> dict[str, list[str]]:
    return {k: request.query.getall(k) for k in request.query}
