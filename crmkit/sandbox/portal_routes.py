"""Routes for the portal's settings: owners, pipelines, property changes, association labels,
and the account's identity.

Kept apart from ``app.py`` (objects, search, associations, admin) so each file holds one part
of the API; ``add_routes`` is called by ``build_app``.
"""

from __future__ import annotations

from aiohttp import web

from crmkit.sandbox import account, associations, owners, pipelines, properties
from crmkit.sandbox.http import path_type, query_of, read_body, wrap
from crmkit.sandbox.replies import Reply
from crmkit.sandbox.state import STATE


def add_routes(r: web.UrlDispatcher) -> None:
    r.add_get("/crm/v3/owners", wrap(_list_owners))
    r.add_get("/crm/v3/owners/", wrap(_list_owners))
    r.add_get("/crm/v3/owners/{id}", wrap(_get_owner))
    r.add_post("/_sandbox/owners", wrap(_seed_owners))
    r.add_get("/crm/v3/pipelines/{type}", wrap(_list_pipelines))
    r.add_post("/crm/v3/pipelines/{type}", wrap(_create_pipeline))
    r.add_get("/crm/v3/pipelines/{type}/{pipeline}", wrap(_get_pipeline))
    r.add_get("/crm/v3/pipelines/{type}/{pipeline}/stages", wrap(_list_stages))
    r.add_post("/crm/v3/pipelines/{type}/{pipeline}/stages", wrap(_create_stage))
    r.add_patch("/crm/v3/properties/{type}/{name}", wrap(_patch_property))
    r.add_get("/crm/v4/associations/{from}/{to}/labels", wrap(_labels))
    r.add_get("/account-info/v3/details", wrap(_account_details))


async def _account_details(request: web.Request) -> Reply:
    state = request.app[STATE]
    return await state.call(account.details, state.store.account)


async def _list_owners(request: web.Request) -> Reply:
    state = request.app[STATE]
    return await state.call(owners.list_owners, state.store, query_of(request))


async def _get_owner(request: web.Request) -> Reply:
    state = request.app[STATE]
    raw_id = request.match_info["id"]
    return await state.call(owners.get_owner, state.store, raw_id, query_of(request))


async def _seed_owners(request: web.Request) -> Reply:
    state = request.app[STATE]
    return await state.call(owners.seed_owners, state.store, await read_body(request))


async def _list_pipelines(request: web.Request) -> Reply:
    state = request.app[STATE]
    object_type = pipelines.check_type(request.match_info["type"])
    return await state.call(pipelines.list_pipelines, state.store, object_type)


async def _get_pipeline(request: web.Request) -> Reply:
    state = request.app[STATE]
    object_type = pipelines.check_type(request.match_info["type"])
    pid = request.match_info["pipeline"]
    return await state.call(pipelines.get_pipeline, state.store, object_type, pid)


async def _create_pipeline(request: web.Request) -> Reply:
    state = request.app[STATE]
    object_type = pipelines.check_type(request.match_info["type"])
    body = await read_body(request)
    return await state.call(pipelines.create_pipeline, state.store, object_type, body)


async def _list_stages(request: web.Request) -> Reply:
    state = request.app[STATE]
    object_type = pipelines.check_type(request.match_info["type"])
    pid = request.match_info["pipeline"]
    return await state.call(pipelines.list_stages, state.store, object_type, pid)


async def _create_stage(request: web.Request) -> Reply:
    state = request.app[STATE]
    object_type = pipelines.check_type(request.match_info["type"])
    pid, body = request.match_info["pipeline"], await read_body(request)
    return await state.call(pipelines.create_stage, state.store, object_type, pid, body)


async def _patch_property(request: web.Request) -> Reply:
    state = request.app[STATE]
    object_type, body = path_type(request), await read_body(request)
    name = request.match_info["name"]
    return await state.call(properties.patch_property, state.store, object_type, name, body)


async def _labels(request: web.Request) -> Reply:
    state = request.app[STATE]
    from_type, to_type = path_type(request, "from"), path_type(request, "to")
    return await state.call(associations.labels, state.store, from_type, to_type)
