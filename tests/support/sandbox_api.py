"""A bearer-authenticated requests session against one sandbox, for tests of the HTTP API."""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import requests

from crmkit.sandbox import RunningSandbox, running
from tests.support.cli import free_port


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


class Restartable:
    """A sandbox on a fixed port and a file database, which a test can stop and start again."""

    def __init__(self, db: Path, **options: Any) -> None:
        self.port = free_port()
        self.options = {"db": str(db), "port": self.port, "token": "sandbox-token", **options}
        self._cm: AbstractContextManager[RunningSandbox] | None = None
        self.box: RunningSandbox | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> RunningSandbox:
        self._cm = running(**self.options)
        self.box = self._cm.__enter__()
        return self.box

    def stop(self) -> None:
        if self._cm is not None:
            self._cm.__exit__(None, None, None)
            self._cm = None
            self.box = None
