"""The pieces behind the clear messages, table by table: which target URLs are endpoints,
how an odd body is described, and that a failing worker starts no further batch."""

from __future__ import annotations

import threading

import pytest
import requests

from crmkit.errors import ConfigError
from crmkit.hubspot.diagnose import check_base_url, describe_body, looks_like_json
from crmkit.pipeline.executor import run_concurrently


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("https://api.hubapi.com", "https://api.hubapi.com"),
        ("https://api.hubapi.com/", "https://api.hubapi.com"),
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
        ("https://proxy.corp.example/hubspot", "https://proxy.corp.example/hubspot"),
        ("https://proxy.corp.example/crmkit", "https://proxy.corp.example/crmkit"),
    ],
)
def test_base_urls_are_kept(url: str, kept: str) -> None:
    assert check_base_url(url) == kept


@pytest.mark.parametrize(
    "url",
    [
        "https://api.hubapi.com/crm/v3",
        "https://api.hubapi.com/crm/v3/",
        "https://api.hubapi.com/crm",
        "https://api.hubapi.com/crm/v4/associations",
        "https://proxy.corp.example/hubspot/crm/v3/objects/contacts",
    ],
)
def test_endpoint_urls_are_refused_with_the_root(url: str) -> None:
    with pytest.raises(ConfigError, match="without a path") as caught:
        check_base_url(url)
    assert url.split("/crm")[0].split("/hubspot")[0] in caught.value.message


def answer(body: str, content_type: str) -> requests.Response:
    response = requests.Response()
    response._content = body.encode()
    response.headers["Content-Type"] = content_type
    response.encoding = "utf-8"
    return response


@pytest.mark.parametrize(
    ("body", "content_type", "said", "json_meant"),
    [
        (
            "<html><head><title>Sign in &amp; go</title></head></html>",
            "text/html",
            "an HTML page titled 'Sign in & go'",
            False,
        ),
        (
            "<!DOCTYPE html><html><body>no title</body></html>",
            "text/html; charset=utf-8",
            "an HTML page",
            False,
        ),
        ("<!doctype html><html><title>x</title>", "", "an HTML page titled 'x'", False),
        ("OK", "text/plain", "text/plain that is not JSON", False),
        ('{"results": [', "application/json", "application/json that is not JSON", True),
        ("{}", "application/problem+json", "application/problem+json that is not JSON", True),
    ],
)
def test_odd_bodies_are_described_in_a_phrase(
    body: str, content_type: str, said: str, json_meant: bool
) -> None:
    response = answer(body, content_type)
    assert describe_body(response) == said
    assert looks_like_json(response) is json_meant


@pytest.mark.parametrize("concurrency", [1, 2, 4])
def test_a_failing_worker_starts_no_further_item(concurrency: int) -> None:
    """Once one item fails, items a worker picks up afterwards are not started at all."""
    started: list[int] = []
    lock = threading.Lock()
    failed = threading.Event()

    def work(item: int) -> int:
        with lock:
            started.append(item)
        if item == 0:
            failed.set()
            raise RuntimeError("token refused")
        failed.wait(1)  # the others are still in flight when the first one fails
        return item

    with pytest.raises(RuntimeError, match="token refused"):
        run_concurrently(range(50), work, lambda _done: None, concurrency=concurrency)
    assert len(started) <= concurrency
