"""A server that misbehaves, on 127.0.0.1: a small aiohttp proxy in front of the sandbox.

Each request is shown to a ``rule``; when the rule returns a :class:`Canned` answer, that is
what the client gets (a 401, a 503, an HTML login page...), otherwise the request goes on to
the upstream sandbox unchanged (with the sandbox's own token, so a test can pretend the
portal accepts or refuses any token it likes). With no upstream every request must be
answered by the rule. The seam is the network: crmkit's client is not touched.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web


@dataclass(frozen=True)
class Seen:
    """One request as the proxy received it."""

    method: str
    path: str
    token: str
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


@dataclass(frozen=True)
class Canned:
    """An answer the proxy gives instead of forwarding."""

    status: int
    body: Any = None
    content_type: str = "application/json"

    def encoded(self) -> bytes:
        if self.body is None:
            return b""
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode()
        return json.dumps(self.body).encode()


Rule = Callable[[Seen], Canned | None]


def hubspot_error(status: int, category: str, message: str, **extra: Any) -> Canned:
    """An error in HubSpot's documented body shape."""
    body = {"status": "error", "message": message, "correlationId": "stub-0", "category": category}
    body.update(extra)
    return Canned(status, body)


@dataclass
class Proxy:
    """The running proxy: its URL, the rule (replaceable) and what it answered."""

    base_url: str
    rule: Rule
    log: list[tuple[str, str, int]] = field(default_factory=list)

    def answered(self, status: int, path_part: str = "") -> int:
        """How many requests (whose path contains ``path_part``) got ``status``."""
        return sum(1 for _, path, code in self.log if code == status and path_part in path)


@contextlib.contextmanager
def misbehaving(
    rule: Rule, *, upstream: str | None = None, upstream_token: str | None = None
) -> Iterator[Proxy]:
    """Serve the proxy in a background thread for the ``with`` block."""
    loop = asyncio.new_event_loop()
    proxy = Proxy("", rule)
    ready = threading.Event()
    runner_box: list[web.AppRunner] = []

    async def handle(request: web.Request) -> web.StreamResponse:
        body = await request.read()
        _, _, token = request.headers.get("Authorization", "").partition(" ")
        seen = Seen(request.method, request.path_qs, token.strip(), body)
        canned = proxy.rule(seen)
        if canned is None:
            if upstream is None:
                canned = Canned(599, {"message": "no rule answered and there is no upstream"})
            else:
                canned = await forward(seen)
        proxy.log.append((seen.method, seen.path, canned.status))
        return web.Response(
            status=canned.status, body=canned.encoded(), content_type=canned.content_type
        )

    async def forward(seen: Seen) -> Canned:
        headers = {"Content-Type": "application/json"}
        headers["Authorization"] = f"Bearer {upstream_token or seen.token}"
        async with (
            aiohttp.ClientSession() as session,
            session.request(
                seen.method, f"{upstream}{seen.path}", data=seen.body or None, headers=headers
            ) as answer,
        ):
            data = await answer.read()
            kind = answer.headers.get("Content-Type", "application/json").split(";")[0]
            return Canned(answer.status, data, kind)

    async def start() -> None:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", handle)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        host, port = runner.addresses[0][:2]
        proxy.base_url = f"http://{host}:{port}"
        runner_box.append(runner)

    def serve() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(start())
        ready.set()
        try:
            loop.run_forever()
        finally:
            loop.run_until_complete(runner_box[0].cleanup())
            loop.close()

    thread = threading.Thread(target=serve, name="misbehaving", daemon=True)
    thread.start()
    ready.wait(10)
    try:
        yield proxy
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
