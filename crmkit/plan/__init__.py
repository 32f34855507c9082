"""The plan stage: what will be written and linked, decided before any request is sent.

``build_plan(prepared)`` turns the prepared (valid, coerced) frames into an :class:`ImportPlan`:
records keyed for idempotent upserts, duplicates merged, associations resolved between keys,
and every doubt reported as a row issue. The dry run stops here and writes ``plan.json``.
"""

from crmkit.plan.build import build_plan, id_property
from crmkit.plan.companies import CompanyIndex, MatchPolicy
from crmkit.plan.model import ImportPlan, PlannedLink, PlannedRecord
from crmkit.plan.normalize import (
    FREE_MAIL_DOMAINS,
    normalize_company_name,
    normalize_domain,
)

__all__ = [
    "FREE_MAIL_DOMAINS",
    "CompanyIndex",
    "ImportPlan",
    "MatchPolicy",
    "PlannedLink",
    "PlannedRecord",
    "build_plan",
    "id_property",
    "normalize_company_name",
    "normalize_domain",
]
