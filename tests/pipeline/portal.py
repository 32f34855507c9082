"""Helpers for tests over HTTP: read a sandbox back and compare it with a plan."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from crmkit import OBJECT_TYPES
from crmkit.hubspot import HubSpotClient
from crmkit.plan.model import ImportPlan

KEY_PROPERTY = {
    "contacts": "email",
    "companies": "crmkit_import_key",
    "tickets": "crmkit_import_key",
}
LINK_KINDS = (("contacts", "companies"), ("tickets", "contacts"), ("tickets", "companies"))


@dataclass
class PortalState:
    """What a portal holds: keys per type (with multiplicity), properties, and links by key."""

    keys: dict[str, Counter[str]]
    properties: dict[str, dict[str, dict[str, str]]]
    links: set[tuple[str, str, str, str]]
    ids: dict[str, dict[str, str]]

    def duplicates(self) -> dict[str, list[str]]:
        return {t: [k for k, n in c.items() if n > 1] for t, c in self.keys.items()}


def read_portal(base_url: str, token: str) -> PortalState:
    """Every live record and every association, read back through the client."""
    with HubSpotClient(base_url, token, tier="enterprise") as client:
        keys: dict[str, Counter[str]] = {}
        props: dict[str, dict[str, dict[str, str]]] = {}
        ids: dict[str, dict[str, str]] = {}
        by_id: dict[str, dict[str, str]] = {}
        for object_type in OBJECT_TYPES:
            wanted = [KEY_PROPERTY[object_type], "name", "firstname", "subject"]
            keys[object_type] = Counter()
            props[object_type] = {}
            ids[object_type] = {}
            by_id[object_type] = {}
            for obj in client.iter_objects(object_type, properties=wanted):
                key = str((obj.get("properties") or {}).get(KEY_PROPERTY[object_type]) or "")
                keys[object_type][key] += 1
                got = obj.get("properties") or {}
                props[object_type][key] = {p: got[p] for p in wanted if got.get(p) is not None}
                ids[object_type][key] = str(obj["id"])
                by_id[object_type][str(obj["id"])] = key
        links: set[tuple[str, str, str, str]] = set()
        for from_type, to_type in LINK_KINDS:
            sources = list(ids[from_type].values())
            for start in range(0, len(sources), 1000):
                answer = client.read_associations(from_type, to_type, sources[start : start + 1000])
                for result in answer.results:
                    from_key = by_id[from_type][str(result["from"]["id"])]
                    for target in result.get("to") or []:
                        to_key = by_id[to_type].get(str(target["toObjectId"]))
                        if to_key is not None:
                            links.add((from_type, from_key, to_type, to_key))
    return PortalState(keys, props, links, ids)


def planned_keys(plan: ImportPlan) -> dict[str, Counter[str]]:
    return {t: Counter(r.key for r in plan.records.get(t, [])) for t in OBJECT_TYPES}


def planned_links(plan: ImportPlan) -> set[tuple[str, str, str, str]]:
    return {(k.from_type, k.from_key, k.to_type, k.to_key) for k in plan.links}
