"""HubSpotClient: one thread-safe, rate-limited, retrying client for one portal.

Share one instance between worker threads: it owns the limiters (the budget belongs to the
portal), the connection pool and the counters. Every write crmkit sends is an upsert on a
unique key (or a create guarded by one), which is what makes retrying a write that may have
landed (5xx, timeout, dropped connection) safe: the retry finds the record, it does not make
a second one.
"""

from __future__ import annotations

import json as jsonlib
import logging
import random
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, Literal

import requests
from requests.adapters import HTTPAdapter

from crmkit import __version__
from crmkit.errors import (
    ConfigError,
    ConflictError,
    DailyLimitReached,
    HubSpotError,
    RateLimitError,
    TransportError,
)
from crmkit.hubspot.auth import REDACTED, Secret, redact, register_secret, reject_api_key
from crmkit.hubspot.endpoints import (
    ASSOCIATION_BATCH_SIZE,
    ASSOCIATION_READ_SIZE,
    BATCH_ACTIONS,
    MAX_BATCH_INPUTS,
    SEARCH_PAGE_MAX,
    associations_path,
    objects_path,
    properties_path,
)
from crmkit.hubspot.limiter import RateLimiter
from crmkit.hubspot.policy import RateLimitPolicy, RetryPolicy
from crmkit.hubspot.responses import ApiResponse, BatchResult, error_from_response
from crmkit.hubspot.retry import CallState, call_with_retries
from crmkit.hubspot.stats import ClientStats, RequestEvent

log = logging.getLogger("crmkit.hubspot")

Lane = Literal["objects", "exempt", "search"]

#: Failures with no HTTP answer; the request may or may not have reached HubSpot.
TRANSPORT_ERRORS: tuple[type[BaseException], ...] = (
    requests.ConnectionError,
    requests.Timeout,
    requests.exceptions.ChunkedEncodingError,
    requests.exceptions.ContentDecodingError,
)


