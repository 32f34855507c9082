"""The HTTP core of the client: pacing, retries, typed errors, counters — one path for all calls.

Every call goes through :meth:`Transport._call`: take a slot from the right limiter (objects or
exempt associations), send, release the slot, let the headers correct the window,
turn a non-2xx answer into a typed error, and let tenacity decide whether and how long to wait.
Retrying a write that may have landed (5xx, timeout, dropped connection) is safe only because
crmkit writes by upsert on unique keys: the retry finds the record instead of making another.
"""

from __future__ import annotations

import json as jsonlib
import logging
import random
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import requests
from requests.adapters import HTTPAdapter

from crmkit import __version__
from crmkit.errors import (
    ConfigError,
    DailyLimitReached,
    HubSpotError,
    NotAnApiError,
    RateLimitError,
    TransportError,
)
from crmkit.hubspot.auth import REDACTED, Secret, redact, register_secret, reject_api_key
from crmkit.hubspot.diagnose import check_base_url, describe_body, looks_like_json, no_answer
from crmkit.hubspot.limiter import RateLimiter
from crmkit.hubspot.policy import RateLimitPolicy, RetryPolicy
from crmkit.hubspot.responses import ApiResponse, error_from_response
from crmkit.hubspot.retry import CallState, call_with_retries
from crmkit.hubspot.stats import ClientStats, RequestEvent

log = logging.getLogger("crmkit.hubspot")

Lane = Literal["objects", "exempt"]

_TOKEN_CHARS = re.compile(r"^[\x21-\x7e]+$")  # printable ASCII, no spaces

#: Failures with no HTTP answer; the request may or may not have reached HubSpot.
TRANSPORT_ERRORS: tuple[type[BaseException], ...] = (
    requests.ConnectionError,
    requests.Timeout,
    requests.exceptions.ChunkedEncodingError,
    requests.exceptions.ContentDecodingError,
)


