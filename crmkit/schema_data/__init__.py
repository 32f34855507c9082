"""Bundled HubSpot default property definitions (JSON, in the API's own shape)."""
