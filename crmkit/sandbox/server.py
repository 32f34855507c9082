"""Starting and stopping the sandbox: ``serve`` for the CLI, ``running`` for tests/notebooks."""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import signal
import threading
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

import requests
from aiohttp import web

from crmkit.errors import ConfigError
from crmkit.sandbox.app import build_app
from crmkit.sandbox.options import SandboxOptions

_SHUTDOWN_S = 0.25  # hung answers (hang faults) are cut off this fast when the server stops


class SandboxServer:
    """One sandbox bound to a port; start and stop inside a running event loop."""

    def __init__(self, options: SandboxOptions) -> None:
        self.options = options
        self.token = options.token or secrets.token_urlsafe(24)
        self.base_url = ""
        self._runner: web.AppRunner | None = None

    async def start(self) -> str:
        self._runner = web.AppRunner(
            build_app(self.options, self.token), access_log=None, shutdown_timeout=_SHUTDOWN_S
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.options.host, self.options.port)
        try:
            await site.start()
        except OSError as exc:
            await self.stop()
            raise ConfigError(
                f"cannot listen on {self.options.host}:{self.options.port}: {exc.strerror}"
            ) from None
        host, port = self._runner.addresses[0][:2]
        self.base_url = f"http://{host}:{port}"
        return self.base_url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()  # closes the portal state (build_app's cleanup_ctx)
            self._runner = None


def serve(options: SandboxOptions) -> None:
    """Serve until Ctrl-C or SIGTERM; prints one line: the base URL (and a generated token)."""
    server = SandboxServer(options)

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(sig, stop.set)
        url = await server.start()
        note = "" if options.token else f" (token: {server.token})"
        print(f"crmkit sandbox listening on {url}{note}", flush=True)
        try:
            await stop.wait()
        finally:
            await server.stop()

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(main())


@dataclass
class RunningSandbox:
    """A sandbox serving in a background thread, with helpers for its admin endpoints."""

    base_url: str
    token: str
    options: SandboxOptions

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def stats(self) -> dict[str, Any]:
        return self._admin("GET", "stats")

    def reset(self) -> None:
        self._admin("POST", "reset")

    def advance_day(self, days: int = 1) -> dict[str, Any]:
        return self._admin("POST", "clock", {"advance_days": days})

    def add_owners(self, *owners: dict[str, str]) -> list[dict[str, Any]]:
        """Seed owners (``{"email", "firstName", "lastName"}``); answers with the created ones."""
        created: list[dict[str, Any]] = self._admin("POST", "owners", {"owners": list(owners)})[
            "results"
        ]
        return created

    def set_faults(self, rate: float, kinds: dict[str, float] | None = None) -> None:
        body: dict[str, Any] = {"fault_rate": rate}
        if kinds is not None:
            body["fault_kinds"] = kinds
        self._admin("POST", "faults", body)

    def _admin(self, method: str, name: str, body: dict[str, Any] | None = None) -> Any:
        answer = requests.request(
            method, f"{self.base_url}/_sandbox/{name}", json=body, headers=self.headers, timeout=10
        )
        answer.raise_for_status()
        return answer.json() if answer.content else None


@contextlib.contextmanager
def running(options: SandboxOptions | None = None, **overrides: Any) -> Iterator[RunningSandbox]:
    """Run a sandbox in a background thread for the ``with`` block; stops it cleanly after."""
    chosen = replace(options, **overrides) if options else SandboxOptions(**overrides)
    server = SandboxServer(chosen)
    loop = asyncio.new_event_loop()
    started = threading.Event()
    failure: list[BaseException] = []

    def run() -> None:
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(server.start())
        except BaseException as exc:
            failure.append(exc)
            started.set()
            loop.close()
            return
        started.set()
        try:
            loop.run_forever()
        finally:
            loop.run_until_complete(server.stop())
            _cancel_leftovers(loop)
            loop.close()

    thread = threading.Thread(target=run, name="crmkit-sandbox", daemon=True)
    thread.start()
    started.wait()
    if failure:
        thread.join()
        raise failure[0]
    try:
        yield RunningSandbox(server.base_url, server.token, chosen)
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join()


def _cancel_leftovers(loop: asyncio.AbstractEventLoop) -> None:
    """Cancel answers still held back (hang faults) so the loop closes without warnings."""
    pending = asyncio.all_tasks(loop)
    for task in pending:
        task.cancel()
    loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
    loop.run_until_complete(loop.shutdown_asyncgens())