class Transport:
    """Rate-limited, retrying HTTP to one portal; HubSpotClient adds the API calls on top.

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
        if not _TOKEN_CHARS.match(token.strip()):
            # requests would echo the whole header value, token included, in its error.
            raise ConfigError(
                "the access token contains spaces, control or non-ASCII characters; "
                "copy it again from the private app's page"
            )
        self.base_url = check_base_url(base_url)
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
        self.stats = ClientStats(clock)
        self.daily_remaining: int | None = None
        """The portal's requests left today, from the last answer that said (else None)."""
        self.on_request = on_request
        self._owns_session = session is None
        self._session = session or _pooled_session(pool_size)

    def __repr__(self) -> str:
        name = type(self).__name__
        return f"{name}(base_url={self.base_url!r}, tier={self.tier!r}, token={REDACTED})"

    def close(self) -> None:
        if self._owns_session:
            self._session.close()

    def __enter__(self) -> Transport:
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
        method = method.upper()

        def attempt(state: CallState) -> ApiResponse:
            state.attempts += 1
            state.retry_after_s = None
            current = _Attempt(method, path, lane, state.attempts, started=self._clock())
            try:
                response = self._send(current, json=json, params=params)
                return self._answer(current, response, state)
            finally:
                self._record(current)

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

    def _send(
        self, current: _Attempt, *, json: Any, params: Mapping[str, Any] | None
    ) -> requests.Response:
        """One HTTP exchange in a limiter slot; no answer at all becomes a typed error."""
        limiter = self._limiter_for(current.lane)
        slot = limiter.acquire() if limiter else None
        try:
            response = self._session.request(
                current.method,
                self.base_url + current.path,
                json=json,
                params=params,
                headers=self._headers(),
                timeout=self.timeout,
            )
        except TRANSPORT_ERRORS as exc:
            current.outcome = "transport_error"
            failure = no_answer(exc, current.method, current.path, self.base_url)
            raise self._stamped(failure, current) from exc
        except requests.RequestException as exc:
            current.outcome = "client_error"
            why = f"{current.method} {current.path}: request failed ({type(exc).__name__})"
            raise self._stamped(HubSpotError(why), current) from None
        finally:
            answered = self._clock()
            if limiter is not None and slot is not None:
                limiter.release(slot)
        current.status = response.status_code
        self._observe(response, current, answered)
        return response

    def _observe(self, response: requests.Response, current: _Attempt, answered: float) -> None:
        """Let the answer's headers correct the window and the daily count."""
        # The headers describe the ten-second window whatever the lane, so they always
        # correct the objects limiter (never the exempt pacer).
        self.limiter.observe(
            response.headers,
            sent_at=current.started,
            answered_at=answered,
            ours=current.lane == "objects",
        )
        daily = response.headers.get("X-HubSpot-RateLimit-Daily-Remaining", "")
        if daily.strip().isdigit():
            self.daily_remaining = int(daily)

    def _answer(
        self, current: _Attempt, response: requests.Response, state: CallState
    ) -> ApiResponse:
        """A 2xx with a readable body becomes an ApiResponse; anything else a typed error."""
        status = response.status_code
        body, decoded = _decode(response)
        if not decoded and not looks_like_json(response):
            if status < 500 and status != 429:
                current.outcome = "client_error"
                raise self._not_an_api(status, response, current.number)
            body = {"message": f"{describe_body(response)} from {self.base_url}"}
        if 200 <= status < 300:
            if not decoded:
                current.outcome = "transport_error"
                why = f"{current.method} {current.path}: answer {status} with an unreadable body"
                unreadable = TransportError(why, status=status)
                unreadable.attempts = current.number
                raise unreadable
            return ApiResponse(status, body, dict(response.headers), current.number)
        current.outcome = _outcome_of(status)
        error = self._stamped(error_from_response(status, body, response.headers), current)
        self._before_retry(error, state, response.headers, current.lane)
        raise error

    def _stamped(self, error: HubSpotError, current: _Attempt) -> HubSpotError:
        """The error with the token scrubbed from its message and the attempt count set."""
        error.message = self._scrub(error.message)
        error.args = (error.message,)
        error.attempts = current.number
        return error

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
            pacer = self._limiter_for(lane)
            state.rate_wait_s = pacer.note_rate_limited() if pacer else self.limits.window_s
        elif error.transient:
            state.retry_after_s = _retry_after(headers)

    def _not_an_api(self, status: int, response: requests.Response, attempts: int) -> NotAnApiError:
        """A proxy's login page or a web site answered: the target is wrong, retrying won't help."""
        error = NotAnApiError(
            self._scrub(
                f"{self.base_url} answered {status} with {describe_body(response)}, not HubSpot's"
                " JSON API: is the target right (HubSpot's is https://api.hubapi.com), or is a"
                " proxy or login page in the way?"
            ),
            status=status,
        )
        error.attempts = attempts
        return error

    def _limiter_for(self, lane: Lane) -> RateLimiter | None:
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

    def _record(self, current: _Attempt) -> None:
        now = self._clock()
        event = RequestEvent(
            t=now - self.stats.started,
            method=current.method,
            path=current.path,
            status=current.status,
            attempt=current.number,
            duration_s=now - current.started,
            outcome=current.outcome,
        )
        self.stats.record(event)
        if self.on_request is not None:
            try:
                self.on_request(event)
            except Exception:
                log.exception("the on_request callback failed; the call goes on")


@dataclass
class _Attempt:
    """One HTTP try of a call, as the stats record it once it is over."""

    method: str
    path: str
    lane: Lane
    number: int
    started: float
    status: int | None = None
    outcome: str = "ok"


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


def _retry_after(headers: Mapping[str, str]) -> float | None:
    for key, value in headers.items():
        if key.lower() == "retry-after":
            try:
                return max(0.0, float(value))
            except ValueError:
                return None
    return None
