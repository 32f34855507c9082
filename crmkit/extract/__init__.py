"""Emails and phone numbers from free text (ticket bodies, notes) and from single cells.

Public API (see docs/architecture.md): ``find_emails``, ``find_phones``,
``find_phone_matches``, ``PhoneHit``, ``normalize_email``, ``normalize_phone``, ``emails_in``,
``phones_in``.
"""

from crmkit.extract.emails import find_emails, normalize_email
from crmkit.extract.phones import PhoneHit, find_phone_matches, find_phones, normalize_phone
from crmkit.extract.series import emails_in, phones_in

__all__ = [
    "PhoneHit",
    "emails_in",
    "find_emails",
    "find_phone_matches",
    "find_phones",
    "normalize_email",
    "normalize_phone",
    "phones_in",
]
