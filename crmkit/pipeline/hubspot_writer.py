"""The Writer over crmkit's HubSpot client: upserts with per-record isolation, v4 associations.

The client layer isolates bad inputs and links (:mod:`crmkit.hubspot.isolation`,
:mod:`crmkit.hubspot.link_isolation`); here its outcomes are named by record key for the
journal: HubSpot's refusal of one input is ``failed`` (fix the data); a batch whose transient
retries ran out is ``sent`` (outcome unknown: resume sends it again, safely, because every
write is an upsert on a unique key).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import replace

from crmkit.errors import (
    AuthError,
    ConfigError,
    HubSpotValidationError,
    NotFoundError,
)
from crmkit.hubspot import HubSpotClient, RateLimitPolicy, token_from_env, write_isolated
from crmkit.hubspot.link_isolation import associate_isolated
from crmkit.hubspot.outcome import WriteOutcome
from crmkit.pipeline.options import MAX_BATCH, ImportOptions
from crmkit.pipeline.write_contract import created_since, upsert_input
from crmkit.plan.model import PlannedRecord
from crmkit.schema import IMPORT_KEY_PROPERTY, Schema, import_key_definition

KEYED_TYPES = ("companies", "tickets")
"""Object types without a unique default property: crmkit upserts them by its import key."""
KEYED_WRITES = (*KEYED_TYPES, "notes")
"""Types written by the import key (notes are neither mapped nor validated: no schema)."""


class HubSpotWriter:
    """Writes a run's records and links through one shared, thread-safe client."""

    def __init__(self, client: HubSpotClient, *, run_started: float) -> None:
        self.client = client
        self.run_started = run_started
        self._schemas: dict[str, Schema] = {}
        self._portal: str | None = None
        self._asked_portal = False
        self._keyed: set[str] = set()
        """Types whose import-key property is made sure of (asked once, when first needed)."""
        self._lock = threading.Lock()
        self.new_key_types: set[str] = set()
        """Types whose import-key property this writer created: no record can hold a key yet."""

    # records -----------------------------------------------------------------------------
    def write(self, object_type: str, records: Sequence[PlannedRecord]) -> list[WriteOutcome]:
        if not records:
            return []
        if object_type in KEYED_WRITES:
            self._keyed_once(object_type)  # a resumed run's plan was read, not prepared
        inputs = [upsert_input(r) for r in records]
        outcomes = write_isolated(
            self.client, object_type, "upsert", inputs, id_property=records[0].id_property
        )
        return [
            self._outcome(record.key, outcome)
            for record, outcome in zip(records, outcomes, strict=True)
        ]

    def _outcome(self, key: str, outcome: WriteOutcome) -> WriteOutcome:
        """Named by the record's key; ``created`` if this run made it (a lost answer's retry
        says ``new: false``); a refusal journaled by HubSpot's most specific word."""
        if outcome.state == "updated" and created_since(outcome.created_at, self.run_started):
            return replace(outcome, key=key, state="created")
        if outcome.state == "failed":
            return replace(outcome, key=key, category=outcome.code or outcome.category)
        return replace(outcome, key=key)

    # associations ------------------------------------------------------------------------
    def associate(
        self, from_type: str, to_type: str, pairs: Sequence[tuple[str, str]]
    ) -> list[WriteOutcome]:
        return associate_isolated(self.client, from_type, to_type, pairs)

    # rollback ----------------------------------------------------------------------------
    def archive(self, object_type: str, ids: Sequence[str]) -> None:
        for start in range(0, len(ids), MAX_BATCH):
            try:
                self.client.archive(object_type, ids[start : start + MAX_BATCH])
            except NotFoundError:
                continue  # archived already: rollback is idempotent

    # portal facts ------------------------------------------------------------------------
    def stats(self) -> dict[str, int]:
        return self.client.stats.snapshot()

    def ceiling_records_per_s(self) -> float | None:
        return MAX_BATCH * self.client.limits.ceiling_per_s

    def ensure_import_keys(self) -> None:
        """Create the unique ``crmkit_import_key`` property where the portal lacks it."""
        for object_type in KEYED_TYPES:
            self._keyed_once(object_type)

    def _keyed_once(self, object_type: str) -> None:
        """The type's import key, made sure of once per writer (writes come from threads)."""
        if object_type in self._keyed:
            return
        with self._lock:
            if object_type not in self._keyed:
                self._ensure_key(object_type)
                self._keyed.add(object_type)

    def _ensure_key(self, object_type: str) -> None:
        existing = self.client.properties(object_type)
        if not any(p.get("name") == IMPORT_KEY_PROPERTY for p in existing):
            self.new_key_types.add(object_type)
        try:
            made = self.client.ensure_property(
                object_type, import_key_definition(object_type), existing=existing
            )
        except AuthError as exc:
            if exc.status != 403:
                raise
            raise ConfigError(
                f"{exc.message}; or create the {object_type} property"
                f" {IMPORT_KEY_PROPERTY!r} by hand (single-line text, unique values"
                " required), then run again"
            ) from None
        if object_type == "notes":  # no Schema for notes: crmkit neither maps nor validates them
            return
        if object_type in self.new_key_types:  # just made: its answer completes the schema
            existing = [*existing, made]
        self._schemas[object_type] = Schema.from_api(object_type, existing)

    def portal_id(self) -> str | None:
        """The portal's hub id (``GET /account-info/v3/details``), asked once; None when the
        portal does not say (an API that lacks the endpoint), so a resume cannot compare."""
        if not self._asked_portal:
            self._asked_portal = True
            try:
                portal = self.client.account_details().get("portalId")
            except (NotFoundError, HubSpotValidationError):  # not the API at all: stop
                portal = None
            except AuthError as exc:
                if exc.status != 403:
                    raise
                portal = None
            self._portal = str(portal) if portal not in (None, "") else None
        return self._portal

    def schema_for(self, object_type: str) -> Schema:
        """The portal's own properties (custom ones included) to map and validate against."""
        if object_type in KEYED_TYPES:  # its import key first: the schema comes with it
            self._keyed_once(object_type)
        schema = self._schemas.get(object_type)
        if schema is None or (IMPORT_KEY_PROPERTY not in schema and object_type in KEYED_TYPES):
            schema = Schema.from_api(object_type, self.client.properties(object_type))
            self._schemas[object_type] = schema
        return schema


def portal_client(target: str, options: ImportOptions) -> HubSpotClient:
    """The client a run's options describe (tier, retries, window, timeout, pool), with the
    token from ``HUBSPOT_ACCESS_TOKEN``: one place for the writer and the preview."""
    return HubSpotClient(
        target,
        token_from_env(),
        tier=options.tier,
        retry=options.retry,
        limits=RateLimitPolicy.for_tier(options.tier, window_s=options.window_s),
        timeout_s=options.timeout_s,
        pool_size=max(8, options.concurrency * 2),
    )


def connect(target: str, options: ImportOptions, *, run_started: float) -> HubSpotWriter:
    """A writer for ``target`` with the token from ``HUBSPOT_ACCESS_TOKEN``.

    It asks the portal nothing yet: each type's import-key property is made sure of when the
    run first needs that type (its schema, to map the file; or its first write, on a resume),
    so a token without the schema scope still stops the run before anything is planned or
    sent, and a contacts-only run spends no request (and no latency) on companies or tickets.
    """
    return HubSpotWriter(portal_client(target, options), run_started=run_started)
