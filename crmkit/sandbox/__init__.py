"""A local HubSpot-compatible CRM API server for the demo, rehearsals and tests.

``serve(SandboxOptions(...))`` runs it in the foreground (``crmkit sandbox``);
``running(**options)`` runs it in a background thread for a ``with`` block.
"""

from crmkit.sandbox.options import FAULT_KINDS, TIERS, SandboxOptions
from crmkit.sandbox.server import RunningSandbox, running, serve

__all__ = ["FAULT_KINDS", "TIERS", "RunningSandbox", "SandboxOptions", "running", "serve"]
