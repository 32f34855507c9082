"""Why a row needs attention, in words a manager reads; the machine code stays beside it.

Categories are crmkit's (``MISSING_REQUIRED``) or HubSpot's (``VALIDATION_ERROR``). The
messages come from validation, coercion and the portal; the names of the Great Expectations
checks behind some of them mean nothing to the reader, so :func:`plain_message` removes them.
A category this table does not know is shown as its code in lower-case words, never hidden.
"""

from __future__ import annotations

import re

REASONS: dict[str, str] = {
    "MISSING_REQUIRED": "A required value is empty",
    "MISSING_KEY": "No email or id to find the record by, so it cannot be written safely",
    "INVALID_EMAIL": "The email address is not valid",
    "INVALID_PHONE": "The phone number is not valid",
    "PLACEHOLDER_VALUE": "A word for no value (null, n/a) was left out",
    "INVALID_DATE": "The date cannot be read",
    "INVALID_NUMBER": "The number cannot be read",
    "INVALID_INTEGER": "A whole number was expected",
    "INVALID_BOOL": "Yes/no was expected",
    "INVALID_BOOLEAN": "Yes/no was expected",
    "INVALID_OPTION": "The value is not one of the portal's options",
    "INVALID_DOMAIN": "The web domain is not valid",
    "INVALID_VALUE": "The value is not valid for its property",
    "VALUE_TOO_LONG": "The value is longer than the portal allows",
    "RAGGED_ROW": "The row has more or fewer cells than the header",
    "EMPTY_ROW": "The row is empty",
    "VALIDATION_ERROR": "The portal refused a value",
    "INVALID_INPUT": "The portal refused the record's data",
    "CONFLICT": "Another record in the portal already has this key",
    "OBJECT_NOT_FOUND": "The record was not found in the portal",
    "INVALID_ASSOCIATION": "The portal refused the link",
    "ENDPOINT_NOT_IMPORTED": "Not linked: the record on the other side did not land",
    "TRANSIENT_EXHAUSTED": "The portal kept failing for this record; retries ran out",
    "NOT_SENT": "Not sent: the run stopped before this record",
    "NO_OUTCOME": "No answer came back for this record",
    "UNKNOWN": "The outcome is unknown; resuming the run sends it again",
    "INTERNAL_ERROR": "The portal had an internal error",
    "DUPLICATE": "The same key appears more than once",
    "DUPLICATE_MERGED": "Merged into another row with the same key",
    "DUPLICATE_CONFLICT": "Merged with another row that has different values",
    "AMBIGUOUS_COMPANY": "Several companies match; none was linked",
    "WEAK_COMPANY_MATCH": "The company only loosely matches; not linked",
    "COMPANY_NOT_FOUND": "The company was not found; not linked",
    "CONTACT_CREATED_FROM_TICKET": "A contact was created from the ticket's email",
    "UNRESOLVED_CONTACT": "The ticket's requester was not found",
    "AMBIGUOUS_CONTACT": "Several contacts match the ticket's requester",
    "NO_REQUESTER": "The ticket names no requester",
    "COLUMN_DECISION": "Decided for a whole column",
    "DEFAULT_STAGE": "No valid stage: the ticket got the pipeline's first stage",
    "DEFAULT_SUBJECT": "No subject: the ticket was named from its id or description",
}

_TOOL_NAMES = re.compile(r"\s*[(\[]?\bexpect_[a-z0-9_]+\b[)\]]?")
_SPACES = re.compile(r"\s{2,}")


def reason(category: str) -> str:
    """The category in plain words (its code in lower-case words when unknown)."""
    code = str(category or "").strip()
    if not code:
        return "Other"
    known = REASONS.get(code.upper())
    return known or code.replace("_", " ").lower().capitalize()


def plain_message(message: str) -> str:
    """The message without the validation tool's check names; never shortened."""
    text = _TOOL_NAMES.sub("", str(message or ""))
    return _SPACES.sub(" ", text).strip()
