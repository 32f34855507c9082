"""Read a sandbox back and compare it with a plan: keys, every property, every link.

The one read-back of the test suites (pipeline, failures, reliability), so they cannot drift
apart in how they read a portal.

Values are compared as HubSpot stores them: the sandbox normalises datetimes to ISO-8601 UTC
with milliseconds and numbers to plain decimals, so both sides are put in one form first.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

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
class Held:
    """What a portal holds, by upsert key: multiplicity, the asked properties, links."""

    counts: dict[str, Counter[str]]
    properties: dict[str, dict[str, dict[str, str]]]
    links: set[tuple[str, str, str, str]]

    def total(self, object_type: str) -> int:
        return sum(self.counts[object_type].values())

    def planned_view(self, plan: ImportPlan) -> dict[str, dict[str, dict[str, str]]]:
        """Each planned record's planned properties as held; values the server set when the
        plan left them out (a ticket requester's ``createdate``) differ by run, so not these."""
        return {
            object_type: {
                r.key: {
                    name: canonical(self.properties[object_type].get(r.key, {}).get(name, ""))
                    for name in r.properties
                }
                for r in plan.records.get(object_type, [])
            }
            for object_type in OBJECT_TYPES
        }


def planned_properties(plan: ImportPlan) -> dict[str, list[str]]:
    """Every property name the plan writes, per object type (sorted)."""
    names: dict[str, set[str]] = {t: {KEY_PROPERTY[t]} for t in OBJECT_TYPES}
    for object_type, records in plan.records.items():
        for record in records:
            names[object_type].update(record.properties)
    return {t: sorted(v) for t, v in names.items()}


def read_back(base_url: str, token: str, properties: dict[str, list[str]]) -> Held:
    """Every live record with the given properties, and every association of LINK_KINDS."""
    counts: dict[str, Counter[str]] = {}
    props: dict[str, dict[str, dict[str, str]]] = {}
    key_of: dict[str, dict[str, str]] = {}
    with HubSpotClient(base_url, token, tier="enterprise") as client:
        for object_type in OBJECT_TYPES:
            counts[object_type], props[object_type], key_of[object_type] = Counter(), {}, {}
            key_prop = KEY_PROPERTY[object_type]
            for obj in client.iter_objects(object_type, properties=properties[object_type]):
                got = obj.get("properties") or {}
                key = str(got.get(key_prop) or "")
                counts[object_type][key] += 1
                props[object_type][key] = {  # server-set values (timestamps, ids) left out
                    k: str(got[k]) for k in properties[object_type] if got.get(k) not in (None, "")
                }
                key_of[object_type][str(obj["id"])] = key
        links: set[tuple[str, str, str, str]] = set()
        for from_type, to_type in LINK_KINDS:
            ids = list(key_of[from_type])
            for start in range(0, len(ids), 1000):
                answer = client.read_associations(from_type, to_type, ids[start : start + 1000])
                for result in answer.results:
                    from_key = key_of[from_type][str(result["from"]["id"])]
                    for target in result.get("to") or []:
                        to_key = key_of[to_type].get(str(target["toObjectId"]))
                        if to_key is not None:
                            links.add((from_type, from_key, to_type, to_key))
    return Held(counts, props, links)


def canonical(value: str) -> str:
    """One spelling per value: ISO datetimes to UTC seconds, numbers to plain decimals."""
    text = value.strip()
    if len(text) >= 19 and text[4] == "-" and text[10] == "T":
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return text
        return moment.strftime("%Y-%m-%dT%H:%M:%S")
    if text[:1].isdigit() or text[:1] in "+-.":
        try:
            number = Decimal(text)
        except InvalidOperation:
            return text
        return format(number.normalize(), "f") if number.is_finite() else text
    return text


def differences(held: Held, plan: ImportPlan) -> list[str]:
    """Everything in which the portal differs from the plan; empty when it holds exactly it."""
    problems: list[str] = []
    for object_type in OBJECT_TYPES:
        wanted = Counter(r.key for r in plan.records.get(object_type, []))
        if held.counts[object_type] != wanted:
            extra = sorted((held.counts[object_type] - wanted).elements())[:5]
            missing = sorted((wanted - held.counts[object_type]).elements())[:5]
            problems.append(f"{object_type}: extra or doubled {extra}, missing {missing}")
        for record in plan.records.get(object_type, []):
            got = held.properties[object_type].get(record.key, {})
            for name, value in record.properties.items():
                stored = got.get(name, "")
                if canonical(stored) != canonical(value):
                    problems.append(f"{object_type} {record.key}: {name}={stored!r}, not {value!r}")
    wanted_links = planned_links(plan)
    if held.links != wanted_links:
        problems.append(
            f"links: {len(wanted_links - held.links)} missing, {len(held.links - wanted_links)}"
            f" unplanned, e.g. {sorted(wanted_links ^ held.links)[:3]}"
        )
    return problems


def read_portal(base_url: str, token: str) -> Held:
    """Every live record (upsert key and display name) and every association, by key."""
    wanted = {t: [KEY_PROPERTY[t], "name", "firstname", "subject"] for t in OBJECT_TYPES}
    return read_back(base_url, token, wanted)


def portal_keys(base_url: str, token: str) -> dict[str, Counter[str]]:
    """Every live record's key, per type, with multiplicity (a duplicate shows as 2)."""
    return read_back(base_url, token, {t: [KEY_PROPERTY[t]] for t in OBJECT_TYPES}).counts


def planned_keys(plan: ImportPlan) -> dict[str, Counter[str]]:
    return {t: Counter(r.key for r in plan.records.get(t, [])) for t in OBJECT_TYPES}


def planned_links(plan: ImportPlan) -> set[tuple[str, str, str, str]]:
    return {(k.from_type, k.from_key, k.to_type, k.to_key) for k in plan.links}
