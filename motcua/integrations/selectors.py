"""Reads of the integrations app for the faces and the reports."""

from motcua.integrations.national.sync import state_of, sync_rate

__all__ = ["state_of", "sync_rate"]
