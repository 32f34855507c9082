"""The notes object type (engagements): its default properties in the API's shape.

Notes are written like any object (batch create/read/update/archive, upsert by a unique custom
property); ``hs_timestamp`` places a note on the timeline and is required on create.
"""

from __future__ import annotations

from crmkit.sandbox.replies import JSON

NOTE_REQUIRED: tuple[str, ...] = ("hs_timestamp",)
MAX_STRING = 65_536
"""HubSpot's limit on a string property value (hs_note_body among them), in characters."""

_ROWS: tuple[tuple[str, str, str, str, bool, str], ...] = (
    ("hs_timestamp", "Activity date", "datetime", "date", False, "When the note happened."),
    ("hs_note_body", "Note body", "string", "html", False, "The note's text."),
    ("hubspot_owner_id", "Activity assigned to", "enumeration", "select", False, "Its owner."),
    ("hs_attachment_ids", "Attached file IDs", "string", "text", False, "Files attached."),
    ("hs_createdate", "Create date", "datetime", "date", True, "When it was created."),
    ("hs_lastmodifieddate", "Last modified date", "datetime", "date", True, "Last change."),
    ("hs_object_id", "Record ID", "number", "number", True, "The note's id."),
)


def note_properties() -> list[JSON]:
    """``GET /crm/v3/properties/notes`` results (a fresh copy each call)."""
    results: list[JSON] = []
    for name, label, type_, field_type, read_only, description in _ROWS:
        meta: JSON = {
            "archivable": False,
            "readOnlyDefinition": True,
            "readOnlyValue": read_only,
        }
        if type_ == "enumeration":
            meta["readOnlyOptions"] = True
        results.append(
            {
                "name": name,
                "label": label,
                "type": type_,
                "fieldType": field_type,
                "groupName": "engagement",
                "description": description,
                "options": [],
                "displayOrder": -1,
                "hasUniqueValue": False,
                "hidden": False,
                "formField": False,
                "calculated": False,
                "externalOptions": name == "hubspot_owner_id",
                "hubspotDefined": True,
                "modificationMetadata": meta,
            }
        )
    return results
