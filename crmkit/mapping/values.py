"""Enumeration values onto option values: "Hi" → ``HIGH``, "Resolved" → stage ``4``.

HubSpot stores an option's *value*, never its label, and refuses anything else, so every raw
value is translated or reported. Order of trust: the exact value, the label or value in normal
form, a synonym, then fuzzy similarity over labels as a last resort.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from rapidfuzz import fuzz, process

from crmkit.mapping.normalize import normalize
from crmkit.schema import PropertyDef

FUZZY_VALUE_THRESHOLD = 85.0
MULTI_SPLIT = re.compile(r"\s*[;,|]\s*")

# fmt: off
VALUE_SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "hs_ticket_priority": {
        "LOW": ("low", "lo", "minor", "trivial", "p4", "p5", "4", "lowest", "not urgent"),
        "MEDIUM": ("medium", "med", "normal", "moderate", "p3", "3", "mid", "average"),
        "HIGH": ("high", "hi", "major", "important", "p2", "2", "elevated"),
        "URGENT": ("urgent", "critical", "blocker", "emergency", "highest", "p1", "p0", "1",
                   "asap", "sev1", "severity 1", "immediate", "urgent!"),
    },
    "hs_pipeline_stage": {
        "1": ("new", "open", "unassigned", "created", "not started", "to do", "todo",
              "received", "submitted", "reopened"),
        "2": ("pending", "waiting on customer", "waiting on contact", "awaiting customer",
              "waiting for customer", "awaiting reply", "on hold", "hold",
              "waiting on requester", "pending customer", "awaiting response"),
        "3": ("in progress", "waiting on us", "open agent", "open - agent", "working",
              "investigating", "escalated", "assigned", "in review", "active",
              "awaiting agent", "waiting on agent", "ongoing", "waiting on third party",
              "waiting for third party", "awaiting third party"),
        "4": ("closed", "resolved", "done", "solved", "complete", "completed", "fixed",
              "cancelled", "canceled", "won t fix", "wont fix", "duplicate", "archived"),
    },
    "lifecyclestage": {
        "subscriber": ("subscriber", "newsletter"),
        "lead": ("lead", "new lead", "raw lead", "prospect"),
        "marketingqualifiedlead": ("mql", "marketing qualified", "marketing qualified lead"),
        "salesqualifiedlead": ("sql", "sales qualified", "sales qualified lead"),
        "opportunity": ("opportunity", "opp", "oppty", "deal"),
        "customer": ("customer", "client", "won", "closed won", "active customer"),
        "evangelist": ("evangelist", "advocate", "promoter", "champion", "reference"),
        "other": ("other", "partner", "vendor"),
    },
    "hs_lead_status": {
        "NEW": ("new", "not contacted", "untouched"),
        "OPEN": ("open",),
        "IN_PROGRESS": ("in progress", "working", "contacted", "nurturing", "engaged"),
        "OPEN_DEAL": ("open deal", "deal open", "in negotiation"),
        "UNQUALIFIED": ("unqualified", "disqualified", "junk", "not a fit", "bad fit", "lost"),
        "ATTEMPTED_TO_CONTACT": ("attempted", "attempted to contact", "attempting contact",
                                 "no answer", "left voicemail"),
        "CONNECTED": ("connected", "reached", "spoke"),
        "BAD_TIMING": ("bad timing", "not now", "later", "follow up later"),
    },
    "source_type": {
        "EMAIL": ("email", "e mail", "mail", "inbound email", "mailbox"),
        "CHAT": ("chat", "live chat", "web chat", "messenger", "whatsapp", "sms", "slack"),
        "PHONE": ("phone", "call", "telephone", "voice", "phone call", "hotline",
                  "phone call incoming", "phone call outgoing", "inbound call", "outbound call",
                  "voicemail", "voice mail"),
        "FORM": ("form", "web form", "web", "portal", "web portal", "help center", "website",
                 "contact form", "api", "feedback widget"),
    },
    "hs_ticket_category": {
        "PRODUCT_ISSUE": ("bug", "defect", "problem", "incident", "technical issue",
                          "technical", "product", "product issue", "outage", "error"),
        "BILLING_ISSUE": ("billing", "invoice", "payment", "refund", "billing issue",
                          "billing question", "charge", "subscription"),
        "FEATURE_REQUEST": ("feature", "feature request", "enhancement", "idea",
                            "suggestion", "improvement"),
        "GENERAL_INQUIRY": ("question", "general", "inquiry", "enquiry", "how to", "how-to",
                            "general inquiry", "general question", "information", "other"),
    },
    "type": {
        "PROSPECT": ("prospect", "lead", "potential"),
        "PARTNER": ("partner", "affiliate", "alliance", "technology partner",
                    "installation partner", "implementation partner", "solution partner",
                    "referral partner", "strategic partner", "integration partner",
                    "consulting partner", "integrator"),
        "RESELLER": ("reseller", "distributor", "var", "channel partner"),
        "VENDOR": ("vendor", "supplier", "provider"),
        "OTHER": ("other", "misc"),
    },
    "industry": {
        "COMPUTER_SOFTWARE": ("software", "saas", "software development", "tech", "technology"),
        "INFORMATION_TECHNOLOGY_AND_SERVICES": ("it", "it services", "information technology"),
        "HOSPITAL_HEALTH_CARE": ("healthcare", "health care", "health", "hospital", "medical"),
        "FINANCIAL_SERVICES": ("finance", "fintech", "financial"),
        "EDUCATION_MANAGEMENT": ("education", "edtech"),
        "LEGAL_SERVICES": ("legal", "law"),
        "MARKETING_AND_ADVERTISING": ("marketing", "advertising", "adtech", "agency"),
        "TELECOMMUNICATIONS": ("telecom", "telco", "telecoms"),
        "OIL_ENERGY": ("energy", "oil and gas", "oil gas"),
        "NON_PROFIT_ORGANIZATION_MANAGEMENT": ("non profit", "nonprofit", "ngo", "charity"),
        "MANAGEMENT_CONSULTING": ("consulting", "consultancy"),
        "LOGISTICS_AND_SUPPLY_CHAIN": ("logistics", "supply chain", "shipping"),
        "PHARMACEUTICALS": ("pharma", "pharmaceutical"),
        "BIOTECHNOLOGY": ("biotech", "life sciences"),
        "COMPUTER_NETWORK_SECURITY": ("security", "cybersecurity", "cyber security", "infosec"),
        "COMPUTER_GAMES": ("gaming", "games", "video games"),
        "FOOD_BEVERAGES": ("food", "beverages", "food and beverage"),
        "INTERNET": ("e commerce", "ecommerce", "online"),
        "GOVERNMENT_ADMINISTRATION": ("government", "public sector"),
        "TRANSPORTATION_TRUCKING_RAILROAD": ("transportation", "transport", "trucking"),
        "FARMING": ("agriculture", "agritech"),
        "HUMAN_RESOURCES": ("hr", "human resources"),
        "STAFFING_AND_RECRUITING": ("recruiting", "staffing", "recruitment"),
        "MECHANICAL_OR_INDUSTRIAL_ENGINEERING": ("manufacturing", "industrial", "engineering"),
        "REAL_ESTATE": ("property", "realestate"),
        "HOSPITALITY": ("hotels", "hotel"),
        "RETAIL": ("retailer", "retail trade"),
        "RECREATIONAL_FACILITIES_AND_SERVICES": ("recreation", "leisure"),
        "SPORTS": ("sport",),
    },
}
# fmt: on

_RANGE = re.compile(r"^(\d+)\s*(?:-\s*(\d+)|\+)$")


@cache
def _index(prop: PropertyDef) -> tuple[dict[str, str], dict[str, str], list[str], list[str]]:
    """(exact values, normal form → value, fuzzy choices, their values) for one property."""
    exact = {o.value: o.value for o in prop.options}
    norm: dict[str, str] = {}
    for o in prop.options:
        norm.setdefault(normalize(o.value), o.value)
    for o in prop.options:
        norm.setdefault(normalize(o.label), o.value)
    values = set(exact)
    for value, words in VALUE_SYNONYMS.get(prop.name, {}).items():
        if value in values:
            for w in words:
                norm.setdefault(normalize(w), value)
    choices = [normalize(o.label) for o in prop.options]
    return exact, norm, choices, [o.value for o in prop.options]


def _range_bucket(prop: PropertyDef, raw: str) -> str | None:
    """A count such as "12" into a range option such as ``5-25`` (contacts ``numemployees``)."""
    digits = raw.replace(",", "").replace(" ", "")
    if not digits.isdigit():
        return None
    n = int(digits)
    for o in prop.options:
        m = _RANGE.match(o.value)
        if m and int(m.group(1)) <= n and (m.group(2) is None or n <= int(m.group(2))):
            return o.value
    return None


def _alternatives(text: str, norm: dict[str, str]) -> str | None:
    """ "Channel Partner / Reseller": the option when every ``/``-separated part names it."""
    parts = [normalize(p) for p in text.split("/")]
    if len(parts) < 2 or not all(parts):
        return None
    found = {norm.get(p) for p in parts}
    return found.pop() if len(found) == 1 and None not in found else None


def map_one(prop: PropertyDef, raw: str) -> tuple[str | None, str]:
    """One raw single value → (option value or None, how it matched)."""
    text = raw.strip()
    if not text:
        return "", "empty"
    if not prop.options:
        # Owners and teams: options live elsewhere; a numeric id is the only safe value.
        return (text, "id") if text.isdigit() and prop.external_options else (None, "no options")
    exact, norm, choices, values = _index(prop)
    if text in exact:
        return text, "exact"
    key = normalize(text)
    if key in norm:
        return norm[key], "normalised"
    agreed = _alternatives(text, norm)
    if agreed is not None:
        return agreed, "every alternative agrees"
    bucket = _range_bucket(prop, text)
    if bucket is not None:
        return bucket, "range"
    if key and not any(ch.isdigit() for ch in key):
        hit = process.extractOne(key, choices, scorer=fuzz.ratio)
        if hit is not None and hit[1] >= FUZZY_VALUE_THRESHOLD:
            return values[hit[2]], f"fuzzy {hit[1] / 100:.2f}"
    return None, "no match"


def map_multi(prop: PropertyDef, raw: str) -> tuple[str, list[str]]:
    """A multi-select cell → (matched values joined with ``;``, parts that match nothing).

    Cells are split on ``;``, ``,`` or ``|``; duplicates collapse, order is kept.
    """
    out: list[str] = []
    missing: list[str] = []
    for part in (p for p in MULTI_SPLIT.split(raw.strip()) if p):
        value, _ = map_one(prop, part)
        if value is None:
            missing.append(part)
        elif value and value not in out:
            out.append(value)
    return ";".join(out), missing


def map_value(prop: PropertyDef, raw: str) -> str | None:
    """A raw cell → the value HubSpot stores ("" for empty); None when (a part) matches nothing."""
    if prop.multi:
        value, missing = map_multi(prop, raw)
        return None if missing else value
    return map_one(prop, raw)[0]


def map_values(
    prop: PropertyDef, raws: Iterable[str], overrides: dict[str, str] | None = None
) -> tuple[dict[str, str], list[str]]:
    """Distinct raw values → ``({raw: value}, [unmatched raws])``; overrides win."""
    overrides = overrides or {}
    mapped: dict[str, str] = {}
    unmatched: list[str] = []
    for raw in dict.fromkeys(raws):
        if raw in overrides:
            mapped[raw] = overrides[raw]
            continue
        value = map_value(prop, raw)
        if value is None:
            unmatched.append(raw)
        elif value:
            mapped[raw] = value
    return mapped, unmatched
