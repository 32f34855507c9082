"""The aiohttp application: HubSpot's CRM routes, the admin and portal routes, the edge.

The edge middleware (crmkit.sandbox.edge) does what HubSpot's edge does; admin routes live in
crmkit.sandbox.admin_routes, owners/pipelines/account in crmkit.sandbox.portal_routes. Store
calls run on one dedicated thread, so each request's read-check-write is atomic.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

from aiohttp import web

from crmkit.sandbox import (
    admin_routes,
    associations,
    objects,
    portal_routes,
    properties,
    reads,
    search,
)
from crmkit.sandbox.edge import edge
from crmkit.sandbox.http import Handler, path_type, query_of, read_body, wrap
from crmkit.sandbox.options import SandboxOptions
from crmkit.sandbox.replies import Reply
from crmkit.sandbox.state import STATE, SandboxState
from crmkit.sandbox.store import Store

__all__ = ["SandboxState", "build_app"]


def build_app(options: SandboxOptions, token: str) -> web.Application:
    """The application; its portal state is opened at startup and closed at cleanup
    (aiohttp's ``cleanup_ctx``), so however the server stops, the store is closed once."""
    app = web.Application(middlewares=[edge], client_max_size=64 * 1024**2)
    app.cleanup_ctx.append(_portal(options, token))
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
    admin_routes.add_routes(r)
    portal_routes.add_routes(r)
    return app


def _portal(
    options: SandboxOptions, token: str
) -> Callable[[web.Application], AsyncIterator[None]]:
    async def lifetime(app: web.Application) -> AsyncIterator[None]:
        app[STATE] = SandboxState(options, token)
        try:
            yield
        finally:
            app[STATE].close()

    return lifetime


# -- CRM handlers ---------------------------------------------------------------------------
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
