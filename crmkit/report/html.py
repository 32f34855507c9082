"""Writing a self-contained page: no token in it, nothing fetched from the network.

The report page is for a manager opening an email attachment, offline or behind a proxy: a
script, stylesheet or image from a CDN would not load, and the access token must never be in
it. :func:`write_offline_page` scrubs the token, warns about any network reference, and
writes atomically, so a reader never opens half a page.
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Iterable
from pathlib import Path

from crmkit.hubspot import auth

_NETWORK_REFERENCE = re.compile(
    r"""<(?:script|img|iframe|embed|source|audio|video)\b[^>]*\bsrc\s*=\s*["']?\s*(?:https?:)?//"""
    r"""|<link\b[^>]*\bhref\s*=\s*["']?\s*(?:https?:)?//"""
    r"""|@import\s+(?:url\()?\s*["']?\s*(?:https?:)?//"""
    r"""|\burl\(\s*["']?\s*(?:https?:)?//""",
    re.IGNORECASE,
)


def find_network_references(html: str) -> list[str]:
    """Tags or CSS rules in ``html`` that would fetch something from the network."""
    return [
        html[max(0, m.start() - 20) : m.end() + 60].replace("\n", " ")
        for m in _NETWORK_REFERENCE.finditer(html)
    ]


def redact(html: str, secrets: Iterable[str]) -> tuple[str, int]:
    """The page with every secret scrubbed (the one redaction of crmkit.hubspot.auth), and how
    many occurrences there were, so the writer can warn that a token reached the page."""
    wanted = [s for s in secrets if len(s) >= auth.MIN_SECRET_LEN]
    found = sum(html.count(s) for s in wanted)
    return auth.redact(html, wanted), found


def write_offline_page(
    html: str, dest: Path | str, *, secrets: Iterable[str] | None = None
) -> Path:
    """Write ``html`` at ``dest`` with secrets scrubbed; warn if it refers to the network.

    ``secrets`` default to this process's ``HUBSPOT_ACCESS_TOKEN``.
    """
    if secrets is None:
        secrets = [os.environ.get("HUBSPOT_ACCESS_TOKEN", "")]
    html, leaked = redact(html, secrets)
    if leaked:
        warnings.warn(
            f"the access token appeared {leaked} time(s) in the page; redacted", stacklevel=2
        )
    references = find_network_references(html)
    if references:
        warnings.warn(f"the page refers to the network: {references[:3]}", stacklevel=2)
    target = Path(dest)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.write_text(html, encoding="utf-8")
    partial.replace(target)
    return target
