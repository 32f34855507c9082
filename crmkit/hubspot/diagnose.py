"""Say plainly what went wrong when the target did not answer, or answered something odd.

requests and urllib3 describe a refused connection as three nested reprs ("HTTPConnectionPool
… Max retries exceeded … NewConnectionError …"); a user needs "no answer from URL: connection
refused". And a target that answers with an HTML page (a proxy's login form, a web site) is
not HubSpot at all: saying so, and not retrying it, saves the user a puzzle and a minute.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

import requests
from urllib3.exceptions import NameResolutionError, NewConnectionError

from crmkit.errors import ConfigError, TransportError, UnreachableError

_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_SSL_REASON = re.compile(r"\[SSL: ([A-Z_]+)\]")


def check_base_url(base_url: str) -> str:
    """The base URL without a trailing slash; an endpoint URL (``…/crm/v3``) is refused."""
    parts = urlsplit(base_url)
    path = parts.path.rstrip("/")
    if path == "/crm" or "/crm/" in path + "/":
        root = f"{parts.scheme}://{parts.netloc}"
        raise ConfigError(
            f"the target is the API's base URL, without a path: use {root} instead of {base_url}"
        )
    return base_url.rstrip("/")


def no_answer(exc: BaseException, method: str, path: str, base_url: str) -> TransportError:
    """The typed error for a call that got no HTTP answer, with a one-clause reason."""
    if isinstance(exc, requests.exceptions.SSLError):
        reason = _SSL_REASON.search(str(exc))
        failure: TransportError = UnreachableError(
            f"cannot talk TLS to {base_url} ({reason.group(1) if reason else 'handshake failed'})."
            " If the server speaks plain HTTP (a local sandbox), use http:// instead of https://"
        )
        failure.transient = False  # a handshake that failed once fails every time
        return failure
    cause = _root_cause(exc)
    if isinstance(cause, NameResolutionError):
        host = urlsplit(base_url).hostname or base_url
        return UnreachableError(f"no answer from {base_url}: host {host!r} not found")
    if isinstance(cause, NewConnectionError):
        return UnreachableError(
            f"no answer from {base_url}: connection refused (is the server running and the URL"
            " right?)"
        )
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return UnreachableError(f"no answer from {base_url}: no connection within the timeout")
    if isinstance(exc, requests.Timeout):
        return TransportError(f"{method} {path}: no answer within the timeout")
    return TransportError(f"{method} {path}: the connection dropped without an answer")


def _root_cause(exc: BaseException) -> BaseException | None:
    """urllib3's reason inside requests' wrapper (``MaxRetryError.reason``), if any."""
    for arg in exc.args:
        reason = getattr(arg, "reason", None)
        if isinstance(reason, BaseException):
            return reason
    return None


def describe_body(response: requests.Response) -> str:
    """A short phrase for a body that is not JSON: 'an HTML page titled …' or its type."""
    kind = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
    text = response.text[:4000]
    if "html" in kind or text.lstrip()[:15].lower().startswith(("<!doctype html", "<html")):
        title = _TITLE.search(text)
        if title:
            name = " ".join(html.unescape(title.group(1)).split())[:80]
            return f"an HTML page titled {name!r}"
        return "an HTML page"
    return f"{kind or 'a body'} that is not JSON"


def looks_like_json(response: requests.Response) -> bool:
    """Whether the server meant to send JSON (then a bad body is a glitch, worth a retry)."""
    kind = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
    return kind.endswith("json")  # application/json and any +json type
