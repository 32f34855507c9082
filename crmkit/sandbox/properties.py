"""``/crm/v3/properties/{type}``: list, read, create (custom, possibly unique) and change
properties; a PATCH replaces an enumeration's options unless HubSpot fixes them
(``modificationMetadata.readOnlyOptions``)."""

from __future__ import annotations

from typing import Any

from crmkit.sandbox.replies import JSON, ApiFailure, Reply, error_body, iso, now_ms
from crmkit.sandbox.store import Store

TYPES = frozenset({"bool", "date", "datetime", "enumeration", "number", "phone_number", "string"})
FIELD_TYPES = frozenset(
    {
        "booleancheckbox", "checkbox", "date", "file", "number", "phonenumber", "radio",
        "select", "text", "textarea", "calculation_equation", "html",
    }
)  # fmt: skip
_REQUIRED = ("name", "label", "type", "fieldType", "groupName")


def list_properties(store: Store, object_type: str) -> Reply:
    return Reply(200, {"results": list(store.properties(object_type).values())})


def read_property(store: Store, object_type: str, name: str) -> Reply:
    prop = store.properties(object_type).get(name)
    return _missing(object_type, name) if prop is None else Reply(200, prop)


def create_property(store: Store, object_type: str, body: Any) -> Reply:
    """Create a custom property; ``hasUniqueValue`` makes it usable as an upsert idProperty."""
    if not isinstance(body, dict):
        raise ApiFailure(400, "VALIDATION_ERROR", "Invalid input JSON: expected an object")
    missing = [k for k in _REQUIRED if not body.get(k)]
    if missing:
        raise ApiFailure(400, "VALIDATION_ERROR", f"Missing required fields: {', '.join(missing)}")
    name = str(body["name"])
    if not name.replace("_", "").isalnum() or not name[0].isalpha() or name != name.lower():
        raise ApiFailure(
            400,
            "VALIDATION_ERROR",
            f"Property name {name!r} must start with a letter and contain only lower-case "
            "letters, digits and underscores.",
        )
    if body["type"] not in TYPES:
        raise ApiFailure(400, "VALIDATION_ERROR", f"Unknown property type {body['type']!r}")
    if body["fieldType"] not in FIELD_TYPES:
        raise ApiFailure(400, "VALIDATION_ERROR", f"Unknown field type {body['fieldType']!r}")
    unique = bool(body.get("hasUniqueValue", False))
    if unique and body["type"] not in ("string", "number"):
        raise ApiFailure(
            400, "VALIDATION_ERROR", "Only string and number properties can have unique values."
        )
    options = body.get("options") or []
    if body["type"] == "enumeration" and not options:
        raise ApiFailure(400, "VALIDATION_ERROR", "An enumeration property needs options.")
    if name in store.properties(object_type):
        raise ApiFailure(
            409,
            "OBJECT_ALREADY_EXISTS",
            f"A property named '{name}' already exists.",
            subCategory="PropertyValidationError.PROPERTY_EXISTS",
        )
    stamp = iso(now_ms())
    prop: JSON = {
        "name": name,
        "label": str(body["label"]),
        "type": body["type"],
        "fieldType": body["fieldType"],
        "groupName": str(body["groupName"]),
        "description": str(body.get("description") or ""),
        "options": [_option(o, i) for i, o in enumerate(options)],
        "displayOrder": int(body.get("displayOrder", -1)),
        "hasUniqueValue": unique,
        "hidden": bool(body.get("hidden", False)),
        "formField": bool(body.get("formField", False)),
        "calculated": False,
        "externalOptions": False,
        "hubspotDefined": False,
        "createdAt": stamp,
        "updatedAt": stamp,
        "archived": False,
        "modificationMetadata": {
            "archivable": True,
            "readOnlyDefinition": False,
            "readOnlyValue": False,
        },
    }
    with store.transaction():
        store.save_property(object_type, prop)
    return Reply(201, prop)


def patch_property(store: Store, object_type: str, name: str, body: Any) -> Reply:
    """``PATCH /crm/v3/properties/{type}/{name}``: label, description, options (replaced)."""
    prop = store.properties(object_type).get(name)
    if prop is None:
        return _missing(object_type, name)
    if not isinstance(body, dict):
        raise ApiFailure(400, "VALIDATION_ERROR", "Invalid input JSON: expected an object")
    meta = prop.get("modificationMetadata") or {}
    changed = dict(prop)
    if "options" in body:
        if meta.get("readOnlyOptions"):
            raise ApiFailure(
                400,
                "VALIDATION_ERROR",
                f"The options of property {name} are read-only and cannot be changed.",
                subCategory="PropertyValidationError.READ_ONLY_OPTIONS",
            )
        if prop.get("type") not in ("enumeration", "bool"):
            raise ApiFailure(400, "VALIDATION_ERROR", f"Property {name} does not have options.")
        raw = body["options"]
        if not isinstance(raw, list):
            raise ApiFailure(400, "VALIDATION_ERROR", "options must be a list.")
        options = [_option(o, i) for i, o in enumerate(raw)]
        values = [o["value"] for o in options]
        dupes = sorted({v for v in values if values.count(v) > 1})
        if dupes:
            raise ApiFailure(
                400, "VALIDATION_ERROR", f"Duplicate option values: [{', '.join(dupes)}]"
            )
        changed["options"] = options
    definition = ("label", "description", "groupName", "fieldType", "type", "hasUniqueValue")
    asked = [k for k in definition if k in body and body[k] != prop.get(k)]
    if asked and meta.get("readOnlyDefinition") and set(asked) - {"label", "description"}:
        raise ApiFailure(
            400,
            "VALIDATION_ERROR",
            f"The definition of HubSpot property {name} is read-only: "
            f"{', '.join(sorted(set(asked) - {'label', 'description'}))} cannot be changed.",
        )
    for key in asked:
        if key in ("label", "description", "groupName"):
            changed[key] = str(body[key])
        else:
            raise ApiFailure(400, "VALIDATION_ERROR", f"{key} cannot be changed by this sandbox.")
    changed["updatedAt"] = iso(now_ms())
    with store.transaction():
        store.save_property(object_type, changed)
    return Reply(200, store.properties(object_type)[name])


def _missing(object_type: str, name: str) -> Reply:
    return Reply(
        404, error_body("OBJECT_NOT_FOUND", f"Unable to find property {name} on {object_type}")
    )


def _option(raw: Any, index: int) -> JSON:
    if not isinstance(raw, dict) or "value" not in raw:
        raise ApiFailure(400, "VALIDATION_ERROR", "Each option needs a label and a value.")
    return {
        "label": str(raw.get("label", raw["value"])),
        "value": str(raw["value"]),
        "displayOrder": int(raw.get("displayOrder", index)),
        "hidden": bool(raw.get("hidden", False)),
        "description": str(raw.get("description", "")),
    }
