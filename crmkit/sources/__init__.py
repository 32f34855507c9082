"""Finding and reading the files people have: any name, Excel, Salesforce and Zendesk exports.

``discover(data_dir, overrides)`` places each file (``crmkit.sources.discover``);
``read_sources(discovery)`` reads them as ``SourceTable``s per object type plus the source
CRM's users; ``combine`` stacks several prepared files of one type and ``locate_plan`` names
their rows back. See docs/architecture.md.
"""

from crmkit.sources.combine import combine, locate_plan
from crmkit.sources.discover import Discovery, Overrides, Source, Unplaced, discover
from crmkit.sources.read import SourceTables, SourceUser, read_sources

__all__ = [
    "Discovery",
    "Overrides",
    "Source",
    "SourceTables",
    "SourceUser",
    "Unplaced",
    "combine",
    "discover",
    "locate_plan",
    "read_sources",
]
