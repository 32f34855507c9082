"""Fixtures for the sandbox tests: one server per module, wiped before every test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from crmkit.sandbox import RunningSandbox, running


class FakeClock:
    """Monotonic seconds that only move when a test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class Api:
    """A bearer-authenticated session against one sandbox, with shortcuts for common calls."""

    def __init__(self, sandbox: RunningSandbox) -> None:
        self.sandbox = sandbox
        self.url = sandbox.base_url
        self.session = requests.Session()
        self.session.headers.update(sandbox.headers)

    def post(self, path: str, body: Any, **kwargs: Any) -> requests.Response:
        return self.session.post(self.url + path, json=body, timeout=10, **kwargs)

    def get(self, path: str, **params: Any) -> requests.Response:
        return self.session.get(self.url + path, params=params, timeout=10)

    def create(self, object_type: str, *props: dict[str, str]) -> list[dict[str, Any]]:
        answer = self.post(
            f"/crm/v3/objects/{object_type}/batch/create",
            {"inputs": [{"properties": p} for p in props]},
        )
        assert answer.status_code == 201, answer.text
        results: list[dict[str, Any]] = answer.json()["results"]
        return results

    def unique_property(self, object_type: str, name: str = "crmkit_import_key") -> None:
        body = {
            "name": name,
            "label": name,
            "type": "string",
            "fieldType": "text",
            "groupName": "crmkit",
            "hasUniqueValue": True,
        }
        answer = self.post(f"/crm/v3/properties/{object_type}", body)
        assert answer.status_code == 201, answer.text


def ticket(subject: str = "Printer on fire", **extra: str) -> dict[str, str]:
    return {"subject": subject, "hs_pipeline": "0", "hs_pipeline_stage": "1", **extra}


@pytest.fixture(scope="module")
def sandbox() -> Iterator[RunningSandbox]:
    with running(tier="enterprise") as sb:
        yield sb


@pytest.fixture
def api(sandbox: RunningSandbox) -> Iterator[Api]:
    sandbox.reset()
    client = Api(sandbox)
    yield client
    client.session.close()