class HubSpotClient:
    """Batch, property, search and association calls with rate limiting and retries.

    ``limits`` defaults to the policy of ``tier``; ``timeout_s`` overrides the policy's read
    timeout. ``clock``, ``sleep`` and ``rand`` are injectable so tests never wait for real.
    ``on_request`` receives a :class:`RequestEvent` after every HTTP attempt.
    """

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        tier: str = "professional",
        retry: RetryPolicy | None = None,
        limits: RateLimitPolicy | None = None,
        timeout_s: float | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        session: requests.Session | None = None,
        pool_size: int = 32,
        rand: Callable[[], float] = random.random,
        on_request: Callable[[RequestEvent], None] | None = None,
    ) -> None:
        if not base_url.startswith(("http://", "https://")):
            raise ConfigError(f"the target must be an http(s) URL, got {base_url!r}")
        reject_api_key(None, base_url)
        if not token or not token.strip():
            raise ConfigError("an access token is required (HUBSPOT_ACCESS_TOKEN)")
        self.base_url = base_url.rstrip("/")
        self._token = Secret(token.strip())
        register_secret(self._token.reveal())
        self.retry = retry or RetryPolicy()
        self.limits = limits or RateLimitPolicy.for_tier(tier)
        self.tier = self.limits.tier
        self.timeout: tuple[float, float] = (
            self.retry.connect_timeout_s,
            timeout_s if timeout_s is not None else self.retry.timeout_s,
        )
        self._clock = clock
        self._sleep = sleep
        self._rand = rand
        self.limiter = RateLimiter.for_policy(self.limits, clock=clock, sleep=sleep)
        self.exempt_limiter: RateLimiter | None = (
            RateLimiter.for_policy(self.limits, clock=clock, sleep=sleep, name="exempt")
            if self.limits.pace_exempt
            else None
        )
        self.search_limiter = RateLimiter(
            self.limits.search_per_s, 1.0, clock=clock, sleep=sleep, name="search"
        )
        self.stats = ClientStats(clock)
        self.on_request = on_request
        self._owns_session = session is None
        self._session = session or _pooled_session(pool_size)

    def __repr__(self) -> str:
        return f"HubSpotClient(base_url={self.base_url!r}, tier={self.tier!r}, token={REDACTED})"

    def close(self) -> None:
        if self._owns_session:
            self._session.close()

    def __enter__(self) -> HubSpotClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the one HTTP path -------------------------------------------------------------

    def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        exempt: bool = False,
    ) -> ApiResponse:
        """Send one API call with pacing and retries; raise a typed error when it fails.

        ``exempt=True`` is for calls HubSpot leaves out of the ten-second window (v4
        association batches); they use a window of their own (see RateLimitPolicy).
        """
        return self._call(
            method, path, json=json, params=params, lane="exempt" if exempt else "objects"
        )

    def _call(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        lane: Lane = "objects",
    ) -> ApiResponse:
        if not path.startswith("/"):
            raise ValueError(f"an API path starts with '/': {path!r}")
        reject_api_key(params, path)
        limiter = self._limiter_for(lane)
        method = method.upper()

        def attempt(state: CallState) -> ApiResponse:
            state.attempts += 1
            state.retry_after_s = None
            slot = limiter.acquire() if limiter else None
            started = self._clock()
            status: int | None = None
            outcome = "ok"
            try:
                try:
                    response = self._session.request(
                        method,
                        self.base_url + path,
                        json=json,
                        params=params,
                        headers=self._headers(),
                        timeout=self.timeout,
                    )
                except TRANSPORT_ERRORS as exc:
                    outcome = "transport_error"
                    failure = TransportError(
                        self._scrub(f"{method} {path}: no answer ({type(exc).__name__}: {exc})")
                    )
                    failure.attempts = state.attempts
                    raise failure from exc
                finally:
                    if limiter is not None and slot is not None:
                        limiter.release(slot)
                status = response.status_code
                # The headers describe the ten-second window whatever the lane, so they
                # always correct the objects limiter (never the search or exempt pacers).
                self.limiter.observe(response.headers)
                body, decoded = _decode(response)
                if 200 <= status < 300:
                    if not decoded:
                        outcome = "transport_error"
                        unreadable = TransportError(
                            f"{method} {path}: answer {status} with an unreadable body",
                            status=status,
                        )
                        unreadable.attempts = state.attempts
                        raise unreadable
                    return ApiResponse(status, body, dict(response.headers), state.attempts)
                error = error_from_response(status, body, response.headers)
                error.message = self._scrub(error.message)
                error.args = (error.message,)
                error.attempts = state.attempts
                outcome = _outcome_of(status)
                self._before_retry(error, state, response.headers, lane)
                raise error
            finally:
                self._record(method, path, status, state.attempts, started, outcome)

        def before_sleep(exc: BaseException, delay: float, state: CallState) -> None:
            log.info(
                "%s %s: %s; retrying in %.2f s (attempt %d)",
                method,
                path,
                type(exc).__name__,
                delay,
                state.attempts + 1,
            )

        return call_with_retries(
            attempt,
            policy=self.retry,
            sleep=self._sleep,
            rand=self._rand,
            before_sleep=before_sleep,
        )

    def _before_retry(
        self, error: HubSpotError, state: CallState, headers: Mapping[str, str], lane: Lane
    ) -> None:
        """Tell the retry how long to wait; a DAILY 429 becomes DailyLimitReached instead."""
        if isinstance(error, RateLimitError):
            if error.policy == "DAILY":
                raise DailyLimitReached(
                    "HubSpot's daily request limit for this portal is spent (429 DAILY). "
                    "Nothing more is sent today; resume the run once the limit resets."
                ) from error
            pacer = self.search_limiter if error.policy == "SECONDLY" else self._limiter_for(lane)
            state.rate_wait_s = pacer.note_rate_limited() if pacer else self.limits.window_s
        elif error.transient:
            state.retry_after_s = _retry_after(headers)

    def _limiter_for(self, lane: Lane) -> RateLimiter | None:
        if lane == "search":
            return self.search_limiter
        if lane == "exempt":
            return self.exempt_limiter
        return self.limiter

    def _headers(self) -> dict[str, str]:
        return {
            "Authorization": f"Bearer {self._token.reveal()}",
            "Accept": "application/json",
            "User-Agent": f"crmkit/{__version__}",
        }

    def _scrub(self, text: str) -> str:
        return redact(text, [self._token.reveal()])

    def _record(
        self, method: str, path: str, status: int | None, attempt: int, started: float, outcome: str
    ) -> None:
        now = self._clock()
        event = RequestEvent(
            t=now - self.stats.started,
            method=method,
            path=path,
            status=status,
            attempt=attempt,
            duration_s=now - started,
            outcome=outcome,
        )
        self.stats.record(event)
        if self.on_request is not None:
            try:
                self.on_request(event)
            except Exception:
                log.exception("the on_request callback failed; the call goes on")

    # -- objects -----------------------------------------------------------------------

    def batch(
        self,
        object_type: str,
        action: str,
        inputs: Sequence[Mapping[str, Any]],
        *,
        id_property: str | None = None,
        properties: Sequence[str] | None = None,
    ) -> BatchResult:
        """One ``/crm/v3/objects/{type}/batch/{action}`` call of at most 100 inputs.

        A 207 comes back as a BatchResult with ``errors``; a whole-batch rejection raises.
        ``id_property`` is set on each upsert/update input lacking one, and on a read.
        """
        if action not in BATCH_ACTIONS:
            raise ValueError(f"unknown batch action {action!r}; one of {', '.join(BATCH_ACTIONS)}")
        path = objects_path(object_type, "batch", action)
        items = [dict(item) for item in inputs]
        if len(items) > MAX_BATCH_INPUTS:
            raise ValueError(f"a batch holds at most {MAX_BATCH_INPUTS} inputs, got {len(items)}")
        if not items:
            return BatchResult(status=200, attempts=0)
        payload: dict[str, Any] = {"inputs": items}
        if action in ("upsert", "update") and id_property:
            for item in items:
                item.setdefault("idProperty", id_property)
        if action == "read":
            payload["properties"] = list(properties or [])
            payload["propertiesWithHistory"] = []
            if id_property:
                payload["idProperty"] = id_property
        return _batch_result(self._call("POST", path, json=payload))

    def archive(self, object_type: str, ids: Iterable[str]) -> BatchResult:
        """Archive up to 100 records by id (HubSpot answers 204)."""
        return self.batch(object_type, "archive", [{"id": str(i)} for i in ids])

    def iter_objects(
        self, object_type: str, *, properties: Sequence[str] | None = None, page_size: int = 100
    ) -> Iterator[dict[str, Any]]:
        """Every record of a type, paging with ``after`` (a full read, unlike search)."""
        after: str | None = None
        while True:
            params: dict[str, Any] = {"limit": page_size}
            if properties:
                params["properties"] = ",".join(properties)
            if after:
                params["after"] = after
            body = self._call("GET", objects_path(object_type), params=params).body
            yield from body.get("results") or []
            after = _next_after(body)
            if not after:
                return

    # -- properties --------------------------------------------------------------------

    def properties(self, object_type: str) -> list[dict[str, Any]]:
        """The portal's property definitions for a type."""
        return list(self._call("GET", properties_path(object_type)).body.get("results") or [])

    def get_property(self, object_type: str, name: str) -> dict[str, Any]:
        return self._call("GET", properties_path(object_type, name)).body

    def create_property(self, object_type: str, definition: Mapping[str, Any]) -> dict[str, Any]:
        """Create a custom property; one that exists already (409) counts as success."""
        try:
            return self._call("POST", properties_path(object_type), json=dict(definition)).body
        except ConflictError:
            name = str(definition.get("name", ""))
            log.info("property %s.%s exists already", object_type, name)
            return self.get_property(object_type, name)

    def ensure_property(
        self,
        object_type: str,
        definition: Mapping[str, Any],
        *,
        existing: Iterable[Mapping[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """The property named in ``definition``, created when the portal lacks it.

        A unique-value definition met by an existing non-unique property is a ConfigError:
        upserts by it would fail on every record.
        """
        name = definition.get("name")
        if not name:
            raise ValueError("a property definition needs a name")
        current = self.properties(object_type) if existing is None else existing
        found = next((dict(p) for p in current if p.get("name") == name), None)
        if found is None:
            found = self.create_property(object_type, definition)
        if definition.get("hasUniqueValue") and not found.get("hasUniqueValue"):
            raise ConfigError(
                f"the portal's {object_type} property {name!r} exists without unique values; "
                "crmkit needs it unique to upsert by it. Rename or recreate it."
            )
        return found

    # -- search ------------------------------------------------------------------------

    def search(self, object_type: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """One search page; paced on its own per-second limit, outside the ten-second window."""
        return self._call(
            "POST", objects_path(object_type, "search"), json=dict(body), lane="search"
        ).body

    def search_all(
        self, object_type: str, body: Mapping[str, Any], *, page_size: int = 100
    ) -> Iterator[dict[str, Any]]:
        """Every result of a search, page by page (HubSpot refuses paging past 10,000)."""
        query = dict(body)
        query["limit"] = min(page_size, SEARCH_PAGE_MAX)
        while True:
            page = self.search(object_type, query)
            yield from page.get("results") or []
            after = _next_after(page)
            if not after:
                return
            query["after"] = after

    # -- associations (v4) -------------------------------------------------------------

    def associate(
        self,
        from_type: str,
        to_type: str,
        pairs: Sequence[tuple[str, str]],
        *,
        type_id: int | None = None,
    ) -> BatchResult:
        """Link up to 100 (from_id, to_id) pairs: the default type, or a HUBSPOT_DEFINED one."""
        if len(pairs) > ASSOCIATION_BATCH_SIZE:
            raise ValueError(f"associate at most {ASSOCIATION_BATCH_SIZE} pairs per call")
        if not pairs:
            return BatchResult(status=200, attempts=0)
        inputs: list[dict[str, Any]] = []
        for from_id, to_id in pairs:
            item: dict[str, Any] = {"from": {"id": str(from_id)}, "to": {"id": str(to_id)}}
            if type_id is not None:
                item["types"] = [
                    {"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": type_id}
                ]
            inputs.append(item)
        action = "associate/default" if type_id is None else "create"
        path = associations_path(from_type, to_type, action)
        return _batch_result(self._call("POST", path, json={"inputs": inputs}, lane="exempt"))

    def read_associations(self, from_type: str, to_type: str, ids: Sequence[str]) -> BatchResult:
        """Associations of up to 1,000 records (a 207 lists ids with none as errors)."""
        if len(ids) > ASSOCIATION_READ_SIZE:
            raise ValueError(f"read at most {ASSOCIATION_READ_SIZE} ids per call")
        if not ids:
            return BatchResult(status=200, attempts=0)
        path = associations_path(from_type, to_type, "read")
        payload = {"inputs": [{"id": str(i)} for i in ids]}
        return _batch_result(self._call("POST", path, json=payload, lane="exempt"))


def _pooled_session(pool_size: int) -> requests.Session:
    """A session whose pool holds a connection per worker; requests' own retries are off."""
    session = requests.Session()
    adapter = HTTPAdapter(pool_connections=4, pool_maxsize=max(1, pool_size), max_retries=0)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def _decode(response: requests.Response) -> tuple[dict[str, Any], bool]:
    """(body, readable): ``{}`` for an empty body; non-JSON becomes ``{"message": text}``."""
    if not response.content:
        return {}, True
    try:
        data = jsonlib.loads(response.content)
    except ValueError:
        return {"message": response.text[:500]}, False
    if isinstance(data, dict):
        return data, True
    return {"results": data}, True


def _outcome_of(status: int) -> str:
    if status == 429:
        return "rate_limited"
    return "server_error" if status >= 500 else "client_error"


def _batch_result(response: ApiResponse) -> BatchResult:
    body = response.body
    results = [r for r in body.get("results") or [] if isinstance(r, dict)]
    errors = [e for e in body.get("errors") or [] if isinstance(e, dict)]
    return BatchResult(response.status, results, errors, response.attempts)


def _next_after(body: Mapping[str, Any]) -> str | None:
    paging = body.get("paging")
    if not isinstance(paging, Mapping):
        return None
    nxt = paging.get("next")
    if not isinstance(nxt, Mapping):
        return None
    after = nxt.get("after")
    return str(after) if after not in (None, "") else None


def _retry_after(headers: Mapping[str, str]) -> float | None:
    for key, value in headers.items():
        if key.lower() == "retry-after":
            try:
                return max(0.0, float(value))
            except ValueError:
                return None
    return None
