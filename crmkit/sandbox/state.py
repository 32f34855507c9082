"""What one running sandbox holds, and how handlers reach it: the store on its own thread."""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from aiohttp import web

from crmkit.sandbox.faults import FaultInjector
from crmkit.sandbox.options import SandboxOptions
from crmkit.sandbox.owners import seed_owners
from crmkit.sandbox.ratelimit import PortalQuota
from crmkit.sandbox.replies import ApiFailure, Reply
from crmkit.sandbox.store import Store


class SandboxState:
    """Everything one running sandbox holds: store, limiter, faults and request counters."""

    def __init__(self, options: SandboxOptions, token: str) -> None:
        self.options = options
        self.token = token
        self.store = Store(options.db)
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="crmkit-store")
        kwargs: dict[str, Any] = {
            "window_s": options.window_s,
            "search_per_s": options.search_per_s,
        }
        if options.clock is not None:
            kwargs["clock"] = options.clock
        self.limiter = PortalQuota(options.limits, **kwargs)
        self.faults = FaultInjector(options.fault_rate, options.fault_kinds, options.seed)
        self.jitter = random.Random(options.seed + 1)
        self.total = 0
        self.by_endpoint: Counter[str] = Counter()
        self.by_status: Counter[str] = Counter()
        self.seed_owners()

    def seed_owners(self) -> None:
        """Add the options' owners the portal lacks (a file database keeps them across runs)."""
        known = {o["email"].lower() for o in self.store.owners.page(0, 1_000_000)}
        wanted = [o for o in self.options.seed_owners if o["email"].lower() not in known]
        if wanted:
            seed_owners(self.store, {"owners": [dict(o) for o in wanted]})

    async def call(self, fn: Callable[..., Reply], *args: Any) -> Reply:
        """Run store logic on the store thread; an ApiFailure becomes its error reply."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.executor, _guarded, fn, args)

    def reset_counters(self) -> None:
        self.total = 0
        self.by_endpoint.clear()
        self.by_status.clear()
        self.limiter.reset()
        self.faults.reset()
        self.jitter = random.Random(self.options.seed + 1)

    def close(self) -> None:
        self.executor.submit(self.store.close).result()
        self.executor.shutdown(wait=True)


def _guarded(fn: Callable[..., Reply], args: tuple[Any, ...]) -> Reply:
    try:
        return fn(*args)
    except ApiFailure as failure:
        return failure.reply


STATE = web.AppKey("state", SandboxState)
CID = web.RequestKey("cid", str)
